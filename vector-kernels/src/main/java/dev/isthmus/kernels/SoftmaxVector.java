package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API softmax and log-softmax, fused: the max pass, the exp-sum pass and the scale (or
 * shift) pass run in one kernel call, with no intermediate tensor. A row (last axis) vectorises
 * along the row; the outer form ({@code [r, inner]}, softmax over r) vectorises along the
 * contiguous columns and runs the three passes per vector of columns, so each column block stays
 * in cache between passes. Tails go to {@link SoftmaxScalar}.
 */
final class SoftmaxVector {
  private SoftmaxVector() {}

  private static FloatVector f(MemorySegment x, long byteOffset) {
    return FloatVector.fromMemorySegment(F, x, byteOffset, NATIVE);
  }

  private static DoubleVector d(MemorySegment x, long byteOffset) {
    return DoubleVector.fromMemorySegment(D, x, byteOffset, NATIVE);
  }

  // ---------------------------------------------------------------- rows

  static void softmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    float m = ReduceVector.f32(ReduceOp.MAX, x, xo, n);
    FloatVector vm = FloatVector.broadcast(F, m), acc = FloatVector.zero(F);
    long bound = F.loopBound(n), xb = xo * Float.BYTES, yb = yo * Float.BYTES;
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector e = f(x, xb + i * Float.BYTES).sub(vm).lanewise(VectorOperators.EXP);
      e.intoMemorySegment(y, yb + i * Float.BYTES, NATIVE);
      acc = acc.add(e);
    }
    float s = acc.reduceLanes(VectorOperators.ADD)
        + SoftmaxScalar.expShiftF32(x, xo + bound, y, yo + bound, n - bound, 1, m);
    float c = 1f / s;
    for (long i = 0; i < bound; i += F.length()) {
      long o = yb + i * Float.BYTES;
      f(y, o).mul(c).intoMemorySegment(y, o, NATIVE);
    }
    SoftmaxScalar.scaleF32(y, yo + bound, n - bound, 1, c);
  }

  static void logSoftmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    float m = ReduceVector.f32(ReduceOp.MAX, x, xo, n);
    FloatVector vm = FloatVector.broadcast(F, m), acc = FloatVector.zero(F);
    long bound = F.loopBound(n), xb = xo * Float.BYTES, yb = yo * Float.BYTES;
    for (long i = 0; i < bound; i += F.length()) {
      acc = acc.add(f(x, xb + i * Float.BYTES).sub(vm).lanewise(VectorOperators.EXP));
    }
    float s = acc.reduceLanes(VectorOperators.ADD)
        + SoftmaxScalar.sumExpF32(x, xo + bound, n - bound, 1, m);
    float ls = (float) Math.log(s);
    for (long i = 0; i < bound; i += F.length()) {
      f(x, xb + i * Float.BYTES).sub(vm).sub(ls).intoMemorySegment(y, yb + i * Float.BYTES, NATIVE);
    }
    SoftmaxScalar.shiftF32(x, xo + bound, y, yo + bound, n - bound, 1, m, ls);
  }

  static void softmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    double m = ReduceVector.f64(ReduceOp.MAX, x, xo, n);
    DoubleVector vm = DoubleVector.broadcast(D, m), acc = DoubleVector.zero(D);
    long bound = D.loopBound(n), xb = xo * Double.BYTES, yb = yo * Double.BYTES;
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector e = d(x, xb + i * Double.BYTES).sub(vm).lanewise(VectorOperators.EXP);
      e.intoMemorySegment(y, yb + i * Double.BYTES, NATIVE);
      acc = acc.add(e);
    }
    double s = acc.reduceLanes(VectorOperators.ADD)
        + SoftmaxScalar.expShiftF64(x, xo + bound, y, yo + bound, n - bound, 1, m);
    double c = 1.0 / s;
    for (long i = 0; i < bound; i += D.length()) {
      long o = yb + i * Double.BYTES;
      d(y, o).mul(c).intoMemorySegment(y, o, NATIVE);
    }
    SoftmaxScalar.scaleF64(y, yo + bound, n - bound, 1, c);
  }

  static void logSoftmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    double m = ReduceVector.f64(ReduceOp.MAX, x, xo, n);
    DoubleVector vm = DoubleVector.broadcast(D, m), acc = DoubleVector.zero(D);
    long bound = D.loopBound(n), xb = xo * Double.BYTES, yb = yo * Double.BYTES;
    for (long i = 0; i < bound; i += D.length()) {
      acc = acc.add(d(x, xb + i * Double.BYTES).sub(vm).lanewise(VectorOperators.EXP));
    }
    double s = acc.reduceLanes(VectorOperators.ADD)
        + SoftmaxScalar.sumExpF64(x, xo + bound, n - bound, 1, m);
    double ls = Math.log(s);
    for (long i = 0; i < bound; i += D.length()) {
      long o = i * Double.BYTES;
      d(x, xb + o).sub(vm).sub(ls).intoMemorySegment(y, yb + o, NATIVE);
    }
    SoftmaxScalar.shiftF64(x, xo + bound, y, yo + bound, n - bound, 1, m, ls);
  }

  // ---------------------------------------------------------------- outer: columns of [r, inner]

  static void softmaxF32Outer(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = F.loopBound(inner), rb = inner * Float.BYTES;
    for (long j = 0; j < bound; j += F.length()) {
      long xb = (xo + j) * Float.BYTES, yb = (yo + j) * Float.BYTES;
      FloatVector vm = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(f(x, xb + k * rb));
      }
      FloatVector s = FloatVector.zero(F);
      for (long k = 0; k < r; k++) {
        FloatVector e = f(x, xb + k * rb).sub(vm).lanewise(VectorOperators.EXP);
        e.intoMemorySegment(y, yb + k * rb, NATIVE);
        s = s.add(e);
      }
      FloatVector c = FloatVector.broadcast(F, 1f).div(s);
      for (long k = 0; k < r; k++) {
        f(y, yb + k * rb).mul(c).intoMemorySegment(y, yb + k * rb, NATIVE);
      }
    }
    SoftmaxScalar.columnsF32(false, x, xo, r, inner, bound, inner, y, yo);
  }

  static void logSoftmaxF32Outer(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = F.loopBound(inner), rb = inner * Float.BYTES;
    for (long j = 0; j < bound; j += F.length()) {
      long xb = (xo + j) * Float.BYTES, yb = (yo + j) * Float.BYTES;
      FloatVector vm = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(f(x, xb + k * rb));
      }
      FloatVector s = FloatVector.zero(F);
      for (long k = 0; k < r; k++) {
        s = s.add(f(x, xb + k * rb).sub(vm).lanewise(VectorOperators.EXP));
      }
      FloatVector ls = s.lanewise(VectorOperators.LOG);
      for (long k = 0; k < r; k++) {
        f(x, xb + k * rb).sub(vm).sub(ls).intoMemorySegment(y, yb + k * rb, NATIVE);
      }
    }
    SoftmaxScalar.columnsF32(true, x, xo, r, inner, bound, inner, y, yo);
  }

  static void softmaxF64Outer(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = D.loopBound(inner), rb = inner * Double.BYTES;
    for (long j = 0; j < bound; j += D.length()) {
      long xb = (xo + j) * Double.BYTES, yb = (yo + j) * Double.BYTES;
      DoubleVector vm = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(d(x, xb + k * rb));
      }
      DoubleVector s = DoubleVector.zero(D);
      for (long k = 0; k < r; k++) {
        DoubleVector e = d(x, xb + k * rb).sub(vm).lanewise(VectorOperators.EXP);
        e.intoMemorySegment(y, yb + k * rb, NATIVE);
        s = s.add(e);
      }
      DoubleVector c = DoubleVector.broadcast(D, 1.0).div(s);
      for (long k = 0; k < r; k++) {
        d(y, yb + k * rb).mul(c).intoMemorySegment(y, yb + k * rb, NATIVE);
      }
    }
    SoftmaxScalar.columnsF64(false, x, xo, r, inner, bound, inner, y, yo);
  }

  static void logSoftmaxF64Outer(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = D.loopBound(inner), rb = inner * Double.BYTES;
    for (long j = 0; j < bound; j += D.length()) {
      long xb = (xo + j) * Double.BYTES, yb = (yo + j) * Double.BYTES;
      DoubleVector vm = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
      for (long k = 0; k < r; k++) {
        vm = vm.max(d(x, xb + k * rb));
      }
      DoubleVector s = DoubleVector.zero(D);
      for (long k = 0; k < r; k++) {
        s = s.add(d(x, xb + k * rb).sub(vm).lanewise(VectorOperators.EXP));
      }
      DoubleVector ls = s.lanewise(VectorOperators.LOG);
      for (long k = 0; k < r; k++) {
        d(x, xb + k * rb).sub(vm).sub(ls).intoMemorySegment(y, yb + k * rb, NATIVE);
      }
    }
    SoftmaxScalar.columnsF64(true, x, xo, r, inner, bound, inner, y, yo);
  }
}
