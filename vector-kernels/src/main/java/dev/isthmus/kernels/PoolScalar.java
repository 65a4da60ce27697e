package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the pooling kernels: the direct loops that define them, the
 * specification the property tests hold {@link PoolKernels} to (exactly), and the path that runs
 * when the Vector API is off. Same arguments as {@link PoolKernels}.
 *
 * <p>Only the taps inside the input count. Max starts from -inf and takes {@link Math#max} over
 * them in window order (NaN propagates); average sums them in window order from zero, in the
 * element type, and divides the sum by their number (a window with none would give NaN; the
 * SAME and VALID rules never make one).
 */
public final class PoolScalar {
  private PoolScalar() {}

  /** FLOAT32 max pooling. */
  public static void maxPoolF32(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            float acc = Float.NEGATIVE_INFINITY;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  acc = Math.max(acc, x.getAtIndex(JAVA_FLOAT, xo + ((n * h + iy) * w + ix) * c
                      + ci));
                }
              }
            }
            y.setAtIndex(JAVA_FLOAT, out + ci, acc);
          }
        }
      }
    }
  }

  /** FLOAT64 max pooling. */
  public static void maxPoolF64(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            double acc = Double.NEGATIVE_INFINITY;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  acc = Math.max(acc, x.getAtIndex(JAVA_DOUBLE, xo + ((n * h + iy) * w + ix) * c
                      + ci));
                }
              }
            }
            y.setAtIndex(JAVA_DOUBLE, out + ci, acc);
          }
        }
      }
    }
  }

  /** FLOAT32 average pooling over the taps inside the input. */
  public static void avgPoolF32(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            float sum = 0;
            int count = 0;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  sum += x.getAtIndex(JAVA_FLOAT, xo + ((n * h + iy) * w + ix) * c + ci);
                  count++;
                }
              }
            }
            y.setAtIndex(JAVA_FLOAT, out + ci, sum / count);
          }
        }
      }
    }
  }

  /** FLOAT64 average pooling over the taps inside the input. */
  public static void avgPoolF64(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * c;
          for (long ci = 0; ci < c; ci++) {
            double sum = 0;
            int count = 0;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  sum += x.getAtIndex(JAVA_DOUBLE, xo + ((n * h + iy) * w + ix) * c + ci);
                  count++;
                }
              }
            }
            y.setAtIndex(JAVA_DOUBLE, out + ci, sum / count);
          }
        }
      }
    }
  }
}
