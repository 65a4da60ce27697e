package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.Epilogue;
import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.MatmulScalar;
import dev.isthmus.kernels.Simd;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * The GEMM kernels against their scalar twin: awkward m, n, k (0, 1, around the small kernel's
 * 4-row tile and 1 and 3 vectors of lanes, around the packed kernel's MR x NR register tile,
 * primes, random up to 130; one of them 4097 or so; sizes crossing the KC, MC and NC block
 * boundaries; sizes on both sides of the small/packed crossover), all four transpose
 * combinations, nonzero offsets, leading dimensions longer than a row, heap and off-heap memory,
 * concurrent calls, and for FLOAT32 and FLOAT64 every {@link Epilogue} (bias and activation)
 * against the twin's product-then-epilogue. Floating results must agree within {@link
 * MatmulBound}; INT32 exactly (it wraps, and wrapping sums are associative). Elements of C outside
 * the m x n window must be left alone. Run by hand with {@code -XX:MaxVectorSize=32} (AVX2 widths)
 * and {@code 16} too.
 */
class MatmulKernelProperties {
  private static final int MAX = 130;
  private static final double SENTINEL = -777; // what C holds outside the window (any dtype)

  enum Kind {
    F32(JAVA_FLOAT, Math.ulp(1f), Float.MIN_VALUE),
    F64(JAVA_DOUBLE, Math.ulp(1.0), Double.MIN_VALUE),
    I32(JAVA_INT, 0, 0);

    final ValueLayout layout;
    final double eps;
    final double tiny;

    Kind(ValueLayout layout, double eps, double tiny) {
      this.layout = layout;
      this.eps = eps;
      this.tiny = tiny;
    }

    int lanes() {
      return this == F64 ? Simd.doubleLanes() : Simd.floatLanes();
    }

    /** The packed kernel's blocking (INT32 has none and borrows FLOAT32's sizes). */
    MatmulKernels.Blocking blocking() {
      return this == F64 ? MatmulKernels.blockingF64() : MatmulKernels.blockingF32();
    }
  }

  /** One product: sizes, layout padding, memory kind, and a seed for the values. */
  record Case(int m, int n, int k, int ao, int bo, int co, int padA, int padB, int padC,
      boolean offHeap, long seed) {}

  /** An epilogue to apply: a bias (at an offset) or none, and an activation. */
  record Post(boolean bias, int biasOffset, Epilogue.Activation activation) {
    static final Post NONE = new Post(false, 0, Epilogue.Activation.NONE);
  }

