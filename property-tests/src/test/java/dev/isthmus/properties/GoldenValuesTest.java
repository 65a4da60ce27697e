package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.Tolerance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * isthmus against golden values computed by numpy ({@code golden/gen_golden.py}, committed with
 * the files it wrote; this test never runs Python). One dynamic test per golden case: the case's
 * op name selects a call of the public {@link Ops} method, with the case's attributes; the
 * outputs must match the expected dtype, shape and values within the op's tolerance below.
 *
 * <p>Tolerances. {@code eps} is the dtype's machine epsilon ({@code 2u}, u the unit roundoff).
 * The references are correctly rounded, or nearly: float32 ones are float64 results rounded once,
 * float64 ones are numpy's (measured within 1 ulp for its transcendental functions), math.fsum or
 * math.erfc. So: exact for integers, bools, movement, comparisons, casts, IEEE-rounded arithmetic
 * (add, sub, mul, div, sqrt, square, reciprocal, floor/ceil/round) and reductions that select
 * (max, min, argMax); for transcendental ops, the bound each kernel states against its scalar
 * twin (UnaryOp, BinaryKernelProperties), plus 1 ulp in float32 (the twin and the reference are
 * both rounded once from double) or plus 4 ulps in float64 (StrictMath in the twin and libm-grade
 * references are each within 1 ulp, 2 for composites such as sigmoid); for sums, products,
 * matmul, softmax and linspace, a bound on the rounding error of any evaluation order, scaled by
 * the number of terms.
 */
class GoldenValuesTest {
  private static final List<String> FILES =
      List.of("binary.txt", "reduce.txt", "shape.txt", "matmul.txt", "creation.txt", "unary.txt",
          "nn.txt");

  @FunctionalInterface
  interface Call {
    List<Tensor> run(GoldenFile.Case c);
  }

  @FunctionalInterface
  interface Tol {
    Tolerance of(GoldenFile.Case c, Tensor want);
  }

  record Entry(Call call, Tol tol) {}

  private static final Map<String, Entry> OPS = new HashMap<>();

  @TestFactory
  Stream<DynamicContainer> golden() {
    return FILES.stream().map(f -> {
      List<GoldenFile.Case> cases;
      try {
        cases = GoldenFile.load("/golden/" + f);
      } catch (RuntimeException e) { // one bad file fails one test; the other files still run
        return DynamicContainer.dynamicContainer(f, Stream.of(
            DynamicTest.dynamicTest("read " + f, () -> { throw e; })));
      }
      assertFalse(cases.isEmpty(), f + " holds no cases");
      return DynamicContainer.dynamicContainer(f,
          cases.stream().map(c -> DynamicTest.dynamicTest(c.id, () -> check(c))));
    });
  }

  static void check(GoldenFile.Case c) {
    Entry e = OPS.get(c.op);
    if (e == null) {
      throw new AssertionError(c.where + ": no call for op " + c.op + " in GoldenValuesTest");
    }
    List<Tensor> got;
    try {
      got = e.call().run(c);
    } catch (RuntimeException ex) {
      throw new AssertionError(c.where + ": " + c.id + " threw " + ex, ex);
    }
    assertTrue(c.unread().isEmpty(), c.where + ": attrs not used by the call: " + c.unread());
    assertEquals(c.outputs.size(), got.size(), c.where + ": number of outputs");
    for (int i = 0; i < got.size(); i++) {
      Tensor want = c.outputs.get(i);
      Tolerance tol = want.dtype().isFloating() ? e.tol().of(c, want) : Tolerance.EXACT;
      try {
        TensorAssert.assertClose(want, got.get(i), tol);
      } catch (AssertionError err) {
        throw new AssertionError(c.where + ": " + c.id + ", output " + i + ": "
            + err.getMessage(), err);
      }
    }
  }

