package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API "inner" reductions: a contiguous run of {@code n} elements to one value. One loop
 * per operator and dtype (the operator must be a constant at each call for C2). Each loop keeps
 * four independent accumulators over {@code 4 * lanes} elements, then single vectors up to the
 * species loop bound; the scalar twin reduces the tail. The INT32, INT64 and BOOL loops are in
 * {@link ReduceIntVector}.
 *
 * <p>Floating sums are {@link ReduceSumVector}'s (blocked and pairwise, eight accumulators); see
 * {@link ReduceKernels#sumErrorFactorF32} for the error bound.
 */
final class ReduceVector {
  static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
  /** Ints in half a long vector, widened by I2L to one {@code L} vector; null if too narrow. */
  static final VectorSpecies<Integer> IH = L.vectorBitSize() < 128 ? null
      : VectorSpecies.of(int.class, VectorShape.forBitSize(L.vectorBitSize() / 2));

  private ReduceVector() {}

  static float f32(ReduceOp op, MemorySegment x, long xo, long n) {
    return switch (op) {
      case SUM -> ReduceSumVector.f32(x, xo, n);
      case PROD -> prodF32(x, xo, n);
      case MAX -> maxF32(x, xo, n);
      case MIN -> minF32(x, xo, n);
      default -> throw new IllegalArgumentException(op + " is not a float32 reduction");
    };
  }

  static double f64(ReduceOp op, MemorySegment x, long xo, long n) {
    return switch (op) {
      case SUM -> ReduceSumVector.f64(x, xo, n);
      case PROD -> prodF64(x, xo, n);
      case MAX -> maxF64(x, xo, n);
      case MIN -> minF64(x, xo, n);
      default -> throw new IllegalArgumentException(op + " is not a float64 reduction");
    };
  }

  // ---------------------------------------------------------------- FLOAT32

  private static float prodF32(MemorySegment x, long xo, long n) {
    int w = F.length();
    long b = xo * Float.BYTES, vb = F.vectorByteSize();
    FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Float.BYTES;
      a0 = a0.mul(FloatVector.fromMemorySegment(F, x, o, NATIVE));
      a1 = a1.mul(FloatVector.fromMemorySegment(F, x, o + vb, NATIVE));
      a2 = a2.mul(FloatVector.fromMemorySegment(F, x, o + 2 * vb, NATIVE));
      a3 = a3.mul(FloatVector.fromMemorySegment(F, x, o + 3 * vb, NATIVE));
    }
    for (long bound = F.loopBound(n); i < bound; i += w) {
      a0 = a0.mul(FloatVector.fromMemorySegment(F, x, b + i * Float.BYTES, NATIVE));
    }
    float p = LaneSums.product(a0.mul(a1).mul(a2.mul(a3)));
    return p * ReduceScalar.f32(ReduceOp.PROD, x, xo + i, n - i);
  }

  private static float maxF32(MemorySegment x, long xo, long n) {
    int w = F.length();
    long b = xo * Float.BYTES, vb = F.vectorByteSize();
    FloatVector a0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Float.BYTES;
      a0 = a0.max(FloatVector.fromMemorySegment(F, x, o, NATIVE));
      a1 = a1.max(FloatVector.fromMemorySegment(F, x, o + vb, NATIVE));
      a2 = a2.max(FloatVector.fromMemorySegment(F, x, o + 2 * vb, NATIVE));
      a3 = a3.max(FloatVector.fromMemorySegment(F, x, o + 3 * vb, NATIVE));
    }
    for (long bound = F.loopBound(n); i < bound; i += w) {
      a0 = a0.max(FloatVector.fromMemorySegment(F, x, b + i * Float.BYTES, NATIVE));
    }
    float m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    return Math.max(m, ReduceScalar.f32(ReduceOp.MAX, x, xo + i, n - i));
  }

  private static float minF32(MemorySegment x, long xo, long n) {
    int w = F.length();
    long b = xo * Float.BYTES, vb = F.vectorByteSize();
    FloatVector a0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Float.BYTES;
      a0 = a0.min(FloatVector.fromMemorySegment(F, x, o, NATIVE));
      a1 = a1.min(FloatVector.fromMemorySegment(F, x, o + vb, NATIVE));
      a2 = a2.min(FloatVector.fromMemorySegment(F, x, o + 2 * vb, NATIVE));
      a3 = a3.min(FloatVector.fromMemorySegment(F, x, o + 3 * vb, NATIVE));
    }
    for (long bound = F.loopBound(n); i < bound; i += w) {
      a0 = a0.min(FloatVector.fromMemorySegment(F, x, b + i * Float.BYTES, NATIVE));
    }
    float m = a0.min(a1).min(a2.min(a3)).reduceLanes(VectorOperators.MIN);
    return Math.min(m, ReduceScalar.f32(ReduceOp.MIN, x, xo + i, n - i));
  }

  // ---------------------------------------------------------------- FLOAT64

  private static double prodF64(MemorySegment x, long xo, long n) {
    int w = D.length();
    long b = xo * Double.BYTES, vb = D.vectorByteSize();
    DoubleVector a0 = DoubleVector.broadcast(D, 1.0), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Double.BYTES;
      a0 = a0.mul(DoubleVector.fromMemorySegment(D, x, o, NATIVE));
      a1 = a1.mul(DoubleVector.fromMemorySegment(D, x, o + vb, NATIVE));
      a2 = a2.mul(DoubleVector.fromMemorySegment(D, x, o + 2 * vb, NATIVE));
      a3 = a3.mul(DoubleVector.fromMemorySegment(D, x, o + 3 * vb, NATIVE));
    }
    for (long bound = D.loopBound(n); i < bound; i += w) {
      a0 = a0.mul(DoubleVector.fromMemorySegment(D, x, b + i * Double.BYTES, NATIVE));
    }
    double p = LaneSums.product(a0.mul(a1).mul(a2.mul(a3)));
    return p * ReduceScalar.f64(ReduceOp.PROD, x, xo + i, n - i);
  }

  private static double maxF64(MemorySegment x, long xo, long n) {
    int w = D.length();
    long b = xo * Double.BYTES, vb = D.vectorByteSize();
    DoubleVector a0 = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
    DoubleVector a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Double.BYTES;
      a0 = a0.max(DoubleVector.fromMemorySegment(D, x, o, NATIVE));
      a1 = a1.max(DoubleVector.fromMemorySegment(D, x, o + vb, NATIVE));
      a2 = a2.max(DoubleVector.fromMemorySegment(D, x, o + 2 * vb, NATIVE));
      a3 = a3.max(DoubleVector.fromMemorySegment(D, x, o + 3 * vb, NATIVE));
    }
    for (long bound = D.loopBound(n); i < bound; i += w) {
      a0 = a0.max(DoubleVector.fromMemorySegment(D, x, b + i * Double.BYTES, NATIVE));
    }
    double m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    return Math.max(m, ReduceScalar.f64(ReduceOp.MAX, x, xo + i, n - i));
  }

  private static double minF64(MemorySegment x, long xo, long n) {
    int w = D.length();
    long b = xo * Double.BYTES, vb = D.vectorByteSize();
    DoubleVector a0 = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
    DoubleVector a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Double.BYTES;
      a0 = a0.min(DoubleVector.fromMemorySegment(D, x, o, NATIVE));
      a1 = a1.min(DoubleVector.fromMemorySegment(D, x, o + vb, NATIVE));
      a2 = a2.min(DoubleVector.fromMemorySegment(D, x, o + 2 * vb, NATIVE));
      a3 = a3.min(DoubleVector.fromMemorySegment(D, x, o + 3 * vb, NATIVE));
    }
    for (long bound = D.loopBound(n); i < bound; i += w) {
      a0 = a0.min(DoubleVector.fromMemorySegment(D, x, b + i * Double.BYTES, NATIVE));
    }
    double m = a0.min(a1).min(a2.min(a3)).reduceLanes(VectorOperators.MIN);
    return Math.min(m, ReduceScalar.f64(ReduceOp.MIN, x, xo + i, n - i));
  }

  // ---------------------------------------------------------------- mean

  static void divF32(MemorySegment y, long yo, long n, float d) {
    long i = 0, b = yo * Float.BYTES;
    for (long bound = F.loopBound(n); i < bound; i += F.length()) {
      long o = b + i * Float.BYTES;
      Stores.at(FloatVector.fromMemorySegment(F, y, o, NATIVE).div(d), y, o);
    }
    ReduceScalar.divF32(y, yo + i, n - i, d);
  }

  static void divF64(MemorySegment y, long yo, long n, double d) {
    long i = 0, b = yo * Double.BYTES;
    for (long bound = D.loopBound(n); i < bound; i += D.length()) {
      long o = b + i * Double.BYTES;
      Stores.at(DoubleVector.fromMemorySegment(D, y, o, NATIVE).div(d), y, o);
    }
    ReduceScalar.divF64(y, yo + i, n - i, d);
  }
}
