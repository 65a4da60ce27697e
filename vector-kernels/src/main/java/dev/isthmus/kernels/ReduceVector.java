package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API "inner" reductions: a contiguous run of {@code n} elements to one value. One loop
 * per operator and dtype (the operator must be a constant at each call for C2). Each loop keeps
 * four independent accumulators over {@code 4 * lanes} elements, then single vectors up to the
 * species loop bound; the scalar twin reduces the tail.
 *
 * <p>Floating sums are pairwise over leaves of {@value #SUM_LEAF_VECTORS} vectors; see {@link
 * ReduceKernels#sumErrorFactorF32} for the error bound this gives.
 */
final class ReduceVector {
  /** Vectors per leaf of the pairwise sum: 16 rounds of the four accumulators. */
  static final int SUM_LEAF_VECTORS = 64;

  static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
  /** Ints in half a long vector, widened by I2L to one {@code L} vector; null if too narrow. */
  static final VectorSpecies<Integer> IH = L.vectorBitSize() < 128 ? null
      : VectorSpecies.of(int.class, VectorShape.forBitSize(L.vectorBitSize() / 2));

  private ReduceVector() {}

  static float f32(ReduceOp op, MemorySegment x, long xo, long n) {
    return switch (op) {
      case SUM -> sumF32(x, xo, n);
      case PROD -> prodF32(x, xo, n);
      case MAX -> maxF32(x, xo, n);
      case MIN -> minF32(x, xo, n);
      default -> throw new IllegalArgumentException(op + " is not a float32 reduction");
    };
  }

  static double f64(ReduceOp op, MemorySegment x, long xo, long n) {
    return switch (op) {
      case SUM -> sumF64(x, xo, n);
      case PROD -> prodF64(x, xo, n);
      case MAX -> maxF64(x, xo, n);
      case MIN -> minF64(x, xo, n);
      default -> throw new IllegalArgumentException(op + " is not a float64 reduction");
    };
  }

  static int i32(ReduceOp op, MemorySegment x, long xo, long n) {
    return switch (op) {
      case SUM -> sumI32(x, xo, n);
      case PROD -> prodI32(x, xo, n);
      case MAX -> maxI32(x, xo, n);
      case MIN -> minI32(x, xo, n);
      default -> throw new IllegalArgumentException(op + " is not an int32 reduction");
    };
  }

  static long i64(ReduceOp op, MemorySegment x, long xo, long n) {
    return switch (op) {
      case SUM -> sumI64(x, xo, n);
      case PROD -> prodI64(x, xo, n);
      case MAX -> maxI64(x, xo, n);
      case MIN -> minI64(x, xo, n);
      default -> throw new IllegalArgumentException(op + " is not an int64 reduction");
    };
  }

  static boolean bool(ReduceOp op, MemorySegment x, long xo, long n) {
    return switch (op) {
      case ALL -> allBool(x, xo, n);
      case ANY -> anyBool(x, xo, n);
      default -> throw new IllegalArgumentException(op + " is not a bool reduction");
    };
  }

  // ---------------------------------------------------------------- FLOAT32

  private static float sumF32(MemorySegment x, long xo, long n) {
    long leaf = (long) SUM_LEAF_VECTORS * F.length();
    if (n <= leaf) {
      return leafSumF32(x, xo, n);
    }
    long h = ((n + leaf - 1) / leaf / 2) * leaf;
    return sumF32(x, xo, h) + sumF32(x, xo + h, n - h);
  }

  private static float leafSumF32(MemorySegment x, long xo, long n) {
    int w = F.length();
    long b = xo * Float.BYTES, vb = F.vectorByteSize();
    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Float.BYTES;
      a0 = a0.add(FloatVector.fromMemorySegment(F, x, o, NATIVE));
      a1 = a1.add(FloatVector.fromMemorySegment(F, x, o + vb, NATIVE));
      a2 = a2.add(FloatVector.fromMemorySegment(F, x, o + 2 * vb, NATIVE));
      a3 = a3.add(FloatVector.fromMemorySegment(F, x, o + 3 * vb, NATIVE));
    }
    for (long bound = F.loopBound(n); i < bound; i += w) {
      a0 = a0.add(FloatVector.fromMemorySegment(F, x, b + i * Float.BYTES, NATIVE));
    }
    float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    return i == n ? s : s + ReduceScalar.f32(ReduceOp.SUM, x, xo + i, n - i);
  }

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
    float p = a0.mul(a1).mul(a2.mul(a3)).reduceLanes(VectorOperators.MUL);
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

  private static double sumF64(MemorySegment x, long xo, long n) {
    long leaf = (long) SUM_LEAF_VECTORS * D.length();
    if (n <= leaf) {
      return leafSumF64(x, xo, n);
    }
    long h = ((n + leaf - 1) / leaf / 2) * leaf;
    return sumF64(x, xo, h) + sumF64(x, xo + h, n - h);
  }

  private static double leafSumF64(MemorySegment x, long xo, long n) {
    int w = D.length();
    long b = xo * Double.BYTES, vb = D.vectorByteSize();
    DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Double.BYTES;
      a0 = a0.add(DoubleVector.fromMemorySegment(D, x, o, NATIVE));
      a1 = a1.add(DoubleVector.fromMemorySegment(D, x, o + vb, NATIVE));
      a2 = a2.add(DoubleVector.fromMemorySegment(D, x, o + 2 * vb, NATIVE));
      a3 = a3.add(DoubleVector.fromMemorySegment(D, x, o + 3 * vb, NATIVE));
    }
    for (long bound = D.loopBound(n); i < bound; i += w) {
      a0 = a0.add(DoubleVector.fromMemorySegment(D, x, b + i * Double.BYTES, NATIVE));
    }
    double s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    return i == n ? s : s + ReduceScalar.f64(ReduceOp.SUM, x, xo + i, n - i);
  }

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
    double p = a0.mul(a1).mul(a2.mul(a3)).reduceLanes(VectorOperators.MUL);
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

  // ---------------------------------------------------------------- INT32

  private static int sumI32(MemorySegment x, long xo, long n) {
    int w = I.length();
    long b = xo * Integer.BYTES, vb = I.vectorByteSize();
    IntVector a0 = IntVector.zero(I), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Integer.BYTES;
      a0 = a0.add(IntVector.fromMemorySegment(I, x, o, NATIVE));
      a1 = a1.add(IntVector.fromMemorySegment(I, x, o + vb, NATIVE));
      a2 = a2.add(IntVector.fromMemorySegment(I, x, o + 2 * vb, NATIVE));
      a3 = a3.add(IntVector.fromMemorySegment(I, x, o + 3 * vb, NATIVE));
    }
    for (long bound = I.loopBound(n); i < bound; i += w) {
      a0 = a0.add(IntVector.fromMemorySegment(I, x, b + i * Integer.BYTES, NATIVE));
    }
    int s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    return s + ReduceScalar.i32(ReduceOp.SUM, x, xo + i, n - i);
  }

  private static int prodI32(MemorySegment x, long xo, long n) {
    int w = I.length();
    long b = xo * Integer.BYTES, vb = I.vectorByteSize();
    IntVector a0 = IntVector.broadcast(I, 1), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Integer.BYTES;
      a0 = a0.mul(IntVector.fromMemorySegment(I, x, o, NATIVE));
      a1 = a1.mul(IntVector.fromMemorySegment(I, x, o + vb, NATIVE));
      a2 = a2.mul(IntVector.fromMemorySegment(I, x, o + 2 * vb, NATIVE));
      a3 = a3.mul(IntVector.fromMemorySegment(I, x, o + 3 * vb, NATIVE));
    }
    for (long bound = I.loopBound(n); i < bound; i += w) {
      a0 = a0.mul(IntVector.fromMemorySegment(I, x, b + i * Integer.BYTES, NATIVE));
    }
    int p = a0.mul(a1).mul(a2.mul(a3)).reduceLanes(VectorOperators.MUL);
    return p * ReduceScalar.i32(ReduceOp.PROD, x, xo + i, n - i);
  }

  private static int maxI32(MemorySegment x, long xo, long n) {
    int w = I.length();
    long b = xo * Integer.BYTES, vb = I.vectorByteSize();
    IntVector a0 = IntVector.broadcast(I, Integer.MIN_VALUE), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Integer.BYTES;
      a0 = a0.max(IntVector.fromMemorySegment(I, x, o, NATIVE));
      a1 = a1.max(IntVector.fromMemorySegment(I, x, o + vb, NATIVE));
      a2 = a2.max(IntVector.fromMemorySegment(I, x, o + 2 * vb, NATIVE));
      a3 = a3.max(IntVector.fromMemorySegment(I, x, o + 3 * vb, NATIVE));
    }
    for (long bound = I.loopBound(n); i < bound; i += w) {
      a0 = a0.max(IntVector.fromMemorySegment(I, x, b + i * Integer.BYTES, NATIVE));
    }
    int m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    return Math.max(m, ReduceScalar.i32(ReduceOp.MAX, x, xo + i, n - i));
  }

  private static int minI32(MemorySegment x, long xo, long n) {
    int w = I.length();
    long b = xo * Integer.BYTES, vb = I.vectorByteSize();
    IntVector a0 = IntVector.broadcast(I, Integer.MAX_VALUE), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Integer.BYTES;
      a0 = a0.min(IntVector.fromMemorySegment(I, x, o, NATIVE));
      a1 = a1.min(IntVector.fromMemorySegment(I, x, o + vb, NATIVE));
      a2 = a2.min(IntVector.fromMemorySegment(I, x, o + 2 * vb, NATIVE));
      a3 = a3.min(IntVector.fromMemorySegment(I, x, o + 3 * vb, NATIVE));
    }
    for (long bound = I.loopBound(n); i < bound; i += w) {
      a0 = a0.min(IntVector.fromMemorySegment(I, x, b + i * Integer.BYTES, NATIVE));
    }
    int m = a0.min(a1).min(a2.min(a3)).reduceLanes(VectorOperators.MIN);
    return Math.min(m, ReduceScalar.i32(ReduceOp.MIN, x, xo + i, n - i));
  }

  /** INT32 summed in INT64: each half-width int vector widens to one long vector. */
  static long i32Wide(MemorySegment x, long xo, long n) {
    if (IH == null) {
      return ReduceScalar.i32Wide(x, xo, n, 1);
    }
    int w = L.length();
    long b = xo * Integer.BYTES, vb = IH.vectorByteSize();
    LongVector a0 = LongVector.zero(L), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Integer.BYTES;
      a0 = a0.add(widen(x, o));
      a1 = a1.add(widen(x, o + vb));
      a2 = a2.add(widen(x, o + 2 * vb));
      a3 = a3.add(widen(x, o + 3 * vb));
    }
    for (long bound = n & -(long) w; i < bound; i += w) {
      a0 = a0.add(widen(x, b + i * Integer.BYTES));
    }
    long s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    return s + ReduceScalar.i32Wide(x, xo + i, n - i, 1);
  }

  static LongVector widen(MemorySegment x, long byteOffset) {
    return (LongVector) IntVector.fromMemorySegment(IH, x, byteOffset, NATIVE)
        .convertShape(VectorOperators.I2L, L, 0);
  }

  // ---------------------------------------------------------------- INT64

  private static long sumI64(MemorySegment x, long xo, long n) {
    int w = L.length();
    long b = xo * Long.BYTES, vb = L.vectorByteSize();
    LongVector a0 = LongVector.zero(L), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Long.BYTES;
      a0 = a0.add(LongVector.fromMemorySegment(L, x, o, NATIVE));
      a1 = a1.add(LongVector.fromMemorySegment(L, x, o + vb, NATIVE));
      a2 = a2.add(LongVector.fromMemorySegment(L, x, o + 2 * vb, NATIVE));
      a3 = a3.add(LongVector.fromMemorySegment(L, x, o + 3 * vb, NATIVE));
    }
    for (long bound = L.loopBound(n); i < bound; i += w) {
      a0 = a0.add(LongVector.fromMemorySegment(L, x, b + i * Long.BYTES, NATIVE));
    }
    long s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    return s + ReduceScalar.i64(ReduceOp.SUM, x, xo + i, n - i);
  }

  private static long prodI64(MemorySegment x, long xo, long n) {
    int w = L.length();
    long b = xo * Long.BYTES, vb = L.vectorByteSize();
    LongVector a0 = LongVector.broadcast(L, 1L), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Long.BYTES;
      a0 = a0.mul(LongVector.fromMemorySegment(L, x, o, NATIVE));
      a1 = a1.mul(LongVector.fromMemorySegment(L, x, o + vb, NATIVE));
      a2 = a2.mul(LongVector.fromMemorySegment(L, x, o + 2 * vb, NATIVE));
      a3 = a3.mul(LongVector.fromMemorySegment(L, x, o + 3 * vb, NATIVE));
    }
    for (long bound = L.loopBound(n); i < bound; i += w) {
      a0 = a0.mul(LongVector.fromMemorySegment(L, x, b + i * Long.BYTES, NATIVE));
    }
    long p = a0.mul(a1).mul(a2.mul(a3)).reduceLanes(VectorOperators.MUL);
    return p * ReduceScalar.i64(ReduceOp.PROD, x, xo + i, n - i);
  }

  private static long maxI64(MemorySegment x, long xo, long n) {
    int w = L.length();
    long b = xo * Long.BYTES, vb = L.vectorByteSize();
    LongVector a0 = LongVector.broadcast(L, Long.MIN_VALUE), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Long.BYTES;
      a0 = a0.max(LongVector.fromMemorySegment(L, x, o, NATIVE));
      a1 = a1.max(LongVector.fromMemorySegment(L, x, o + vb, NATIVE));
      a2 = a2.max(LongVector.fromMemorySegment(L, x, o + 2 * vb, NATIVE));
      a3 = a3.max(LongVector.fromMemorySegment(L, x, o + 3 * vb, NATIVE));
    }
    for (long bound = L.loopBound(n); i < bound; i += w) {
      a0 = a0.max(LongVector.fromMemorySegment(L, x, b + i * Long.BYTES, NATIVE));
    }
    long m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    return Math.max(m, ReduceScalar.i64(ReduceOp.MAX, x, xo + i, n - i));
  }

  private static long minI64(MemorySegment x, long xo, long n) {
    int w = L.length();
    long b = xo * Long.BYTES, vb = L.vectorByteSize();
    LongVector a0 = LongVector.broadcast(L, Long.MAX_VALUE), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = b + i * Long.BYTES;
      a0 = a0.min(LongVector.fromMemorySegment(L, x, o, NATIVE));
      a1 = a1.min(LongVector.fromMemorySegment(L, x, o + vb, NATIVE));
      a2 = a2.min(LongVector.fromMemorySegment(L, x, o + 2 * vb, NATIVE));
      a3 = a3.min(LongVector.fromMemorySegment(L, x, o + 3 * vb, NATIVE));
    }
    for (long bound = L.loopBound(n); i < bound; i += w) {
      a0 = a0.min(LongVector.fromMemorySegment(L, x, b + i * Long.BYTES, NATIVE));
    }
    long m = a0.min(a1).min(a2.min(a3)).reduceLanes(VectorOperators.MIN);
    return Math.min(m, ReduceScalar.i64(ReduceOp.MIN, x, xo + i, n - i));
  }

  // ---------------------------------------------------------------- BOOL (bytes 0 or 1)

  // Four vectors at a time are combined, then tested once: stop at the first 0 (ALL).
  private static boolean allBool(MemorySegment x, long xo, long n) {
    int w = B.length();
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = xo + i;
      ByteVector v = ByteVector.fromMemorySegment(B, x, o, NATIVE)
          .and(ByteVector.fromMemorySegment(B, x, o + w, NATIVE))
          .and(ByteVector.fromMemorySegment(B, x, o + 2L * w, NATIVE))
          .and(ByteVector.fromMemorySegment(B, x, o + 3L * w, NATIVE));
      if (v.compare(VectorOperators.EQ, (byte) 0).anyTrue()) {
        return false;
      }
    }
    for (long bound = B.loopBound(n); i < bound; i += w) {
      if (ByteVector.fromMemorySegment(B, x, xo + i, NATIVE)
          .compare(VectorOperators.EQ, (byte) 0).anyTrue()) {
        return false;
      }
    }
    return ReduceScalar.bool(ReduceOp.ALL, x, xo + i, n - i, 1);
  }

  // ... and at the first 1 (ANY).
  private static boolean anyBool(MemorySegment x, long xo, long n) {
    int w = B.length();
    long i = 0;
    for (long bound4 = n & -(4L * w); i < bound4; i += 4L * w) {
      long o = xo + i;
      ByteVector v = ByteVector.fromMemorySegment(B, x, o, NATIVE)
          .or(ByteVector.fromMemorySegment(B, x, o + w, NATIVE))
          .or(ByteVector.fromMemorySegment(B, x, o + 2L * w, NATIVE))
          .or(ByteVector.fromMemorySegment(B, x, o + 3L * w, NATIVE));
      if (v.compare(VectorOperators.NE, (byte) 0).anyTrue()) {
        return true;
      }
    }
    for (long bound = B.loopBound(n); i < bound; i += w) {
      if (ByteVector.fromMemorySegment(B, x, xo + i, NATIVE)
          .compare(VectorOperators.NE, (byte) 0).anyTrue()) {
        return true;
      }
    }
    return ReduceScalar.bool(ReduceOp.ANY, x, xo + i, n - i, 1);
  }

  // ---------------------------------------------------------------- mean

  static void divF32(MemorySegment y, long yo, long n, float d) {
    long i = 0, b = yo * Float.BYTES;
    for (long bound = F.loopBound(n); i < bound; i += F.length()) {
      long o = b + i * Float.BYTES;
      FloatVector.fromMemorySegment(F, y, o, NATIVE).div(d).intoMemorySegment(y, o, NATIVE);
    }
    ReduceScalar.divF32(y, yo + i, n - i, d);
  }

  static void divF64(MemorySegment y, long yo, long n, double d) {
    long i = 0, b = yo * Double.BYTES;
    for (long bound = D.loopBound(n); i < bound; i += D.length()) {
      long o = b + i * Double.BYTES;
      DoubleVector.fromMemorySegment(D, y, o, NATIVE).div(d).intoMemorySegment(y, o, NATIVE);
    }
    ReduceScalar.divF64(y, yo + i, n - i, d);
  }
}
