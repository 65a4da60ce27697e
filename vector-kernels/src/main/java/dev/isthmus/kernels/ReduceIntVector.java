package dev.isthmus.kernels;

import static dev.isthmus.kernels.ReduceVector.B;
import static dev.isthmus.kernels.ReduceVector.IH;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API inner reductions of INT32, INT64 and BOOL runs (the floating ones are in {@link
 * ReduceVector}): four accumulators, then single vectors to the loop bound, then the scalar twin
 * for the tail. Integer SUM and PROD wrap, so any order gives the twin's exact result.
 */
final class ReduceIntVector {
  private ReduceIntVector() {}

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
}
