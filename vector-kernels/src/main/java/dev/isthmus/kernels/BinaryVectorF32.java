package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static dev.isthmus.kernels.VectorShapes.F;
import static jdk.incubator.vector.VectorOperators.ATAN2;
import static jdk.incubator.vector.VectorOperators.IS_INFINITE;
import static jdk.incubator.vector.VectorOperators.IS_NEGATIVE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.POW;
import static jdk.incubator.vector.VectorOperators.SUB;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * FLOAT32 loops of the binary operators, one per operator and operand form (see {@link
 * BinaryVector}). Each returns how many elements it did; the scalar twin does the tail.
 * FLOOR_MOD has no loop (there is no exact vector fmod): the scalar twin does it.
 */
final class BinaryVectorF32 {
  private BinaryVectorF32() {}

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
      case DIV -> divVV(a, ao, b, bo, y, yo, n);
      case FLOOR_DIV -> floorDivVV(a, ao, b, bo, y, yo, n);
      case POW -> powVV(a, ao, b, bo, y, yo, n);
      case MAXIMUM -> maximumVV(a, ao, b, bo, y, yo, n);
      case MINIMUM -> minimumVV(a, ao, b, bo, y, yo, n);
      case SQUARED_DIFFERENCE -> squaredDifferenceVV(a, ao, b, bo, y, yo, n);
      case ATAN2 -> atan2VV(a, ao, b, bo, y, yo, n);
      case FLOOR_MOD -> 0;
    };
  }

  static long vs(BinaryOp op, MemorySegment a, long ao, float b, MemorySegment y, long yo, long n) {
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

  private static long vsChunk(BinaryOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case ADD -> addVS(a, ao, b, y, yo, n);
      case SUB -> subVS(a, ao, b, y, yo, n);
      case MUL -> mulVS(a, ao, b, y, yo, n);
      case DIV -> divVS(a, ao, b, y, yo, n);
      case FLOOR_DIV -> floorDivVS(a, ao, b, y, yo, n);
      case POW -> powVS(a, ao, b, y, yo, n);
      case MAXIMUM -> maximumVS(a, ao, b, y, yo, n);
      case MINIMUM -> minimumVS(a, ao, b, y, yo, n);
      case SQUARED_DIFFERENCE -> squaredDifferenceVS(a, ao, b, y, yo, n);
      case ATAN2 -> atan2VS(a, ao, b, y, yo, n);
      case FLOOR_MOD -> 0;
    };
  }

  static long sv(BinaryOp op, float a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
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

  private static long svChunk(BinaryOp op, float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    return switch (op) {
      case ADD -> addSV(a, b, bo, y, yo, n);
      case SUB -> subSV(a, b, bo, y, yo, n);
      case MUL -> mulSV(a, b, bo, y, yo, n);
      case DIV -> divSV(a, b, bo, y, yo, n);
      case FLOOR_DIV -> floorDivSV(a, b, bo, y, yo, n);
      case POW -> powSV(a, b, bo, y, yo, n);
      case MAXIMUM -> maximumSV(a, b, bo, y, yo, n);
      case MINIMUM -> minimumSV(a, b, bo, y, yo, n);
      case SQUARED_DIFFERENCE -> squaredDifferenceSV(a, b, bo, y, yo, n);
      case ATAN2 -> atan2SV(a, b, bo, y, yo, n);
      case FLOOR_MOD -> 0;
    };
  }

  private static FloatVector ld(MemorySegment s, long e) {
    return FloatVector.fromMemorySegment(F, s, e * Float.BYTES, NATIVE);
  }

  // Stores through the array behind a heap segment (ya, resolved once per loop; yi: the array
  // index of element yo), else into the segment: see Stores for why. The loops count in int (the
  // dispatch splits n into chunks), so that C2 hoists the array's range checks.
  private static void st(FloatVector v, float[] ya, int yi, MemorySegment s, long yo, int i) {
    if (ya != null) {
      v.intoArray(ya, yi + i);
    } else {
      v.intoMemorySegment(s, (yo + i) * Float.BYTES, NATIVE);
    }
  }

  private static FloatVector square(FloatVector v) {
    return v.mul(v);
  }

  // C's pow, as TensorFlow: 1^y = 1 (even for NaN y) and (-1)^±inf = 1, where Math.pow gives NaN.
  private static FloatVector pow(FloatVector x, FloatVector y) {
    return x.lanewise(POW, y).blend(1f, x.eq(1f).or(x.eq(-1f).and(y.test(IS_INFINITE))));
  }

  // floor without a floor instruction: round |q| to an integer by adding and subtracting
  // 0x1p23f (exact below it), restore the sign, step down where that rounded up. Values at
  // or above 0x1p23f are integers already; they, infinities and NaN pass through.
  private static FloatVector floor(FloatVector q) {
    FloatVector aq = q.abs();
    FloatVector r = aq.add(0x1p23f).sub(0x1p23f);
    r = r.blend(r.neg(), q.test(IS_NEGATIVE));
    r = r.lanewise(SUB, 1f, r.compare(GT, q));
    return q.blend(r, aq.compare(LT, 0x1p23f));
  }

  private static long addVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).add(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long subVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).sub(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long mulVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).mul(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long divVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).div(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long floorDivVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(floor(ld(a, ao + i).div(ld(b, bo + i))), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long powVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(pow(ld(a, ao + i), ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long maximumVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).max(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long minimumVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).min(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long squaredDifferenceVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(square(ld(a, ao + i).sub(ld(b, bo + i))), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long atan2VV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).lanewise(ATAN2, ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long addVS(MemorySegment a, long ao, float b, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).add(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long subVS(MemorySegment a, long ao, float b, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).sub(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long mulVS(MemorySegment a, long ao, float b, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).mul(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long divVS(MemorySegment a, long ao, float b, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).div(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long floorDivVS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(floor(ld(a, ao + i).div(bv)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long powVS(MemorySegment a, long ao, float b, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(pow(ld(a, ao + i), bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long maximumVS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).max(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long minimumVS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).min(bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long squaredDifferenceVS(MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(square(ld(a, ao + i).sub(bv)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long atan2VS(MemorySegment a, long ao, float b, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector bv = FloatVector.broadcast(F, b);
    for (int i = 0; i < bound; i += F.length()) {
      st(ld(a, ao + i).lanewise(ATAN2, bv), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long addSV(float a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(av.add(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long subSV(float a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(av.sub(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long mulSV(float a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(av.mul(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long divSV(float a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(av.div(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long floorDivSV(float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(floor(av.div(ld(b, bo + i))), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long powSV(float a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(pow(av, ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long maximumSV(float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(av.max(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long minimumSV(float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(av.min(ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long squaredDifferenceSV(float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(square(av.sub(ld(b, bo + i))), ya, yi, y, yo, i);
    }
    return bound;
  }

  private static long atan2SV(float a, MemorySegment b, long bo, MemorySegment y, long yo, long n) {
    int bound = (int) F.loopBound(n); // n <= CHUNK
    float[] ya = Stores.floats(y, yo, bound);
    int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yo);
    FloatVector av = FloatVector.broadcast(F, a);
    for (int i = 0; i < bound; i += F.length()) {
      st(av.lanewise(ATAN2, ld(b, bo + i)), ya, yi, y, yo, i);
    }
    return bound;
  }
}
