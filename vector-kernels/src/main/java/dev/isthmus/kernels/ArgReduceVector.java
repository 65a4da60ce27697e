package dev.isthmus.kernels;

import static dev.isthmus.kernels.ReduceVector.B;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector API arg reductions, with the semantics of {@link ArgReduceScalar} (first index on ties,
 * the first NaN wins).
 *
 * <p>Inner form, two passes: the vector max (or min) finds the value, then a vector scan stops
 * at its first occurrence (or at the first NaN when the value is NaN). Outer form, one pass per
 * vector of columns: a running best and its row index, replaced where a row is strictly better.
 */
final class ArgReduceVector {
  private ArgReduceVector() {}

  // ---------------------------------------------------------------- inner

  static long f32(ReduceOp op, MemorySegment x, long xo, long n) {
    float best = ReduceVector.f32(op, x, xo, n);
    return Float.isNaN(best) ? firstNaNF32(x, xo, n) : firstEqF32(x, xo, n, best);
  }

  static long f64(ReduceOp op, MemorySegment x, long xo, long n) {
    double best = ReduceVector.f64(op, x, xo, n);
    return Double.isNaN(best) ? firstNaNF64(x, xo, n) : firstEqF64(x, xo, n, best);
  }

  static long i32(ReduceOp op, MemorySegment x, long xo, long n) {
    return firstEqI32(x, xo, n, ReduceIntVector.i32(op, x, xo, n));
  }

  static long i64(ReduceOp op, MemorySegment x, long xo, long n) {
    return firstEqI64(x, xo, n, ReduceIntVector.i64(op, x, xo, n));
  }

  private static long firstEqF32(MemorySegment x, long xo, long n, float v) {
    long i = 0;
    for (long bound = F.loopBound(n); i < bound; i += F.length()) {
      VectorMask<Float> m = FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE)
          .compare(EQ, v);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    while (x.getAtIndex(JAVA_FLOAT, xo + i) != v) {
      i++; // v is one of these n elements (the max pass found it), so this stops in range
    }
    return i;
  }

  private static long firstNaNF32(MemorySegment x, long xo, long n) {
    long i = 0;
    for (long bound = F.loopBound(n); i < bound; i += F.length()) {
      VectorMask<Float> m = FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE)
          .test(IS_NAN);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    while (!Float.isNaN(x.getAtIndex(JAVA_FLOAT, xo + i))) {
      i++;
    }
    return i;
  }

