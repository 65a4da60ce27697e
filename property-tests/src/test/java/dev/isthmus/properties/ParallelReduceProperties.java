package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.IntraOp;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reductions over an outer axis (a sum over axis 0 of a matrix: the reduced block is followed by
 * kept axes) split their columns between threads: parallelism 1 and 2 give bit-identical results,
 * the work is really handed to the pool, and each column is exactly what one kernel call over the
 * whole block gives (the split points are multiples of the lanes). Softmax over such an axis
 * splits its columns the same way.
 */
class ParallelReduceProperties {
  @AfterEach
  void restoreDefault() {
    Context.setIntraOpParallelism(0);
  }

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
   * Parallelism 1 and 2 give the same bits, and with 2 the op hands work to the pool when
   * {@code split} (a test that could pass without any splitting would prove nothing).
   */
  private static Tensor same(String what, boolean split, Supplier<Tensor> op) {
    Context.setIntraOpParallelism(1);
    long before = IntraOp.forkedJobs();
    Tensor one = op.get();
    assertTrue(IntraOp.forkedJobs() == before, what + ": parallelism 1 forked");
    Context.setIntraOpParallelism(2);
    before = IntraOp.forkedJobs();
    Tensor two = op.get();
    if (split) {
      assertTrue(IntraOp.forkedJobs() > before, what + ": parallelism 2 did not split the work");
    }
    assertArrayEquals(bits(one), bits(two), what + ": parallelism 1 and 2 differ");
    return two;
  }

  /**
   * Softmax: parallelism 1 and 2 agree within {@code tol}, and 2 splits the work. Not bit for bit:
   * the Vector API's EXP and LOG may round by an ulp differently in code C2 compiled separately
   * (see ParallelOpProperties); the partitioning itself is the same for any thread count.
   */
  private static void close(String what, boolean split, Supplier<Tensor> op, Tolerance tol) {
    Context.setIntraOpParallelism(1);
    Tensor one = op.get();
    Context.setIntraOpParallelism(2);
    long before = IntraOp.forkedJobs();
    Tensor two = op.get();
    if (split) {
      assertTrue(IntraOp.forkedJobs() > before, what + ": parallelism 2 did not split the work");
    }
    TensorAssert.assertClose(one, two, tol);
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

  @Test
  void columnReductionsSplitColumnsNotTheReducedAxis() {
    qt().withExamples(12).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      long rows = d.oneOf(2L, 3L, 17L, 64L, 200L, 1000L, d.between(65, 5000));
      long cols = Math.max(2, d.between(70_000, 400_000) / rows);
      long outer = d.oneOf(1L, 1L, 2L, 3L);
      DType t = d.oneOf(DType.FLOAT32, DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);
      Tensor x = outer == 1 ? values(d, t, rows, cols) : values(d, t, outer, rows, cols);
      int axis = outer == 1 ? 0 : 1;
      // Splits when the columns make several chunks of the column grain.
      boolean split = cols > IntraOp.columnGrain(rows);
      String what = t + Arrays.toString(x.shape().dims()) + " axis " + axis;
      Tensor sum = same("sum " + what, split, () -> Ops.reduceSum(x, axis));
      same("mean " + what, split, () -> Ops.reduceMean(x, axis));
      same("max " + what, split, () -> Ops.reduceMax(x, axis));
      same("min " + what, split, () -> Ops.reduceMin(x, axis));
      same("prod " + what, split, () -> Ops.reduceProd(x, axis));
      Tensor b = values(d, DType.BOOL, x.shape().dims());
      same("any " + what, split, () -> Ops.reduceAny(b, axis));
      same("all " + what, split, () -> Ops.reduceAll(b, axis));
      if (!t.isInteger()) {
        // each e may round differently by an ulp, and their sum over the rows then too
        close("softmax " + what, split, () -> Ops.softmax(x, axis),
            Tolerance.ulps(4).orRel((rows + 8) * (t == DType.FLOAT32 ? 0x1p-23 : 0x1p-52)));
        close("logSoftmax " + what, split, () -> Ops.logSoftmax(x, axis),
            Tolerance.ulps(4).orAbs(64 * (t == DType.FLOAT32 ? 0x1p-23 : 0x1p-52)));
      }
      if (t == DType.FLOAT32) {
        // Each column is what one kernel call over its whole [rows, cols] block computes.
        float[] in = x.toFloatArray(), want = new float[(int) (outer * cols)];
        for (long o = 0; o < outer; o++) {
          ReduceKernels.f32Outer(ReduceOp.SUM, MemorySegment.ofArray(in), o * rows * cols, rows,
              cols, MemorySegment.ofArray(want), o * cols);
        }
        float[] got = sum.toFloatArray();
        for (int j = 0; j < want.length; j++) {
          int jj = j;
          assertTrue(Float.floatToRawIntBits(want[j]) == Float.floatToRawIntBits(got[j]),
              () -> what + ": output " + jj + " is " + got[jj] + ", one call gives " + want[jj]);
        }
      }
    });
  }
}
