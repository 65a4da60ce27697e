package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.D;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.DoubleVector;

/**
 * FLOAT32 and FLOAT64 comparison loops: one per operator and form, each storing its mask
 * as BOOL bytes through {@link BoolLanes}. {@code vv} has loops for EQUAL, NOT_EQUAL, LESS
 * and LESS_EQUAL only: GREATER(a, b) is LESS(b, a). Each returns how many elements it did.
 */
final class CompareVectorFloat {
  private CompareVectorFloat() {}

  static long f32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalF32VV(a, ao, b, bo, y, yo, n);
      case NOT_EQUAL -> notEqualF32VV(a, ao, b, bo, y, yo, n);
      case LESS -> lessF32VV(a, ao, b, bo, y, yo, n);
      case LESS_EQUAL -> lessEqualF32VV(a, ao, b, bo, y, yo, n);
      case GREATER -> lessF32VV(b, bo, a, ao, y, yo, n);
      case GREATER_EQUAL -> lessEqualF32VV(b, bo, a, ao, y, yo, n);
    };
  }

  static long f32vs(CompareOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalF32VS(a, ao, b, y, yo, n);
      case NOT_EQUAL -> notEqualF32VS(a, ao, b, y, yo, n);
      case LESS -> lessF32VS(a, ao, b, y, yo, n);
      case LESS_EQUAL -> lessEqualF32VS(a, ao, b, y, yo, n);
      case GREATER -> greaterF32VS(a, ao, b, y, yo, n);
      case GREATER_EQUAL -> greaterEqualF32VS(a, ao, b, y, yo, n);
    };
  }

  private static FloatVector ldF32(MemorySegment s, long e) {
    return FloatVector.fromMemorySegment(F, s, e * Float.BYTES, NATIVE);
  }

  static long f64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalF64VV(a, ao, b, bo, y, yo, n);
      case NOT_EQUAL -> notEqualF64VV(a, ao, b, bo, y, yo, n);
      case LESS -> lessF64VV(a, ao, b, bo, y, yo, n);
      case LESS_EQUAL -> lessEqualF64VV(a, ao, b, bo, y, yo, n);
      case GREATER -> lessF64VV(b, bo, a, ao, y, yo, n);
      case GREATER_EQUAL -> lessEqualF64VV(b, bo, a, ao, y, yo, n);
    };
  }

  static long f64vs(CompareOp op, MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalF64VS(a, ao, b, y, yo, n);
      case NOT_EQUAL -> notEqualF64VS(a, ao, b, y, yo, n);
      case LESS -> lessF64VS(a, ao, b, y, yo, n);
      case LESS_EQUAL -> lessEqualF64VS(a, ao, b, y, yo, n);
      case GREATER -> greaterF64VS(a, ao, b, y, yo, n);
      case GREATER_EQUAL -> greaterEqualF64VS(a, ao, b, y, yo, n);
    };
  }

  private static DoubleVector ldF64(MemorySegment s, long e) {
    return DoubleVector.fromMemorySegment(D, s, e * Double.BYTES, NATIVE);
  }

  private static long equalF32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(EQ, ldF32(b, bo + i)).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualF32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(NE, ldF32(b, bo + i)).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessF32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(LT, ldF32(b, bo + i)).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualF32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(LE, ldF32(b, bo + i)).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long equalF32VS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(EQ, bv).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualF32VS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(NE, bv).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessF32VS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(LT, bv).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualF32VS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(LE, bv).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterF32VS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(GT, bv).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterEqualF32VS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (long i = 0; i < bound; i += F.length()) {
      long bits = ldF32(a, ao + i).compare(GE, bv).toLong();
      BoolLanes.store(bits, F.length(), y, yo + i);
    }
    return bound;
  }

  private static long equalF64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(EQ, ldF64(b, bo + i)).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualF64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(NE, ldF64(b, bo + i)).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessF64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(LT, ldF64(b, bo + i)).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualF64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(LE, ldF64(b, bo + i)).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long equalF64VS(MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector bv = DoubleVector.broadcast(D, b);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(EQ, bv).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualF64VS(MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector bv = DoubleVector.broadcast(D, b);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(NE, bv).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessF64VS(MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector bv = DoubleVector.broadcast(D, b);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(LT, bv).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualF64VS(MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector bv = DoubleVector.broadcast(D, b);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(LE, bv).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterF64VS(MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector bv = DoubleVector.broadcast(D, b);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(GT, bv).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterEqualF64VS(MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector bv = DoubleVector.broadcast(D, b);
    for (long i = 0; i < bound; i += D.length()) {
      long bits = ldF64(a, ao + i).compare(GE, bv).toLong();
      BoolLanes.store(bits, D.length(), y, yo + i);
    }
    return bound;
  }
}
