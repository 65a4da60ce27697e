package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
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
    long done = 0;
    while (n - done > CHUNK) { // chunks the loops count in int
      long d = vvChunk(op, a, ao + done, b, bo + done, y, yo + done, CHUNK);
      if (d < CHUNK) {
        return done + d;
      }
      done += d;
    }
    return done + vvChunk(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  private static long vvChunk(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
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
    long done = 0;
    while (n - done > CHUNK) { // chunks the loops count in int
      long d = vsChunk(op, a, ao + done, b, y, yo + done, CHUNK);
      if (d < CHUNK) {
        return done + d;
      }
      done += d;
    }
    return done + vsChunk(op, a, ao + done, b, y, yo + done, n - done);
  }

  private static long vsChunk(BinaryOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
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
    long done = 0;
    while (n - done > CHUNK) { // chunks the loops count in int
      long d = svChunk(op, a, b, bo + done, y, yo + done, CHUNK);
      if (d < CHUNK) {
        return done + d;
      }
      done += d;
    }
    return done + svChunk(op, a, b, bo + done, y, yo + done, n - done);
  }

  private static long svChunk(BinaryOp op, long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
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

  // Stores through the array behind a heap segment (ya, resolved once per loop; yi: the array
  // index of element yo), else into the segment: see Stores for why. The loops count in int (the
  // dispatch splits n into chunks), so that C2 hoists the array's range checks.
  private static void st(LongVector v, long[] ya, int yi, MemorySegment s, long yo, int i) {
    if (ya != null) {
      v.intoArray(ya, yi + i);
    } else {
      v.intoMemorySegment(s, (yo + i) * Long.BYTES, NATIVE);
    }
  }

  private static LongVector square(LongVector v) {
    return v.mul(v);
  }

  private static long addVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).add(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long subVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).sub(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long mulVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).mul(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long maximumVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).max(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long minimumVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).min(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long squaredDifferenceVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    for (int i = 0; i < bound; i += L.length()) {
      st(square(ld(a, ao + i).sub(ld(b, bo + i))), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long addVS(MemorySegment a, long ao, long b, MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector bv = LongVector.broadcast(L, b);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).add(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long subVS(MemorySegment a, long ao, long b, MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector bv = LongVector.broadcast(L, b);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).sub(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long mulVS(MemorySegment a, long ao, long b, MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector bv = LongVector.broadcast(L, b);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).mul(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long maximumVS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector bv = LongVector.broadcast(L, b);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).max(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long minimumVS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector bv = LongVector.broadcast(L, b);
    for (int i = 0; i < bound; i += L.length()) {
      st(ld(a, ao + i).min(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long squaredDifferenceVS(MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector bv = LongVector.broadcast(L, b);
    for (int i = 0; i < bound; i += L.length()) {
      st(square(ld(a, ao + i).sub(bv)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long addSV(long a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector av = LongVector.broadcast(L, a);
    for (int i = 0; i < bound; i += L.length()) {
      st(av.add(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long subSV(long a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector av = LongVector.broadcast(L, a);
    for (int i = 0; i < bound; i += L.length()) {
      st(av.sub(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long mulSV(long a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector av = LongVector.broadcast(L, a);
    for (int i = 0; i < bound; i += L.length()) {
      st(av.mul(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long maximumSV(long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector av = LongVector.broadcast(L, a);
    for (int i = 0; i < bound; i += L.length()) {
      st(av.max(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long minimumSV(long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector av = LongVector.broadcast(L, a);
    for (int i = 0; i < bound; i += L.length()) {
      st(av.min(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long squaredDifferenceSV(long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) L.loopBound(n); // n <= CHUNK
    long[] ya = Stores.longs(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yo);
    LongVector av = LongVector.broadcast(L, a);
    for (int i = 0; i < bound; i += L.length()) {
      st(square(av.sub(ld(b, bo + i))), ya, yi, y, yo, i);
    }
    return bound;
  }
}
