package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Vector API max and average pooling, vectorised over the channels (contiguous in NHWC). For
 * each output pixel the window's taps inside the input are collected once ({@link ConvTaps});
 * then each block of four vectors of channels is reduced over them in registers and stored once.
 * Per channel this is exactly the scalar twin's sequence of operations (max from -inf, or sums in
 * window order then one division), so the results are identical; channels past the last whole
 * vector run that sequence in scalar code.
 */
final class PoolVector {
  private PoolVector() {}

  static void maxF32(MemorySegment x, long xo, MemorySegment y, long yo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      PoolScalar.maxPoolF32(x, xo, y, yo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    long l = F.length(), s = l * Float.BYTES; // a vector's elements and bytes
    long out = yo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, out += c) {
          t.collect(g, oy, ox, xo + n * h * w * c, 0);
          int nv = t.valid;
          long i = 0;
          for (; i + 4 * l <= c; i += 4 * l) {
            FloatVector a0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            FloatVector a1 = a0, a2 = a0, a3 = a0;
            for (int v = 0; v < nv; v++) {
              long xa = (t.x[v] + i) * Float.BYTES;
              a0 = a0.max(ldF32(x, xa));
              a1 = a1.max(ldF32(x, xa + s));
              a2 = a2.max(ldF32(x, xa + 2 * s));
              a3 = a3.max(ldF32(x, xa + 3 * s));
            }
            long o = (out + i) * Float.BYTES;
            Stores.at(a0, y, o);
            Stores.at(a1, y, o + s);
            Stores.at(a2, y, o + 2 * s);
            Stores.at(a3, y, o + 3 * s);
          }
          for (; i + l <= c; i += l) {
            FloatVector a = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int v = 0; v < nv; v++) {
              a = a.max(ldF32(x, (t.x[v] + i) * Float.BYTES));
            }
            Stores.at(a, y, (out + i) * Float.BYTES);
          }
          for (; i < c; i++) { // the tail: the same operations, one channel at a time
            float a = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < nv; v++) {
              a = Math.max(a, x.getAtIndex(JAVA_FLOAT, t.x[v] + i));
            }
            y.setAtIndex(JAVA_FLOAT, out + i, a);
          }
        }
      }
    }
  }

  static void maxF64(MemorySegment x, long xo, MemorySegment y, long yo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      PoolScalar.maxPoolF64(x, xo, y, yo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    long l = D.length(), s = l * Double.BYTES; // a vector's elements and bytes
    long out = yo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, out += c) {
          t.collect(g, oy, ox, xo + n * h * w * c, 0);
          int nv = t.valid;
          long i = 0;
          for (; i + 4 * l <= c; i += 4 * l) {
            DoubleVector a0 = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
            DoubleVector a1 = a0, a2 = a0, a3 = a0;
            for (int v = 0; v < nv; v++) {
              long xa = (t.x[v] + i) * Double.BYTES;
              a0 = a0.max(ldF64(x, xa));
              a1 = a1.max(ldF64(x, xa + s));
              a2 = a2.max(ldF64(x, xa + 2 * s));
              a3 = a3.max(ldF64(x, xa + 3 * s));
            }
            long o = (out + i) * Double.BYTES;
            Stores.at(a0, y, o);
            Stores.at(a1, y, o + s);
            Stores.at(a2, y, o + 2 * s);
            Stores.at(a3, y, o + 3 * s);
          }
          for (; i + l <= c; i += l) {
            DoubleVector a = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
            for (int v = 0; v < nv; v++) {
              a = a.max(ldF64(x, (t.x[v] + i) * Double.BYTES));
            }
            Stores.at(a, y, (out + i) * Double.BYTES);
          }
          for (; i < c; i++) { // the tail: the same operations, one channel at a time
            double a = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < nv; v++) {
              a = Math.max(a, x.getAtIndex(JAVA_DOUBLE, t.x[v] + i));
            }
            y.setAtIndex(JAVA_DOUBLE, out + i, a);
          }
        }
      }
    }
  }

  static void avgF32(MemorySegment x, long xo, MemorySegment y, long yo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      PoolScalar.avgPoolF32(x, xo, y, yo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    long l = F.length(), s = l * Float.BYTES; // a vector's elements and bytes
    long out = yo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, out += c) {
          t.collect(g, oy, ox, xo + n * h * w * c, 0);
          int nv = t.valid;
          long i = 0;
          for (; i + 4 * l <= c; i += 4 * l) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0, a2 = a0, a3 = a0;
            for (int v = 0; v < nv; v++) {
              long xa = (t.x[v] + i) * Float.BYTES;
              a0 = a0.add(ldF32(x, xa));
              a1 = a1.add(ldF32(x, xa + s));
              a2 = a2.add(ldF32(x, xa + 2 * s));
              a3 = a3.add(ldF32(x, xa + 3 * s));
            }
            long o = (out + i) * Float.BYTES;
            Stores.at(a0.div((float) nv), y, o);
            Stores.at(a1.div((float) nv), y, o + s);
            Stores.at(a2.div((float) nv), y, o + 2 * s);
            Stores.at(a3.div((float) nv), y, o + 3 * s);
          }
          for (; i + l <= c; i += l) {
            FloatVector a = FloatVector.zero(F);
            for (int v = 0; v < nv; v++) {
              a = a.add(ldF32(x, (t.x[v] + i) * Float.BYTES));
            }
            Stores.at(a.div((float) nv), y, (out + i) * Float.BYTES);
          }
          for (; i < c; i++) { // the tail: the same operations, one channel at a time
            float a = 0;
            for (int v = 0; v < nv; v++) {
              a = a + x.getAtIndex(JAVA_FLOAT, t.x[v] + i);
            }
            y.setAtIndex(JAVA_FLOAT, out + i, a / nv);
          }
        }
      }
    }
  }

  static void avgF64(MemorySegment x, long xo, MemorySegment y, long yo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      PoolScalar.avgPoolF64(x, xo, y, yo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    long l = D.length(), s = l * Double.BYTES; // a vector's elements and bytes
    long out = yo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, out += c) {
          t.collect(g, oy, ox, xo + n * h * w * c, 0);
          int nv = t.valid;
          long i = 0;
          for (; i + 4 * l <= c; i += 4 * l) {
            DoubleVector a0 = DoubleVector.zero(D);
            DoubleVector a1 = a0, a2 = a0, a3 = a0;
            for (int v = 0; v < nv; v++) {
              long xa = (t.x[v] + i) * Double.BYTES;
              a0 = a0.add(ldF64(x, xa));
              a1 = a1.add(ldF64(x, xa + s));
              a2 = a2.add(ldF64(x, xa + 2 * s));
              a3 = a3.add(ldF64(x, xa + 3 * s));
            }
            long o = (out + i) * Double.BYTES;
            Stores.at(a0.div((double) nv), y, o);
            Stores.at(a1.div((double) nv), y, o + s);
            Stores.at(a2.div((double) nv), y, o + 2 * s);
            Stores.at(a3.div((double) nv), y, o + 3 * s);
          }
          for (; i + l <= c; i += l) {
            DoubleVector a = DoubleVector.zero(D);
            for (int v = 0; v < nv; v++) {
              a = a.add(ldF64(x, (t.x[v] + i) * Double.BYTES));
            }
            Stores.at(a.div((double) nv), y, (out + i) * Double.BYTES);
          }
          for (; i < c; i++) { // the tail: the same operations, one channel at a time
            double a = 0;
            for (int v = 0; v < nv; v++) {
              a = a + x.getAtIndex(JAVA_DOUBLE, t.x[v] + i);
            }
            y.setAtIndex(JAVA_DOUBLE, out + i, a / nv);
          }
        }
      }
    }
  }

  private static FloatVector ldF32(MemorySegment s, long byteOffset) {
    return FloatVector.fromMemorySegment(F, s, byteOffset, NATIVE);
  }

  private static DoubleVector ldF64(MemorySegment s, long byteOffset) {
    return DoubleVector.fromMemorySegment(D, s, byteOffset, NATIVE);
  }
}