  private static long firstEqF64(MemorySegment x, long xo, long n, double v) {
    long i = 0;
    for (long bound = D.loopBound(n); i < bound; i += D.length()) {
      VectorMask<Double> m = DoubleVector.fromMemorySegment(D, x, (xo + i) * Double.BYTES, NATIVE)
          .compare(EQ, v);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    while (x.getAtIndex(JAVA_DOUBLE, xo + i) != v) {
      i++;
    }
    return i;
  }

  private static long firstNaNF64(MemorySegment x, long xo, long n) {
    long i = 0;
    for (long bound = D.loopBound(n); i < bound; i += D.length()) {
      VectorMask<Double> m = DoubleVector.fromMemorySegment(D, x, (xo + i) * Double.BYTES, NATIVE)
          .test(IS_NAN);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    while (!Double.isNaN(x.getAtIndex(JAVA_DOUBLE, xo + i))) {
      i++;
    }
    return i;
  }

  private static long firstEqI32(MemorySegment x, long xo, long n, int v) {
    long i = 0;
    for (long bound = I.loopBound(n); i < bound; i += I.length()) {
      VectorMask<Integer> m = IntVector.fromMemorySegment(I, x, (xo + i) * Integer.BYTES, NATIVE)
          .compare(EQ, v);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    while (x.getAtIndex(JAVA_INT, xo + i) != v) {
      i++;
    }
    return i;
  }

  private static long firstEqI64(MemorySegment x, long xo, long n, long v) {
    long i = 0;
    for (long bound = L.loopBound(n); i < bound; i += L.length()) {
      VectorMask<Long> m = LongVector.fromMemorySegment(L, x, (xo + i) * Long.BYTES, NATIVE)
          .compare(EQ, v);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    while (x.getAtIndex(JAVA_LONG, xo + i) != v) {
      i++;
    }
    return i;
  }

  /** BOOL: the first true byte (MAX) or false byte (MIN), else 0. */
  static long bool(ReduceOp op, MemorySegment x, long xo, long n) {
    return op == ReduceOp.MAX ? firstNonZero(x, xo, n) : firstZero(x, xo, n);
  }

  private static long firstNonZero(MemorySegment x, long xo, long n) {
    long i = 0;
    for (long bound = B.loopBound(n); i < bound; i += B.length()) {
      VectorMask<Byte> m = ByteVector.fromMemorySegment(B, x, xo + i, NATIVE).compare(NE, 0);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    for (; i < n; i++) {
      if (x.get(JAVA_BYTE, xo + i) != 0) {
        return i;
      }
    }
    return 0;
  }

  private static long firstZero(MemorySegment x, long xo, long n) {
    long i = 0;
    for (long bound = B.loopBound(n); i < bound; i += B.length()) {
      VectorMask<Byte> m = ByteVector.fromMemorySegment(B, x, xo + i, NATIVE).compare(EQ, 0);
      if (m.anyTrue()) {
        return i + m.firstTrue();
      }
    }
    for (; i < n; i++) {
      if (x.get(JAVA_BYTE, xo + i) == 0) {
        return i;
      }
    }
    return 0;
  }

  // ---------------------------------------------------------------- outer (INT64 y)

  static void f32Outer(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      MemorySegment y, long yo) {
    // Row indices ride in an int vector of the same lane count, so r must fit an int.
    long done = r > Integer.MAX_VALUE ? 0
        : op == ReduceOp.MAX ? argMaxF32(x, xo, r, inner, y, yo)
        : argMinF32(x, xo, r, inner, y, yo);
    ArgReduceScalar.columns(ArgReduceScalar.DT_F32, op, x, xo, r, inner, done, inner, y, yo);
  }

  static void f64Outer(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      MemorySegment y, long yo) {
    long done = op == ReduceOp.MAX ? argMaxF64(x, xo, r, inner, y, yo)
        : argMinF64(x, xo, r, inner, y, yo);
    ArgReduceScalar.columns(ArgReduceScalar.DT_F64, op, x, xo, r, inner, done, inner, y, yo);
  }

  static void i32Outer(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      MemorySegment y, long yo) {
    long done = r > Integer.MAX_VALUE ? 0
        : op == ReduceOp.MAX ? argMaxI32(x, xo, r, inner, y, yo)
        : argMinI32(x, xo, r, inner, y, yo);
    ArgReduceScalar.columns(ArgReduceScalar.DT_I32, op, x, xo, r, inner, done, inner, y, yo);
  }

  static void i64Outer(ReduceOp op, MemorySegment x, long xo, long r, long inner,
      MemorySegment y, long yo) {
    long done = op == ReduceOp.MAX ? argMaxI64(x, xo, r, inner, y, yo)
        : argMinI64(x, xo, r, inner, y, yo);
    ArgReduceScalar.columns(ArgReduceScalar.DT_I64, op, x, xo, r, inner, done, inner, y, yo);
  }

  private static void storeInts(IntVector at, int[] tmp, MemorySegment y, long yo) {
    at.intoArray(tmp, 0);
    for (int lane = 0; lane < tmp.length; lane++) {
      y.setAtIndex(JAVA_LONG, yo + lane, tmp[lane]);
    }
  }

  // A row replaces the best where it is strictly greater, or NaN over a non-NaN best.
  private static long argMaxF32(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = F.loopBound(inner), rb = inner * Float.BYTES;
    int[] tmp = new int[F.length()];
    for (long j = 0; j < bound; j += F.length()) {
      long b = (xo + j) * Float.BYTES;
      FloatVector best = FloatVector.fromMemorySegment(F, x, b, NATIVE);
      IntVector at = IntVector.zero(I);
      for (long k = 1; k < r; k++) {
        FloatVector v = FloatVector.fromMemorySegment(F, x, b + k * rb, NATIVE);
        VectorMask<Float> m = v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
        best = best.blend(v, m);
        at = at.blend((int) k, m.cast(I));
      }
      storeInts(at, tmp, y, yo + j);
    }
    return bound;
  }

  private static long argMinF32(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = F.loopBound(inner), rb = inner * Float.BYTES;
    int[] tmp = new int[F.length()];
    for (long j = 0; j < bound; j += F.length()) {
      long b = (xo + j) * Float.BYTES;
      FloatVector best = FloatVector.fromMemorySegment(F, x, b, NATIVE);
      IntVector at = IntVector.zero(I);
      for (long k = 1; k < r; k++) {
        FloatVector v = FloatVector.fromMemorySegment(F, x, b + k * rb, NATIVE);
        VectorMask<Float> m = v.compare(LT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
        best = best.blend(v, m);
        at = at.blend((int) k, m.cast(I));
      }
      storeInts(at, tmp, y, yo + j);
    }
    return bound;
  }

  private static long argMaxF64(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = D.loopBound(inner), rb = inner * Double.BYTES;
    for (long j = 0; j < bound; j += D.length()) {
      long b = (xo + j) * Double.BYTES;
      DoubleVector best = DoubleVector.fromMemorySegment(D, x, b, NATIVE);
      LongVector at = LongVector.zero(L);
      for (long k = 1; k < r; k++) {
        DoubleVector v = DoubleVector.fromMemorySegment(D, x, b + k * rb, NATIVE);
        VectorMask<Double> m = v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
        best = best.blend(v, m);
        at = at.blend(k, m.cast(L));
      }
      Stores.at(at, y, (yo + j) * Long.BYTES);
    }
    return bound;
  }

  private static long argMinF64(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = D.loopBound(inner), rb = inner * Double.BYTES;
    for (long j = 0; j < bound; j += D.length()) {
      long b = (xo + j) * Double.BYTES;
      DoubleVector best = DoubleVector.fromMemorySegment(D, x, b, NATIVE);
      LongVector at = LongVector.zero(L);
      for (long k = 1; k < r; k++) {
        DoubleVector v = DoubleVector.fromMemorySegment(D, x, b + k * rb, NATIVE);
        VectorMask<Double> m = v.compare(LT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
        best = best.blend(v, m);
        at = at.blend(k, m.cast(L));
      }
      Stores.at(at, y, (yo + j) * Long.BYTES);
    }
    return bound;
  }

  private static long argMaxI32(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = I.loopBound(inner), rb = inner * Integer.BYTES;
    int[] tmp = new int[I.length()];
    for (long j = 0; j < bound; j += I.length()) {
      long b = (xo + j) * Integer.BYTES;
      IntVector best = IntVector.fromMemorySegment(I, x, b, NATIVE);
      IntVector at = IntVector.zero(I);
      for (long k = 1; k < r; k++) {
        IntVector v = IntVector.fromMemorySegment(I, x, b + k * rb, NATIVE);
        VectorMask<Integer> m = v.compare(GT, best);
        best = best.blend(v, m);
        at = at.blend((int) k, m);
      }
      storeInts(at, tmp, y, yo + j);
    }
    return bound;
  }

  private static long argMinI32(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = I.loopBound(inner), rb = inner * Integer.BYTES;
    int[] tmp = new int[I.length()];
    for (long j = 0; j < bound; j += I.length()) {
      long b = (xo + j) * Integer.BYTES;
      IntVector best = IntVector.fromMemorySegment(I, x, b, NATIVE);
      IntVector at = IntVector.zero(I);
      for (long k = 1; k < r; k++) {
        IntVector v = IntVector.fromMemorySegment(I, x, b + k * rb, NATIVE);
        VectorMask<Integer> m = v.compare(LT, best);
        best = best.blend(v, m);
        at = at.blend((int) k, m);
      }
      storeInts(at, tmp, y, yo + j);
    }
    return bound;
  }

  private static long argMaxI64(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = L.loopBound(inner), rb = inner * Long.BYTES;
    for (long j = 0; j < bound; j += L.length()) {
      long b = (xo + j) * Long.BYTES;
      LongVector best = LongVector.fromMemorySegment(L, x, b, NATIVE);
      LongVector at = LongVector.zero(L);
      for (long k = 1; k < r; k++) {
        LongVector v = LongVector.fromMemorySegment(L, x, b + k * rb, NATIVE);
        VectorMask<Long> m = v.compare(GT, best);
        best = best.blend(v, m);
        at = at.blend(k, m);
      }
      Stores.at(at, y, (yo + j) * Long.BYTES);
    }
    return bound;
  }

  private static long argMinI64(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo) {
    long bound = L.loopBound(inner), rb = inner * Long.BYTES;
    for (long j = 0; j < bound; j += L.length()) {
      long b = (xo + j) * Long.BYTES;
      LongVector best = LongVector.fromMemorySegment(L, x, b, NATIVE);
      LongVector at = LongVector.zero(L);
      for (long k = 1; k < r; k++) {
        LongVector v = LongVector.fromMemorySegment(L, x, b + k * rb, NATIVE);
        VectorMask<Long> m = v.compare(LT, best);
        best = best.blend(v, m);
        at = at.blend(k, m);
      }
      Stores.at(at, y, (yo + j) * Long.BYTES);
    }
    return bound;
  }
}
