package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Brings a routed kernel's vector loop to C2 off the callers' threads, before {@link
 * ColdRouting} switches the kernel to it. Interpreted and C1 code box every vector (tens of
 * times slower than the scalar twin); so once a kernel's twin has done its threshold of work, its
 * family's {@link ColdRouting.Trial} runs the vector loop here on small synthetic operands, while
 * callers keep the twin, until a call over four times the elements allocates no more than a small
 * call, three times in a row: the thread's allocated-bytes counter is exact, and only C2's
 * intrinsified code runs a vector loop without allocating per vector (the test of the fusion
 * compiler's warm-up). Then the kernel flips hot. A kernel that does not get there within {@link
 * #LIMIT_NANOS} or {@link #LIMIT_CALLS} stays on its twin, and one log line says so.
 *
 * <p>One daemon thread at minimum priority, started on demand and ended after two idle seconds;
 * warm-ups queue on it, one kernel at a time.
 */
final class KernelWarmup {
  private KernelWarmup() {}

  /** Elements of a small trial call (vector iterations and a tail); a big one is 4x + 3. */
  static final int SMALL = 67;
  static final int BIG = 4 * SMALL + 3;

  /** Elements per scratch operand: room for the largest trial (matmul's rows x 16). */
  static final int CAPACITY = 4096;

  /** Back-to-back calls, enough to pass the tiered compilation thresholds; then one per ms. */
  static final int EAGER_CALLS = 3000;

  /** Give up on a kernel after this long, or this many calls (C2 bailed out, or boxes). */
  static final long LIMIT_NANOS = 20_000_000_000L;
  static final long LIMIT_CALLS = 40_000;

  private static final ThreadPoolExecutor THREAD = new ThreadPoolExecutor(0, 1, 2,
      TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "isthmus-kernel-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
      });

  private static final com.sun.management.ThreadMXBean ALLOCATIONS = allocations();
  private static volatile Thread last;
  private static Scratch scratch; // the warm-up thread's only: warm-ups run one at a time

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

  private static long allocatedBytes() {
    return ALLOCATIONS == null ? -1 : ALLOCATIONS.getCurrentThreadAllocatedBytes();
  }

  static void schedule(Runnable task) {
    THREAD.execute(task);
  }

  static Thread lastThread() {
    return last;
  }

  /** Runs {@code trial} for {@code key} until its loop is compiled: true, or false (gave up). */
  static boolean warm(ColdRouting.Trial trial, int key, String name) {
    last = Thread.currentThread();
    if (scratch == null) {
      scratch = new Scratch();
    }
    Scratch s = scratch;
    long start = System.nanoTime();
    int clean = 0;
    long calls = 0;
    long smallBytes = 0;
    long bigBytes = 0;
    try {
      while (clean < 3) {
        long b0 = allocatedBytes();
        trial.run(key, SMALL, s);
        long b1 = allocatedBytes();
        trial.run(key, BIG, s);
        long b2 = allocatedBytes();
        calls += 2;
        if (b0 < 0) {
          clean = calls >= 20_000 ? 3 : 0;
        } else {
          // compiled loops allocate nothing per vector: 4x the elements allocates no more
          smallBytes = b1 - b0;
          bigBytes = b2 - b1;
          clean = bigBytes <= smallBytes ? clean + 1 : 0;
        }
        long spent = System.nanoTime() - start;
        if (spent > LIMIT_NANOS || calls > LIMIT_CALLS) {
          System.getLogger("dev.isthmus.kernels").log(System.Logger.Level.INFO,
              "isthmus: the vector loop of the " + name + " was not compiled after " + calls
                  + " warm-up calls in " + spent / 1_000_000 + " ms (the last calls allocated "
                  + smallBytes + " and " + bigBytes + " bytes); it stays on its scalar twin");
          return false;
        }
        if (calls > EAGER_CALLS && clean == 0) {
          Thread.sleep(1); // C2 has been asked by now: leave it (and the callers) the CPU
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException | Error e) {
      System.getLogger("dev.isthmus.kernels").log(System.Logger.Level.WARNING,
          "isthmus: warm-up of the " + name + " failed; it stays on its scalar twin", e);
      return false;
    }
  }

  /**
   * Synthetic operands of each element type on Java arrays (as tensors are): three of {@link
   * #CAPACITY} elements each, positive values in [0.25, 3.25] (integers 1 to 5, booleans
   * alternating), so that every operator is defined on them (LOG, SQRT, integer division).
   */
  static final class Scratch {
    private final MemorySegment[] f32 = new MemorySegment[3];
    private final MemorySegment[] f64 = new MemorySegment[3];
    private final MemorySegment[] i32 = new MemorySegment[3];
    private final MemorySegment[] i64 = new MemorySegment[3];
    private final MemorySegment[] bool = new MemorySegment[3];

    Scratch() {
      for (int j = 0; j < 3; j++) {
        float[] f = new float[CAPACITY];
        double[] d = new double[CAPACITY];
        int[] a = new int[CAPACITY];
        long[] l = new long[CAPACITY];
        byte[] b = new byte[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) {
          d[i] = 0.25 + ((i + j) % 7) * 0.5;
          f[i] = (float) d[i];
          a[i] = (i + j) % 5 + 1;
          l[i] = a[i];
          b[i] = (byte) ((i + j) & 1);
        }
        f32[j] = MemorySegment.ofArray(f);
        f64[j] = MemorySegment.ofArray(d);
        i32[j] = MemorySegment.ofArray(a);
        i64[j] = MemorySegment.ofArray(l);
        bool[j] = MemorySegment.ofArray(b);
      }
    }

    MemorySegment f32(int j) {
      return f32[j];
    }

    MemorySegment f64(int j) {
      return f64[j];
    }

    MemorySegment i32(int j) {
      return i32[j];
    }

    MemorySegment i64(int j) {
      return i64[j];
    }

    MemorySegment bool(int j) {
      return bool[j];
    }
  }
}
