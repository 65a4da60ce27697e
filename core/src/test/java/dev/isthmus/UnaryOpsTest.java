package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import dev.isthmus.kernels.UnaryOp;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Values, dtypes, shapes and errors of every elementwise unary op. Expected values of the
 * transcendental ops are 50-digit references rounded to double (mpmath), checked in ulps.
 */
class UnaryOpsTest {
  /** One op as the two public entry points reach it. */
  record Op(String tfName, Function<Tensor, Tensor> ops, Function<Tensor, Tensor> method,
      boolean integers) {}

  static final List<Op> ALL = List.of(
      new Op("Neg", Ops::neg, Tensor::neg, true),
      new Op("Abs", Ops::abs, Tensor::abs, true),
      new Op("Sign", Ops::sign, Tensor::sign, true),
      new Op("Exp", Ops::exp, Tensor::exp, false),
      new Op("Expm1", Ops::expm1, Tensor::expm1, false),
      new Op("Log", Ops::log, Tensor::log, false),
      new Op("Log1p", Ops::log1p, Tensor::log1p, false),
      new Op("Sqrt", Ops::sqrt, Tensor::sqrt, false),
      new Op("Rsqrt", Ops::rsqrt, Tensor::rsqrt, false),
      new Op("Square", Ops::square, Tensor::square, true),
      new Op("Reciprocal", Ops::reciprocal, Tensor::reciprocal, false),
      new Op("Sin", Ops::sin, Tensor::sin, false),
      new Op("Cos", Ops::cos, Tensor::cos, false),
      new Op("Atan", Ops::atan, Tensor::atan, false),
      new Op("Tanh", Ops::tanh, Tensor::tanh, false),
      new Op("Sigmoid", Ops::sigmoid, Tensor::sigmoid, false),
      new Op("Relu", Ops::relu, Tensor::relu, true),
      new Op("Relu6", Ops::relu6, Tensor::relu6, true),
      new Op("Elu", Ops::elu, Tensor::elu, false),
      new Op("Gelu", Ops::gelu, Tensor::gelu, false),
      new Op("Gelu", x -> Ops.gelu(x, true), x -> x.gelu(true), false),
      new Op("Softplus", Ops::softplus, Tensor::softplus, false),
      new Op("Floor", Ops::floor, Tensor::floor, false),
      new Op("Ceil", Ops::ceil, Tensor::ceil, false),
      new Op("Round", Ops::round, Tensor::round, true));

  // ---------------------------------------------------------------- values

  /**
   * Runs {@code name} on xs tiled 5 times (so the vector loops run, not only the scalar tail), in
   * float32 and float64, against references: float64 within 8 ulps, float32 within 4.
   */
  private static void check(String name, double[] xs, double[] want) {
    Op op = ALL.stream().filter(o -> o.tfName.equals(name.equals("geluTanh") ? "Gelu" : name))
        .skip(name.equals("geluTanh") ? 1 : 0).findFirst().orElseThrow();
    int k = xs.length;
    double[] xd = new double[5 * k];
    float[] xf = new float[5 * k];
    for (int i = 0; i < xd.length; i++) {
      xd[i] = xs[i % k];
      xf[i] = (float) xs[i % k];
    }
    double[] gd = op.ops.apply(Tensor.of(xd, 5, k)).toDoubleArray();
    float[] gf = op.ops.apply(Tensor.of(xf, 5, k)).toFloatArray();
    for (int i = 0; i < xd.length; i++) {
      double w = want[i % k];
      if (ulps(w, gd[i]) > 8) {
        fail(name + "(" + xd[i] + ") float64: expected " + w + " but was " + gd[i]);
      }
      if (ulps((float) w, gf[i]) > 4) {
        fail(name + "(" + xf[i] + ") float32: expected " + (float) w + " but was " + gf[i]);
      }
    }
  }

