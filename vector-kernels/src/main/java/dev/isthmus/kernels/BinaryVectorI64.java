package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static dev.isthmus.kernels.VectorShapes.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.LongVector;

/**
 * INT64 loops of the binary operators, one per operator and operand form (see {@link
 * BinaryVector}). Each returns how many elements it did; the scalar twin does the tail.
 * DIV, FLOOR_DIV, FLOOR_MOD and POW have no loop (x86 has no SIMD integer division, and
 * integer POW is a data-dependent loop), nor ATAN2 (floating only): the scalar twin does them.
 */
final class BinaryVectorI64 {
  private BinaryVectorI64() {}

  static long vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case ADD -> addVV(a, ao, b, bo, y, yo, n);
      case SUB -> subVV(a, ao, b, bo, y, yo, n);
      case MUL -> mulVV(a, ao, b, bo, y, yo, n);
      case MAXIMUM -> maximumVV(a, ao, b, bo, y, yo, n);
      case MINIMUM -> minimumVV(a, ao, b, bo, y, yo, n);
      case SQUARED_DIFFERENCE -> squaredDifferenceVV(a, ao, b, bo, y, yo, n);
      case DIV, FLOOR_DIV, FLOOR_MOD, POW, ATAN2 -> 0;
    };
  }

  static long vs(BinaryOp op, MemorySegment a, long ao, long b, MemorySegment y, long yo, long n) {
    return switch (op) {
      case ADD -> addVS(a, ao, b, y, yo, n);
      case SUB -> subVS(a, ao, b, y, yo, n);
      case MUL -> mulVS(a, ao, b, y, yo, n);
      case MAXIMUM -> maximumVS(a, ao, b, y, yo, n);
      case MINIMUM -> minimumVS(a, ao, b, y, yo, n);
      case SQUARED_DIFFERENCE -> squaredDifferenceVS(a, ao, b, y, yo, n);
      case DIV, FLOOR_DIV, FLOOR_MOD, POW, ATAN2 -> 0;
    };
  }

  static long sv(BinaryOp op, long a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    return switch (op) {
      case ADD -> addSV(a, b, bo, y, yo, n);
      case SUB -> subSV(a, b, bo, y, yo, n);
      case MUL -> mulSV(a, b, bo, y, yo, n);
      case MAXIMUM -> maximumSV(a, b, bo, y, yo, n);
      case MINIMUM -> minimumSV(a, b, bo, y, yo, n);
      case SQUARED_DIFFERENCE -> squaredDifferenceSV(a, b, bo, y, yo, n);
      case DIV, FLOOR_DIV, FLOOR_MOD, POW, ATAN2 -> 0;
    };
  }

  private static LongVector ld(MemorySegment s, long e) {
    return LongVector.fromMemorySegment(L, s, e * Long.BYTES, NATIVE);
  }

  private static void st(LongVector v, MemorySegment s, long e) {
    Stores.st(v, s, e); // through the array for heap segments: see Stores
  }

  private static LongVector square(LongVector v) {
    return v.mul(v);
  }

  private static long addVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).add(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long subVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).sub(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long mulVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).mul(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long maximumVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).max(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long minimumVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).min(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long squaredDifferenceVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st(square(ld(a, ao + i).sub(ld(b, bo + i))), y, yo + i);
    }
    return bound;
  }

  private static long addVS(MemorySegment a, long ao, long b, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).add(bv), y, yo + i);
    }
    return bound;
  }

  private static long subVS(MemorySegment a, long ao, long b, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).sub(bv), y, yo + i);
    }
    return bound;
  }

  private static long mulVS(MemorySegment a, long ao, long b, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).mul(bv), y, yo + i);
    }
    return bound;
  }

  private static long maximumVS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).max(bv), y, yo + i);
    }
    return bound;
  }

  private static long minimumVS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).min(bv), y, yo + i);
    }
    return bound;
  }

  private static long squaredDifferenceVS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector bv = LongVector.broadcast(L, b);
    for (long i = 0; i < bound; i += L.length()) {
      st(square(ld(a, ao + i).sub(bv)), y, yo + i);
    }
    return bound;
  }

  private static long addSV(long a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector av = LongVector.broadcast(L, a);
    for (long i = 0; i < bound; i += L.length()) {
      st(av.add(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long subSV(long a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector av = LongVector.broadcast(L, a);
    for (long i = 0; i < bound; i += L.length()) {
      st(av.sub(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long mulSV(long a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector av = LongVector.broadcast(L, a);
    for (long i = 0; i < bound; i += L.length()) {
      st(av.mul(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long maximumSV(long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector av = LongVector.broadcast(L, a);
    for (long i = 0; i < bound; i += L.length()) {
      st(av.max(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long minimumSV(long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector av = LongVector.broadcast(L, a);
    for (long i = 0; i < bound; i += L.length()) {
      st(av.min(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long squaredDifferenceSV(long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector av = LongVector.broadcast(L, a);
    for (long i = 0; i < bound; i += L.length()) {
      st(square(av.sub(ld(b, bo + i))), y, yo + i);
    }
    return bound;
  }
}
