package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.D2I;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.F2I;
import static jdk.incubator.vector.VectorOperators.I2D;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.I2L;
import static jdk.incubator.vector.VectorOperators.L2I;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API conversions. Between types of one size the preferred species convert lane for lane;
 * between sizes the narrower side uses a species with as many lanes as the wider preferred one
 * (e.g. 4 floats beside 4 doubles), so every conversion keeps its lane count. BOOL to a number is
 * a blend under a mask from {@link BoolLanes}. The scalar twin does the tail.
 */
final class CastVector {
  /** Floats, as many lanes as {@link VectorShapes#D}. */
  private static final VectorSpecies<Float> FH = half(float.class, D.length());
  /** Ints, as many lanes as {@link VectorShapes#L}. */
  private static final VectorSpecies<Integer> IH = half(int.class, L.length());
  /** Ints, as many lanes as {@link VectorShapes#D}. */
  private static final VectorSpecies<Integer> IHD = half(int.class, D.length());

  private CastVector() {}

  private static <E> VectorSpecies<E> half(Class<E> type, int lanes) {
    return VectorSpecies.of(type, VectorShape.forBitSize(lanes * 32));
  }

  static void f32ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = FH.loopBound(n);
    double[] ya = Stores.doubles(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Double.BYTES) + yc);
      for (int i = 0; i < len; i += FH.length()) {
        FloatVector v = FloatVector.fromMemorySegment(FH, x, (xc + i) * Float.BYTES, NATIVE);
        Stores.put((DoubleVector) v.convertShape(F2D, D, 0),
            ya, yi + i, y, (yc + i) * Double.BYTES);
      }
    }
    CastScalar.f32ToF64(x, xo + bound, y, yo + bound, n - bound);
  }

  static void f32ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    int[] ya = Stores.ints(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Integer.BYTES) + yc);
      for (int i = 0; i < len; i += F.length()) {
        FloatVector v = FloatVector.fromMemorySegment(F, x, (xc + i) * Float.BYTES, NATIVE);
        Stores.put((IntVector) v.convert(F2I, 0), ya, yi + i, y, (yc + i) * Integer.BYTES);
      }
    }
    CastScalar.f32ToI32(x, xo + bound, y, yo + bound, n - bound);
  }

  static void f64ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    float[] ya = Stores.floats(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yc);
      for (int i = 0; i < len; i += D.length()) {
        DoubleVector v = DoubleVector.fromMemorySegment(D, x, (xc + i) * Double.BYTES, NATIVE);
        Stores.put((FloatVector) v.convertShape(D2F, FH, 0), ya, yi + i, y, (yc + i) * Float.BYTES);
      }
    }
    CastScalar.f64ToF32(x, xo + bound, y, yo + bound, n - bound);
  }

  static void f64ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    int[] ya = Stores.ints(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Integer.BYTES) + yc);
      for (int i = 0; i < len; i += D.length()) {
        DoubleVector v = DoubleVector.fromMemorySegment(D, x, (xc + i) * Double.BYTES, NATIVE);
        Stores.put((IntVector) v.convertShape(D2I, IHD, 0),
            ya, yi + i, y, (yc + i) * Integer.BYTES);
      }
    }
    CastScalar.f64ToI32(x, xo + bound, y, yo + bound, n - bound);
  }

  static void i32ToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    float[] ya = Stores.floats(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yc);
      for (int i = 0; i < len; i += I.length()) {
        IntVector v = IntVector.fromMemorySegment(I, x, (xc + i) * Integer.BYTES, NATIVE);
        Stores.put((FloatVector) v.convert(I2F, 0), ya, yi + i, y, (yc + i) * Float.BYTES);
      }
    }
    CastScalar.i32ToF32(x, xo + bound, y, yo + bound, n - bound);
  }

  static void i32ToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = IHD.loopBound(n);
    double[] ya = Stores.doubles(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Double.BYTES) + yc);
      for (int i = 0; i < len; i += IHD.length()) {
        IntVector v = IntVector.fromMemorySegment(IHD, x, (xc + i) * Integer.BYTES, NATIVE);
        Stores.put((DoubleVector) v.convertShape(I2D, D, 0),
            ya, yi + i, y, (yc + i) * Double.BYTES);
      }
    }
    CastScalar.i32ToF64(x, xo + bound, y, yo + bound, n - bound);
  }

  static void i32ToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = IH.loopBound(n);
    long[] ya = Stores.longs(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yc);
      for (int i = 0; i < len; i += IH.length()) {
        IntVector v = IntVector.fromMemorySegment(IH, x, (xc + i) * Integer.BYTES, NATIVE);
        Stores.put((LongVector) v.convertShape(I2L, L, 0), ya, yi + i, y, (yc + i) * Long.BYTES);
      }
    }
    CastScalar.i32ToI64(x, xo + bound, y, yo + bound, n - bound);
  }

  static void i64ToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    int[] ya = Stores.ints(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Integer.BYTES) + yc);
      for (int i = 0; i < len; i += L.length()) {
        LongVector v = LongVector.fromMemorySegment(L, x, (xc + i) * Long.BYTES, NATIVE);
        Stores.put((IntVector) v.convertShape(L2I, IH, 0), ya, yi + i, y, (yc + i) * Integer.BYTES);
      }
    }
    CastScalar.i64ToI32(x, xo + bound, y, yo + bound, n - bound);
  }

  static void boolToF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector zero = FloatVector.zero(F);
    float[] ya = Stores.floats(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yc);
      for (int i = 0; i < len; i += F.length()) {
        VectorMask<Float> m = VectorMask.fromLong(F, BoolLanes.load(x, xc + i, F.length()));
        Stores.put(zero.blend(1f, m), ya, yi + i, y, (yc + i) * Float.BYTES);
      }
    }
    CastScalar.boolToF32(x, xo + bound, y, yo + bound, n - bound);
  }

  static void boolToF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector zero = DoubleVector.zero(D);
    double[] ya = Stores.doubles(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Double.BYTES) + yc);
      for (int i = 0; i < len; i += D.length()) {
        VectorMask<Double> m = VectorMask.fromLong(D, BoolLanes.load(x, xc + i, D.length()));
        Stores.put(zero.blend(1.0, m), ya, yi + i, y, (yc + i) * Double.BYTES);
      }
    }
    CastScalar.boolToF64(x, xo + bound, y, yo + bound, n - bound);
  }

  static void boolToI32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector zero = IntVector.zero(I);
    int[] ya = Stores.ints(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Integer.BYTES) + yc);
      for (int i = 0; i < len; i += I.length()) {
        VectorMask<Integer> m = VectorMask.fromLong(I, BoolLanes.load(x, xc + i, I.length()));
        Stores.put(zero.blend(1, m), ya, yi + i, y, (yc + i) * Integer.BYTES);
      }
    }
    CastScalar.boolToI32(x, xo + bound, y, yo + bound, n - bound);
  }

  static void boolToI64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector zero = LongVector.zero(L);
    long[] ya = Stores.longs(y, yo, bound); // through the array: see Stores
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yc);
      for (int i = 0; i < len; i += L.length()) {
        VectorMask<Long> m = VectorMask.fromLong(L, BoolLanes.load(x, xc + i, L.length()));
        Stores.put(zero.blend(1L, m), ya, yi + i, y, (yc + i) * Long.BYTES);
      }
    }
    CastScalar.boolToI64(x, xo + bound, y, yo + bound, n - bound);
  }
}
