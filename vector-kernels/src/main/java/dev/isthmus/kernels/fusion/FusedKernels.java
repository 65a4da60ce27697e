package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.Simd;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fusion compiler's facade: compiles {@link FusedExpr}s into generated Vector API kernels,
 * caches them by structure, and runs them, falling back to the per-op kernels whenever the
 * generated code cannot or should not run.
 *
 * <pre>{@code
 * FusedExpr.Builder b = FusedExpr.builder();
 * var a = b.input(0, FLOAT32, Pattern.ELEMENTWISE);
 * var bias = b.input(1, FLOAT32, Pattern.ROW);
 * b.output(b.unary(UnaryOp.RELU, b.binary(BinaryOp.ADD, a, bias)));
 * FusedExpr e = b.build();
 * FusedLayout layout = FusedLayout.broadcast(new long[] {m, n}, new long[] {m, n}, new long[] {n});
 * FusedKernels.run(e, new MemorySegment[] {x, b}, new long[] {0, 0},
 *     new MemorySegment[] {y}, new long[] {0}, layout);
 * }</pre>
 *
 * <p><b>Cache.</b> {@link #compile} keys a {@link java.util.concurrent.ConcurrentHashMap} by the
 * expression (structure, types, patterns, literals, reduction, FMA choice; never sizes), so
 * retracing the same computation compiles nothing. A refused expression is cached too.
 *
 * <p><b>Cold kernels.</b> A new kernel's class starts interpreted, far slower than the per-op
 * kernels. {@link #run} therefore runs the per-op kernels ({@link Path#COLD}) until a background
 * thread has brought the generated code to C2 ({@link Warmup}); then it runs the generated code
 * ({@link Path#FUSED}). Both compute the same values (below), so callers see no difference but
 * speed; except for floating sums and means, which add in another order on each path (both
 * within their error bound).
 *
 * <p><b>Numerics.</b> Every element of the generated vector loop is computed with exactly the
 * Vector API calls of the per-op kernel of each node, and every element of the scalar tail (and
 * every uniform or per-row node) with its scalar twin, the same split the per-op kernels make;
 * so with FMA contraction off (the default) a fused kernel equals the op-by-op path bit for bit.
 * With {@link FusedExpr.Builder#contractFma} on, {@code a*b ± c} on floats whose product has no
 * other use is one {@link Math#fma}: one rounding instead of two, so those results differ from
 * op by op by at most the rounding of the product (half an ulp of {@code a*b}) per contraction.
 * Reductions: MAX, MIN and integer sums are exact; floating sums add leaves of 64 vectors (four
 * accumulators each) and then the leaves with Neumaier's compensation in double, which is at
 * least as accurate as the pairwise sum of {@link dev.isthmus.kernels.ReduceKernels}.
 *
 * <p><b>System properties</b>, read once: {@value #PROPERTY}{@code =off} disables code
 * generation (every expression is refused with {@link Refusal.Kind#DISABLED} and runs op by op);
 * {@value #PRINT_PROPERTY}{@code =true} prints each compiled expression, the sizes of its loops
 * and a listing of the generated vector loop to standard error; {@value #WARMUP_PROPERTY}{@code
 * =off} marks kernels hot as soon as they are compiled (no cold path; for measuring cold code).
 */
public final class FusedKernels {
  private FusedKernels() {}

  /** {@code -Disthmus.fusion=off} disables code generation. */
  public static final String PROPERTY = "isthmus.fusion";
  /** {@code -Disthmus.fusion.print=true} prints each compiled kernel. */
  public static final String PRINT_PROPERTY = "isthmus.fusion.print";
  /** {@code -Disthmus.fusion.warmup=off} runs new kernels at once, without the cold path. */
  public static final String WARMUP_PROPERTY = "isthmus.fusion.warmup";
  /**
   * The most bytes of bytecode a generated loop method may have: HotSpot does not compile larger
   * methods at all ({@code -XX:HugeMethodLimit}, 8000), so a larger kernel would stay
   * interpreted. Larger expressions are refused with {@link Refusal.Kind#TOO_LARGE}.
   */
  public static final int MAX_METHOD_BYTES = 8000;

  static final boolean OFF = "off".equals(property(PROPERTY));
  static final boolean PRINT = "true".equals(property(PRINT_PROPERTY));
  static final boolean WARMUP = !"off".equals(property(WARMUP_PROPERTY));
  /**
   * How much time a new kernel's calls spend op by op before its warm-up starts, in ns: {@value
   * #DEFAULT_WARMUP_MS} ms unless {@value #WARMUP_PROPERTY} gives another number of milliseconds.
   */
  static final long WARMUP_AFTER_NANOS = warmupAfter() * 1_000_000L;

  /** The default of {@link #WARMUP_AFTER_NANOS}: about what C2 spends compiling a kernel. */
  static final int DEFAULT_WARMUP_MS = 50;

  private static long warmupAfter() {
    String v = property(WARMUP_PROPERTY);
    try {
      return v.isEmpty() || v.equals("off") ? DEFAULT_WARMUP_MS : Math.max(0, Long.parseLong(v));
    } catch (NumberFormatException e) {
      return DEFAULT_WARMUP_MS;
    }
  }

  private static String property(String name) {
    return System.getProperty(name, "").trim().toLowerCase(Locale.ROOT);
  }

  /** Which code a call ran. */
  public enum Path {
    /** The generated kernel. */
    FUSED,
    /** Op by op, because the generated kernel is not compiled by C2 yet. */
    COLD,
    /** Op by op, because the expression was not compiled ({@link CompiledKernel#refusal}). */
    UNFUSED
  }

  /**
   * Counters since start (or {@link #clearCache}): expressions compiled and refused, cache hits,
   * and calls that ran op by op because their kernel was cold or refused (calls of hot kernels
   * are not counted: that would cost them a shared write each).
   *
   * @param compiled expressions compiled into a kernel
   * @param refused expressions refused ({@link Refusal})
   * @param cacheHits {@link #compile} calls answered from the cache
   * @param coldRuns calls run op by op while their kernel was cold
   * @param unfusedRuns calls of refused expressions, run op by op
   */
  public record Stats(long compiled, long refused, long cacheHits, long coldRuns,
      long unfusedRuns) {}

  private static final ConcurrentHashMap<FusedExpr, CompiledKernel> CACHE =
      new ConcurrentHashMap<>();
  private static final LongAdder COMPILED = new LongAdder();
  private static final LongAdder REFUSED = new LongAdder();
  private static final LongAdder HITS = new LongAdder();
  private static final LongAdder COLD = new LongAdder();
  private static final LongAdder UNFUSED = new LongAdder();

  /** True if code generation runs here: not switched off, and the Vector API available. */
  public static boolean enabled() {
    return !OFF && Simd.VECTOR;
  }

  /**
   * The kernel of {@code e}, compiled on first use and cached (equal expressions share one).
   * Never throws for an expression it cannot compile: the result says why ({@link
   * CompiledKernel#refusal}) and runs op by op.
   */
  public static CompiledKernel compile(FusedExpr e) {
    Objects.requireNonNull(e, "expression");
    CompiledKernel k = CACHE.get(e);
    if (k != null) {
      HITS.increment();
      return k;
    }
    return CACHE.computeIfAbsent(e, FusedKernels::generate);
  }

  private static CompiledKernel generate(FusedExpr e) {
    CompiledKernel k;
    if (OFF) {
      k = CompiledKernel.refused(e, new Refusal(Refusal.Kind.DISABLED,
          "code generation is off (-D" + PROPERTY + "=off)", 0));
    } else if (!Simd.VECTOR) {
      k = CompiledKernel.refused(e, new Refusal(Refusal.Kind.NO_VECTOR_API, Simd.WHY_SCALAR, 0));
    } else {
      long t0 = System.nanoTime();
      FusedCompiler.Output o = FusedCompiler.compile(e, PRINT);
      k = new CompiledKernel(e, o, System.nanoTime() - t0, WARMUP);
    }
    (k.compiled() ? COMPILED : REFUSED).increment();
    if (PRINT) {
      System.err.println(describe(k));
    }
    return k;
  }

  /** The report {@value #PRINT_PROPERTY} prints for a kernel. */
  public static String describe(CompiledKernel k) {
    StringBuilder s = new StringBuilder("isthmus fusion: ");
    if (!k.compiled()) {
      s.append("not compiled, ").append(k.refusal()).append('\n').append(k.expr());
      return s.toString();
    }
    s.append(String.format("compiled in %.2f ms: %d lanes per step, loops of %d bytes of"
        + " bytecode (limit %d)%n", k.compileNanos() / 1e6, k.lanes(), k.bytecodeSize(),
        MAX_METHOD_BYTES));
    s.append(k.expr()).append('\n');
    if (k.listing() != null) {
      s.append("array loop:\n").append(k.listing());
    }
    return s.toString();
  }

  /**
   * Runs {@code e} over all rows of {@code layout} (see {@link CompiledKernel} for the operands):
   * the generated kernel when it is hot, else the per-op kernels. Returns which ran.
   */
  public static Path run(FusedExpr e, MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout) {
    return compile(e).run(in, inOff, out, outOff, layout);
  }

  /** As {@link #run(FusedExpr, MemorySegment[], long[], MemorySegment[], long[], FusedLayout)}, rows {@code [rowFrom, rowTo)}. */
  public static Path run(FusedExpr e, MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout, long rowFrom, long rowTo) {
    return compile(e).run(in, inOff, out, outOff, layout, rowFrom, rowTo);
  }

  /** {@code e} by the scalar reference twin ({@link FusedScalar}), with the operands checked. */
  public static void interpret(FusedExpr e, MemorySegment[] in, long[] inOff,
      MemorySegment[] out, long[] outOff, FusedLayout layout) {
    check(e, in, inOff, out, outOff, layout, 0, layout.outer());
    FusedScalar.run(e, in, inOff, out, outOff, layout, 0, layout.outer());
  }

  /** {@code e} op by op through the per-op kernels (the unfused path), operands checked. */
  public static void runUnfused(FusedExpr e, MemorySegment[] in, long[] inOff,
      MemorySegment[] out, long[] outOff, FusedLayout layout) {
    check(e, in, inOff, out, outOff, layout, 0, layout.outer());
    OpByOp.run(e, in, inOff, out, outOff, layout, 0, layout.outer());
  }

  /** The counters. */
  public static Stats stats() {
    return new Stats(COMPILED.sum(), REFUSED.sum(), HITS.sum(), COLD.sum(), UNFUSED.sum());
  }

  /** The number of cached kernels. */
  public static int cacheSize() {
    return CACHE.size();
  }

  /** Drops every cached kernel (their classes can then be unloaded) and zeroes the counters. */
  public static void clearCache() {
    CACHE.clear();
    for (LongAdder a : new LongAdder[] {COMPILED, REFUSED, HITS, COLD, UNFUSED}) {
      a.reset();
    }
  }

  static void count(Path p) {
    switch (p) {
      case COLD -> COLD.increment();
      case UNFUSED -> UNFUSED.increment();
      default -> { }
    }
  }

  /**
   * Checks a call's operands against {@code e} and the layout: counts, nulls, offsets, that
   * each range lies in its segment, writable outputs, the row range, strides for strided inputs.
   */
  static void check(FusedExpr e, MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout, long rowFrom, long rowTo) {
    Objects.requireNonNull(layout, "layout");
    if (in.length != e.inputCount() || inOff.length != e.inputCount()) {
      throw new IllegalArgumentException("expected " + e.inputCount() + " inputs and offsets, got "
          + in.length + " and " + inOff.length);
    }
    if (out.length != e.outputCount() || outOff.length != e.outputCount()) {
      throw new IllegalArgumentException("expected " + e.outputCount() + " outputs and offsets,"
          + " got " + out.length + " and " + outOff.length);
    }
    if (rowFrom < 0 || rowFrom > rowTo || rowTo > layout.outer()) {
      throw new IndexOutOfBoundsException("rows [" + rowFrom + ", " + rowTo + ") of "
          + layout.outer());
    }
    boolean planned = layout.planned() && layout.inputs() == e.inputCount();
    for (int k = 0; k < in.length; k++) {
      FusedNode.Input d = e.input(k);
      Pattern p = d.pattern();
      if (p.strided() && !layout.hasStrides(k)) {
        throw new IllegalArgumentException("input " + k + " is " + p + " but the layout has no"
            + " strides for it (use FusedLayout.broadcast)");
      }
      if (planned && layout.outer() * layout.inner() > 0 && layout.pattern(k) != p) {
        throw new IllegalArgumentException("input " + k + " is declared " + p + " but the layout"
            + " says " + layout.pattern(k));
      }
      range("input ", k, in[k], inOff[k], layout.extent(k, p), d.type());
    }
    long outExtent = e.reduction() == null ? layout.outer() * layout.inner()
        : e.reduction().axes() == Reduction.Axes.INNER ? layout.outer() : 1;
    for (int m = 0; m < out.length; m++) {
      range("output ", m, out[m], outOff[m], outExtent, e.outputType(m));
      if (out[m].isReadOnly()) {
        throw new IllegalArgumentException("output " + m + " is read-only");
      }
    }
  }

  private static void range(String what, int i, MemorySegment s, long off, long n,
      ElementType t) {
    if (s == null) {
      throw new NullPointerException(what + i);
    }
    if (off < 0) {
      throw new IndexOutOfBoundsException(what + i + ": negative offset " + off);
    }
    long size = s.byteSize() >>> Integer.numberOfTrailingZeros(t.bytes()); // no division
    if (n > 0 && (off > size || n > size - off)) {
      throw new IndexOutOfBoundsException(what + i + ": elements [" + off + ", " + (off + n)
          + ") of a segment of " + size + " " + t.shortName());
    }
  }
}