  /** The reader keeps every bit: hex floats, signed zeros, NaN, infinities, subnormals. */
  @Test
  void theReaderRoundTripsFloats() {
    List<GoldenFile.Case> cs = GoldenFile.parse("inline", List.of("case x", "op neg",
        "attr axes ints", "attr k float -0x1.8p+1",
        "in float32 [2,2] 0x1.8p+1 -0x0p+0 nan -inf", "in float64 [] 0x0.0000000000001p-1022",
        "out bool [3] 1 0 1", "end"));
    GoldenFile.Case c = cs.get(0);
    assertEquals(-3.0, c.getDouble("k"));
    assertEquals(0, c.getInts("axes").length);
    float[] f = c.in(0).toFloatArray();
    assertEquals(3f, f[0]);
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(f[1]));
    assertTrue(Float.isNaN(f[2]) && f[3] == Float.NEGATIVE_INFINITY);
    assertEquals(Double.MIN_VALUE, c.in(1).item());
    assertThrows(IllegalArgumentException.class, () -> GoldenFile.parse("inline",
        List.of("case y", "op neg", "in float32 [2] 1", "out float32 [1] 1", "end")));
    assertThrows(IllegalArgumentException.class, () -> GoldenFile.parse("inline",
        List.of("case z", "op neg", "in float32 [1] 0x1.0000001p+0", "out float32 [1] 1", "end")));
  }

  // ---------------------------------------------------------------- tolerances

  private static final Tol EXACT = (c, w) -> Tolerance.EXACT;

  private static Tol ulps(long f32, long f64) {
    return (c, w) -> Tolerance.ulps(w.dtype() == DType.FLOAT32 ? f32 : f64);
  }

  /** Transcendental ops: the kernel's stated bound against its twin, plus 1 or 4 (see above). */
  private static Tol transcendental(long bound) {
    return ulps(bound + 1, bound + 4);
  }

  static double eps(DType t) {
    return t == DType.FLOAT32 ? Math.ulp(1f) : Math.ulp(1.0);
  }

  /** The elements of a float tensor, widened. */
  static double[] values(Tensor t) {
    if (t.dtype() == DType.FLOAT32) {
      float[] f = t.toFloatArray();
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    return t.toDoubleArray();
  }

  /** The finite magnitudes of a float tensor; NaN and infinities (which must match exactly) 0. */
  static double[] finiteAbs(Tensor t) {
    double[] v = values(t);
    for (int i = 0; i < v.length; i++) {
      v[i] = Double.isFinite(v[i]) ? Math.abs(v[i]) : 0;
    }
    return v;
  }

  /** The largest {@code sum|x|} over the slices that a reduction over {@code axes} sums. */
  static double maxSliceAbsSum(Tensor x, int[] axes) {
    long[] dims = x.shape().dims();
    boolean[] reduced = new boolean[dims.length];
    for (int a : axes) {
      reduced[a < 0 ? a + dims.length : a] = true;
    }
    double[] v = finiteAbs(x);
    java.util.Map<Long, Double> sums = new HashMap<>();
    for (int i = 0; i < v.length; i++) {
      long rest = i, out = 0, stride = 1; // the output index of element i
      for (int d = dims.length - 1; d >= 0; d--) {
        long coord = rest % dims[d];
        rest /= dims[d];
        if (axes.length > 0 && !reduced[d]) {
          out += coord * stride;
          stride *= dims[d];
        }
      }
      sums.merge(out, v[i], Double::sum);
    }
    return sums.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  /**
   * The largest {@code S = sum_p |op(a)_ip op(b)_pj|} of a batched product whose output has
   * dimensions {@code out}; batch dimensions broadcast as numpy's.
   */
  static double maxDotAbs(Tensor a, Tensor b, boolean ta, boolean tb, long[] out) {
    double[] x = finiteAbs(a), y = finiteAbs(b);
    long[] ad = a.shape().dims(), bd = b.shape().dims();
    int m = (int) out[out.length - 2], n = (int) out[out.length - 1];
    int k = (int) ad[ad.length - (ta ? 2 : 1)];
    long batches = 1;
    for (int d = 0; d < out.length - 2; d++) {
      batches *= out[d];
    }
    double max = 0;
    for (long t = 0; t < batches; t++) {
      int ao = (int) batchIndex(t, out, ad) * m * k, bo = (int) batchIndex(t, out, bd) * k * n;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += x[ao + (ta ? p * m + i : i * k + p)] * y[bo + (tb ? j * k + p : p * n + j)];
          }
          max = Math.max(max, s);
        }
      }
    }
    return max;
  }

  /** The flat batch index, in an operand of dimensions {@code in}, of output batch {@code t}. */
  private static long batchIndex(long t, long[] out, long[] in) {
    long index = 0, stride = 1;
    for (int d = out.length - 3, e = in.length - 3; d >= 0; d--, e--) {
      long coord = t % out[d];
      t /= out[d];
      if (e >= 0) {
        index += (in[e] == 1 ? 0 : coord) * stride;
        stride *= in[e];
      }
    }
    return index;
  }

  /**
   * Sums: any order of the n - 1 additions errs by at most {@code (n-1) u sum|x|} (Higham,
   * Accuracy and Stability, 4.2), n the number of reduced elements and the sum of magnitudes over
   * the reduced slice; the reference's own rounding adds {@code u |sum| <= u sum|x|}, so {@code
   * n u sum|x|}; we allow {@code n eps sum|x|} with the largest slice sum. Means divide that by n
   * and round up to twice more (the kernel's division and the reference's), each within {@code
   * u |mean| <= u sum|x| / n}: {@code (n + 2) eps sum|x| / n}.
   */
  private static Tol sum(boolean mean) {
    return (c, w) -> {
      double n = w.size() == 0 ? 0 : (double) c.in(0).size() / w.size();
      double s = eps(w.dtype()) * maxSliceAbsSum(c.in(0), c.getInts("axes"));
      return Tolerance.ulps(1).orAbs(mean ? (n + 2) * s / n : n * s);
    };
  }

  /** Products: n - 1 roundings, each relative: {@code (n-1) u}, doubled for the reference. */
  private static final Tol PROD = (c, w) -> {
    double n = w.size() == 0 ? 0 : (double) c.in(0).size() / w.size();
    return Tolerance.ulps(1).orRel(n * eps(w.dtype()));
  };

  /**
   * Matmul: each element is a k-term dot product, so (as for sums) within {@code k u S} for any
   * order, with or without FMA, where {@code S = sum_p |a_ip b_pj|}; the reference (math.fsum of
   * the products) adds {@code u S}. We allow {@code 2 k eps S} with the largest S, as
   * MatmulBound does.
   */
  private static final Tol MATMUL = (c, w) -> {
    boolean ta = c.getBool("transposeA");
    long k = c.in(0).shape().dims()[c.in(0).rank() - (ta ? 2 : 1)];
    double s = maxDotAbs(c.in(0), c.in(1), ta, c.getBool("transposeB"), w.shape().dims());
    return Tolerance.ulps(1).orAbs(2.0 * k * eps(w.dtype()) * s);
  };

  /**
   * Softmax: {@code p = exp(d) / S} with {@code d = x - max}. The subtraction errs by {@code u|d|}
   * (exact within a factor of 2), which exp turns into a relative error {@code u|d|}; exp, the
   * n-term sum and the division add about {@code (n + 4) u}. As {@code |d| <= ln(1/p) + ln n},
   * every output with {@code p >= pmin} (the smallest nonzero expected) is within relative
   * {@code (n + 6 + ln(1/pmin)) u}; the float64 reference carries the same error, hence eps.
   */
  private static final Tol SOFTMAX = (c, w) -> {
    long n = axisLength(c);
    double pmin = 1;
    for (double p : values(w)) {
      pmin = p > 0 ? Math.min(pmin, p) : pmin;
    }
    return Tolerance.ulps(2).orRel((n + 6 + Math.log(1 / pmin)) * eps(w.dtype()));
  };

  /**
   * Log-softmax: {@code out = d - ln S} errs by {@code u|d| + u|ln S| + (n + 2) u + u|out|} with
   * {@code |d| <= |out| + ln n}: at most {@code 2u|out| + (n + 3 + 2 ln n) u}, within the larger
   * of twice either term; doubled again for the float64 reference's own error.
   */
  private static final Tol LOG_SOFTMAX = (c, w) -> {
    long n = axisLength(c);
    double e = eps(w.dtype());
    return Tolerance.rel(4 * e).orAbs(2 * (n + 3 + 2 * Math.log(n)) * e);
  };

  private static long axisLength(GoldenFile.Case c) {
    Tensor x = c.in(0);
    int axis = c.getInt("axis");
    return x.shape().dims()[axis < 0 ? axis + x.rank() : axis];
  }

  /**
   * Convolutions: each output is a dot product of {@code k} terms ({@code kH * kW * C} for
   * conv2d, {@code kH * kW} for depthwise), so as for matmul we allow {@code 2 k eps S}, with
   * {@code S} the largest sum of the terms' magnitudes: the same convolution of {@code |x|} and
   * {@code |w|}, in float64.
   */
  private static Tol conv(boolean depthwise) {
    return (c, w) -> {
      Tensor x = Ops.cast(Ops.abs(c.in(0)), DType.FLOAT64);
      Tensor f = Ops.cast(Ops.abs(c.in(1)), DType.FLOAT64);
      Tensor s = depthwise
          ? Ops.depthwiseConv2d(x, f, c.getInts("strides"), c.getString("padding"),
              c.getInts("dilations"))
          : Ops.conv2d(x, f, c.getInts("strides"), c.getString("padding"),
              c.getInts("dilations"));
      long[] fd = c.in(1).shape().dims();
      long k = fd[0] * fd[1] * (depthwise ? 1 : fd[2]);
      double smax = s.size() == 0 ? 0 : Ops.reduceMax(s, false).item();
      return Tolerance.ulps(1).orAbs(2.0 * k * eps(w.dtype()) * smax);
    };
  }

  /**
   * Average pooling: a sum of at most {@code kH * kW} elements and one division, as a reduce
   * mean of that many: {@code (n + 2) eps max|x|} with n the window's size.
   */
  private static final Tol AVG_POOL = (c, w) -> {
    int[] k = c.getInts("ksize");
    double n = (double) k[k.length == 4 ? 1 : 0] * k[k.length == 4 ? 2 : 1];
    double max = 0;
    for (double v : finiteAbs(c.in(0))) {
      max = Math.max(max, v);
    }
    return Tolerance.ulps(1).orAbs((n + 2) * eps(w.dtype()) * max);
  };

  /**
   * Linspace: step = (stop - start) / (num - 1) errs by 2u relative, {@code i * step} adds u and
   * the sum u of the result: within {@code 4u (|start| + |stop|)}; doubled for the reference.
   */
  private static final Tol LINSPACE = (c, w) -> Tolerance.ulps(1).orAbs(
      4 * eps(w.dtype()) * (Math.abs(c.getDouble("start")) + Math.abs(c.getDouble("stop"))));

  // ---------------------------------------------------------------- the calls

  private static void op(String name, Tol tol, Call call) {
    if (OPS.put(name, new Entry(call, tol)) != null) {
      throw new IllegalStateException("op " + name + " twice");
    }
  }

  private static void one(String name, Tol tol, Function<GoldenFile.Case, Tensor> f) {
    op(name, tol, c -> List.of(f.apply(c)));
  }

  private static void unary(String name, Tol tol, UnaryOperator<Tensor> f) {
    one(name, tol, c -> f.apply(c.in(0)));
  }

  private static void binary(String name, Tol tol, java.util.function.BinaryOperator<Tensor> f) {
    one(name, tol, c -> f.apply(c.in(0), c.in(1)));
  }

  private static Tensor[] all(GoldenFile.Case c) {
    return c.inputs.toArray(new Tensor[0]);
  }

  private static long[][] paddings(GoldenFile.Case c) {
    long[] flat = c.getLongs("paddings");
    long[][] p = new long[flat.length / 2][];
    for (int i = 0; i < p.length; i++) {
      p[i] = new long[] {flat[2 * i], flat[2 * i + 1]};
    }
    return p;
  }

  static {
    // binary: IEEE arithmetic is exact; pow and atan2 run the JDK's vector math library, within
    // 4 ulps of Math.pow/Math.atan2 (BinaryKernelProperties), which are within 2 of the truth.
    binary("add", EXACT, Ops::add);
    binary("sub", EXACT, Ops::sub);
    binary("mul", EXACT, Ops::mul);
    binary("div", EXACT, Ops::div);
    binary("floorDiv", EXACT, Ops::floorDiv);
    binary("floorMod", EXACT, Ops::floorMod);
    binary("pow", ulps(5, 7), Ops::pow);
    binary("atan2", ulps(5, 7), Ops::atan2);
    binary("maximum", EXACT, Ops::maximum);
    binary("minimum", EXACT, Ops::minimum);
    binary("squaredDifference", EXACT, Ops::squaredDifference);
    binary("equal", EXACT, Ops::equal);
    binary("notEqual", EXACT, Ops::notEqual);
    binary("less", EXACT, Ops::less);
    binary("lessEqual", EXACT, Ops::lessEqual);
    binary("greater", EXACT, Ops::greater);
    binary("greaterEqual", EXACT, Ops::greaterEqual);
    binary("logicalAnd", EXACT, Ops::logicalAnd);
    binary("logicalOr", EXACT, Ops::logicalOr);
    unary("logicalNot", EXACT, Ops::logicalNot);
    one("where", EXACT, c -> Ops.where(c.in(0), c.in(1), c.in(2)));
    one("cast", EXACT, c -> Ops.cast(c.in(0), c.getDType("dtype")));
    one("clipByValue", EXACT, c -> Ops.clipByValue(c.in(0), c.in(1), c.in(2)));

    // reductions
    one("reduceSum", sum(false), c -> Ops.reduceSum(c.in(0), c.getBool("keepDims"),
        c.getInts("axes")));
    one("reduceMean", sum(true), c -> Ops.reduceMean(c.in(0), c.getBool("keepDims"),
        c.getInts("axes")));
    one("reduceProd", PROD, c -> Ops.reduceProd(c.in(0), c.getBool("keepDims"),
        c.getInts("axes")));
    one("reduceMax", EXACT, c -> Ops.reduceMax(c.in(0), c.getBool("keepDims"),
        c.getInts("axes")));
    one("reduceMin", EXACT, c -> Ops.reduceMin(c.in(0), c.getBool("keepDims"),
        c.getInts("axes")));
    one("reduceAll", EXACT, c -> Ops.reduceAll(c.in(0), c.getBool("keepDims"),
        c.getInts("axes")));
    one("reduceAny", EXACT, c -> Ops.reduceAny(c.in(0), c.getBool("keepDims"),
        c.getInts("axes")));
    one("argMax", EXACT, c -> Ops.argMax(c.in(0), c.getInt("axis")));
    one("argMin", EXACT, c -> Ops.argMin(c.in(0), c.getInt("axis")));
    one("softmax", SOFTMAX, c -> Ops.softmax(c.in(0), c.getInt("axis")));
    one("logSoftmax", LOG_SOFTMAX, c -> Ops.logSoftmax(c.in(0), c.getInt("axis")));

    // shape and movement: exact
    one("transpose", EXACT, c -> Ops.transpose(c.in(0), c.getInts("perm")));
    one("reshape", EXACT, c -> Ops.reshape(c.in(0), c.getLongs("shape")));
    one("concat", EXACT, c -> Ops.concat(c.getInt("axis"), all(c)));
    one("stack", EXACT, c -> Ops.stack(c.getInt("axis"), all(c)));
    op("split", EXACT, c -> c.has("numSplit")
        ? Ops.split(c.in(0), c.getInt("numSplit"), c.getInt("axis"))
        : Ops.split(c.in(0), c.getLongs("sizeSplits"), c.getInt("axis")));
    one("slice", EXACT, c -> Ops.slice(c.in(0), c.getLongs("begin"), c.getLongs("size")));
    one("stridedSlice", EXACT, c -> Ops.stridedSlice(c.in(0), c.getLongs("begin"),
        c.getLongs("end"), c.getLongs("strides"), c.getInt("beginMask"), c.getInt("endMask"),
        c.getInt("ellipsisMask"), c.getInt("newAxisMask"), c.getInt("shrinkAxisMask")));
    one("gather", EXACT, c -> Ops.gather(c.in(0), c.in(1), c.getInt("axis")));
    one("oneHot", EXACT, c -> c.has("onValue")
        ? Ops.oneHot(c.in(0), c.getInt("depth"), c.getDouble("onValue"), c.getDouble("offValue"),
            c.getInt("axis"), c.getDType("dtype"))
        : Ops.oneHot(c.in(0), c.getInt("depth")));
    one("tile", EXACT, c -> Ops.tile(c.in(0), c.getLongs("multiples")));
    one("broadcastTo", EXACT, c -> Ops.broadcastTo(c.in(0), c.getLongs("shape")));
    one("pad", EXACT, c -> c.has("mode")
        ? Ops.pad(c.in(0), paddings(c), c.getString("mode"))
        : Ops.pad(c.in(0), paddings(c), c.getDouble("constantValue")));

    // matmul
    one("matmul", MATMUL, c -> Ops.matmul(c.in(0), c.in(1), c.getBool("transposeA"),
        c.getBool("transposeB")));

    // convolution and pooling: max pooling selects, so it is exact
    one("conv2d", conv(false), c -> Ops.conv2d(c.in(0), c.in(1), c.getInts("strides"),
        c.getString("padding"), c.getInts("dilations")));
    one("depthwiseConv2d", conv(true), c -> Ops.depthwiseConv2d(c.in(0), c.in(1),
        c.getInts("strides"), c.getString("padding"), c.getInts("dilations")));
    one("maxPool", EXACT, c -> Ops.maxPool(c.in(0), c.getInts("ksize"), c.getInts("strides"),
        c.getString("padding")));
    one("avgPool", AVG_POOL, c -> Ops.avgPool(c.in(0), c.getInts("ksize"), c.getInts("strides"),
        c.getString("padding")));

    // creation: float ranges use dyadic bounds, so every element is exact
    one("range", EXACT, c -> {
      if (c.type("start").equals("int")) {
        long s = c.getLong("start"), l = c.getLong("limit"), d = c.getLong("delta");
        return c.has("dtype") ? Ops.range(s, l, d, c.getDType("dtype")) : Ops.range(s, l, d);
      }
      return Ops.range(c.getDouble("start"), c.getDouble("limit"), c.getDouble("delta"),
          c.getDType("dtype"));
    });
    one("linspace", LINSPACE, c -> Ops.linspace(c.getDouble("start"), c.getDouble("stop"),
        c.getLong("num"), c.getDType("dtype")));

    // unary: the bounds are UnaryOp's (vector kernel against its twin)
    unary("exp", transcendental(2), Ops::exp);
    unary("expm1", transcendental(2), Ops::expm1);
    unary("log", transcendental(2), Ops::log);
    unary("log1p", transcendental(2), Ops::log1p);
    unary("sqrt", EXACT, Ops::sqrt);
    // the kernel rounds twice in float32 (1 ulp), as does the reference's 1/sqrt in float64
    unary("rsqrt", ulps(2, 2), Ops::rsqrt);
    unary("square", EXACT, Ops::square);
    unary("reciprocal", EXACT, Ops::reciprocal);
    unary("sin", transcendental(2), Ops::sin);
    unary("cos", transcendental(2), Ops::cos);
    unary("tanh", transcendental(2), Ops::tanh);
    unary("sigmoid", transcendental(4), Ops::sigmoid);
    unary("relu", EXACT, Ops::relu);
    unary("relu6", EXACT, Ops::relu6);
    unary("elu", transcendental(2), Ops::elu);
    // GELU: the float64 kernel is within 6 ulps of its twin, whose erfc is within 6 of the
    // truth; the reference's math.erfc measured within 2, plus the corrected rounding of x/sqrt2.
    unary("gelu", ulps(2, 16), Ops::gelu);
    unary("softplus", transcendental(4), Ops::softplus);
    unary("floor", EXACT, Ops::floor);
    unary("ceil", EXACT, Ops::ceil);
    unary("round", EXACT, Ops::round);
    unary("sign", EXACT, Ops::sign);
    unary("abs", EXACT, Ops::abs);
    unary("neg", EXACT, Ops::neg);
  }
}
