package dev.isthmus.internal;

import dev.isthmus.InvalidArgumentException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Intra-op parallelism with results that do not depend on the thread count.
 *
 * <p>{@link #forEachChunk} splits {@code [0, n)} into chunks of {@code grain} elements (the last
 * one shorter). The boundaries depend only on {@code n} and {@code grain}, which callers derive
 * from the problem's size alone, never from the thread count; every chunk is computed the same
 * way whichever thread runs it, and callers combine partial results in chunk order. Hence a
 * result is bit for bit the same with 1, 2 or any number of threads. Threads only decide who
 * computes which chunk (they take the next chunk from a shared counter).
 *
 * <p>One caveat, not of partitioning: the Vector API's transcendental operators (EXP, LOG,
 * TANH, ATAN2, ...) can differ by an ulp between interpreted and C2-compiled code, so while the
 * JIT warms up a chunk run early on one thread may differ from the same chunk run later; in
 * steady state (and always on the scalar path) results are bit-identical.
 *
 * <p>A problem of one chunk (n &lt;= grain) never forks, so the grain is also the threshold
 * below which an op stays on the calling thread. Each op kind picks its grain so that a chunk is
 * worth a hand-off (tens of microseconds of work); see the constants below.
 *
 * <p>The pool is one dedicated {@link ForkJoinPool} of {@code availableProcessors()} daemon
 * threads named {@code isthmus-intra-op-N}, created on the first parallel op and kept for the
 * life of the process; the parallelism setting only decides how many helpers a job asks for, so
 * changing it never creates or leaks threads. The calling thread always works on its own job
 * too, and only waits for helpers that have started (an unstarted helper is cancelled), so a
 * job finishes even when the pool is busy or the caller is itself a pool thread (no hang).
 */
public final class IntraOp {
  private IntraOp() {}

  /**
   * Elementwise ops: 64K elements per chunk. Below that a unary or binary kernel runs in ~10-50
   * us, comparable to waking a pool thread and the cache traffic of handing data over; above it
   * the hand-off is a few percent at most. A multiple of every vector length, so chunks split
   * on lane boundaries.
   */
  public static final long ELEMENTWISE_GRAIN = 1L << 16;

  /**
   * Row-wise ops (reductions over kept outputs, softmax rows, arg reductions): chunks of whole
   * rows covering at least this many input elements (the same reasoning as {@link
   * #ELEMENTWISE_GRAIN}).
   */
  public static final long ROWS_GRAIN_ELEMENTS = 1L << 16;

  /**
   * A reduction to one value splits into chunks of 2^20 elements whose partial results are
   * combined in chunk order. A power of two, so the pairwise combination keeps the kernels'
   * float sum bound (see {@code ReducePlan}); large, so a full reduction of up to 1M elements is
   * one kernel call exactly as before.
   */
  public static final long FULL_REDUCTION_GRAIN = 1L << 20;

  /** The body of a chunked loop: computes the elements {@code [start, end)}. */
  @FunctionalInterface
  public interface ChunkBody {
    /** Computes {@code [start, end)}; chunks never overlap and each runs exactly once. */
    void run(long start, long end);
  }

  private static volatile int setting = 0;
  private static volatile ForkJoinPool pool;
  private static final AtomicLong forkedJobs = new AtomicLong();
  private static final AtomicInteger threadIds = new AtomicInteger();

  /** Sets the number of threads an op may use: 0 all processors, 1 the caller only. */
  public static void setParallelism(int threads) {
    if (threads < 0) {
      throw new InvalidArgumentException("setIntraOpParallelism: expected a thread count >= 0 "
          + "(0 means all available processors), got " + threads);
    }
    setting = threads;
  }

  /** The setting: 0 (all available processors, the default) or a thread count. */
  public static int parallelism() {
    return setting;
  }

  /** The number of threads a job may use now (at least 1). */
  static int threads() {
    int s = setting;
    return s == 0 ? Runtime.getRuntime().availableProcessors() : s;
  }

