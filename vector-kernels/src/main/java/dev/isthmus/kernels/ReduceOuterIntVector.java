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

/**
 * Vector API outer reductions of the columns {@code [0, cols)} of INT32, INT64 and BOOL {@code
 * [r, stride]} blocks (the floating ones are in {@link ReduceOuterVector}): one vector of
 * columns at a time, two accumulators over alternate rows; the columns past the loop bound go to
 * the scalar twin.
 */
final class ReduceOuterIntVector {
  private ReduceOuterIntVector() {}

  private static IntVector i(MemorySegment x, long o) {
    return IntVector.fromMemorySegment(I, x, o, NATIVE);
  }

  private static LongVector l(MemorySegment x, long o) {
    return LongVector.fromMemorySegment(L, x, o, NATIVE);
  }

  static void i32(ReduceOp op, MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long done = switch (op) {
      case SUM -> sumI32(x, xo, r, stride, cols, y, yo);
      case PROD -> prodI32(x, xo, r, stride, cols, y, yo);
      case MAX -> maxI32(x, xo, r, stride, cols, y, yo);
      case MIN -> minI32(x, xo, r, stride, cols, y, yo);
      default -> throw new IllegalArgumentException(op + " is not an int32 reduction");
    };
    ReduceScalar.i32Columns(op, x, xo, r, stride, done, cols, y, yo);
  }

  static void i64(ReduceOp op, MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long done = switch (op) {
      case SUM -> sumI64(x, xo, r, stride, cols, y, yo);
      case PROD -> prodI64(x, xo, r, stride, cols, y, yo);
      case MAX -> maxI64(x, xo, r, stride, cols, y, yo);
      case MIN -> minI64(x, xo, r, stride, cols, y, yo);
      default -> throw new IllegalArgumentException(op + " is not an int64 reduction");
    };
    ReduceScalar.i64Columns(op, x, xo, r, stride, done, cols, y, yo);
  }

  static void bool(ReduceOp op, MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long done = switch (op) {
      case ALL -> allBool(x, xo, r, stride, cols, y, yo);
      case ANY -> anyBool(x, xo, r, stride, cols, y, yo);
      default -> throw new IllegalArgumentException(op + " is not a bool reduction");
    };
    ReduceScalar.boolColumns(op, x, xo, r, stride, done, cols, y, yo);
  }

  // ---------------------------------------------------------------- INT32 (wrapping)

  private static long sumI32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = I.loopBound(cols), rb = stride * Integer.BYTES;
    for (long j = 0; j < bound; j += I.length()) {
      long b = (xo + j) * Integer.BYTES;
      IntVector a0 = IntVector.zero(I), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.add(i(x, b + k * rb));
        a1 = a1.add(i(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.add(i(x, b + k * rb));
      }
      Stores.at(a0.add(a1), y, (yo + j) * Integer.BYTES);
    }
    return bound;
  }

  private static long prodI32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = I.loopBound(cols), rb = stride * Integer.BYTES;
    for (long j = 0; j < bound; j += I.length()) {
      long b = (xo + j) * Integer.BYTES;
      IntVector a0 = IntVector.broadcast(I, 1), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.mul(i(x, b + k * rb));
        a1 = a1.mul(i(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.mul(i(x, b + k * rb));
      }
      Stores.at(a0.mul(a1), y, (yo + j) * Integer.BYTES);
    }
    return bound;
  }

  private static long maxI32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = I.loopBound(cols), rb = stride * Integer.BYTES;
    for (long j = 0; j < bound; j += I.length()) {
      long b = (xo + j) * Integer.BYTES;
      IntVector a0 = IntVector.broadcast(I, Integer.MIN_VALUE), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.max(i(x, b + k * rb));
        a1 = a1.max(i(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.max(i(x, b + k * rb));
      }
      Stores.at(a0.max(a1), y, (yo + j) * Integer.BYTES);
    }
    return bound;
  }

  private static long minI32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = I.loopBound(cols), rb = stride * Integer.BYTES;
    for (long j = 0; j < bound; j += I.length()) {
      long b = (xo + j) * Integer.BYTES;
      IntVector a0 = IntVector.broadcast(I, Integer.MAX_VALUE), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.min(i(x, b + k * rb));
        a1 = a1.min(i(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.min(i(x, b + k * rb));
      }
      Stores.at(a0.min(a1), y, (yo + j) * Integer.BYTES);
    }
    return bound;
  }

