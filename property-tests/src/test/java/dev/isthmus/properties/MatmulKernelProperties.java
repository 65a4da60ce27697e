package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.MatmulScalar;
import dev.isthmus.kernels.Simd;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * The GEMM kernels against their scalar twin: awkward m, n, k (0, 1, around the 4-row tile and
 * around 1 and 3 vectors of lanes, random up to 130; or one of them 4097 or so), all four
 * transpose combinations, nonzero offsets, leading dimensions longer than a row, heap and off-heap
 * memory. Floating results must agree within {@link MatmulBound}; INT32 exactly (it wraps, and
 * wrapping sums are associative).
 * Elements of C outside the m x n window must be left alone.
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
  }

  /** One product: sizes, layout padding, memory kind, and a seed for the values. */
  record Case(int m, int n, int k, int ao, int bo, int co, int padA, int padB, int padC,
      boolean offHeap, long seed) {}

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
    int rowsA = ta ? c.k() : c.m(), colsA = ta ? c.m() : c.k(), lda = colsA + c.padA();
    int rowsB = tb ? c.n() : c.k(), colsB = tb ? c.k() : c.n(), ldb = colsB + c.padB();
    int ldc = c.n() + c.padC();
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment a = random(kind, r, c.ao() + (long) rowsA * lda + 3);
    MemorySegment b = random(kind, r, c.bo() + (long) rowsB * ldb + 3);
    long cSize = c.co() + (long) c.m() * ldc + 5;
    MemorySegment want = filled(kind, cSize), got;
    gemm(kind, true, ta, tb, c, a, lda, b, ldb, want, ldc);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ka = a, kb = b, kc = filled(kind, cSize);
      if (c.offHeap()) {
        ka = arena.allocate(a.byteSize(), 64).copyFrom(a);
        kb = arena.allocate(b.byteSize(), 64).copyFrom(b);
        kc = arena.allocate(kc.byteSize(), 64).copyFrom(kc);
      }
      gemm(kind, false, ta, tb, c, ka, lda, kb, ldb, kc, ldc);
      got = alloc(kind, cSize).copyFrom(kc);
    }
    double[] w = window(kind, want, c, ldc), g = window(kind, got, c, ldc);
    double[] s = MatmulBound.sumAbs(dense(kind, a, c.ao(), rowsA, colsA, lda),
        dense(kind, b, c.bo(), rowsB, colsB, ldb), ta, tb, c.m(), c.n(), c.k());
    MatmulBound.check(w, g, s, c.k(), kind.eps, kind.tiny, kind + " " + c);
    for (long i = 0; i < cSize; i++) {
      long at = i - c.co();
      boolean inside = ldc > 0 && at >= 0 && at / ldc < c.m() && at % ldc < c.n();
      if (!inside && get(kind, got, i) != SENTINEL) {
        throw new AssertionError("kernel wrote outside the window at element " + i + ": " + c);
      }
    }
  }

  private static void gemm(Kind kind, boolean scalar, boolean ta, boolean tb, Case c,
      MemorySegment a, int lda, MemorySegment b, int ldb, MemorySegment out, int ldc) {
    int m = c.m(), n = c.n(), k = c.k();
    switch (kind) {
      case F32 -> {
        if (scalar) {
          MatmulScalar.f32(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
        } else {
          MatmulKernels.f32(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
        }
      }
      case F64 -> {
        if (scalar) {
          MatmulScalar.f64(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
        } else {
          MatmulKernels.f64(ta, tb, m, n, k, a, c.ao(), lda, b, c.bo(), ldb, out, c.co(), ldc);
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