  /**
   * How many jobs have been handed to the pool so far (a test hook: an op below its threshold
   * must leave it unchanged).
   */
  public static long forkedJobs() {
    return forkedJobs.get();
  }

  /** The number of chunks {@link #forEachChunk} makes of {@code n} with {@code grain}. */
  public static long chunks(long n, long grain) {
    assert n >= 0 && grain > 0;
    return n == 0 ? 0 : (n - 1) / grain + 1;
  }

  /**
   * Runs {@code body} over the chunks {@code [c * grain, min(n, (c + 1) * grain))}: on the pool
   * when there are several chunks and the parallelism is above 1, else in order on the caller.
   * The first exception thrown by a chunk is rethrown on the caller (remaining chunks are
   * skipped).
   */
  public static void forEachChunk(long n, long grain, ChunkBody body) {
    long chunks = chunks(n, grain);
    // threads() only for several chunks: availableProcessors() is a system call, as costly as
    // a whole small op
    int threads = chunks <= 1 ? 1 : threads();
    if (chunks <= 1 || threads <= 1) {
      for (long c = 0; c < chunks; c++) {
        long s = c * grain;
        body.run(s, Math.min(n, s + grain));
      }
      return;
    }
    new Job(n, grain, chunks, body, (int) Math.min(threads - 1, chunks - 1)).run();
  }

  /**
   * A grain in rows such that a chunk of rows covers at least {@link #ROWS_GRAIN_ELEMENTS}
   * elements, for rows of {@code rowElements} elements (a function of the shape only).
   */
  public static long rowGrain(long rowElements) {
    return Math.max(1, ROWS_GRAIN_ELEMENTS / Math.max(1, rowElements));
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (IntraOp.class) {
        p = pool;
        if (p == null) {
          p = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), fjp -> {
            ForkJoinWorkerThread t =
                ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fjp);
            t.setName("isthmus-intra-op-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
          }, null, false);
          pool = p;
        }
      }
    }
    return p;
  }

  /** One parallel loop: the caller plus {@code helpers} pool tasks take chunks from a counter. */
  private static final class Job {
    private static final int QUEUED = 0, STARTED = 1, CANCELLED = 2, DONE = 3;

    private final long n, grain, chunks;
    private final ChunkBody body;
    private final AtomicLong next = new AtomicLong();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final AtomicIntegerArray state;

    Job(long n, long grain, long chunks, ChunkBody body, int helpers) {
      this.n = n;
      this.grain = grain;
      this.chunks = chunks;
      this.body = body;
      this.state = new AtomicIntegerArray(helpers);
    }

    void run() {
      forkedJobs.incrementAndGet();
      ForkJoinPool p = pool();
      for (int i = 0; i < state.length(); i++) {
        int h = i;
        p.execute(() -> help(h));
      }
      work();
      boolean interrupted = false;
      for (int i = 0; i < state.length(); i++) {
        if (state.compareAndSet(i, QUEUED, CANCELLED)) {
          continue; // never started: it will return at once when the pool gets to it
        }
        synchronized (this) {
          while (state.get(i) != DONE) {
            try {
              wait();
            } catch (InterruptedException e) {
              interrupted = true; // the helper is running chunks: it will finish
            }
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      Throwable t = error.get();
      if (t instanceof RuntimeException r) {
        throw r;
      } else if (t instanceof Error e) {
        throw e;
      } else if (t != null) {
        throw new IllegalStateException(t); // a ChunkBody declares no checked exception
      }
    }

    private void help(int h) {
      if (!state.compareAndSet(h, QUEUED, STARTED)) {
        return;
      }
      try {
        work();
      } finally {
        state.set(h, DONE);
        synchronized (this) {
          notifyAll();
        }
      }
    }

    private void work() {
      while (error.get() == null) {
        long c = next.getAndIncrement();
        if (c >= chunks) {
          return;
        }
        long s = c * grain;
        try {
          body.run(s, Math.min(n, s + grain));
        } catch (Throwable t) {
          error.compareAndSet(null, t);
          return;
        }
      }
    }
  }
}
