package dev.isthmus.kernels;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Routes cold Vector API kernels through their scalar twins. A Vector API loop that C2 has not
 * compiled yet runs interpreted (then in C1), where every vector operation is a boxed object and a
 * chain of calls: tens of times slower than the scalar twin, which the interpreter and C1 run
 * well and C2 compiles after a few calls. Its first use also loads and initialises the Vector
 * API's classes (about 30 ms here). So each kernel family keeps, per kernel (entry point and
 * operator), a count of the work its scalar twin has done; the twin runs until that count reaches
 * {@link #threshold()}. Then, for the entry points that register a {@link Trial} (unary, binary,
 * the inner reductions and arg-reductions, softmax along a row, matmul), {@link KernelWarmup}
 * runs the kernel's vector loop on synthetic operands on a background daemon thread until C2 has
 * compiled it, while callers keep the twin; only then does the kernel switch, so no caller runs
 * an interpreted vector loop. The other entry points switch at the threshold itself. A
 * ski-rental rule, as for the fusion compiler's generated kernels: a program that calls a kernel
 * a few times never pays for the vector path's warm-up, and a busy one starts it once its scalar
 * calls have cost about as much.
 *
 * <p>Work is counted in elements (multiply-adds for matmul and convolutions), a rough stand-in for
 * time that keeps the warm-up's start deterministic. The counters are racy on purpose (a lost
 * update only delays the switch); a kernel's hot flag is a plain field that only ever goes from
 * false to true, so the hot path is one array read and one branch. Both twins compute within each
 * family's documented bound of each other, and the switch happens between calls (or between the
 * chunks of one parallel call), so results stay within that bound either way; where twins differ
 * in bits (floating sums, the transcendental polynomials), the same call can give other bits
 * before and after the switch, as between JIT states.
 *
 * <p>Off by default: {@code -Disthmus.simd.warmup=on} routes with {@link #DEFAULT_THRESHOLD},
 * {@code -Disthmus.simd.warmup=N} with a threshold of N work units, and {@code off} (or {@code 0},
 * or no property) runs vector kernels from their first call. See docs/COLDSTART.md for the
 * measurements behind the default. With {@code -Disthmus.simd=scalar} nothing is routed: every
 * call runs the scalar twin.
 */
public final class ColdRouting {
  /** The system property: {@code off}, or a threshold in work units. */
  public static final String PROPERTY = "isthmus.simd.warmup";

  /**
   * The threshold {@code on} sets: 2^22 work units (about 3-15 ms of compiled scalar work), per
   * kernel; the vector loop's warm-up starts there, off the caller's thread.
   */
  public static final long DEFAULT_THRESHOLD = 1L << 22;

  private static final long THRESHOLD = parse(System.getProperty(PROPERTY));

  /** While bound (to true), this thread's kernel calls take the vector path, warm or cold. */
  private static final ScopedValue<Boolean> VECTOR_ONLY = ScopedValue.newInstance();

  private static final Map<String, ColdRouting> FAMILIES = new ConcurrentHashMap<>();

  /** A kernel's warm-up state (beside {@link #hot}): none started, under way, given up. */
  private static final int NEW = 0;
  private static final int WARMING = 1;
  private static final int FAILED = 2;

  /**
   * Runs the vector loop of the kernel {@code (site, key)} over about {@code n} elements of the
   * synthetic operands {@code s} (work proportional to n), for the background warm-up.
   */
  @FunctionalInterface
  interface Trial {
    void run(int key, int n, KernelWarmup.Scratch s);
  }

  private final String family;
  private final int width;
  private final boolean[] hot;
  private final long[] work;
  private final Trial[] trials;
  private final AtomicIntegerArray state;
  private final AtomicIntegerArray warmups;
  private volatile long threshold;
  private volatile boolean background = true;
  private volatile int epoch; // bumped by restart: a warm-up of an older epoch flips nothing
  private long coldCalls; // racy: diagnostics only

  private ColdRouting(String family, int sites, int width) {
    this.family = family;
    this.width = width;
    this.hot = new boolean[sites * width];
    this.work = new long[sites * width];
    this.trials = new Trial[sites];
    this.state = new AtomicIntegerArray(sites * width);
    this.warmups = new AtomicIntegerArray(sites * width);
    this.threshold = THRESHOLD;
  }

  /**
   * Registers how to run the vector loop of entry point {@code site} on synthetic operands: once
   * one of its kernels crosses the threshold, {@link KernelWarmup} runs it in the background
   * until C2 has compiled it, and only then does the kernel switch. A site without a trial
   * switches as soon as it crosses the threshold (the vector loop may then still be cold).
   */
  ColdRouting warm(int site, Trial trial) {
    trials[site] = trial;
    return this;
  }

  /** Parses the property's value: null and {@code off} are 0, {@code on} the default. */
  static long parse(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("off") || v.equals("false")) {
      return 0;
    }
    if (v.equals("on") || v.equals("true")) {
      return DEFAULT_THRESHOLD;
    }
    try {
      return Math.max(0, Long.parseLong(v));
    } catch (NumberFormatException e) {
      System.getLogger("dev.isthmus.kernels").log(System.Logger.Level.WARNING,
          "isthmus: ignoring -D" + PROPERTY + "=" + value + " (expected on, off or a number)");
      return 0;
    }
  }

  /**
   * A family's router with {@code sites} entry points of {@code width} keys each (operators);
   * one per facade, created by its static initialiser.
   */
  static ColdRouting family(String family, int sites, int width) {
    ColdRouting r = new ColdRouting(family, sites, width);
    if (FAMILIES.putIfAbsent(family, r) != null) {
      throw new IllegalStateException("two routers for " + family);
    }
    return r;
  }

  /**
   * True when the call should run the vector kernel: SIMD is on and the kernel {@code (site,
   * key)} is hot (its warm-up flipped it), or, at a site without a warm-up, becomes hot now
   * because its scalar calls have done the threshold's work; false runs the scalar twin (and
   * counts {@code work}; at the threshold, starts the kernel's warm-up).
   */
  boolean vector(int site, int key, long work) {
    if (!Simd.VECTOR) {
      return false;
    }
    int i = site * width + key;
    return hot[i] || cold(i, work);
  }

  private boolean cold(int i, long n) {
    if (VECTOR_ONLY.isBound()) {
      return true;
    }
    long done = work[i];
    long t = threshold;
    if (done >= t) {
      Trial trial = trials[i / width];
      if (trial == null || t == 0 || !background) {
        hot[i] = true;
        return true;
      }
      // the twin keeps running until the warm-up has the vector loop compiled (or gives up)
      if (state.get(i) == NEW && state.compareAndSet(i, NEW, WARMING)) {
        warmups.incrementAndGet(i);
        int e = epoch;
        KernelWarmup.schedule(() -> warmed(i, e, KernelWarmup.warm(trial, i % width,
            family + " kernel " + (i / width) + "/" + (i % width))));
      }
    } else {
      work[i] = done + Math.max(n, 1);
    }
    coldCalls++;
    return false;
  }

  private void warmed(int i, int e, boolean compiled) {
    if (e != epoch) {
      return; // restarted meanwhile
    }
    if (compiled) {
      hot[i] = true;
    } else {
      state.set(i, FAILED);
    }
  }

  /** True once the kernel {@code (site, key)} runs its vector path (diagnostics and tests). */
  public boolean hot(int site, int key) {
    return hot[site * width + key];
  }

  /**
   * Waits until the kernel {@code (site, key)} is hot: true, or false when its warm-up gave up
   * or the time ran out. Starts nothing: the kernel must have crossed its threshold.
   */
  public boolean awaitHot(int site, int key, long timeout, TimeUnit unit) {
    int i = site * width + key;
    long end = System.nanoTime() + unit.toNanos(timeout);
    while (!hot[i]) {
      if (state.get(i) == FAILED || System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Background warm-ups started for the kernel {@code (site, key)} since the last restart. */
  public int warmups(int site, int key) {
    return warmups.get(site * width + key);
  }

  /** The thread that ran the latest kernel warm-up, or null if none ran yet (tests). */
  public static Thread warmupThread() {
    return KernelWarmup.lastThread();
  }

  /** The threshold in work units that {@link #PROPERTY} set (0: routing off). */
  public static long threshold() {
    return THRESHOLD;
  }

  /**
   * Runs {@code body} with this thread's kernel calls on the vector path, cold or not: for callers
   * that must match the vector kernels bit for bit (the fusion compiler's op-by-op path, which
   * stands in for its generated vector loops), and for measuring cold vector code.
   */
  public static void vectorOnly(Runnable body) {
    ScopedValue.where(VECTOR_ONLY, Boolean.TRUE).run(body);
  }

  /**
   * The router of a kernel family ({@code unary}, {@code binary}, {@code reduce}, {@code
   * softmax}, {@code matmul}, {@code cast}, {@code compare}, {@code select}, {@code move}, {@code
   * conv}, {@code pool}), or null when there is none (or its facade has not been loaded yet).
   * Diagnostics and tests.
   */
  public static ColdRouting of(String family) {
    return FAMILIES.get(family);
  }

  /** The family's name. */
  public String family() {
    return family;
  }

  /** Calls that the scalar twins ran in place of a vector kernel since the last restart. */
  public long coldCalls() {
    return coldCalls;
  }

  /** Work units the scalar twins ran in place of vector kernels since the last restart. */
  public long coldWork() {
    long s = 0;
    for (long w : work) {
      s += w;
    }
    return s;
  }

  /** How many of the family's kernels run their vector path now. */
  public int hotKernels() {
    int c = 0;
    for (boolean h : hot) {
      c += h ? 1 : 0;
    }
    return c;
  }

  /**
   * Makes every kernel of the family cold again, switching after {@code threshold} work units
   * (0: vector from the next call; {@link Long#MAX_VALUE}: scalar until the next restart). For
   * tests and benchmarks of the cold phase; not for concurrent use with the family's kernels.
   */
  public void restart(long threshold) {
    restart(threshold, true);
  }

  /**
   * As {@link #restart(long)}; with {@code background} false, every kernel switches as soon as
   * it crosses the threshold, without waiting for a warm-up of its vector loop (the rule before
   * the background warm-up, and that of the sites that register no trial).
   */
  public void restart(long threshold, boolean background) {
    if (threshold < 0) {
      throw new IllegalArgumentException("negative threshold " + threshold);
    }
    epoch++;
    this.threshold = threshold;
    this.background = background;
    java.util.Arrays.fill(work, 0);
    java.util.Arrays.fill(hot, false);
    for (int i = 0; i < hot.length; i++) {
      state.set(i, NEW);
      warmups.set(i, 0);
    }
    coldCalls = 0;
  }

  /** Restarts with the threshold {@link #PROPERTY} set. */
  public void restart() {
    restart(THRESHOLD);
  }

  @Override
  public String toString() {
    return "ColdRouting[" + family + ": " + hotKernels() + " hot, " + coldCalls()
        + " cold calls, threshold " + threshold + "]";
  }
}
