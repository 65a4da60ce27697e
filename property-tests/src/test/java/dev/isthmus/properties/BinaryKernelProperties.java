package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.BinaryScalar;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.TensorGens;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.MemorySegment;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

/**
 * Every binary kernel, dtype and operand form against its scalar twin over awkward sizes and
 * offsets; and the ops' broadcasting against a naive reference that indexes every output element
 * through numpy's rule.
 */
class BinaryKernelProperties {
  private static final DType[] NUMERIC = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64};

  /** One kernel call's operands: form 0 = vv, 1 = vs, 2 = sv. */
  record Case(int form, int n, int ao, int bo, int yo, MemorySegment a, MemorySegment b) {}

  static Gen<Case> cases(DType t) {
    return in -> {
      Draw d = TensorGens.draw(in);
      int n = BinaryTestData.size(d, t);
      int ao = d.intBetween(0, 3), bo = d.intBetween(0, 3), yo = d.intBetween(0, 3);
      return new Case(d.intBetween(0, 2), n, ao, bo, yo,
          BinaryTestData.random(d, t, ao, Math.max(n, 1)),
          BinaryTestData.random(d, t, bo, Math.max(n, 1)));
    };
  }

  /** Runs {@code op} on {@code c} through the facade ({@code twin} false) or the scalar twin. */
  static MemorySegment run(BinaryOp op, DType t, Case c, boolean twin) {
    MemorySegment y = BinaryTestData.zeros(t, c.yo() + c.n());
    MemorySegment a = c.a(), b = c.b();
    int ao = c.ao(), bo = c.bo(), yo = c.yo(), n = c.n();
    switch (t) {
      case FLOAT32 -> {
        float as = a.getAtIndex(JAVA_FLOAT, ao), bs = b.getAtIndex(JAVA_FLOAT, bo);
        switch (c.form()) {
          case 0 -> { if (twin) BinaryScalar.f32vv(op, a, ao, b, bo, y, yo, n); else BinaryKernels.f32vv(op, a, ao, b, bo, y, yo, n); }
          case 1 -> { if (twin) BinaryScalar.f32vs(op, a, ao, bs, y, yo, n); else BinaryKernels.f32vs(op, a, ao, bs, y, yo, n); }
          default -> { if (twin) BinaryScalar.f32sv(op, as, b, bo, y, yo, n); else BinaryKernels.f32sv(op, as, b, bo, y, yo, n); }
        }
      }
      case FLOAT64 -> {
        double as = a.getAtIndex(JAVA_DOUBLE, ao), bs = b.getAtIndex(JAVA_DOUBLE, bo);
        switch (c.form()) {
          case 0 -> { if (twin) BinaryScalar.f64vv(op, a, ao, b, bo, y, yo, n); else BinaryKernels.f64vv(op, a, ao, b, bo, y, yo, n); }
          case 1 -> { if (twin) BinaryScalar.f64vs(op, a, ao, bs, y, yo, n); else BinaryKernels.f64vs(op, a, ao, bs, y, yo, n); }
          default -> { if (twin) BinaryScalar.f64sv(op, as, b, bo, y, yo, n); else BinaryKernels.f64sv(op, as, b, bo, y, yo, n); }
        }
      }
      case INT32 -> {
        int as = a.getAtIndex(JAVA_INT, ao), bs = b.getAtIndex(JAVA_INT, bo);
        switch (c.form()) {
          case 0 -> { if (twin) BinaryScalar.i32vv(op, a, ao, b, bo, y, yo, n); else BinaryKernels.i32vv(op, a, ao, b, bo, y, yo, n); }
          case 1 -> { if (twin) BinaryScalar.i32vs(op, a, ao, bs, y, yo, n); else BinaryKernels.i32vs(op, a, ao, bs, y, yo, n); }
          default -> { if (twin) BinaryScalar.i32sv(op, as, b, bo, y, yo, n); else BinaryKernels.i32sv(op, as, b, bo, y, yo, n); }
        }
      }
      case INT64 -> {
        long as = a.getAtIndex(JAVA_LONG, ao), bs = b.getAtIndex(JAVA_LONG, bo);
        switch (c.form()) {
          case 0 -> { if (twin) BinaryScalar.i64vv(op, a, ao, b, bo, y, yo, n); else BinaryKernels.i64vv(op, a, ao, b, bo, y, yo, n); }
          case 1 -> { if (twin) BinaryScalar.i64vs(op, a, ao, bs, y, yo, n); else BinaryKernels.i64vs(op, a, ao, bs, y, yo, n); }
          default -> { if (twin) BinaryScalar.i64sv(op, as, b, bo, y, yo, n); else BinaryKernels.i64sv(op, as, b, bo, y, yo, n); }
        }
      }
      case BOOL -> throw new AssertionError();
    }
    return y;
  }

  @ParameterizedTest
  @EnumSource(BinaryOp.class)
  void kernelsMatchScalarTwins(BinaryOp op) {
    // POW and ATAN2 run the JDK's vector math library, a few ulps from Math.pow and Math.atan2.
    long ulps = op == BinaryOp.POW || op == BinaryOp.ATAN2 ? 4 : 0;
    for (DType t : NUMERIC) {
      if (op.floatingOnly() && !t.isFloating()) {
        continue;
      }
      qt().withExamples(60).forAll(cases(t)).checkAssert(c -> {
        MemorySegment want = run(op, t, c, true), got = run(op, t, c, false);
        BinaryTestData.assertSame(t, want, got, c.yo() + c.n(), ulps,
            op + " " + t + " form " + c.form() + " n=" + c.n());
      });
    }
  }

  @Test
  void floatFloorDivMatchesMathFloorExactly() {
    // the vector floor is emulated: hold it to Math.floor over quotients of every magnitude
    qt().withExamples(200).forAll(cases(DType.FLOAT64)).checkAssert(c -> {
      MemorySegment got = run(BinaryOp.FLOOR_DIV, DType.FLOAT64, new Case(0, c.n(), c.ao(),
          c.bo(), c.yo(), c.a(), c.b()), false);
      for (int i = 0; i < c.n(); i++) {
        double want = Math.floor(c.a().getAtIndex(JAVA_DOUBLE, c.ao() + i)
            / c.b().getAtIndex(JAVA_DOUBLE, c.bo() + i));
        double g = got.getAtIndex(JAVA_DOUBLE, c.yo() + i);
        if (Double.doubleToLongBits(want) != Double.doubleToLongBits(g)) {
          throw new AssertionError("floor at " + i + ": expected " + want + " but was " + g);
        }
      }
    });
  }

  // ---- op level: broadcasting against a naive numpy-rule reference

  /** numpy's broadcast shape, computed independently of {@link Shape#broadcast}. */
  static long[] broadcastDims(long[]... shapes) {
    int r = 0;
    for (long[] s : shapes) {
      r = Math.max(r, s.length);
    }
    long[] out = new long[r];
    java.util.Arrays.fill(out, 1);
    for (long[] s : shapes) {
      for (int i = 0; i < s.length; i++) {
        int j = r - s.length + i;
        if (s[i] != 1) {
          out[j] = s[i];
        }
      }
    }
    return out;
  }

  /** The flat index in an operand of shape {@code s} of output multi-index {@code idx}. */
  static long sourceIndex(long[] idx, long[] s) {
    long flat = 0;
    for (int i = 0; i < s.length; i++) {
      long k = s[i] == 1 ? 0 : idx[idx.length - s.length + i];
      flat = flat * s[i] + k;
    }
    return flat;
  }

  /** Output multi-index of flat index {@code f} in {@code dims}. */
  static long[] unravel(long f, long[] dims) {
    long[] idx = new long[dims.length];
    for (int i = dims.length - 1; i >= 0; i--) {
      idx[i] = f % dims[i];
      f /= dims[i];
    }
    return idx;
  }

  static Gen<Tensor[]> pairs(DType t, int maxRank, long maxDim, double lo, double hi) {
    return in -> {
      Draw d = TensorGens.draw(in);
      Shape[] s = Generators.broadcastPair(d, maxRank, maxDim);
      return new Tensor[] {Generators.tensor(d, t, s[0], lo, hi),
          Generators.tensor(d, t, s[1], lo, hi)};
    };
  }

  /** {@code op(a, b)} element by element through the naive broadcast reference. */
  static void checkBroadcast(Tensor a, Tensor b, Tensor got,
      BiFunction<Double, Double, Double> op) {
    long[] as = a.shape().dims(), bs = b.shape().dims();
    long[] out = broadcastDims(as, bs);
    if (!got.shape().equals(Shape.of(out))) {
      throw new AssertionError("shape " + got.shape() + " for " + a.describe() + " and "
          + b.describe() + "; expected " + Shape.of(out));
    }
    double[] av = values(a), bv = values(b), gv = values(got);
    for (int f = 0; f < gv.length; f++) {
      long[] idx = unravel(f, out);
      double want = op.apply(av[(int) sourceIndex(idx, as)], bv[(int) sourceIndex(idx, bs)]);
      if (Double.compare(want, gv[f]) != 0) {
        throw new AssertionError("at " + java.util.Arrays.toString(idx) + " of " + a.describe()
            + " op " + b.describe() + ": expected " + want + " but was " + gv[f]);
      }
    }
  }

  static double[] values(Tensor t) {
    return switch (t.dtype()) {
      case FLOAT32 -> {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          d[i] = f[i];
        }
        yield d;
      }
      case FLOAT64 -> t.toDoubleArray();
      case INT32 -> java.util.Arrays.stream(t.toIntArray()).asDoubleStream().toArray();
      case INT64 -> java.util.Arrays.stream(t.toLongArray()).asDoubleStream().toArray();
      case BOOL -> {
        boolean[] b = t.toBooleanArray();
        double[] d = new double[b.length];
        for (int i = 0; i < b.length; i++) {
          d[i] = b[i] ? 1 : 0;
        }
        yield d;
      }
    };
  }

  @Test
  void addBroadcastsLikeNumpy() {
    qt().withExamples(300).forAll(pairs(DType.FLOAT32, 4, 5, -10, 10)).checkAssert(p ->
        checkBroadcast(p[0], p[1], Ops.add(p[0], p[1]), (x, y) -> (double) (float) (x + y)));
  }

  @Test
  void addBroadcastsLikeNumpyOverLongRuns() {
    qt().withExamples(60).forAll(pairs(DType.FLOAT32, 3, 40, -10, 10)).checkAssert(p ->
        checkBroadcast(p[0], p[1], Ops.add(p[0], p[1]), (x, y) -> (double) (float) (x + y)));
  }

  @Test
  void otherOpsAndDTypesBroadcastLikeNumpy() {
    qt().withExamples(100).forAll(pairs(DType.INT32, 4, 6, -50, 50)).checkAssert(p ->
        checkBroadcast(p[0], p[1], Ops.sub(p[0], p[1]), (x, y) -> x - y));
    qt().withExamples(100).forAll(pairs(DType.INT64, 4, 6, 1, 50)).checkAssert(p ->
        checkBroadcast(p[0], p[1], Ops.floorMod(p[0], p[1]),
            (x, y) -> (double) Math.floorMod(x.longValue(), y.longValue())));
    qt().withExamples(100).forAll(pairs(DType.FLOAT64, 4, 6, -3, 3)).checkAssert(p ->
        checkBroadcast(p[0], p[1], Ops.less(p[0], p[1]), (x, y) -> x < y ? 1.0 : 0.0));
    qt().withExamples(100).forAll(pairs(DType.BOOL, 4, 6, 0, 1)).checkAssert(p ->
        checkBroadcast(p[0], p[1], Ops.logicalAnd(p[0], p[1]), (x, y) -> x * y));
    qt().withExamples(100).forAll(pairs(DType.FLOAT64, 4, 6, -3, 3)).checkAssert(p ->
        checkBroadcast(p[0], p[1], Ops.maximum(p[0], p[1]), Math::max));
  }

  @Test
  void whereBroadcastsThreeOperandsLikeNumpy() {
    Gen<Tensor[]> triples = in -> {
      Draw d = TensorGens.draw(in);
      Shape[] p = Generators.broadcastPair(d, 4, 5);
      Shape[] q = Generators.broadcastPair(d, 0, 1); // usually a scalar condition is enough...
      Shape c = d.intBetween(0, 1) == 0 ? Generators.broadcastPair(d, 4, 5)[0] : q[0];
      // ...but the condition must broadcast with the values: fall back to a scalar if it does not
      long[] all = broadcastDims(p[0].dims(), p[1].dims());
      if (!compatible(c.dims(), all)) {
        c = Shape.scalar();
      }
      return new Tensor[] {Generators.tensor(d, DType.BOOL, c, 0, 1),
          Generators.tensor(d, DType.INT32, p[0], -9, 9),
          Generators.tensor(d, DType.INT32, p[1], -9, 9)};
    };
    qt().withExamples(300).forAll(triples).checkAssert(t -> {
      Tensor got = Ops.where(t[0], t[1], t[2]);
      long[] cs = t[0].shape().dims(), xs = t[1].shape().dims(), ys = t[2].shape().dims();
      long[] out = broadcastDims(cs, xs, ys);
      TensorAssert.assertClose(Tensor.of(new int[(int) Shape.of(out).size()], out).add(0),
          got.mul(0), Tolerance.EXACT); // same dtype and shape
      double[] c = values(t[0]), x = values(t[1]), y = values(t[2]), g = values(got);
      for (int f = 0; f < g.length; f++) {
        long[] idx = unravel(f, out);
        double want = c[(int) sourceIndex(idx, cs)] != 0 ? x[(int) sourceIndex(idx, xs)]
            : y[(int) sourceIndex(idx, ys)];
        if (want != g[f]) {
          throw new AssertionError("where at " + java.util.Arrays.toString(idx) + ": expected "
              + want + " but was " + g[f]);
        }
      }
    });
  }

  private static boolean compatible(long[] a, long[] b) {
    for (int i = 1; i <= Math.min(a.length, b.length); i++) {
      long x = a[a.length - i], y = b[b.length - i];
      if (x != y && x != 1 && y != 1) {
        return false;
      }
    }
    return true;
  }
}
