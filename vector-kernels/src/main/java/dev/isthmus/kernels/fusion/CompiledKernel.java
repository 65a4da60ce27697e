package dev.isthmus.kernels.fusion;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One compiled fused kernel (or the record that it was refused), as {@link FusedKernels#compile}
 * returns and caches it. {@link #run} is the call to use: it checks the operands, then runs the
 * generated code once C2 has compiled it ({@link #hot}) and the per-op kernels until then, so
 * that a new kernel never makes a caller's first calls slower than the unfused ops (see {@link
 * Warmup}). Thread-safe; the kernel itself keeps no state between calls.
 *
 * <p><b>Operands.</b> {@code in[k]} from element offset {@code inOff[k]} is input {@code k},
 * read as its {@link Pattern} says over the iteration space {@code [layout.outer(),
 * layout.inner()]}; {@code out[m]} from {@code outOff[m]} receives output {@code m}: {@code
 * outer * inner} elements for an elementwise expression, {@code outer} for a reduction over the
 * inner axis, one for a reduction over all. Element types are the expression's; BOOL is one byte
 * per element. Heap segments backed by the array of their type (as tensors are) run the array
 * loop; anything else (native memory, other heap segments) the segment loop. An output may be
 * an {@link Pattern#ELEMENTWISE} input of its type at the same offset (in place); no other
 * overlap is allowed. Ranges are checked against the segments on every call ({@link
 * IndexOutOfBoundsException}, nothing written), because the array loop would not stop at a
 * slice's end.
 */
public final class CompiledKernel {
  private static final int NEW = 0;
  private static final int WARMING = 1;
  private static final int HOT = 2;
  private static final int FAILED = 3;
  private static final VarHandle ARRAYS_STATE = state("arraysState");
  private static final VarHandle SEGMENTS_STATE = state("segmentsState");

  private static VarHandle state(String field) {
    try {
      return MethodHandles.lookup().findVarHandle(CompiledKernel.class, field, int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final FusedExpr expr;
  private final FusedKernel kernel;
  private final Refusal refusal;
  private final int arraysBytes;
  private final int segmentsBytes;
  private final int lanes;
  private final String listing;
  private final long compileNanos;
  private volatile int arraysState;
  private volatile int segmentsState;
  private volatile long warmCalls;
  private long coldNanos; // racy on purpose: only compared with a threshold
  /**
   * Temporaries of the op-by-op path (one per node), kept between cold calls: a call takes them
   * (a concurrent call allocates its own) and puts them back; dropped once the kernel is hot.
   */
  private final AtomicReference<MemorySegment[]> temporaries = new AtomicReference<>();
  private final int nodes;
  private volatile long warmNanos;

  CompiledKernel(FusedExpr expr, FusedCompiler.Output o, long compileNanos, boolean warmup) {
    this.expr = expr;
    this.kernel = o == null ? null : o.kernel();
    this.refusal = o == null ? null : o.refusal();
    this.arraysBytes = o == null ? 0 : o.arraysBytes();
    this.segmentsBytes = o == null ? 0 : o.segmentsBytes();
    this.lanes = o == null ? 0 : o.lanes();
    this.listing = o == null ? null : o.listing();
    this.compileNanos = compileNanos;
    int start = kernel != null && !warmup ? HOT : NEW;
    this.nodes = expr.lowered().nodes().size();
    this.arraysState = start;
    this.segmentsState = start;
  }

  /** A kernel that was not compiled, and why. */
  static CompiledKernel refused(FusedExpr expr, Refusal why) {
    return new CompiledKernel(expr,
        new FusedCompiler.Output(null, why, 0, 0, 0, null), 0, false);
  }

  /** The expression. */
  public FusedExpr expr() {
    return expr;
  }

  /** True if code was generated; false if {@link #refusal} says why not. */
  public boolean compiled() {
    return kernel != null;
  }

  /** Why no code was generated, or null. */
  public Refusal refusal() {
    return refusal;
  }

  /** Bytes of bytecode of the larger loop method (also for a {@link Refusal.Kind#TOO_LARGE}). */
  public int bytecodeSize() {
    return Math.max(arraysBytes, segmentsBytes);
  }

  /** Elements per vector step of the loop (0 when not compiled). */
  public int lanes() {
    return lanes;
  }

  /** Nanoseconds spent generating and loading the class. */
  public long compileNanos() {
    return compileNanos;
  }

  /** The generated array loop as readable pseudo-code, when compiled with printing on. */
  public String listing() {
    return listing;
  }

  /** True once C2 has compiled the array loop (see {@link Warmup}). */
  public boolean hot() {
    return arraysState == HOT;
  }

  /** True once C2 has compiled the array loop ({@code arrays}) or the segment loop. */
  public boolean hot(boolean arrays) {
    return (arrays ? arraysState : segmentsState) == HOT;
  }

  /** Calls the warm-up made before the array loop was hot, and how long it took (ns). */
  public long[] warmup() {
    return new long[] {warmCalls, warmNanos};
  }

  /**
   * Starts warming the array loop if it is not already, and waits until it is hot: true, or
   * false when warming failed or the time ran out (or nothing was compiled).
   */
  public boolean awaitHot(long timeout, TimeUnit unit) {
    return awaitHot(true, timeout, unit);
  }

  /** As {@link #awaitHot(long, TimeUnit)}, for the array loop or the segment loop. */
  public boolean awaitHot(boolean arrays, long timeout, TimeUnit unit) {
    if (kernel == null) {
      return false;
    }
    startWarmup(arrays);
    long end = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      int s = arrays ? arraysState : segmentsState;
      if (s == HOT || s == FAILED) {
        return s == HOT;
      }
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private void startWarmup(boolean arrays) {
    VarHandle h = arrays ? ARRAYS_STATE : SEGMENTS_STATE;
    if ((int) h.getVolatile(this) == NEW && h.compareAndSet(this, NEW, WARMING)) {
      Warmup.schedule(this, arrays);
    }
  }

  void warmed(boolean arrays, boolean hot, long calls, long nanos) {
    if (arrays) {
      warmCalls = calls;
      warmNanos = nanos;
      arraysState = hot ? HOT : FAILED;
      if (hot) {
        temporaries.set(null);
      }
    } else {
      segmentsState = hot ? HOT : FAILED;
    }
    if (FusedKernels.PRINT) {
      System.err.printf("isthmus fusion: %s loop %s after %d warm-up calls in %.1f ms%n",
          arrays ? "array" : "segment", hot ? "hot" : "NOT compiled, staying op by op", calls,
          nanos / 1e6);
    }
  }

  FusedKernel kernel() {
    return kernel;
  }

  /**
   * Runs rows {@code [0, layout.outer())}: the generated code when hot, else op by op. Returns
   * which ran.
   */
  public FusedKernels.Path run(MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout) {
    return run(in, inOff, out, outOff, layout, 0, layout.outer());
  }

  /**
   * Runs rows {@code [rowFrom, rowTo)} (so that callers may split rows over threads; a
   * reduction over all elements then writes the reduction of those rows only). Returns which
   * path ran.
   */
  public FusedKernels.Path run(MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout, long rowFrom, long rowTo) {
    FusedKernels.check(expr, in, inOff, out, outOff, layout, rowFrom, rowTo);
    if (rowFrom == rowTo || layout.inner() == 0) { // nothing to compute but identities
      FusedScalar.run(expr, in, inOff, out, outOff, layout, rowFrom, rowTo);
      return kernel == null ? FusedKernels.Path.UNFUSED : FusedKernels.Path.FUSED;
    }
    if (kernel == null) {
      opByOp(in, inOff, out, outOff, layout, rowFrom, rowTo, true);
      FusedKernels.count(FusedKernels.Path.UNFUSED);
      return FusedKernels.Path.UNFUSED;
    }
    int allowed = (arraysState == HOT ? FusedKernel.ARRAYS : 0)
        | (segmentsState == HOT ? FusedKernel.SEGMENTS : 0);
    int cold = kernel.run(in, inOff, out, outOff, layout, rowFrom, rowTo, layout.inner(),
        allowed);
    if (cold == 0) {
      return FusedKernels.Path.FUSED;
    }
    long t0 = System.nanoTime();
    opByOp(in, inOff, out, outOff, layout, rowFrom, rowTo, false);
    coldNanos += System.nanoTime() - t0;
    if (coldNanos >= FusedKernels.WARMUP_AFTER_NANOS) {
      startWarmup(cold == FusedKernel.ARRAYS);
    }
    FusedKernels.count(FusedKernels.Path.COLD);
    return FusedKernels.Path.COLD;
  }

  private void opByOp(MemorySegment[] in, long[] inOff, MemorySegment[] out, long[] outOff,
      FusedLayout layout, long rowFrom, long rowTo, boolean always) {
    MemorySegment[] kept = temporaries.getAndSet(null);
    if (kept == null) {
      kept = new MemorySegment[nodes];
    }
    OpByOp.run(expr, in, inOff, out, outOff, layout, rowFrom, rowTo, kept);
    if (always || arraysState != HOT || segmentsState != HOT) {
      temporaries.set(kept);
    }
  }

  /**
   * Runs the generated code whether or not it is hot (for tests and for measuring cold code):
   * {@link #run} is the call to use. Throws {@link IllegalStateException} if nothing was
   * compiled.
   */
  public void runCompiled(MemorySegment[] in, long[] inOff, MemorySegment[] out, long[] outOff,
      FusedLayout layout, long rowFrom, long rowTo) {
    if (kernel == null) {
      throw new IllegalStateException("not compiled: " + refusal);
    }
    FusedKernels.check(expr, in, inOff, out, outOff, layout, rowFrom, rowTo);
    if (rowFrom == rowTo || layout.inner() == 0) {
      FusedScalar.run(expr, in, inOff, out, outOff, layout, rowFrom, rowTo);
    } else {
      kernel.run(in, inOff, out, outOff, layout, rowFrom, rowTo, layout.inner(),
          FusedKernel.ARRAYS | FusedKernel.SEGMENTS);
    }
  }

  @Override
  public String toString() {
    return kernel == null ? "CompiledKernel(refused: " + refusal + ")"
        : "CompiledKernel(" + lanes + " lanes, " + bytecodeSize() + " bytes, "
            + (hot() ? "hot" : "cold") + ")";
  }
}
