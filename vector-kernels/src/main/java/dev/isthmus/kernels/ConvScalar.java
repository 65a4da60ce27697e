package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the convolution kernels: the direct nested loops that define
 * them, the specification the property tests hold {@link ConvKernels} to, and the path that runs
 * when the Vector API is off. Same arguments as {@link ConvKernels}.
 *
 * <p>Each output element is accumulated in the element type, from zero, over the window's taps
 * in order ({@code ky}, then {@code kx}, then the input channel), with a separate multiply and
 * add. A padded tap reads zero and still counts: {@code 0 * w} is added, so a non-finite weight
 * facing padding gives NaN, as with TensorFlow's zero-padded patches. (That is exactly the GEMM
 * of the im2col matrix, which the fast path computes, with FMA and in its own order.)
 */
public final class ConvScalar {
  private ConvScalar() {}

  /** FLOAT32 conv2d: input NHWC, filter {@code [kH, kW, channels, outC]}, output NHWC. */
  public static void conv2dF32(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long outC) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * outC;
          for (long co = 0; co < outC; co++) {
            float acc = 0;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                long xi = xo + ((n * h + iy) * w + ix) * c;
                long fi = fo + (ky * g.kW() + kx) * c * outC + co;
                for (long ci = 0; ci < c; ci++) {
                  float v = inside ? x.getAtIndex(JAVA_FLOAT, xi + ci) : 0f;
                  acc += v * f.getAtIndex(JAVA_FLOAT, fi + ci * outC);
                }
              }
            }
            y.setAtIndex(JAVA_FLOAT, out + co, acc);
          }
        }
      }
    }
  }

  /** FLOAT64 conv2d: input NHWC, filter {@code [kH, kW, channels, outC]}, output NHWC. */
  public static void conv2dF64(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long outC) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * outC;
          for (long co = 0; co < outC; co++) {
            double acc = 0;
            for (long ky = 0; ky < g.kH(); ky++) {
              long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
              for (long kx = 0; kx < g.kW(); kx++) {
                long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                long xi = xo + ((n * h + iy) * w + ix) * c;
                long fi = fo + (ky * g.kW() + kx) * c * outC + co;
                for (long ci = 0; ci < c; ci++) {
                  double v = inside ? x.getAtIndex(JAVA_DOUBLE, xi + ci) : 0.0;
                  acc += v * f.getAtIndex(JAVA_DOUBLE, fi + ci * outC);
                }
              }
            }
            y.setAtIndex(JAVA_DOUBLE, out + co, acc);
          }
        }
      }
    }
  }

  /**
   * FLOAT32 depthwise conv2d: filter {@code [kH, kW, channels, multiplier]}; output channel
   * {@code c * multiplier + q} is input channel c convolved with filter column {@code [.., c, q]}.
   */
  public static void depthwiseConv2dF32(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long multiplier) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * multiplier;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * cm;
          for (long ci = 0; ci < c; ci++) {
            for (long q = 0; q < multiplier; q++) {
              float acc = 0;
              for (long ky = 0; ky < g.kH(); ky++) {
                long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                for (long kx = 0; kx < g.kW(); kx++) {
                  long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                  boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                  float v = inside ? x.getAtIndex(JAVA_FLOAT, xo + ((n * h + iy) * w + ix) * c + ci)
                      : 0f;
                  acc += v * f.getAtIndex(JAVA_FLOAT, fo + (ky * g.kW() + kx) * cm + ci * multiplier
                      + q);
                }
              }
              y.setAtIndex(JAVA_FLOAT, out + ci * multiplier + q, acc);
            }
          }
        }
      }
    }
  }

  /** FLOAT64 depthwise conv2d; see {@link #depthwiseConv2dF32}. */
  public static void depthwiseConv2dF64(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long multiplier) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * multiplier;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = yo + ((n * g.outH() + oy) * g.outW() + ox) * cm;
          for (long ci = 0; ci < c; ci++) {
            for (long q = 0; q < multiplier; q++) {
              double acc = 0;
              for (long ky = 0; ky < g.kH(); ky++) {
                long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                for (long kx = 0; kx < g.kW(); kx++) {
                  long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                  boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                  double v = inside
                      ? x.getAtIndex(JAVA_DOUBLE, xo + ((n * h + iy) * w + ix) * c + ci) : 0.0;
                  acc += v * f.getAtIndex(JAVA_DOUBLE, fo + (ky * g.kW() + kx) * cm
                      + ci * multiplier + q);
                }
              }
              y.setAtIndex(JAVA_DOUBLE, out + ci * multiplier + q, acc);
            }
          }
        }
      }
    }
  }
}
