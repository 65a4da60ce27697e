package dev.isthmus.kernels.fusion;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Brings new kernels to C2 off the callers' threads. A generated class starts interpreted, where
 * Vector API code is 50-100x slower than compiled and allocates a box per vector operation; it
 * needs on the order of a thousand calls before C2 compiles it. Until then {@link CompiledKernel}
 * runs the already-compiled per-op kernels, and this daemon thread calls the new kernel on small
 * synthetic operands until a call over four times the elements allocates no more than a small
 * call, three times in a row: the thread's allocated-bytes counter is exact, and only C2's
 * intrinsified code runs a vector loop without allocating per element (interpreted and C1 code
 * box every vector), so this detects the compiled loop itself rather than guessing from a call
 * count.
 * A kernel that never gets there (C2 bailed out, or the vectors stayed boxed) stays cold, and
 * its calls keep running op by op.
 */
final class Warmup {
  private Warmup() {}

  /** Back-to-back calls, enough to pass the tiered compilation thresholds; then one per ms. */
  static final int EAGER_CALLS = 3000;

  /** Give up on a kernel after this long, or this many calls (C2 bailed out, or boxes). */
  static final long LIMIT_NANOS = 30_000_000_000L;
  static final long LIMIT_CALLS = 40_000;

  private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "isthmus-fusion-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    return t;
  });

  private static final com.sun.management.ThreadMXBean ALLOCATIONS = allocations();

  private static com.sun.management.ThreadMXBean allocations() {
    try {
      ThreadMXBean b = ManagementFactory.getThreadMXBean();
      if (b instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()) {
        s.setThreadAllocatedMemoryEnabled(true);
        return s;
      }
    } catch (LinkageError | RuntimeException e) {
      // no java.management / jdk.management: fall back to a call count
    }
    return null;
  }

  /** Bytes this thread has allocated so far, or -1 when the JVM cannot say. */
  static long allocatedBytes() {
    return ALLOCATIONS == null ? -1 : ALLOCATIONS.getCurrentThreadAllocatedBytes();
  }

  static void schedule(CompiledKernel k, boolean arrays) {
    THREAD.execute(() -> warm(k, arrays));
  }

  private static void warm(CompiledKernel k, boolean arrays) {
    FusedExpr x = k.expr();
    long small = 5L * k.lanes() - 1; // vector iterations and a tail
    long big = 4 * small + 3;
    long outer = 3;
    FusedLayout layout = FusedLayout.repeatedRows(outer, big, x.inputCount());
    FusedLayout smallLayout = FusedLayout.repeatedRows(outer, small, x.inputCount());
    MemorySegment[] in = new MemorySegment[x.inputCount()];
    long[] inOff = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      ElementType t = x.input(i).type();
      in[i] = fill(allocate(t, outer * big, arrays), t);
    }
    MemorySegment[] out = new MemorySegment[x.outputCount()];
    long[] outOff = new long[out.length];
    for (int m = 0; m < out.length; m++) {
      out[m] = allocate(x.outputType(m), outer * big, arrays);
    }
    FusedKernel kernel = k.kernel();
    int both = FusedKernel.ARRAYS | FusedKernel.SEGMENTS;
    long start = System.nanoTime();
    int clean = 0;
    long calls = 0;
    while (clean < 3) {
      long b0 = allocatedBytes();
      kernel.run(in, inOff, out, outOff, smallLayout, 0, outer, small, both);
      long b1 = allocatedBytes();
      kernel.run(in, inOff, out, outOff, layout, 0, outer, big, both);
      long b2 = allocatedBytes();
      calls += 2;
      if (b0 < 0) {
        clean = calls >= 20_000 ? 3 : 0;
      } else {
        // compiled loops allocate nothing per element: a call of 4x the elements allocates no
        // more (the entry point may still allocate a little until C2 compiles it as well)
        clean = b2 - b1 == b1 - b0 ? clean + 1 : 0;
      }
      long spent = System.nanoTime() - start;
      if (spent > LIMIT_NANOS || calls > LIMIT_CALLS) {
        k.warmed(arrays, false, calls, spent);
        return;
      }
      if (calls > EAGER_CALLS && clean == 0) {
        // C2 has been asked to compile by now; spinning would only take CPU from it and from
        // the callers, so look once a millisecond.
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    k.warmed(arrays, true, calls, System.nanoTime() - start);
  }

  private static MemorySegment allocate(ElementType t, long n, boolean arrays) {
    return arrays ? OpByOp.allocate(t, n) : Arena.ofAuto().allocate(n * t.bytes(), 8);
  }

  private static MemorySegment fill(MemorySegment s, ElementType t) {
    long n = s.byteSize() / t.bytes();
    for (long i = 0; i < n; i++) {
      double v = 0.25 + (i % 7) * 0.5;
      FusedScalar.store(t, s, i, v, (i % 5) + 1);
    }
    return s;
  }
}