  private static long ulps(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
    }
    long x = Double.doubleToLongBits(a), y = Double.doubleToLongBits(b);
    x = x < 0 ? Long.MIN_VALUE - x : x;
    y = y < 0 ? Long.MIN_VALUE - y : y;
    return Math.abs(x - y);
  }

  private static long ulps(float a, float b) {
    return Float.isNaN(a) || Float.isNaN(b) ? ulps((double) a, (double) b)
        : Math.abs(key(a) - key(b));
  }

  private static long key(float f) {
    long x = Float.floatToIntBits(f);
    return x < 0 ? Integer.MIN_VALUE - x : x;
  }

  @Test
  void transcendentalValues() {
    check("Exp", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {0.0301973834223185, 0.0820849986238988, 0.36787944117144233,
          0.6065306597126334, 1.0, 1.2840254166877414, 1.6487212707001282, 2.718281828459045,
          12.182493960703473, 1096.6331584284585});
    check("Expm1", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0, 1e-10},
        new double[] {-0.9698026165776815, -0.9179150013761012, -0.6321205588285577,
          -0.3934693402873666, 0.0, 0.2840254166877415, 0.6487212707001282, 1.7182818284590453,
          11.182493960703473, 1095.6331584284585, 1.00000000005e-10});
    check("Log", new double[] {0.125, 0.5, 1.0, 2.0, 3.75, 10.0, 100.0},
        new double[] {-2.0794415416798357, -0.6931471805599453, 0.0, 0.6931471805599453,
          1.3217558399823195, 2.302585092994046, 4.605170185988092});
    check("Log1p", new double[] {-0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {-0.6931471805599453, 0.0, 0.22314355131420976, 0.4054651081081644,
          0.6931471805599453, 1.252762968495368, 2.0794415416798357});
    check("Sqrt", new double[] {0.0, 0.125, 0.5, 1.0, 2.0, 3.75, 10.0, 100.0},
        new double[] {0.0, 0.3535533905932738, 0.7071067811865476, 1.0, 1.4142135623730951,
          1.9364916731037085, 3.1622776601683795, 10.0});
    check("Rsqrt", new double[] {0.125, 0.5, 1.0, 2.0, 3.75, 10.0, 100.0},
        new double[] {2.8284271247461903, 1.4142135623730951, 1.0, 0.7071067811865476,
          0.5163977794943223, 0.31622776601683794, 0.1});
    check("Reciprocal", new double[] {-3.5, -2.5, -1.0, -0.5, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {-0.2857142857142857, -0.4, -1.0, -2.0, 4.0, 2.0, 1.0, 0.4,
          0.14285714285714285});
    check("Sin", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {0.35078322768961984, -0.5984721441039565, -0.8414709848078965,
          -0.479425538604203, 0.0, 0.24740395925452294, 0.479425538604203, 0.8414709848078965,
          0.5984721441039565, 0.6569865987187891});
    check("Cos", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {-0.9364566872907963, -0.8011436155469337, 0.5403023058681398,
          0.8775825618903728, 1.0, 0.9689124217106447, 0.8775825618903728, 0.5403023058681398,
          -0.8011436155469337, 0.7539022543433046});
    check("Atan", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0, 1e-10,
      1e10},
        new double[] {-1.2924966677897853, -1.1902899496825317, -0.7853981633974483,
          -0.4636476090008061, -0.0, 0.24497866312686414, 0.4636476090008061,
          0.7853981633974483, 1.1902899496825317, 1.4288992721907328, 1e-10,
          1.5707963266948965});
    check("Tanh", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {-0.9981778976111987, -0.9866142981514303, -0.7615941559557649,
          -0.46211715726000974, 0.0, 0.24491866240370913, 0.46211715726000974,
          0.7615941559557649, 0.9866142981514303, 0.9999983369439447});
  }

  @Test
  void activationValues() {
    check("Sigmoid", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {0.02931223075135632, 0.07585818002124355, 0.2689414213699951,
          0.37754066879814546, 0.5, 0.5621765008857981, 0.6224593312018546, 0.7310585786300049,
          0.9241418199787564, 0.9990889488055994});
    check("Elu", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {-0.9698026165776815, -0.9179150013761012, -0.6321205588285577,
          -0.3934693402873666, 0.0, 0.25, 0.5, 1.0, 2.5, 7.0});
    check("Gelu", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {-0.0008142017766243376, -0.015524163314440337, -0.15865525393145705,
          -0.15426876936299344, 0.0, 0.14967658142073093, 0.34573123063700656,
          0.8413447460685429, 2.4844758366855597, 6.999999999991041});
    check("geluTanh", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {-0.0006161976553736633, -0.015084266089998582, -0.1588080093917233,
          -0.15428599017485609, 0.0, 0.149675350701685, 0.34571400982514394,
          0.8411919906082767, 2.484915733910001, 6.999999999999997});
    check("Softplus", new double[] {-3.5, -2.5, -1.0, -0.5, -0.0, 0.25, 0.5, 1.0, 2.5, 7.0},
        new double[] {0.029750418272620566, 0.07888973429254963, 0.3132616875182228,
          0.4740769841801067, 0.6931471805599453, 0.8259394198788436, 0.9740769841801067,
          1.3132616875182228, 2.5788897342925496, 7.000911466453775});
  }

  /** Bit-exact float64 results, tiled so the vector loops run. */
  private static void exact(Function<Tensor, Tensor> f, double[] xs, double[] want) {
    int k = xs.length;
    double[] x = new double[8 * k];
    double[] w = new double[8 * k];
    float[] xf = new float[8 * k];
    float[] wf = new float[8 * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = xs[i % k];
      w[i] = want[i % k];
      xf[i] = (float) x[i];
      wf[i] = (float) w[i];
    }
    assertArrayEquals(w, f.apply(Tensor.of(x)).toDoubleArray(), 0.0);
    assertEquals(Arrays.toString(w), Arrays.toString(f.apply(Tensor.of(x)).toDoubleArray()));
    assertEquals(Arrays.toString(wf), Arrays.toString(f.apply(Tensor.of(xf)).toFloatArray()));
  }

  static final double NAN = Double.NaN;
  static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void elementaryValuesAndSpecialCases() {
    exact(Ops::neg, new double[] {1.5, -2, 0.0, -0.0, INF, NAN},
        new double[] {-1.5, 2, -0.0, 0.0, -INF, NAN});
    exact(Ops::abs, new double[] {1.5, -2, -0.0, -INF, NAN}, new double[] {1.5, 2, 0.0, INF, NAN});
    exact(Ops::sign, new double[] {3, -0.25, 0.0, -0.0, -INF, INF, NAN, 1e-40},
        new double[] {1, -1, 0.0, 0.0, -1, 1, NAN, 1});
    exact(Ops::square, new double[] {3, -0.5, -0.0, -INF, 1e200},
        new double[] {9, 0.25, 0.0, INF, INF});
    exact(Ops::reciprocal, new double[] {4, -0.5, 0.0, -0.0, INF, NAN},
        new double[] {0.25, -2, INF, -INF, 0.0, NAN});
    exact(Ops::sqrt, new double[] {4, -1, -0.0, INF, -INF, NAN},
        new double[] {2, NAN, -0.0, INF, NAN, NAN});
    exact(Ops::rsqrt, new double[] {4, 0.0, -1, INF}, new double[] {0.5, INF, NAN, 0.0});
    exact(Ops::log, new double[] {1, 0.0, -0.0, -1, INF, -INF},
        new double[] {0.0, -INF, -INF, NAN, INF, NAN});
    exact(Ops::log1p, new double[] {0.0, -1, -2, INF}, new double[] {0.0, -INF, NAN, INF});
    exact(Ops::exp, new double[] {-INF, INF, NAN, 0.0, -1000, 1000},
        new double[] {0.0, INF, NAN, 1, 0.0, INF});
    exact(Ops::relu, new double[] {-3, 2.5, -0.0, 0.0, NAN, -INF, INF},
        new double[] {0.0, 2.5, 0.0, 0.0, NAN, 0.0, INF});
    exact(Ops::relu6, new double[] {-3, 2.5, 6, 7, NAN, -INF, INF, -0.0},
        new double[] {0.0, 2.5, 6, 6, NAN, 0.0, 6, 0.0});
    exact(Ops::elu, new double[] {-INF, INF, NAN, -0.0}, new double[] {-1, INF, NAN, -0.0});
    exact(Ops::tanh, new double[] {-INF, INF, NAN, 30}, new double[] {-1, 1, NAN, 1});
    exact(Ops::sin, new double[] {INF, NAN, -0.0}, new double[] {NAN, NAN, -0.0});
    exact(Ops::cos, new double[] {-INF, NAN, 0.0}, new double[] {NAN, NAN, 1});
    exact(Ops::atan, new double[] {-INF, INF, NAN, -0.0, 0.0},
        new double[] {-Math.PI / 2, Math.PI / 2, NAN, -0.0, 0.0});
  }

  @Test
  void stableActivationsNeverOverflowToNaN() {
    exact(Ops::sigmoid, new double[] {-INF, INF, NAN, -1000, 1000, 0.0},
        new double[] {0.0, 1, NAN, 0.0, 1, 0.5});
    exact(Ops::softplus, new double[] {-INF, INF, NAN, -1000, 1000, 800},
        new double[] {0.0, INF, NAN, 0.0, 1000, 800});
    exact(Ops::gelu, new double[] {-INF, INF, NAN, -100, 100},
        new double[] {-0.0, INF, NAN, -0.0, 100});
    exact(x -> Ops.gelu(x, true), new double[] {-INF, INF, NAN, -100, 100},
        new double[] {-0.0, INF, NAN, -0.0, 100});
    // the tails keep their relative accuracy: e^-x for sigmoid and softplus, erfc for gelu
    double e700 = Math.exp(-700);
    double e80 = Math.exp(-80);
    assertEquals(e700, Ops.sigmoid(Tensor.scalar(-700.0)).item(), Math.ulp(e700));
    assertEquals(e80, Ops.softplus(Tensor.scalar(-80.0)).item(), 2 * Math.ulp(e80));
    assertEquals(-7.619853024160526e-23, Ops.gelu(Tensor.scalar(-10.0)).item(), 1e-37);
    float s = Ops.sigmoid(Tensor.scalar(-100f)).toFloatArray()[0];
    assertEquals((float) Math.exp(-100), s, 2 * Math.ulp((float) Math.exp(-100)));
  }

  @Test
  void roundingIsHalfToEvenAndKeepsSignedZeros() {
    exact(Ops::round, new double[] {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.4,
      0x1p52 + 1, 0x1p52 - 0.5, INF, NAN},
        new double[] {0.0, 2, 2, -0.0, -2, -2, 0.0, -0.0, 0x1p52 + 1, 0x1p52, INF, NAN});
    exact(Ops::floor, new double[] {-0.5, 0.5, -0.0, -1, 2.7, -2.7, 1e300, -INF, NAN},
        new double[] {-1, 0.0, -0.0, -1, 2, -3, 1e300, -INF, NAN});
    exact(Ops::ceil, new double[] {-0.5, 0.5, -0.0, -1, 2.7, -2.7, 1e300, INF, NAN},
        new double[] {-0.0, 1, -0.0, -1, 3, -2, 1e300, INF, NAN});
    // float32 ties above 2^22: 2^23 - 0.5 rounds to the even 2^23
    assertArrayEquals(new float[] {0x1p23f, -0x1p23f, 8388606f},
        Ops.round(Tensor.of(0x1p23f - 0.5f, -0x1p23f + 0.5f, 8388606.5f)).toFloatArray());
  }

  @Test
  void integerOps() {
    int min = Integer.MIN_VALUE, max = Integer.MAX_VALUE;
    Tensor x = Tensor.of(new int[] {-7, -1, 0, 1, 3, 6, 7, min, max}, 9);
    assertArrayEquals(new int[] {7, 1, 0, -1, -3, -6, -7, min, -max}, Ops.neg(x).toIntArray());
    assertArrayEquals(new int[] {7, 1, 0, 1, 3, 6, 7, min, max}, Ops.abs(x).toIntArray());
    assertArrayEquals(new int[] {-1, -1, 0, 1, 1, 1, 1, -1, 1}, Ops.sign(x).toIntArray());
    assertArrayEquals(new int[] {49, 1, 0, 1, 9, 36, 49, 0, 1}, Ops.square(x).toIntArray());
    assertArrayEquals(new int[] {0, 0, 0, 1, 3, 6, 7, 0, max}, Ops.relu(x).toIntArray());
    assertArrayEquals(new int[] {0, 0, 0, 1, 3, 6, 6, 0, 6}, Ops.relu6(x).toIntArray());
    assertArrayEquals(x.toIntArray(), Ops.round(x).toIntArray());
    long lmin = Long.MIN_VALUE;
    long[] lv = new long[40]; // long enough for the vector loops
    for (int i = 0; i < lv.length; i++) {
      lv[i] = i % 4 == 0 ? lmin : (i - 20) * 3_000_000_000L;
    }
    Tensor l = Tensor.of(lv, 5, 8);
    long[] neg = Ops.neg(l).toLongArray();
    long[] sign = Ops.sign(l).toLongArray();
    long[] sq = Ops.square(l).toLongArray();
    long[] r6 = Ops.relu6(l).toLongArray();
    for (int i = 0; i < lv.length; i++) {
      assertEquals(-lv[i], neg[i]);
      assertEquals(Long.signum(lv[i]), sign[i]);
      assertEquals(lv[i] * lv[i], sq[i]);
      assertEquals(Math.min(Math.max(lv[i], 0), 6), r6[i]);
    }
    assertArrayEquals(lv, Ops.round(l).toLongArray());
    assertEquals(Shape.of(5, 8), Ops.abs(l).shape());
  }

  // ---------------------------------------------------------------- dtypes and shapes

  private static Tensor sample(DType t, long... dims) {
    int n = Math.toIntExact(Shape.of(dims).size());
    return switch (t) {
      case FLOAT32 -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = 0.75f * (i % 7 - 3);
        }
        yield Tensor.of(v, dims);
      }
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = 0.75 * (i % 7 - 3);
        }
        yield Tensor.of(v, dims);
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = i % 9 - 4;
        }
        yield Tensor.of(v, dims);
      }
      case INT64 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = i % 9 - 4;
        }
        yield Tensor.of(v, dims);
      }
      case BOOL -> Tensor.of(new boolean[n], dims);
    };
  }

  private static String contents(Tensor t) {
    return switch (t.dtype()) {
      case FLOAT32 -> Arrays.toString(t.toFloatArray());
      case FLOAT64 -> Arrays.toString(t.toDoubleArray());
      case INT32 -> Arrays.toString(t.toIntArray());
      case INT64 -> Arrays.toString(t.toLongArray());
      case BOOL -> Arrays.toString(t.toBooleanArray());
    };
  }

  @Test
  void dtypeAndShapeArePreservedAndInputsUntouched() {
    long[][] shapes = {{}, {2, 3, 4}, {2, 0, 3}, {33}};
    for (Op op : ALL) {
      for (DType t : op.integers ? List.of(DType.values()).subList(0, 4)
          : List.of(DType.FLOAT32, DType.FLOAT64)) {
        for (long[] dims : shapes) {
          Tensor x = sample(t, dims);
          String before = contents(x);
          Tensor y = op.ops.apply(x);
          String where = op.tfName + " on " + x.describe();
          assertEquals(t, y.dtype(), where);
          assertEquals(Shape.of(dims), y.shape(), where);
          assertEquals(before, contents(x), where + " wrote into its input");
          assertEquals(contents(y), contents(op.method.apply(x)), where + ": Tensor vs Ops");
          if (op.tfName.equals("Neg") && x.size() > 0) {
            assertNotEquals(before, contents(y), where);
          }
        }
      }
    }
  }

  @Test
  void unsupportedDTypesAreRejectedNamingWhatIsExpected() {
    for (Op op : ALL) {
      List<DType> bad = op.integers ? List.of(DType.BOOL)
          : List.of(DType.INT32, DType.INT64, DType.BOOL);
      String expected = op.integers ? "expected dtype float32, float64, int32 or int64"
          : "expected dtype float32 or float64";
      for (DType t : bad) {
        Tensor x = sample(t, 2);
        var e = assertThrows(InvalidArgumentException.class, () -> op.ops.apply(x), op.tfName);
        String want = op.tfName + ": " + expected + "; got x: " + t.numpyName() + "[2]";
        assertTrue(e.getMessage().startsWith(want), e.getMessage() + " / expected " + want);
        assertThrows(InvalidArgumentException.class, () -> op.method.apply(x));
      }
    }
    var e = assertThrows(InvalidArgumentException.class, () -> Ops.gelu(Tensor.of(1, 2), true));
    assertEquals(
        "Gelu: expected dtype float32 or float64; got x: int32[2], attrs {approximate=true}",
        e.getMessage());
  }

  @Test
  void declarationsAreRegisteredElementwiseWithTheirKernelOperator() {
    for (Op op : ALL) {
      OpDef d = OpRegistry.get(op.tfName);
      assertTrue(d.is(OpDef.Flag.ELEMENTWISE), op.tfName);
      assertTrue(d.fusionOp() instanceof UnaryOp, op.tfName);
      assertEquals(List.of("x"), d.inputNames());
    }
    assertSame(UnaryOp.ROUND, OpRegistry.get("Round").fusionOp());
    assertSame(UnaryOp.GELU, OpRegistry.get("Gelu").fusionOp());
  }

  @Test
  void geluApproximateIsAnAttributeThatSelectsTheTanhForm() {
    Tensor x = Tensor.of(-1.0, 1.0);
    assertNotEquals(Ops.gelu(x).toDoubleArray()[0], Ops.gelu(x, true).toDoubleArray()[0]);
    assertArrayEquals(Ops.gelu(x).toDoubleArray(), Ops.gelu(x, false).toDoubleArray(), 0.0);
    assertArrayEquals(x.gelu(true).toDoubleArray(), Ops.gelu(x, true).toDoubleArray(), 0.0);
  }
}
