package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;

/**
 * INT32 and INT64 comparison loops: one per operator and form, each storing its mask
 * as BOOL bytes through {@link BoolLanes}. {@code vv} has loops for EQUAL, NOT_EQUAL, LESS
 * and LESS_EQUAL only: GREATER(a, b) is LESS(b, a). Each returns how many elements it did.
 */
final class CompareVectorInt {
  private CompareVectorInt() {}

  static long i32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalI32VV(a, ao, b, bo, y, yo, n);
      case NOT_EQUAL -> notEqualI32VV(a, ao, b, bo, y, yo, n);
      case LESS -> lessI32VV(a, ao, b, bo, y, yo, n);
      case LESS_EQUAL -> lessEqualI32VV(a, ao, b, bo, y, yo, n);
      case GREATER -> lessI32VV(b, bo, a, ao, y, yo, n);
      case GREATER_EQUAL -> lessEqualI32VV(b, bo, a, ao, y, yo, n);
    };
  }

  static long i32vs(CompareOp op, MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalI32VS(a, ao, b, y, yo, n);
      case NOT_EQUAL -> notEqualI32VS(a, ao, b, y, yo, n);
      case LESS -> lessI32VS(a, ao, b, y, yo, n);
      case LESS_EQUAL -> lessEqualI32VS(a, ao, b, y, yo, n);
      case GREATER -> greaterI32VS(a, ao, b, y, yo, n);
      case GREATER_EQUAL -> greaterEqualI32VS(a, ao, b, y, yo, n);
    };
  }

  private static IntVector ldI32(MemorySegment s, long e) {
    return IntVector.fromMemorySegment(I, s, e * Integer.BYTES, NATIVE);
  }

  static long i64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalI64VV(a, ao, b, bo, y, yo, n);
      case NOT_EQUAL -> notEqualI64VV(a, ao, b, bo, y, yo, n);
      case LESS -> lessI64VV(a, ao, b, bo, y, yo, n);
      case LESS_EQUAL -> lessEqualI64VV(a, ao, b, bo, y, yo, n);
      case GREATER -> lessI64VV(b, bo, a, ao, y, yo, n);
      case GREATER_EQUAL -> lessEqualI64VV(b, bo, a, ao, y, yo, n);
    };
  }

  static long i64vs(CompareOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case EQUAL -> equalI64VS(a, ao, b, y, yo, n);
      case NOT_EQUAL -> notEqualI64VS(a, ao, b, y, yo, n);
      case LESS -> lessI64VS(a, ao, b, y, yo, n);
      case LESS_EQUAL -> lessEqualI64VS(a, ao, b, y, yo, n);
      case GREATER -> greaterI64VS(a, ao, b, y, yo, n);
      case GREATER_EQUAL -> greaterEqualI64VS(a, ao, b, y, yo, n);
    };
  }

  private static LongVector ldI64(MemorySegment s, long e) {
    return LongVector.fromMemorySegment(L, s, e * Long.BYTES, NATIVE);
  }

  private static long equalI32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(EQ, ldI32(b, bo + i)).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualI32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(NE, ldI32(b, bo + i)).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessI32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(LT, ldI32(b, bo + i)).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualI32VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(LE, ldI32(b, bo + i)).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long equalI32VS(MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector bv = IntVector.broadcast(I, b);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(EQ, bv).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualI32VS(MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector bv = IntVector.broadcast(I, b);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(NE, bv).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessI32VS(MemorySegment a, long ao, int b, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector bv = IntVector.broadcast(I, b);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(LT, bv).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualI32VS(MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector bv = IntVector.broadcast(I, b);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(LE, bv).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterI32VS(MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector bv = IntVector.broadcast(I, b);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(GT, bv).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterEqualI32VS(MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector bv = IntVector.broadcast(I, b);
    for (long i = 0; i < bound; i += I.length()) {
      long bits = ldI32(a, ao + i).compare(GE, bv).toLong();
      BoolLanes.store(bits, I.length(), y, yo + i);
    }
    return bound;
  }

  private static long equalI64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(EQ, ldI64(b, bo + i)).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualI64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(NE, ldI64(b, bo + i)).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessI64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(LT, ldI64(b, bo + i)).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualI64VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(LE, ldI64(b, bo + i)).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long equalI64VS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(EQ, bv).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long notEqualI64VS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(NE, bv).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessI64VS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(LT, bv).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long lessEqualI64VS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(LE, bv).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterI64VS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(GT, bv).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }

  private static long greaterEqualI64VS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      long bits = ldI64(a, ao + i).compare(GE, bv).toLong();
      BoolLanes.store(bits, L.length(), y, yo + i);
    }
    return bound;
  }
}