  /** INT32 columns summed into INT64 {@code y}; the tail goes to the scalar twin. */
  static void i32Wide(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = IH == null ? 0 : cols & -(long) L.length();
    long rb = stride * Integer.BYTES;
    for (long j = 0; j < bound; j += L.length()) {
      long b = (xo + j) * Integer.BYTES;
      LongVector a0 = LongVector.zero(L), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.add(ReduceIntVector.widen(x, b + k * rb));
        a1 = a1.add(ReduceIntVector.widen(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.add(ReduceIntVector.widen(x, b + k * rb));
      }
      Stores.at(a0.add(a1), y, (yo + j) * Long.BYTES);
    }
    ReduceScalar.i32WideColumns(x, xo, r, stride, bound, cols, y, yo);
  }

  // ---------------------------------------------------------------- INT64 (wrapping)

  private static long sumI64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = L.loopBound(cols), rb = stride * Long.BYTES;
    for (long j = 0; j < bound; j += L.length()) {
      long b = (xo + j) * Long.BYTES;
      LongVector a0 = LongVector.zero(L), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.add(l(x, b + k * rb));
        a1 = a1.add(l(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.add(l(x, b + k * rb));
      }
      Stores.at(a0.add(a1), y, (yo + j) * Long.BYTES);
    }
    return bound;
  }

  private static long prodI64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = L.loopBound(cols), rb = stride * Long.BYTES;
    for (long j = 0; j < bound; j += L.length()) {
      long b = (xo + j) * Long.BYTES;
      LongVector a0 = LongVector.broadcast(L, 1L), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.mul(l(x, b + k * rb));
        a1 = a1.mul(l(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.mul(l(x, b + k * rb));
      }
      Stores.at(a0.mul(a1), y, (yo + j) * Long.BYTES);
    }
    return bound;
  }

  private static long maxI64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = L.loopBound(cols), rb = stride * Long.BYTES;
    for (long j = 0; j < bound; j += L.length()) {
      long b = (xo + j) * Long.BYTES;
      LongVector a0 = LongVector.broadcast(L, Long.MIN_VALUE), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.max(l(x, b + k * rb));
        a1 = a1.max(l(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.max(l(x, b + k * rb));
      }
      Stores.at(a0.max(a1), y, (yo + j) * Long.BYTES);
    }
    return bound;
  }

  private static long minI64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = L.loopBound(cols), rb = stride * Long.BYTES;
    for (long j = 0; j < bound; j += L.length()) {
      long b = (xo + j) * Long.BYTES;
      LongVector a0 = LongVector.broadcast(L, Long.MAX_VALUE), a1 = a0;
      long k = 0;
      for (; k + 2 <= r; k += 2) {
        a0 = a0.min(l(x, b + k * rb));
        a1 = a1.min(l(x, b + (k + 1) * rb));
      }
      for (; k < r; k++) {
        a0 = a0.min(l(x, b + k * rb));
      }
      Stores.at(a0.min(a1), y, (yo + j) * Long.BYTES);
    }
    return bound;
  }

  // ---------------------------------------------------------------- BOOL (bytes 0 or 1)

  private static long allBool(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = B.loopBound(cols);
    for (long j = 0; j < bound; j += B.length()) {
      ByteVector a = ByteVector.broadcast(B, (byte) 1);
      for (long k = 0; k < r; k++) {
        a = a.and(ByteVector.fromMemorySegment(B, x, xo + j + k * stride, NATIVE));
      }
      Stores.at(a, y, yo + j);
    }
    return bound;
  }

  private static long anyBool(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = B.loopBound(cols);
    for (long j = 0; j < bound; j += B.length()) {
      ByteVector a = ByteVector.zero(B);
      for (long k = 0; k < r; k++) {
        a = a.or(ByteVector.fromMemorySegment(B, x, xo + j + k * stride, NATIVE));
      }
      Stores.at(a, y, yo + j);
    }
    return bound;
  }
}
