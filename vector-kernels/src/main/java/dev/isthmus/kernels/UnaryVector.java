package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API implementations of the unary operators. One loop per operator, because the
 * operator must be a compile-time constant at each {@code lanewise} call for C2 to intrinsify
 * it: a loop shared through a parameter would not be. Each loop: species loop bound, then the
 * scalar twin for the tail.
 */
final class UnaryVector {
  private UnaryVector() {}

  static void f32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = switch (op) {
      case NEG -> negF32(x, xo, y, yo, n);
      case EXP -> expF32(x, xo, y, yo, n);
    };
    UnaryScalar.f32(op, x, xo + done, y, yo + done, n - done);
  }

  static void f64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = switch (op) {
      case NEG -> negF64(x, xo, y, yo, n);
      case EXP -> expF64(x, xo, y, yo, n);
    };
    UnaryScalar.f64(op, x, xo + done, y, yo + done, n - done);
  }

  // Each loop returns how many elements it did; the caller's scalar twin does the tail.

  private static long negF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    long xb = xo * JAVA_FLOAT.byteSize(), yb = yo * JAVA_FLOAT.byteSize();
    long step = F.vectorByteSize();
    for (long i = 0, b = 0; i < bound; i += F.length(), b += step) {
      FloatVector.fromMemorySegment(F, x, xb + b, NATIVE).neg().intoMemorySegment(y, yb + b, NATIVE);
    }
    return bound;
  }

  private static long expF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    long xb = xo * JAVA_FLOAT.byteSize(), yb = yo * JAVA_FLOAT.byteSize();
    long step = F.vectorByteSize();
    for (long i = 0, b = 0; i < bound; i += F.length(), b += step) {
      FloatVector.fromMemorySegment(F, x, xb + b, NATIVE)
          .lanewise(VectorOperators.EXP)
          .intoMemorySegment(y, yb + b, NATIVE);
    }
    return bound;
  }

  private static long negF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    long xb = xo * JAVA_DOUBLE.byteSize(), yb = yo * JAVA_DOUBLE.byteSize();
    long step = D.vectorByteSize();
    for (long i = 0, b = 0; i < bound; i += D.length(), b += step) {
      DoubleVector.fromMemorySegment(D, x, xb + b, NATIVE).neg().intoMemorySegment(y, yb + b, NATIVE);
    }
    return bound;
  }

  private static long expF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    long xb = xo * JAVA_DOUBLE.byteSize(), yb = yo * JAVA_DOUBLE.byteSize();
    long step = D.vectorByteSize();
    for (long i = 0, b = 0; i < bound; i += D.length(), b += step) {
      DoubleVector.fromMemorySegment(D, x, xb + b, NATIVE)
          .lanewise(VectorOperators.EXP)
          .intoMemorySegment(y, yb + b, NATIVE);
    }
    return bound;
  }
}
