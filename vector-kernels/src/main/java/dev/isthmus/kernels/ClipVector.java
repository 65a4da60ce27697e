package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;

/**
 * Vector API clip loops (MIN then MAX lanewise); the scalar twin does the tail. The output goes
 * through the array behind a heap segment, resolved once, in int-counted chunks (see {@link
 * Stores}: a store to the segment can lose its intrinsic once lane-reinterpreting kernels ran).
 */
final class ClipVector {
  private ClipVector() {}

  static void f32(MemorySegment x, long xo, float lo, float hi, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector lv = FloatVector.broadcast(F, lo);
    FloatVector hv = FloatVector.broadcast(F, hi);
    float[] ya = Stores.floats(y, yo, bound);
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Float.BYTES) + yc);
      for (int i = 0; i < len; i += F.length()) {
        FloatVector v = FloatVector.fromMemorySegment(F, x, (xc + i) * Float.BYTES, NATIVE)
            .min(hv).max(lv);
        if (ya != null) {
          v.intoArray(ya, yi + i);
        } else {
          v.intoMemorySegment(y, (yc + i) * Float.BYTES, NATIVE);
        }
      }
    }
    ClipScalar.f32(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }

  static void f64(MemorySegment x, long xo, double lo, double hi,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector lv = DoubleVector.broadcast(D, lo);
    DoubleVector hv = DoubleVector.broadcast(D, hi);
    double[] ya = Stores.doubles(y, yo, bound);
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Double.BYTES) + yc);
      for (int i = 0; i < len; i += D.length()) {
        DoubleVector v = DoubleVector.fromMemorySegment(D, x, (xc + i) * Double.BYTES, NATIVE)
            .min(hv).max(lv);
        if (ya != null) {
          v.intoArray(ya, yi + i);
        } else {
          v.intoMemorySegment(y, (yc + i) * Double.BYTES, NATIVE);
        }
      }
    }
    ClipScalar.f64(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }

  static void i32(MemorySegment x, long xo, int lo, int hi, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector lv = IntVector.broadcast(I, lo);
    IntVector hv = IntVector.broadcast(I, hi);
    int[] ya = Stores.ints(y, yo, bound);
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Integer.BYTES) + yc);
      for (int i = 0; i < len; i += I.length()) {
        IntVector v = IntVector.fromMemorySegment(I, x, (xc + i) * Integer.BYTES, NATIVE)
            .min(hv).max(lv);
        if (ya != null) {
          v.intoArray(ya, yi + i);
        } else {
          v.intoMemorySegment(y, (yc + i) * Integer.BYTES, NATIVE);
        }
      }
    }
    ClipScalar.i32(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }

  static void i64(MemorySegment x, long xo, long lo, long hi, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector lv = LongVector.broadcast(L, lo);
    LongVector hv = LongVector.broadcast(L, hi);
    long[] ya = Stores.longs(y, yo, bound);
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long xc = xo + c, yc = yo + c;
      int yi = ya == null ? 0 : (int) (Stores.index(y, Long.BYTES) + yc);
      for (int i = 0; i < len; i += L.length()) {
        LongVector v = LongVector.fromMemorySegment(L, x, (xc + i) * Long.BYTES, NATIVE)
            .min(hv).max(lv);
        if (ya != null) {
          v.intoArray(ya, yi + i);
        } else {
          v.intoMemorySegment(y, (yc + i) * Long.BYTES, NATIVE);
        }
      }
    }
    ClipScalar.i64(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }
}
