package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHR;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;

/**
 * The INT32 and INT64 loops of {@link UnaryVector}, for the {@linkplain UnaryOp#integral()
 * integral} operators: one per operator, each returning how many elements it did. Arithmetic
 * wraps, as Java's and TensorFlow's.
 */
final class UnaryVectorInt {
  private UnaryVectorInt() {}

  static long i32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    return switch (op) {
      case NEG -> negI32(x, xo, y, yo, n);
      case ABS -> absI32(x, xo, y, yo, n);
      case SIGN -> signI32(x, xo, y, yo, n);
      case SQUARE -> squareI32(x, xo, y, yo, n);
      case RELU -> reluI32(x, xo, y, yo, n);
      case RELU6 -> relu6I32(x, xo, y, yo, n);
      case ROUND -> copy(x, xo, y, yo, n, JAVA_INT.byteSize());
      default -> throw UnaryScalar.notIntegral(op);
    };
  }

  static long i64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    return switch (op) {
      case NEG -> negI64(x, xo, y, yo, n);
      case ABS -> absI64(x, xo, y, yo, n);
      case SIGN -> signI64(x, xo, y, yo, n);
      case SQUARE -> squareI64(x, xo, y, yo, n);
      case RELU -> reluI64(x, xo, y, yo, n);
      case RELU6 -> relu6I64(x, xo, y, yo, n);
      case ROUND -> copy(x, xo, y, yo, n, JAVA_LONG.byteSize());
      default -> throw UnaryScalar.notIntegral(op);
    };
  }

  /** ROUND on integers is the identity: a bulk copy. */
  private static long copy(MemorySegment x, long xo, MemorySegment y, long yo, long n, long size) {
    MemorySegment.copy(x, xo * size, y, yo * size, n * size);
    return n;
  }

  private static IntVector ldI(MemorySegment s, long i) {
    return IntVector.fromMemorySegment(I, s, i * JAVA_INT.byteSize(), NATIVE);
  }

  private static void st(IntVector v, MemorySegment s, long i) {
    Stores.at(v, s, i * JAVA_INT.byteSize());
  }

  private static LongVector ldL(MemorySegment s, long i) {
    return LongVector.fromMemorySegment(L, s, i * JAVA_LONG.byteSize(), NATIVE);
  }

  private static void st(LongVector v, MemorySegment s, long i) {
    Stores.at(v, s, i * JAVA_LONG.byteSize());
  }

  private static long negI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st(ldI(x, xo + i).neg(), y, yo + i);
    }
    return bound;
  }

  private static long absI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st(ldI(x, xo + i).abs(), y, yo + i);
    }
    return bound;
  }

  /** {@code (x >> 31) | (-x >>> 31)}: -1, 0 or 1 (MIN_VALUE included: -MIN_VALUE is negative). */
  private static long signI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      IntVector v = ldI(x, xo + i);
      st(v.lanewise(ASHR, 31).or(v.neg().lanewise(LSHR, 31)), y, yo + i);
    }
    return bound;
  }

  private static long squareI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      IntVector v = ldI(x, xo + i);
      st(v.mul(v), y, yo + i);
    }
    return bound;
  }

  private static long reluI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st(ldI(x, xo + i).max(0), y, yo + i);
    }
    return bound;
  }

  private static long relu6I32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st(ldI(x, xo + i).max(0).min(6), y, yo + i);
    }
    return bound;
  }

  private static long negI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ldL(x, xo + i).neg(), y, yo + i);
    }
    return bound;
  }

  private static long absI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ldL(x, xo + i).abs(), y, yo + i);
    }
    return bound;
  }

  private static long signI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      LongVector v = ldL(x, xo + i);
      st(v.lanewise(ASHR, 63).or(v.neg().lanewise(LSHR, 63)), y, yo + i);
    }
    return bound;
  }

  private static long squareI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      LongVector v = ldL(x, xo + i);
      st(v.mul(v), y, yo + i);
    }
    return bound;
  }

  private static long reluI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ldL(x, xo + i).max(0), y, yo + i);
    }
    return bound;
  }

  private static long relu6I64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ldL(x, xo + i).max(0).min(6), y, yo + i);
    }
    return bound;
  }
}
