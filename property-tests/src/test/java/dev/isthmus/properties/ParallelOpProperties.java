package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Intra-op parallelism never changes a result: every parallelised op (same-shape unary and
 * binary, every reduction incl. full ones and arg reductions, softmax, matmul incl. batched)
 * gives bit-identical results with parallelism 1, 2 and the default, over random shapes large
 * enough to be split.
 */
class ParallelOpProperties {
  @AfterEach
  void restoreDefault() {
    Context.setIntraOpParallelism(0);
  }

  /** The raw bits of every element (NaN payloads included). */
  private static long[] bits(Tensor t) {
    return switch (t.dtype()) {
      case FLOAT32 -> {
        float[] v = t.toFloatArray();
        long[] b = new long[v.length];
        Arrays.setAll(b, i -> Float.floatToRawIntBits(v[i]));
        yield b;
      }
      case FLOAT64 -> Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits)
          .toArray();
      case INT32 -> Arrays.stream(t.toIntArray()).asLongStream().toArray();
      case INT64 -> t.toLongArray();
      case BOOL -> {
        boolean[] v = t.toBooleanArray();
        long[] b = new long[v.length];
        Arrays.setAll(b, i -> v[i] ? 1 : 0);
        yield b;
      }
    };
  }

  /**
   * Parallelism 1, 2 and the default give the same bits. Tried up to 20 rounds: the Vector API's
   * transcendental operators (EXP in exp, sigmoid, softmax; ATAN2, ...) can differ by an ulp
   * between interpreted and C2-compiled code, whatever the thread count, while the JIT warms up.
   * A partitioning bug would differ in every round, so the test still catches one.
   */
  /**
   * For ops built on the Vector API's transcendental operators (EXP, ATAN2): parallelism 1, 2 and
   * the default agree within 4 ulps (an ulp of exp, propagated; the kernels' own bound against
   * their scalar twins). C2 may intrinsify such an operator in one compiled caller
   * and run its Java fallback (which rounds differently by up to an ulp) in another, and a chunk
   * run on a pool thread can take the other path; this is the JIT's doing, not the partitioning
   * (which {@link #same} holds to bit equality for every other op).
   */
  private static void sameWithinUlp(Object what, Supplier<Tensor> op) {
    sameWithin(what, op, Tolerance.ulps(4));
  }

  /**
   * Log-softmax is a difference, {@code (x - m) - log s}: the ulp by which the JIT's two ways of
   * rounding move {@code log s} (at most log of the row length, plus |x - m|, here below 64) is
   * an absolute error, many ulps of a result near 0. So 4 ulps, or 64 eps absolute.
   */
  /**
   * Softmax {@code e / sum e} over r elements: each e may round differently by an ulp, and the sum
   * of r of them, with its r roundings, may then round differently too. So 4 ulps, or (r + 8) eps
   * relative (the kernels' own bound against their twins, SoftmaxKernelProperties).
   */
  private static void sameWithinUlpOfSum(Object what, DType t, long r, Supplier<Tensor> op) {
    double eps = t == DType.FLOAT32 ? 0x1p-23 : 0x1p-52;
    sameWithin(what, op, Tolerance.ulps(4).orRel((r + 8) * eps));
  }

  private static void sameWithinUlpOfLogSum(Object what, DType t, Supplier<Tensor> op) {
    sameWithin(what, op, Tolerance.ulps(4).orAbs(64 * (t == DType.FLOAT32 ? 0x1p-23 : 0x1p-52)));
  }

  private static void sameWithin(Object what, Supplier<Tensor> op, Tolerance tol) {
    Context.setIntraOpParallelism(1);
    try {
      Tensor one = op.get();
      for (int p : new int[] {2, 0}) {
        Context.setIntraOpParallelism(p);
        try {
          TensorAssert.assertClose(one, op.get(), tol);
        } catch (AssertionError e) {
          throw new AssertionError(what + ": parallelism " + p + " differs: " + e.getMessage(), e);
        }
      }
    } finally {
      Context.setIntraOpParallelism(0);
    }
  }

  private static void same(Object what, Supplier<Tensor> op) {
    AssertionError last = null;
    for (int round = 0; round < 20; round++) {
      try {
        Context.setIntraOpParallelism(1);
        Tensor one = op.get();
        long[] want = bits(one);
        for (int p : new int[] {2, 0}) {
          Context.setIntraOpParallelism(p);
          Tensor other = op.get();
          assertEquals(one.shape(), other.shape(), what::toString);
          assertArrayEquals(want, bits(other), () -> what + ": parallelism " + p + " differs");
        }
        return;
      } catch (AssertionError e) {
        last = e;
      } finally {
        Context.setIntraOpParallelism(0);
      }
    }
    throw last;
  }

  private static Tensor values(Draw d, DType t, long... shape) {
    Tensor x = Ops.randomNormal(d.between(0, 1L << 40), DType.FLOAT32, shape);
    return switch (t) {
      case FLOAT32 -> x;
      case FLOAT64 -> Ops.cast(x, DType.FLOAT64);
      case INT32, INT64 -> Ops.cast(Ops.mul(x, 1000.0), t);
      case BOOL -> Ops.greater(x, Tensor.scalar(0.5f));
    };
  }

  /** A shape of rank 1 to 3 with between about 70K and 400K elements. */
  private static long[] bigShape(Draw d) {
    long n = d.between(70_000, 400_000);
    int rank = d.intBetween(1, 3);
    long[] s = new long[rank];
    long rest = n;
    for (int i = 0; i < rank - 1; i++) {
      s[i] = d.between(1, 90);
      rest = Math.max(1, rest / s[i]);
    }
    s[rank - 1] = rest;
    return s;
  }

  @Test
  void elementwise() {
    qt().withExamples(12).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      long[] s = bigShape(d);
      DType t = d.oneOf(DType.FLOAT32, DType.FLOAT64, DType.INT32);
      Tensor x = values(d, t, s), y = values(d, t, s);
      String what = t + Arrays.toString(s);
      if (t.isInteger()) {
        same("abs " + what, x::abs);
        same("sub " + what, () -> x.sub(y));
      } else {
        sameWithinUlp("exp " + what, x::exp);
        sameWithinUlp("sigmoid " + what, x::sigmoid);
        same("mul " + what, () -> x.mul(y));
        sameWithinUlp("atan2 " + what, () -> Ops.atan2(x, y));
      }
    });
  }

  @Test
  void reductionsOverRandomAxes() {
    qt().withExamples(12).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      long[] s = bigShape(d);
      DType t = d.oneOf(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);
      Tensor x = values(d, t, s);
      int[] axes = java.util.stream.IntStream.range(0, s.length)
          .filter(i -> d.between(0, 1) == 1).toArray();
      String what = t + Arrays.toString(s) + " axes " + Arrays.toString(axes);
      same("sum " + what, () -> Ops.reduceSum(x, axes));
      same("mean " + what, () -> Ops.reduceMean(x, axes));
      same("max " + what, () -> Ops.reduceMax(x, axes));
      same("min " + what, () -> Ops.reduceMin(x, axes));
      same("prod " + what, () -> Ops.reduceProd(x, axes));
      Tensor b = values(d, DType.BOOL, s);
      same("any " + what, () -> Ops.reduceAny(b, axes));
      same("all " + what, () -> Ops.reduceAll(b, axes));
      int axis = d.intBetween(0, s.length - 1);
      same("argMax " + what + " axis " + axis, () -> Ops.argMax(x, axis));
      same("argMin " + what + " axis " + axis, () -> Ops.argMin(x, axis));
      if (!t.isInteger()) {
        sameWithinUlpOfSum("softmax " + what + " axis " + axis, t, s[axis],
            () -> Ops.softmax(x, axis));
        sameWithinUlpOfLogSum("logSoftmax " + what + " axis " + axis, t,
            () -> Ops.logSoftmax(x, axis));
      }
    });
  }

  @Test
  void fullReductionsInChunks() {
    qt().withExamples(4).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      long n = d.between(1_048_577, 2_500_000);
      DType t = d.oneOf(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);
      Tensor x = values(d, t, n);
      String what = t + "[" + n + "]";
      same("sum " + what, () -> Ops.reduceSum(x));
      same("mean " + what, () -> Ops.reduceMean(x));
      same("max " + what, () -> Ops.reduceMax(x));
      same("argMax " + what, () -> Ops.argMax(x, 0));
      same("argMin " + what, () -> Ops.argMin(x, 0));
      Tensor b = values(d, DType.BOOL, n);
      same("any " + what, () -> Ops.reduceAny(b));
      same("argMax bool " + what, () -> Ops.argMax(b, 0));
    });
  }

  @Test
  void matmul() {
    qt().withExamples(10).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      int m = d.intBetween(60, 260), n = d.intBetween(20, 120), k = d.intBetween(20, 120);
      boolean ta = d.between(0, 1) == 1, tb = d.between(0, 1) == 1;
      long batch = d.between(1, 3);
      DType t = d.oneOf(DType.FLOAT32, DType.FLOAT64, DType.INT32);
      Tensor x = values(d, t, batch, ta ? k : m, ta ? m : k);
      Tensor y = values(d, t, tb ? n : k, tb ? k : n);
      String what = t + " batch " + batch + " m " + m + " n " + n + " k " + k + " ta " + ta
          + " tb " + tb;
      same(what, () -> Ops.matmul(x, y, ta, tb));
    });
  }
}
