package dev.isthmus.kernels;

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

/** Vector API clip loops (MIN then MAX lanewise); the scalar twin does the tail. */
final class ClipVector {
  private ClipVector() {}

  static void f32(MemorySegment x, long xo, float lo, float hi, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector lv = FloatVector.broadcast(F, lo);
    FloatVector hv = FloatVector.broadcast(F, hi);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE);
      Stores.at(v.min(hv).max(lv), y, (yo + i) * Float.BYTES);
    }
    ClipScalar.f32(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }

  static void f64(MemorySegment x, long xo, double lo, double hi,
      MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector lv = DoubleVector.broadcast(D, lo);
    DoubleVector hv = DoubleVector.broadcast(D, hi);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = DoubleVector.fromMemorySegment(D, x, (xo + i) * Double.BYTES, NATIVE);
      Stores.at(v.min(hv).max(lv), y, (yo + i) * Double.BYTES);
    }
    ClipScalar.f64(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }

  static void i32(MemorySegment x, long xo, int lo, int hi, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector lv = IntVector.broadcast(I, lo);
    IntVector hv = IntVector.broadcast(I, hi);
    for (long i = 0; i < bound; i += I.length()) {
      IntVector v = IntVector.fromMemorySegment(I, x, (xo + i) * Integer.BYTES, NATIVE);
      Stores.at(v.min(hv).max(lv), y, (yo + i) * Integer.BYTES);
    }
    ClipScalar.i32(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }

  static void i64(MemorySegment x, long xo, long lo, long hi, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector lv = LongVector.broadcast(L, lo);
    LongVector hv = LongVector.broadcast(L, hi);
    for (long i = 0; i < bound; i += L.length()) {
      LongVector v = LongVector.fromMemorySegment(L, x, (xo + i) * Long.BYTES, NATIVE);
      Stores.at(v.min(hv).max(lv), y, (yo + i) * Long.BYTES);
    }
    ClipScalar.i64(x, xo + bound, lo, hi, y, yo + bound, n - bound);
  }
}
