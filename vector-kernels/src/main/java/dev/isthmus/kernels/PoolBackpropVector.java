package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API pooling gradients, vectorised over the channels (contiguous in NHWC). Per output
 * pixel the window's taps inside the input are collected once ({@link ConvTaps}). Max: per lane,
 * the twin's running choice of tap (first, then each strictly greater one) is kept as a vector
 * of tap numbers, and dy is added (or, for MaxPoolGradGrad, gg is read) under the mask of lanes
 * that chose each tap. Average: {@code dy / count} added to each tap. Per element these are the
 * twin's operations in the twin's order, so the results are identical; channels past the last
 * whole vector run the twin's code.
 */
final class PoolBackpropVector {
  private PoolBackpropVector() {}

  /** Windows of more taps than this run the twin: tap numbers must be exact in the lanes. */
  private static final long MAX_TAPS_F32 = 1L << 24;
  private static final long MAX_TAPS_F64 = ConvScratch.MAX_ARRAY;

  static void maxGradF32(MemorySegment x, long xo, MemorySegment dy, long dyo, MemorySegment dx,
      long dxo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    PoolBackpropScalar.zero(dx, dxo, g.inputSize(), Float.BYTES);
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > MAX_TAPS_F32) {
      PoolBackpropScalar.maxPoolGradF32(x, xo, dy, dyo, dx, dxo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = F.length();
    long o = 0;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, n * h * w * c, 0);
          int nv = t.valid;
          if (nv == 0) {
            continue;
          }
          long i = 0;
          for (; i + l <= c; i += l) {
            FloatVector pick = argmaxF32(x, xo + i, t);
            FloatVector gv = ldF32(dy, (dyo + o + i) * Float.BYTES);
            for (int v = 0; v < nv; v++) {
              long b = (dxo + t.x[v] + i) * Float.BYTES;
              Stores.at(ldF32(dx, b).add(gv, pick.compare(VectorOperators.EQ, v)), dx, b);
            }
          }
          for (; i < c; i++) { // the tail, as the twin
            long at = PoolBackpropScalar.argmaxF32(x, xo, g, n, oy, ox, i);
            dx.setAtIndex(JAVA_FLOAT, dxo + at, dx.getAtIndex(JAVA_FLOAT, dxo + at)
                + dy.getAtIndex(JAVA_FLOAT, dyo + o + i));
          }
        }
      }
    }
  }

  static void maxGradGradF32(MemorySegment x, long xo, MemorySegment gg, long ggo,
      MemorySegment y, long yo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > MAX_TAPS_F32) {
      PoolBackpropScalar.maxPoolGradGradF32(x, xo, gg, ggo, y, yo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = F.length();
    long o = 0;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, n * h * w * c, 0);
          int nv = t.valid;
          long i = 0;
          for (; nv > 0 && i + l <= c; i += l) {
            FloatVector pick = argmaxF32(x, xo + i, t);
            FloatVector out = FloatVector.zero(F);
            for (int v = 0; v < nv; v++) {
              FloatVector at = ldF32(gg, (ggo + t.x[v] + i) * Float.BYTES);
              out = out.blend(at, pick.compare(VectorOperators.EQ, v));
            }
            Stores.at(out, y, (yo + o + i) * Float.BYTES);
          }
          for (; i < c; i++) {
            long at = PoolBackpropScalar.argmaxF32(x, xo, g, n, oy, ox, i);
            float v = at >= 0 ? gg.getAtIndex(JAVA_FLOAT, ggo + at) : 0f;
            y.setAtIndex(JAVA_FLOAT, yo + o + i, v);
          }
        }
      }
    }
  }

  /**
   * Per lane (channel {@code base + lane}), the number of the window's first largest valid tap:
   * the twin's running choice, lanewise; tap numbers are exact in the element type.
   */
  private static FloatVector argmaxF32(MemorySegment x, long base, ConvTaps t) {
    FloatVector best = ldF32(x, (base + t.x[0]) * Float.BYTES);
    FloatVector pick = FloatVector.zero(F);
    for (int v = 1; v < t.valid; v++) {
      FloatVector val = ldF32(x, (base + t.x[v]) * Float.BYTES);
      VectorMask<Float> greater = val.compare(VectorOperators.GT, best);
      best = best.blend(val, greater);
      pick = pick.blend(v, greater);
    }
    return pick;
  }

  static void avgGradF32(MemorySegment dy, long dyo, MemorySegment dx, long dxo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    PoolBackpropScalar.zero(dx, dxo, g.inputSize(), Float.BYTES);
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      PoolBackpropScalar.avgPoolGradF32(dy, dyo, dx, dxo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = F.length();
    long o = dyo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, dxo + n * h * w * c, 0);
          int nv = t.valid;
          float count = nv;
          long i = 0;
          for (; nv > 0 && i + l <= c; i += l) {
            FloatVector share = ldF32(dy, (o + i) * Float.BYTES).div(count);
            for (int v = 0; v < nv; v++) {
              long b = (t.x[v] + i) * Float.BYTES;
              Stores.at(ldF32(dx, b).add(share), dx, b);
            }
          }
          for (; nv > 0 && i < c; i++) {
            float share = dy.getAtIndex(JAVA_FLOAT, o + i) / count;
            for (int v = 0; v < nv; v++) {
              long p = t.x[v] + i;
              dx.setAtIndex(JAVA_FLOAT, p, dx.getAtIndex(JAVA_FLOAT, p) + share);
            }
          }
        }
      }
    }
  }

  private static FloatVector ldF32(MemorySegment s, long byteOffset) {
    return FloatVector.fromMemorySegment(F, s, byteOffset, NATIVE);
  }

  static void maxGradF64(MemorySegment x, long xo, MemorySegment dy, long dyo, MemorySegment dx,
      long dxo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    PoolBackpropScalar.zero(dx, dxo, g.inputSize(), Double.BYTES);
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > MAX_TAPS_F64) {
      PoolBackpropScalar.maxPoolGradF64(x, xo, dy, dyo, dx, dxo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = D.length();
    long o = 0;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, n * h * w * c, 0);
          int nv = t.valid;
          if (nv == 0) {
            continue;
          }
          long i = 0;
          for (; i + l <= c; i += l) {
            DoubleVector pick = argmaxF64(x, xo + i, t);
            DoubleVector gv = ldF64(dy, (dyo + o + i) * Double.BYTES);
            for (int v = 0; v < nv; v++) {
              long b = (dxo + t.x[v] + i) * Double.BYTES;
              Stores.at(ldF64(dx, b).add(gv, pick.compare(VectorOperators.EQ, v)), dx, b);
            }
          }
          for (; i < c; i++) { // the tail, as the twin
            long at = PoolBackpropScalar.argmaxF64(x, xo, g, n, oy, ox, i);
            dx.setAtIndex(JAVA_DOUBLE, dxo + at, dx.getAtIndex(JAVA_DOUBLE, dxo + at)
                + dy.getAtIndex(JAVA_DOUBLE, dyo + o + i));
          }
        }
      }
    }
  }

  static void maxGradGradF64(MemorySegment x, long xo, MemorySegment gg, long ggo,
      MemorySegment y, long yo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > MAX_TAPS_F64) {
      PoolBackpropScalar.maxPoolGradGradF64(x, xo, gg, ggo, y, yo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = D.length();
    long o = 0;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, n * h * w * c, 0);
          int nv = t.valid;
          long i = 0;
          for (; nv > 0 && i + l <= c; i += l) {
            DoubleVector pick = argmaxF64(x, xo + i, t);
            DoubleVector out = DoubleVector.zero(D);
            for (int v = 0; v < nv; v++) {
              DoubleVector at = ldF64(gg, (ggo + t.x[v] + i) * Double.BYTES);
              out = out.blend(at, pick.compare(VectorOperators.EQ, v));
            }
            Stores.at(out, y, (yo + o + i) * Double.BYTES);
          }
          for (; i < c; i++) {
            long at = PoolBackpropScalar.argmaxF64(x, xo, g, n, oy, ox, i);
            double v = at >= 0 ? gg.getAtIndex(JAVA_DOUBLE, ggo + at) : 0.0;
            y.setAtIndex(JAVA_DOUBLE, yo + o + i, v);
          }
        }
      }
    }
  }

  /**
   * Per lane (channel {@code base + lane}), the number of the window's first largest valid tap:
   * the twin's running choice, lanewise; tap numbers are exact in the element type.
   */
  private static DoubleVector argmaxF64(MemorySegment x, long base, ConvTaps t) {
    DoubleVector best = ldF64(x, (base + t.x[0]) * Double.BYTES);
    DoubleVector pick = DoubleVector.zero(D);
    for (int v = 1; v < t.valid; v++) {
      DoubleVector val = ldF64(x, (base + t.x[v]) * Double.BYTES);
      VectorMask<Double> greater = val.compare(VectorOperators.GT, best);
      best = best.blend(val, greater);
      pick = pick.blend(v, greater);
    }
    return pick;
  }

  static void avgGradF64(MemorySegment dy, long dyo, MemorySegment dx, long dxo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    PoolBackpropScalar.zero(dx, dxo, g.inputSize(), Double.BYTES);
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      PoolBackpropScalar.avgPoolGradF64(dy, dyo, dx, dxo, g);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = D.length();
    long o = dyo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, dxo + n * h * w * c, 0);
          int nv = t.valid;
          double count = nv;
          long i = 0;
          for (; nv > 0 && i + l <= c; i += l) {
            DoubleVector share = ldF64(dy, (o + i) * Double.BYTES).div(count);
            for (int v = 0; v < nv; v++) {
              long b = (t.x[v] + i) * Double.BYTES;
              Stores.at(ldF64(dx, b).add(share), dx, b);
            }
          }
          for (; nv > 0 && i < c; i++) {
            double share = dy.getAtIndex(JAVA_DOUBLE, o + i) / count;
            for (int v = 0; v < nv; v++) {
              long p = t.x[v] + i;
              dx.setAtIndex(JAVA_DOUBLE, p, dx.getAtIndex(JAVA_DOUBLE, p) + share);
            }
          }
        }
      }
    }
  }

  private static DoubleVector ldF64(MemorySegment s, long byteOffset) {
    return DoubleVector.fromMemorySegment(D, s, byteOffset, NATIVE);
  }
}
