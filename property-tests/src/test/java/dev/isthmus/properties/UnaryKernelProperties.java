package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.UnaryScalar;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.TensorGens;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * Every unary kernel against its scalar twin, for every dtype it supports: awkward sizes, element
 * offsets on both sides, heap arrays, native memory and other heap segments, and values mixing
 * NaN, ±Inf, ±0, subnormals, huge and tiny magnitudes, half-integers (rounding ties) and
 * near-integers. Exact operators are held bit for bit (signed zeros included); the others to the
 * tolerance {@link UnaryOp} documents.
 */
class UnaryKernelProperties {
  static final int EXAMPLES = 120;
  static final int MAX_SIZE = 5000;

  /** Operators whose vector path must equal the twin bit for bit, in both float dtypes. */
  static boolean exact(UnaryOp op) {
    return switch (op) {
      case NEG, ABS, SIGN, SQRT, SQUARE, RECIPROCAL, RELU, RELU6, FLOOR, CEIL, ROUND -> true;
      default -> false;
    };
  }

  /** The FLOAT32 tolerance of {@link UnaryOp}'s javadoc, in ulps. */
  static long ulps32(UnaryOp op) {
    return switch (op) {
      case RSQRT, GELU, GELU_TANH -> 1;
      case SIGMOID, SOFTPLUS -> 4;
      default -> 2;
    };
  }

  /** The FLOAT64 tolerance of {@link UnaryOp}'s javadoc, in ulps. */
  static long ulps64(UnaryOp op) {
    return switch (op) {
      case RSQRT -> 0;
      case SIGMOID, SOFTPLUS -> 4;
      case GELU -> 6;
      case GELU_TANH -> 8;
      default -> 2;
    };
  }

  static final double[] SPECIALS = {
    Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
    Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MAX_VALUE, Double.MAX_VALUE,
    Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1, -1, 0.5, -0.5,
    1.5, -2.5, 6, 6.5, -6, 0x1p23 - 0.5, 0x1p23 + 1, -0x1p23 + 0.5, 0x1p52 - 0.5, 0x1p52 + 1,
    -0x1p52 - 1, 88.72, -88.72, -103.9, 709.78, -745.1, 27.9, -38.5, 40, -40, 30, -30,
  };

  /** One value of the mixed distribution, in FLOAT32's range or FLOAT64's. */
  static double mixed(Draw d, boolean f32) {
    double sign = d.between(0, 1) == 0 ? 1 : -1;
    return switch (d.intBetween(0, 9)) {
      case 0, 1 -> SPECIALS[d.intBetween(0, SPECIALS.length - 1)];
      case 2, 3, 4 -> d.doubleBetween(-20, 20);
      case 5 -> d.between(-300, 300) + 0.5; // ties
      case 6 -> d.between(-300, 300) + d.doubleBetween(-1e-6, 1e-6);
      case 7 -> sign * d.doubleBetween(1, 2)
          * Math.scalb(1.0, f32 ? d.intBetween(-150, 128) : d.intBetween(-1075, 1024));
      default -> sign * d.doubleBetween(1, 2) * Math.scalb(1.0, d.intBetween(-40, 40));
    };
  }

  /**
   * Inputs at an element offset, where the output goes, and the memory of each side: 0 the
   * dtype's own heap array (the kernels' array fast path), 1 native memory, 2 a long[] heap
   * segment (heap memory the kernels must access as a segment), 3 a slice of the dtype's array
   * that starts a few elements in (the array fast path, with array index != element index).
   */
  record Case<A>(A x, int n, int xo, int yo, int xKind, int yKind) {}

