package dev.isthmus.kernels;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes cold Vector API kernels through their scalar twins. A Vector API loop that C2 has not
 * compiled yet runs interpreted (then in C1), where every vector operation is a boxed object and a
 * chain of calls: tens of times slower than the scalar twin, which the interpreter and C1 run
 * well and C2 compiles after a few calls. Its first use also loads and initialises the Vector
 * API's classes (about 30 ms here). So each kernel family keeps, per kernel (entry point and
 * operator), a count of the work its scalar twin has done; the twin runs until that count reaches
 * {@link #threshold()}, and from then on the vector kernel runs. A ski-rental rule, as for the
 * fusion compiler's generated kernels: a program that calls a kernel a few times never pays for
 * the vector path's warm-up, and a busy one pays it once its scalar calls have cost about as much.
 *
 * <p>Work is counted in elements (multiply-adds for matmul and convolutions), a rough stand-in for
 * time that keeps the switch deterministic. The counters are racy on purpose (a lost update only
 * delays the switch); a kernel's hot flag is a plain field that only ever goes from false to true,
 * so the hot path is one array read and one branch. Both twins compute within each family's
 * documented bound of each other, and the switch happens between calls (or between the chunks of
 * one parallel call), so results stay within that bound either way; where twins differ in bits
 * (floating sums, the transcendental polynomials), the same call can give other bits before and
 * after the switch, as between JIT states.
 *
 * <p>Off by default: {@code -Disthmus.simd.warmup=on} routes with {@link #DEFAULT_THRESHOLD},
 * {@code -Disthmus.simd.warmup=N} with a threshold of N work units, and {@code off} (or {@code 0},
 * or no property) runs vector kernels from their first call. It is opt-in because the switch
 * moves the vector loop's cold calls later rather than removing them: in a quick JMH fork (2 x
 * 150 ms warm-up) float32 TANH over 64K elements spent its warm-up on the twin, then measured
 * its still-interpreted vector loop at 9.3 ms a call against 13.8 us with routing off; and the
 * switch changes the bits of floating sums, softmax and matmul once, mid-run. With {@code
 * -Disthmus.simd=scalar} nothing is routed: every call runs the scalar twin.
 */
public final class ColdRouting {
  /** The system property: {@code off}, or a threshold in work units. */
  public static final String PROPERTY = "isthmus.simd.warmup";

  /**
   * The threshold {@code on} sets: 2^24 work units (about 10-60 ms of compiled scalar work), per
   * kernel.
   */
  public static final long DEFAULT_THRESHOLD = 1L << 24;

  private static final long THRESHOLD = parse(System.getProperty(PROPERTY));

  /** While bound (to true), this thread's kernel calls take the vector path, warm or cold. */
  private static final ScopedValue<Boolean> VECTOR_ONLY = ScopedValue.newInstance();

  private static final Map<String, ColdRouting> FAMILIES = new ConcurrentHashMap<>();

  private final String family;
  private final int width;
  private final boolean[] hot;
  private final long[] work;
  private volatile long threshold;
  private long coldCalls; // racy: diagnostics only

  private ColdRouting(String family, int sites, int width) {
    this.family = family;
    this.width = width;
    this.hot = new boolean[sites * width];
    this.work = new long[sites * width];
    this.threshold = THRESHOLD;
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
   * key)} is hot, or becomes hot now because its scalar calls have done {@code work} units of
   * work in all; false runs the scalar twin (and counts {@code work}).
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
    if (done >= threshold) {
      hot[i] = true;
      return true;
    }
    work[i] = done + Math.max(n, 1);
    coldCalls++;
    return false;
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
    if (threshold < 0) {
      throw new IllegalArgumentException("negative threshold " + threshold);
    }
    this.threshold = threshold;
    java.util.Arrays.fill(work, 0);
    java.util.Arrays.fill(hot, false);
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