  static Stream<Arguments> kindsAndFlags() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (Kind kind : Kind.values()) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          s.add(Arguments.of(kind, ta, tb));
        }
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2}")
  @MethodSource("kindsAndFlags")
  void kernelMatchesScalarTwin(Kind kind, boolean ta, boolean tb) {
    qt().withExamples(60).forAll(cases(kind.lanes())).checkAssert(c -> check(kind, ta, tb, c));
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2}")
  @MethodSource("kindsAndFlags")
  void oneLongDimension(Kind kind, boolean ta, boolean tb) {
    qt().withExamples(12).forAll(longCases()).checkAssert(c -> check(kind, ta, tb, c));
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2}")
  @MethodSource("kindsAndFlags")
  void edgeTiles(Kind kind, boolean ta, boolean tb) {
    qt().withExamples(40).forAll(edgeCases(kind)).checkAssert(c -> check(kind, ta, tb, c));
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2}")
  @MethodSource("kindsAndFlags")
  void blockBoundaries(Kind kind, boolean ta, boolean tb) {
    qt().withExamples(6).forAll(blockCases(kind)).checkAssert(c -> check(kind, ta, tb, c));
  }

  static Stream<Arguments> floatKindsAndFlags() {
    return kindsAndFlags().filter(a -> a.get()[0] != Kind.I32);
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2}")
  @MethodSource("floatKindsAndFlags")
  void epilogueMatchesTwin(Kind kind, boolean ta, boolean tb) {
    Gen<Case> sizes = cases(kind.lanes()).mix(edgeCases(kind), 50);
    qt().withExamples(40).forAll(sizes, posts()).checkAssert((c, post) ->
        check(kind, ta, tb, c, post));
  }

  /**
   * Products on both sides of the small/packed crossover, for every flag combination: the sizes
   * are found by asking {@link MatmulKernels#packs}, so both kernels are checked whatever the
   * crossover is.
   */
  @ParameterizedTest(name = "{0} transA={1} transB={2}")
  @MethodSource("kindsAndFlags")
  void bothSidesOfTheCrossover(Kind kind, boolean ta, boolean tb) {
    boolean f64 = kind == Kind.F64, sawSmall = false, sawPacked = false;
    for (int s = 1; s <= 48; s++) {
      for (int[] d : new int[][] {{s, s, s}, {s, 40, 40}, {40, s, 40}, {40, 40, s}, {s, 40, 200},
          {40, s, 200}}) {
        boolean packs = MatmulKernels.packs(f64, ta, tb, d[0], d[1], d[2]);
        boolean edge = packs != MatmulKernels.packs(f64, ta, tb, d[0] - 1, d[1], d[2])
            || packs != MatmulKernels.packs(f64, ta, tb, d[0], d[1] - 1, d[2])
            || packs != MatmulKernels.packs(f64, ta, tb, d[0], d[1], d[2] - 1);
        if (edge || s % 16 == 1) {
          sawSmall |= !packs;
          sawPacked |= packs;
          check(kind, ta, tb, new Case(d[0], d[1], d[2], 3, 1, 2, 1, 0, 2, s % 2 == 0, s));
        }
      }
    }
    if (Simd.VECTOR && kind != Kind.I32 && !sawPacked) {
      throw new AssertionError("no product up to 48 x 48 x 200 took the packed kernel");
    }
    if (Simd.VECTOR && kind != Kind.I32 && !(ta && tb) && !sawSmall) {
      throw new AssertionError("no product took the small kernel");
    }
  }

  /**
   * Products running at once on several threads (platform and virtual) each get their own packing
   * buffers: every result still matches the twin.
   */
  @Test
  void concurrentCallsKeepTheirOwnBuffers() throws Exception {
    List<Callable<Void>> jobs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int s = 60 + 23 * t;
      Kind kind = t % 2 == 0 ? Kind.F32 : Kind.F64;
      boolean ta = t % 3 == 0, tb = t % 4 == 1;
      jobs.add(() -> {
        for (int rep = 0; rep < 3; rep++) {
          check(kind, ta, tb, new Case(s, s + 7, s + rep, 1, 2, 3, 0, 1, 2, rep == 1, s + rep));
        }
        return null;
      });
    }
    for (ExecutorService pool : List.of(Executors.newFixedThreadPool(4),
        Executors.newVirtualThreadPerTaskExecutor())) {
      try (pool) {
        for (Future<Void> f : pool.invokeAll(jobs)) {
          f.get();
        }
      }
    }
  }

  /** Sizes at the edges of the tiles: around MR, NR, lanes, tile + 1, primes; up to ~3 NR. */
  static Gen<Case> edgeCases(Kind kind) {
    MatmulKernels.Blocking bl = kind.blocking();
    int l = kind.lanes(), mr = bl.mr(), nr = bl.nr();
    int[] picks = {1, 2, l - 1, l, l + 1, mr - 1, mr, mr + 1, 2 * mr + 1, nr - 1, nr, nr + 1,
        2 * nr + 1, 3 * nr - 1, 4 * 3 * l + 1, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 53, 61, 67,
        97};
    return in -> {
      Draw d = TensorGens.draw(in);
      int[] dims = new int[3];
      for (int i = 0; i < 3; i++) {
        dims[i] = Math.max(1, picks[d.intBetween(0, picks.length - 1)]);
      }
      return new Case(dims[0], dims[1], dims[2], d.intBetween(0, 9), d.intBetween(0, 9),
          d.intBetween(0, 9), pad(d), pad(d), pad(d), d.between(0, 3) == 0, d.between(0, 1L << 48));
    };
  }

  /**
   * One size crossing a block boundary of the packed kernel (k around KC or 2 KC, m around MC, n
   * around NC), the others moderate, so that C is accumulated over several KC blocks, A is packed
   * in several MC blocks, or B in several NC panels.
   */
  static Gen<Case> blockCases(Kind kind) {
    MatmulKernels.Blocking bl = kind.blocking();
    return in -> {
      Draw d = TensorGens.draw(in);
      int m = d.intBetween(9, 40), n = d.intBetween(9, 40), k = d.intBetween(9, 40);
      switch (d.intBetween(0, 2)) {
        case 0 -> k = d.oneOf(bl.kc() - 1, bl.kc() + 1, 2 * bl.kc() + d.intBetween(1, 5));
        case 1 -> m = d.oneOf(bl.mc() - 1, bl.mc() + 1, bl.mc() + bl.mr() + 1);
        default -> {
          n = bl.nc() + d.intBetween(1, 2 * bl.nr() + 1);
          k = d.intBetween(1, 12);
        }
      }
      return new Case(m, n, k, d.intBetween(0, 9), d.intBetween(0, 9), d.intBetween(0, 9),
          pad(d), pad(d), pad(d), d.between(0, 3) == 0, d.between(0, 1L << 48));
    };
  }

  static Gen<Post> posts() {
    return in -> {
      Draw d = TensorGens.draw(in);
      Epilogue.Activation[] acts = Epilogue.Activation.values();
      return new Post(d.between(0, 3) > 0, d.intBetween(0, 5),
          acts[d.intBetween(0, acts.length - 1)]);
    };
  }

  /** One of m, n, k is 4097 or up to 5000 (long loops, long rows), the others small. */
  static Gen<Case> longCases() {
    return in -> {
      Draw d = TensorGens.draw(in);
      int which = d.intBetween(0, 2);
      int big = d.between(0, 1) == 0 ? 4097 : d.intBetween(1000, 5000);
      int[] dims = {d.intBetween(0, 6), d.intBetween(0, 6), d.intBetween(0, 6)};
      dims[which] = big;
      return new Case(dims[0], dims[1], dims[2], d.intBetween(0, 9), d.intBetween(0, 9),
          d.intBetween(0, 9), pad(d), pad(d), pad(d), d.between(0, 3) == 0, d.between(0, 1L << 48));
    };
  }

  static Gen<Case> cases(int lanes) {
    return in -> {
      Draw d = TensorGens.draw(in);
      return new Case(dim(d, lanes), dim(d, lanes), dim(d, lanes),
          d.intBetween(0, 9), d.intBetween(0, 9), d.intBetween(0, 9),
          pad(d), pad(d), pad(d), d.between(0, 3) == 0, d.between(0, 1L << 48));
    };
  }

  private static int dim(Draw d, int lanes) {
    int[] picks = {0, 1, 2, 3, 4, 5, 7, lanes - 1, lanes, lanes + 1, 2 * lanes + 3,
        3 * lanes - 1, 3 * lanes, 3 * lanes + 1, 6 * lanes + 5};
    int i = d.intBetween(0, picks.length + 3); // the last 4 choices: anything up to MAX
    int v = i >= picks.length ? d.intBetween(0, MAX) : picks[i];
    return Math.max(0, Math.min(v, MAX));
  }

  private static int pad(Draw d) {
    return d.between(0, 2) == 0 ? 0 : d.intBetween(1, 7);
  }

  private static void check(Kind kind, boolean ta, boolean tb, Case c) {
    check(kind, ta, tb, c, Post.NONE);
  }

  private static void check(Kind kind, boolean ta, boolean tb, Case c, Post post) {
    int rowsA = ta ? c.k() : c.m(), colsA = ta ? c.m() : c.k(), lda = colsA + c.padA();
    int rowsB = tb ? c.n() : c.k(), colsB = tb ? c.k() : c.n(), ldb = colsB + c.padB();
    int ldc = c.n() + c.padC();
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment a = random(kind, r, c.ao() + (long) rowsA * lda + 3);
    MemorySegment b = random(kind, r, c.bo() + (long) rowsB * ldb + 3);
    MemorySegment bias = post.bias() ? random(kind, r, post.biasOffset() + c.n() + 2) : null;
    long cSize = c.co() + (long) c.m() * ldc + 5;
    MemorySegment want = filled(kind, cSize), got;
    gemm(kind, true, ta, tb, c, a, lda, b, ldb, want, ldc, epilogue(post, bias));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ka = a, kb = b, kc = filled(kind, cSize), kbias = bias;
      if (c.offHeap()) {
        ka = arena.allocate(a.byteSize(), 64).copyFrom(a);
        kb = arena.allocate(b.byteSize(), 64).copyFrom(b);
        kc = arena.allocate(kc.byteSize(), 64).copyFrom(kc);
        kbias = bias == null ? null : arena.allocate(bias.byteSize(), 64).copyFrom(bias);
      }
      gemm(kind, false, ta, tb, c, ka, lda, kb, ldb, kc, ldc, epilogue(post, kbias));
      got = alloc(kind, cSize).copyFrom(kc);
    }
    double[] w = window(kind, want, c, ldc), g = window(kind, got, c, ldc);
    double[] s = MatmulBound.sumAbs(dense(kind, a, c.ao(), rowsA, colsA, lda),
        dense(kind, b, c.bo(), rowsB, colsB, ldb), ta, tb, c.m(), c.n(), c.k());
    String what = kind + " " + c + (post == Post.NONE ? "" : " " + post);
    if (post == Post.NONE) {
      MatmulBound.check(w, g, s, c.k(), kind.eps, kind.tiny, what);
    } else {
      checkPost(kind, w, g, s, c, post, bias, what);
    }
    for (long i = 0; i < cSize; i++) {
      long at = i - c.co();
      boolean inside = ldc > 0 && at >= 0 && at / ldc < c.m() && at % ldc < c.n();
      if (!inside && get(kind, got, i) != SENTINEL) {
        throw new AssertionError("kernel wrote outside the window at element " + i + ": " + c);
      }
    }
  }

  private static Epilogue epilogue(Post post, MemorySegment bias) {
    return post.bias()
        ? Epilogue.of(bias, post.biasOffset(), post.activation())
        : Epilogue.activation(post.activation());
  }

  /**
   * After an epilogue the two sides differ by the product's bound, plus the rounding of the bias
   * add, carried through the activation (whose slope is at most about 1.13, GELU's), plus the
   * vector activation's own error (a few ulps, see {@code UnaryOp}); NaN only where the twin has
   * one.
   */
  private static void checkPost(Kind kind, double[] want, double[] got, double[] s, Case c,
      Post post, MemorySegment bias, String what) {
    for (int i = 0; i < want.length; i++) {
      int j = i % c.n();
      double beta = post.bias() ? Math.abs(get(kind, bias, post.biasOffset() + j)) : 0;
      double pre = MatmulBound.limit(c.k(), kind.eps, s[i], kind.tiny)
          + 2 * kind.eps * (s[i] + beta);
      double lim = 1.2 * pre + 16 * kind.eps * Math.abs(want[i]) + 4 * kind.tiny;
      boolean same = Double.compare(want[i], got[i]) == 0
          || (Double.isNaN(want[i]) && Double.isNaN(got[i]));
      if (!same && !(Math.abs(want[i] - got[i]) <= lim)) {
        throw new AssertionError(String.format(
            "%s: at element %d of %d: expected %s but was %s (|diff| %.3g > bound %.3g)",
            what, i, want.length, want[i], got[i], Math.abs(want[i] - got[i]), lim));
      }
    }
  }

  private static void gemm(Kind kind, boolean scalar, boolean ta, boolean tb, Case c,
      MemorySegment a, int lda, MemorySegment b, int ldb, MemorySegment out, int ldc,
      Epilogue ep) {
    int m = c.m(), n = c.n(), k = c.k();
    boolean plain = ep.isNone();
    switch (kind) {
      case F32 -> {
        if (scalar) {
          MatmulScalar.f32(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc, ep);
        } else if (plain) { // the original overload, which must still work
          MatmulKernels.f32(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
        } else {
          MatmulKernels.f32(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc,
              ep);
        }
      }
      case F64 -> {
        if (scalar) {
          MatmulScalar.f64(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc, ep);
        } else if (plain) {
          MatmulKernels.f64(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
        } else {
          MatmulKernels.f64(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc,
              ep);
        }
      }
      case I32 -> {
        if (scalar) {
          MatmulScalar.i32(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
        } else {
          MatmulKernels.i32(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
        }
      }
    }
  }

  // ---------------------------------------------------------------- memory helpers

  private static MemorySegment alloc(Kind kind, long n) {
    return switch (kind) {
      case F32 -> MemorySegment.ofArray(new float[(int) n]);
      case F64 -> MemorySegment.ofArray(new double[(int) n]);
      case I32 -> MemorySegment.ofArray(new int[(int) n]);
    };
  }

  /** Values in [-1, 1) (INT32: any int, so products overflow and wrap). */
  private static MemorySegment random(Kind kind, SplittableRandom r, long n) {
    MemorySegment s = alloc(kind, n);
    for (long i = 0; i < n; i++) {
      switch (kind) {
        case F32 -> s.setAtIndex(JAVA_FLOAT, i, (float) r.nextDouble(-1, 1));
        case F64 -> s.setAtIndex(JAVA_DOUBLE, i, r.nextDouble(-1, 1));
        case I32 -> s.setAtIndex(JAVA_INT, i, r.nextInt());
      }
    }
    return s;
  }

  private static MemorySegment filled(Kind kind, long n) {
    MemorySegment s = alloc(kind, n);
    for (long i = 0; i < n; i++) {
      switch (kind) {
        case F32 -> s.setAtIndex(JAVA_FLOAT, i, (float) SENTINEL);
        case F64 -> s.setAtIndex(JAVA_DOUBLE, i, SENTINEL);
        case I32 -> s.setAtIndex(JAVA_INT, i, (int) SENTINEL);
      }
    }
    return s;
  }

  private static double get(Kind kind, MemorySegment s, long i) {
    return switch (kind) {
      case F32 -> s.getAtIndex(JAVA_FLOAT, i);
      case F64 -> s.getAtIndex(JAVA_DOUBLE, i);
      case I32 -> s.getAtIndex(JAVA_INT, i);
    };
  }

  /** A rows x cols matrix stored from {@code off} with leading dimension ld, densely. */
  private static double[] dense(Kind kind, MemorySegment s, int off, int rows, int cols, int ld) {
    double[] d = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[i * cols + j] = get(kind, s, off + (long) i * ld + j);
      }
    }
    return d;
  }

  private static double[] window(Kind kind, MemorySegment s, Case c, int ldc) {
    return dense(kind, s, c.co(), c.m(), c.n(), ldc);
  }
}
