package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the pooling gradients ({@link PoolBackpropKernels}): the direct
 * loops that define them, the specification the property tests hold the vector loops to
 * (exactly), and the path that runs when the Vector API is off. The geometry is the forward
 * pooling's; only the taps inside the input count, as there.
 *
 * <p>Max: a window's gradient goes to one element, its first largest (window order; a later tap
 * replaces the choice only when strictly greater, as TensorFlow's CPU kernel recomputes it, so a
 * NaN wins only as the first tap). Average: each tap inside gets {@code dy / count}, the count
 * of taps inside (the forward pass's divisor), added in output-pixel order.
 */
public final class PoolBackpropScalar {
  private PoolBackpropScalar() {}

  /** F32 max pooling gradient: each window's {@code dy} to its first largest input element. */
  public static void maxPoolGradF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment dx, long dxo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zero(dx, dxo, g.inputSize(), Float.BYTES);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            long at = argmaxF32(x, xo, g, n, oy, ox, ci);
            if (at >= 0) {
              dx.setAtIndex(JAVA_FLOAT, dxo + at, dx.getAtIndex(JAVA_FLOAT, dxo + at)
                  + dy.getAtIndex(JAVA_FLOAT, dyo + out + ci));
            }
          }
        }
      }
    }
  }

  /**
   * F32 gradient of the max pooling gradient (TensorFlow's MaxPoolGradGrad): each window's
   * output is {@code gg} (input-shaped) at the window's first largest input element.
   */
  public static void maxPoolGradGradF32(MemorySegment x, long xo, MemorySegment gg, long ggo,
      MemorySegment y, long yo, ConvGeometry g) {
    long c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            long at = argmaxF32(x, xo, g, n, oy, ox, ci);
            float v = at >= 0 ? gg.getAtIndex(JAVA_FLOAT, ggo + at) : 0f;
            y.setAtIndex(JAVA_FLOAT, out + ci, v);
          }
        }
      }
    }
  }

  /**
   * The element (relative to the input's start) of window (n, oy, ox)'s first largest input in
   * channel ci: the first tap inside the input, replaced by each later tap strictly greater;
   * -1 for a window with no tap inside.
   */
  static long argmaxF32(MemorySegment x, long xo, ConvGeometry g, long n, long oy, long ox,
      long ci) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    long best = -1;
    float bv = 0f;
    for (long ky = 0; ky < g.kH(); ky++) {
      long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
      for (long kx = 0; kx < g.kW(); kx++) {
        long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
          long p = ((n * h + iy) * w + ix) * c + ci;
          float v = x.getAtIndex(JAVA_FLOAT, xo + p);
          if (best < 0 || v > bv) {
            best = p;
            bv = v;
          }
        }
      }
    }
    return best;
  }

  /** F32 average pooling gradient: each window's {@code dy / taps inside} to each of them. */
  public static void avgPoolGradF32(MemorySegment dy, long dyo, MemorySegment dx, long dxo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zero(dx, dxo, g.inputSize(), Float.BYTES);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          long count = 0;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              count += iy >= 0 && iy < h && ix >= 0 && ix < w ? 1 : 0;
            }
          }
          for (long ci = 0; ci < c; ci++) {
            float share = dy.getAtIndex(JAVA_FLOAT, out + ci) / (float) count;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  long p = dxo + ((n * h + iy) * w + ix) * c + ci;
                  dx.setAtIndex(JAVA_FLOAT, p, dx.getAtIndex(JAVA_FLOAT, p) + share);
                }
              }
            }
          }
        }
      }
    }
  }

  /** F64 max pooling gradient: each window's {@code dy} to its first largest input element. */
  public static void maxPoolGradF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment dx, long dxo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zero(dx, dxo, g.inputSize(), Double.BYTES);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            long at = argmaxF64(x, xo, g, n, oy, ox, ci);
            if (at >= 0) {
              dx.setAtIndex(JAVA_DOUBLE, dxo + at, dx.getAtIndex(JAVA_DOUBLE, dxo + at)
                  + dy.getAtIndex(JAVA_DOUBLE, dyo + out + ci));
            }
          }
        }
      }
    }
  }

  /**
   * F64 gradient of the max pooling gradient (TensorFlow's MaxPoolGradGrad): each window's
   * output is {@code gg} (input-shaped) at the window's first largest input element.
   */
  public static void maxPoolGradGradF64(MemorySegment x, long xo, MemorySegment gg, long ggo,
      MemorySegment y, long yo, ConvGeometry g) {
    long c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            long at = argmaxF64(x, xo, g, n, oy, ox, ci);
            double v = at >= 0 ? gg.getAtIndex(JAVA_DOUBLE, ggo + at) : 0.0;
            y.setAtIndex(JAVA_DOUBLE, out + ci, v);
          }
        }
      }
    }
  }

  /**
   * The element (relative to the input's start) of window (n, oy, ox)'s first largest input in
   * channel ci: the first tap inside the input, replaced by each later tap strictly greater;
   * -1 for a window with no tap inside.
   */
  static long argmaxF64(MemorySegment x, long xo, ConvGeometry g, long n, long oy, long ox,
      long ci) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    long best = -1;
    double bv = 0.0;
    for (long ky = 0; ky < g.kH(); ky++) {
      long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
      for (long kx = 0; kx < g.kW(); kx++) {
        long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
          long p = ((n * h + iy) * w + ix) * c + ci;
          double v = x.getAtIndex(JAVA_DOUBLE, xo + p);
          if (best < 0 || v > bv) {
            best = p;
            bv = v;
          }
        }
      }
    }
    return best;
  }

  /** F64 average pooling gradient: each window's {@code dy / taps inside} to each of them. */
  public static void avgPoolGradF64(MemorySegment dy, long dyo, MemorySegment dx, long dxo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zero(dx, dxo, g.inputSize(), Double.BYTES);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          long count = 0;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              count += iy >= 0 && iy < h && ix >= 0 && ix < w ? 1 : 0;
            }
          }
          for (long ci = 0; ci < c; ci++) {
            double share = dy.getAtIndex(JAVA_DOUBLE, out + ci) / (double) count;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  long p = dxo + ((n * h + iy) * w + ix) * c + ci;
                  dx.setAtIndex(JAVA_DOUBLE, p, dx.getAtIndex(JAVA_DOUBLE, p) + share);
                }
              }
            }
          }
        }
      }
    }
  }

  static void zero(MemorySegment s, long off, long n, int bytes) {
    s.asSlice(off * bytes, n * bytes).fill((byte) 0);
  }
}
