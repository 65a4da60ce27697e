package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.HeapArrays.doubles;
import static dev.isthmus.kernels.HeapArrays.floats;
import static dev.isthmus.kernels.HeapArrays.index;
import static dev.isthmus.kernels.HeapArrays.ld;
import static dev.isthmus.kernels.HeapArrays.st;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.LOG;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Vector API softmax and log-softmax, fused: the max pass, the exp-sum pass and the scale (or
 * shift) pass run in one kernel call, with no intermediate tensor. A row (last axis) vectorises
 * along the row; the outer form ({@code [r, inner]}, softmax over r) vectorises along the
 * contiguous columns and runs the three passes per vector of columns, so each column block stays
 * in cache between passes. Tails go to {@link SoftmaxScalar}.
 *
 * <p>The loops call EXP, so heap segments are read and written through their arrays ({@link
 * HeapArrays}); row loops count in int over chunks of at most {@link HeapArrays#CHUNK} elements.
 * The max pass has no stub call and stays on segments ({@link ReduceVector}). FLOAT32 rows are
 * {@link SoftmaxRowsF32}'s: an exp without a stub call, and long rows read x once.
 */
final class SoftmaxVector {
  private SoftmaxVector() {}

  // ---------------------------------------------------------------- rows

  static void softmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    SoftmaxRowsF32.softmax(x, xo, y, yo, n);
  }

  static void logSoftmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    SoftmaxRowsF32.logSoftmax(x, xo, y, yo, n);
  }

  static void softmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    double[] xa = doubles(x), ya = doubles(y);
    long xi = index(xa, x, xo), yi = index(ya, y, yo);
    double m = ReduceVector.f64(ReduceOp.MAX, x, xo, n);
    long bound = D.loopBound(n);
    double s = 0;
    for (long done = 0; done < bound; done += CHUNK) {
      s += expShiftF64(xa, x, xi + done, ya, y, yi + done, (int) Math.min(CHUNK, bound - done), m);
    }
    s += SoftmaxScalar.expShiftF64(x, xo + bound, y, yo + bound, n - bound, 1, m);
    double c = 1.0 / s;
    for (long done = 0; done < bound; done += CHUNK) {
      scaleF64(ya, y, yi + done, (int) Math.min(CHUNK, bound - done), c);
    }
    SoftmaxScalar.scaleF64(y, yo + bound, n - bound, 1, c);
  }

  private static double expShiftF64(double[] xa, MemorySegment x, long xo, double[] ya,
      MemorySegment y, long yo, int n, double m) {
    DoubleVector acc = DoubleVector.zero(D);
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector e = ld(xa, x, xo, i).sub(m).lanewise(EXP);
      st(e, ya, y, yo, i);
      acc = acc.add(e);
    }
    return LaneSums.sum(acc);
  }

  private static void scaleF64(double[] ya, MemorySegment y, long yo, int n, double c) {
    for (int i = 0; i < n; i += D.length()) {
      st(ld(ya, y, yo, i).mul(c), ya, y, yo, i);
    }
  }

  static void logSoftmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    double[] xa = doubles(x), ya = doubles(y);
    long xi = index(xa, x, xo), yi = index(ya, y, yo);
    double m = ReduceVector.f64(ReduceOp.MAX, x, xo, n);
    long bound = D.loopBound(n);
    double s = 0;
    for (long done = 0; done < bound; done += CHUNK) {
      s += sumExpF64(xa, x, xi + done, (int) Math.min(CHUNK, bound - done), m);
    }
    s += SoftmaxScalar.sumExpF64(x, xo + bound, n - bound, 1, m);
    double ls = Math.log(s);
    for (long done = 0; done < bound; done += CHUNK) {
      shiftF64(xa, x, xi + done, ya, y, yi + done, (int) Math.min(CHUNK, bound - done), m, ls);
    }
    SoftmaxScalar.shiftF64(x, xo + bound, y, yo + bound, n - bound, 1, m, ls);
  }

  private static double sumExpF64(double[] xa, MemorySegment x, long xo, int n, double m) {
    DoubleVector acc = DoubleVector.zero(D);
    for (int i = 0; i < n; i += D.length()) {
      acc = acc.add(ld(xa, x, xo, i).sub(m).lanewise(EXP));
    }
    return LaneSums.sum(acc);
  }

  private static void shiftF64(double[] xa, MemorySegment x, long xo, double[] ya,
      MemorySegment y, long yo, int n, double m, double ls) {
    for (int i = 0; i < n; i += D.length()) {
      st(ld(xa, x, xo, i).sub(m).sub(ls), ya, y, yo, i);
    }
  }

  // ---------------------------------------------------------------- outer: columns of [r, inner]

  // Element (k, j) of a block is at o + k * inner + j, o the block's index (an array index when
  // there is an array, where every index fits in int); the columns [0, cols) of it are computed,
  // cols <= inner (a range of columns, so that intra-op parallelism can split them).

  static void softmaxF32Outer(MemorySegment x, long xo, long r, long inner, long cols,
      MemorySegment y, long yo) {
    float[] xa = floats(x), ya = floats(y);
    long xi = index(xa, x, xo), yi = index(ya, y, yo);
    long bound = F.loopBound(cols);
    for (long j = 0; j < bound; j += F.length()) {
      FloatVector vm = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(ld(xa, x, xi + k * inner + j, 0));
      }
      FloatVector s = FloatVector.zero(F);
      for (long k = 0; k < r; k++) {
        FloatVector e = ld(xa, x, xi + k * inner + j, 0).sub(vm).lanewise(EXP);
        st(e, ya, y, yi + k * inner + j, 0);
        s = s.add(e);
      }
      FloatVector c = FloatVector.broadcast(F, 1f).div(s);
      for (long k = 0; k < r; k++) {
        long o = yi + k * inner + j;
        st(ld(ya, y, o, 0).mul(c), ya, y, o, 0);
      }
    }
    SoftmaxScalar.columnsF32(false, x, xo, r, inner, bound, cols, y, yo);
  }

  static void logSoftmaxF32Outer(MemorySegment x, long xo, long r, long inner, long cols,
      MemorySegment y, long yo) {
    float[] xa = floats(x), ya = floats(y);
    long xi = index(xa, x, xo), yi = index(ya, y, yo);
    long bound = F.loopBound(cols);
    for (long j = 0; j < bound; j += F.length()) {
      FloatVector vm = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(ld(xa, x, xi + k * inner + j, 0));
      }
      FloatVector s = FloatVector.zero(F);
      for (long k = 0; k < r; k++) {
        s = s.add(ld(xa, x, xi + k * inner + j, 0).sub(vm).lanewise(EXP));
      }
      FloatVector ls = s.lanewise(LOG);
      for (long k = 0; k < r; k++) {
        st(ld(xa, x, xi + k * inner + j, 0).sub(vm).sub(ls), ya, y, yi + k * inner + j, 0);
      }
    }
    SoftmaxScalar.columnsF32(true, x, xo, r, inner, bound, cols, y, yo);
  }

  static void softmaxF64Outer(MemorySegment x, long xo, long r, long inner, long cols,
      MemorySegment y, long yo) {
    double[] xa = doubles(x), ya = doubles(y);
    long xi = index(xa, x, xo), yi = index(ya, y, yo);
    long bound = D.loopBound(cols);
    for (long j = 0; j < bound; j += D.length()) {
      DoubleVector vm = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(ld(xa, x, xi + k * inner + j, 0));
      }
      DoubleVector s = DoubleVector.zero(D);
      for (long k = 0; k < r; k++) {
        DoubleVector e = ld(xa, x, xi + k * inner + j, 0).sub(vm).lanewise(EXP);
        st(e, ya, y, yi + k * inner + j, 0);
        s = s.add(e);
      }
      DoubleVector c = DoubleVector.broadcast(D, 1.0).div(s);
      for (long k = 0; k < r; k++) {
        long o = yi + k * inner + j;
        st(ld(ya, y, o, 0).mul(c), ya, y, o, 0);
      }
    }
    SoftmaxScalar.columnsF64(false, x, xo, r, inner, bound, cols, y, yo);
  }

  static void logSoftmaxF64Outer(MemorySegment x, long xo, long r, long inner, long cols,
      MemorySegment y, long yo) {
    double[] xa = doubles(x), ya = doubles(y);
    long xi = index(xa, x, xo), yi = index(ya, y, yo);
    long bound = D.loopBound(cols);
    for (long j = 0; j < bound; j += D.length()) {
      DoubleVector vm = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(ld(xa, x, xi + k * inner + j, 0));
      }
      DoubleVector s = DoubleVector.zero(D);
      for (long k = 0; k < r; k++) {
        s = s.add(ld(xa, x, xi + k * inner + j, 0).sub(vm).lanewise(EXP));
      }
      DoubleVector ls = s.lanewise(LOG);
      for (long k = 0; k < r; k++) {
        st(ld(xa, x, xi + k * inner + j, 0).sub(vm).sub(ls), ya, y, yi + k * inner + j, 0);
      }
    }
    SoftmaxScalar.columnsF64(true, x, xo, r, inner, bound, cols, y, yo);
  }
}