  /** A copy of {@code data} (a float[] or double[] segment) in memory of the given kind. */
  static MemorySegment memory(int kind, MemorySegment data) {
    long size = data.byteSize();
    int elem = data.heapBase().orElseThrow() instanceof float[] ? 4 : 8;
    long skip = kind == 3 ? 3L * elem : 0; // a slice that starts 3 elements into its array
    MemorySegment m = switch (kind) {
      case 0, 3 -> elem == 4
          ? MemorySegment.ofArray(new float[(int) ((skip + size) / 4)])
          : MemorySegment.ofArray(new double[(int) ((skip + size) / 8)]);
      case 1 -> Arena.ofAuto().allocate(size, 8);
      default -> MemorySegment.ofArray(new long[(int) ((size + 7) / 8)]);
    };
    MemorySegment s = m.asSlice(skip, size);
    s.copyFrom(data);
    return s;
  }

  static Gen<Case<float[]>> floats() {
    return in -> {
      Draw d = TensorGens.draw(in);
      int n = (int) Generators.awkwardSize(d, Simd.floatLanes(), MAX_SIZE);
      int xo = d.intBetween(0, 3);
      float[] x = new float[xo + n];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) mixed(d, true);
      }
      return new Case<>(x, n, xo, d.intBetween(0, 3), d.intBetween(0, 3), d.intBetween(0, 3));
    };
  }

  static Gen<Case<double[]>> doubles() {
    return in -> {
      Draw d = TensorGens.draw(in);
      int n = (int) Generators.awkwardSize(d, Simd.doubleLanes(), MAX_SIZE);
      int xo = d.intBetween(0, 3);
      double[] x = new double[xo + n];
      for (int i = 0; i < x.length; i++) {
        x[i] = mixed(d, false);
      }
      return new Case<>(x, n, xo, d.intBetween(0, 3), d.intBetween(0, 3), d.intBetween(0, 3));
    };
  }

  static final float GUARD = 12345.678f;

  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void f32MatchesScalarTwin(UnaryOp op) {
    qt().withExamples(EXAMPLES).forAll(floats()).checkAssert(c -> checkF32(op, c));
  }

  /**
   * The FLOAT32 TANH kernel changes method at |x| = 0.625 (a polynomial below, a quotient of an
   * inline exp above) and clamps |x| at 9.1 (tanh rounds to 1 from 9.011): inputs within a few
   * ulps of those points, of where tanh reaches 1, and runs across them, of both signs, with zeros
   * (whose sign tanh keeps) and NaN, on every kind of memory.
   */
  @Test
  void tanhAroundItsThresholds() {
    float[] points = {0.625f, 9.1f, 9.0109f, 0.1733f, 0.84394556f, 1e-30f, Float.MIN_NORMAL, 20};
    qt().withExamples(EXAMPLES).forAll(in -> {
      Draw d = TensorGens.draw(in);
      int n = (int) Generators.awkwardSize(d, Simd.floatLanes(), 600);
      int xo = d.intBetween(0, 3);
      float[] x = new float[xo + n];
      for (int i = 0; i < x.length; i++) {
        float p = points[d.intBetween(0, points.length - 1)];
        float v = switch (d.intBetween(0, 5)) {
          case 0 -> Float.intBitsToFloat(Float.floatToIntBits(p) + d.intBetween(-40, 40));
          case 1 -> p * (float) d.doubleBetween(0.9, 1.1);
          case 2 -> 0f;
          case 3 -> d.intBetween(0, 20) == 0 ? Float.NaN : (float) d.doubleBetween(0, 12);
          default -> Float.intBitsToFloat(Float.floatToIntBits(p) + d.intBetween(-3, 3));
        };
        x[i] = d.between(0, 1) == 0 ? v : -v;
      }
      return new Case<>(x, n, xo, d.intBetween(0, 3), d.intBetween(0, 3), d.intBetween(0, 3));
    }).checkAssert(c -> {
      checkF32(UnaryOp.TANH, c);
      float[] got = new float[c.n()];
      UnaryKernels.f32(UnaryOp.TANH, MemorySegment.ofArray(c.x()), c.xo(),
          MemorySegment.ofArray(got), 0, c.n());
      for (int i = 0; i < c.n(); i++) {
        float v = c.x()[c.xo() + i];
        if (v == 0 && Float.floatToIntBits(got[i]) != Float.floatToIntBits(v)) {
          throw new AssertionError("tanh(" + v + ") = " + got[i] + ": the zero's sign is lost");
        }
      }
    });
  }

  /**
   * Every float32 in [1/8, 16), where both of TANH's methods and its clamp work (a run of 59M
   * inputs, about a second): a sampled test would miss the rare inputs at the edge of the bound
   * (moving the method switch from 0.625 to 0.3 leaves 2 of 4 billion inputs at 3 ulps).
   */
  @Test
  void tanhOnEveryFloatFromAnEighthTo16() {
    int chunk = 1 << 20;
    float[] x = new float[chunk];
    float[] want = new float[chunk];
    float[] got = new float[chunk];
    int end = Float.floatToIntBits(16f);
    for (int b = Float.floatToIntBits(0.125f); b < end; b += chunk) {
      int n = Math.min(chunk, end - b);
      for (int i = 0; i < n; i++) {
        x[i] = Float.intBitsToFloat(b + i);
        want[i] = (float) Math.tanh(x[i]);
      }
      UnaryKernels.f32(UnaryOp.TANH, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(got), 0, n);
      TensorAssert.assertClose(want, got, Tolerance.ulps(ulps32(UnaryOp.TANH)));
    }
  }

  /** The FLOAT32 kernel against the twin on one case, guards included. */
  static void checkF32(UnaryOp op, Case<float[]> c) {
    float[] want = new float[c.yo() + c.n() + 2];
    float[] got = new float[want.length];
    Arrays.fill(want, GUARD);
    Arrays.fill(got, GUARD);
    MemorySegment x = memory(c.xKind(), MemorySegment.ofArray(c.x()));
    MemorySegment out = memory(c.yKind(), MemorySegment.ofArray(got));
    UnaryScalar.f32(op, x, c.xo(), MemorySegment.ofArray(want), c.yo(), c.n());
    UnaryKernels.f32(op, x, c.xo(), out, c.yo(), c.n());
    MemorySegment.copy(out, JAVA_FLOAT, 0, got, 0, got.length);
    if (exact(op)) {
      // floatToIntBits keeps the sign of zero and folds NaN payloads
      for (int i = 0; i < got.length; i++) {
        if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
          throw new AssertionError(op + " at " + i + " (x = " + input(c.x(), c.xo(), c.yo(), i)
              + "): expected " + want[i] + " but was " + got[i]);
        }
      }
    } else {
      TensorAssert.assertClose(want, got, Tolerance.ulps(ulps32(op)));
    }
  }

  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void f64MatchesScalarTwin(UnaryOp op) {
    qt().withExamples(EXAMPLES).forAll(doubles()).checkAssert(c -> checkF64(op, c));
  }

  /**
   * The FLOAT64 TANH kernel ({@code em/(em + 2)}, {@code em = expm1(2|x|)}) clamps |x| at 20:
   * inputs near there and where tanh reaches 1 (19.06), small and subnormal ones (where em/2 must
   * give x back), zeros of both signs and NaN, on every kind of memory.
   */
  @Test
  void tanh64AroundItsClamp() {
    double[] points = {20, 19.06, 0.2445, 1e-300, Double.MIN_NORMAL, 4.9e-320, 0.625, 3};
    qt().withExamples(EXAMPLES).forAll(in -> {
      Draw d = TensorGens.draw(in);
      int n = (int) Generators.awkwardSize(d, Simd.doubleLanes(), 600);
      int xo = d.intBetween(0, 3);
      double[] x = new double[xo + n];
      for (int i = 0; i < x.length; i++) {
        double p = points[d.intBetween(0, points.length - 1)];
        double v = switch (d.intBetween(0, 4)) {
          case 0 -> Double.longBitsToDouble(Double.doubleToLongBits(p) + d.intBetween(-40, 40));
          case 1 -> p * d.doubleBetween(0.9, 1.1);
          case 2 -> 0.0;
          default -> d.intBetween(0, 20) == 0 ? Double.NaN : d.doubleBetween(0, 25);
        };
        x[i] = d.between(0, 1) == 0 ? v : -v;
      }
      return new Case<>(x, n, xo, d.intBetween(0, 3), d.intBetween(0, 3), d.intBetween(0, 3));
    }).checkAssert(c -> {
      checkF64(UnaryOp.TANH, c);
      double[] got = new double[c.n()];
      UnaryKernels.f64(UnaryOp.TANH, MemorySegment.ofArray(c.x()), c.xo(),
          MemorySegment.ofArray(got), 0, c.n());
      for (int i = 0; i < c.n(); i++) {
        double v = c.x()[c.xo() + i];
        if (v == 0 && Double.doubleToLongBits(got[i]) != Double.doubleToLongBits(v)) {
          throw new AssertionError("tanh(" + v + ") = " + got[i] + ": the zero's sign is lost");
        }
      }
    });
  }

  /** The FLOAT64 kernel against the twin on one case, guards included. */
  static void checkF64(UnaryOp op, Case<double[]> c) {
    double[] want = new double[c.yo() + c.n() + 2];
    double[] got = new double[want.length];
    Arrays.fill(want, GUARD);
    Arrays.fill(got, GUARD);
    MemorySegment x = memory(c.xKind(), MemorySegment.ofArray(c.x()));
    MemorySegment out = memory(c.yKind(), MemorySegment.ofArray(got));
    UnaryScalar.f64(op, x, c.xo(), MemorySegment.ofArray(want), c.yo(), c.n());
    UnaryKernels.f64(op, x, c.xo(), out, c.yo(), c.n());
    MemorySegment.copy(out, JAVA_DOUBLE, 0, got, 0, got.length);
    if (exact(op) || ulps64(op) == 0) {
      for (int i = 0; i < got.length; i++) {
        if (Double.doubleToLongBits(want[i]) != Double.doubleToLongBits(got[i])) {
          throw new AssertionError(op + " at " + i + ": expected " + want[i] + " but was "
              + got[i]);
        }
      }
    } else {
      TensorAssert.assertClose(want, got, Tolerance.ulps(ulps64(op)));
    }
  }

  /**
   * The same comparisons once C2 has compiled the loops: short runs stay in the interpreter,
   * where the Vector API computes lanes with the JDK's Java fallbacks (which are Math's), so only
   * hot loops meet the intrinsics (SVML) whose ulps the tolerances are about. Each pass is checked,
   * before and after compilation.
   */
  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void hotLoopsMatchScalarTwin(UnaryOp op) {
    Draw d = Draw.of(new SplittableRandom(op.ordinal()));
    int n = 16384 + 13;
    float[] xf = new float[n];
    double[] xd = new double[n];
    for (int i = 0; i < n; i++) {
      xf[i] = (float) mixed(d, true);
      xd[i] = mixed(d, false);
    }
    float[] wf = new float[n];
    double[] wd = new double[n];
    UnaryScalar.f32(op, MemorySegment.ofArray(xf), 0, MemorySegment.ofArray(wf), 0, n);
    UnaryScalar.f64(op, MemorySegment.ofArray(xd), 0, MemorySegment.ofArray(wd), 0, n);
    Tolerance t32 = Tolerance.ulps(exact(op) ? 0 : ulps32(op));
    Tolerance t64 = Tolerance.ulps(exact(op) ? 0 : ulps64(op));
    float[] gf = new float[n];
    double[] gd = new double[n];
    for (int pass = 0; pass < 150; pass++) {
      UnaryKernels.f32(op, MemorySegment.ofArray(xf), 0, MemorySegment.ofArray(gf), 0, n);
      UnaryKernels.f64(op, MemorySegment.ofArray(xd), 0, MemorySegment.ofArray(gd), 0, n);
      TensorAssert.assertClose(wf, gf, t32);
      TensorAssert.assertClose(wd, gd, t64);
    }
  }

  private static String input(float[] x, int xo, int yo, int i) {
    int k = i - yo + xo;
    return k >= xo && k < x.length ? String.valueOf(x[k]) : "none: a guard element";
  }

  static Stream<UnaryOp> integralOps() {
    return Stream.of(UnaryOp.values()).filter(UnaryOp::integral);
  }

  static final long[] INT_SPECIALS = {
    0, 1, -1, 5, 6, 7, -6, -7, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1,
    Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 46341, -46341, 3037000500L,
  };

  static long mixedLong(Draw d) {
    return switch (d.intBetween(0, 3)) {
      case 0 -> INT_SPECIALS[d.intBetween(0, INT_SPECIALS.length - 1)];
      case 1 -> d.between(-10, 10);
      case 2 -> d.between(Integer.MIN_VALUE, Integer.MAX_VALUE);
      default -> d.between(Long.MIN_VALUE, Long.MAX_VALUE);
    };
  }

  @ParameterizedTest
  @MethodSource("integralOps")
  void i32MatchesScalarTwin(UnaryOp op) {
    qt().withExamples(EXAMPLES).forAll(in -> {
      Draw d = TensorGens.draw(in);
      int[] x = new int[(int) Generators.awkwardSize(d, Simd.floatLanes(), MAX_SIZE)];
      for (int i = 0; i < x.length; i++) {
        x[i] = (int) mixedLong(d);
      }
      return x;
    }).checkAssert(x -> {
      int[] want = new int[x.length + 1];
      int[] got = new int[x.length + 1];
      Arrays.fill(want, 777);
      Arrays.fill(got, 777);
      UnaryScalar.i32(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(want), 1, x.length);
      UnaryKernels.i32(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(got), 1, x.length);
      if (!Arrays.equals(want, got)) {
        throw new AssertionError(op + ": expected " + Arrays.toString(want) + " but was "
            + Arrays.toString(got));
      }
    });
  }

  @ParameterizedTest
  @MethodSource("integralOps")
  void i64MatchesScalarTwin(UnaryOp op) {
    qt().withExamples(EXAMPLES).forAll(in -> {
      Draw d = TensorGens.draw(in);
      long[] x = new long[(int) Generators.awkwardSize(d, Simd.doubleLanes(), MAX_SIZE)];
      for (int i = 0; i < x.length; i++) {
        x[i] = mixedLong(d);
      }
      return x;
    }).checkAssert(x -> {
      long[] want = new long[x.length + 1];
      long[] got = new long[x.length + 1];
      Arrays.fill(want, 777);
      Arrays.fill(got, 777);
      UnaryScalar.i64(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(want), 1, x.length);
      UnaryKernels.i64(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(got), 1, x.length);
      if (!Arrays.equals(want, got)) {
        throw new AssertionError(op + ": expected " + Arrays.toString(want) + " but was "
            + Arrays.toString(got));
      }
    });
  }

  @Test
  void kernelsStopAtTheEndOfASliceOfAnArray() {
    float[] f = new float[64];
    double[] d = new double[64];
    MemorySegment fs = MemorySegment.ofArray(f).asSlice(4, 32 * Float.BYTES);
    MemorySegment ds = MemorySegment.ofArray(d).asSlice(8, 32 * Double.BYTES);
    for (UnaryOp op : UnaryOp.values()) {
      assertThrows(IndexOutOfBoundsException.class, () -> UnaryKernels.f32(op, fs, 0, fs, 1, 32));
      assertThrows(IndexOutOfBoundsException.class, () -> UnaryKernels.f64(op, ds, 0, ds, 0, 33));
    }
    assertArrayEquals(new float[64], f);
    assertArrayEquals(new double[64], d);
  }

  @Test
  void integerKernelsRefuseNonIntegralOperators() {
    MemorySegment s = MemorySegment.ofArray(new int[4]);
    MemorySegment l = MemorySegment.ofArray(new long[4]);
    for (UnaryOp op : UnaryOp.values()) {
      if (!op.integral()) {
        assertThrows(IllegalArgumentException.class, () -> UnaryKernels.i32(op, s, 0, s, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> UnaryKernels.i64(op, l, 0, l, 0, 4));
      }
    }
  }
}
