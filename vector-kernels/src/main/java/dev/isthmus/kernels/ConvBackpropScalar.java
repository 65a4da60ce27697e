package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the convolution gradients ({@link ConvBackpropKernels}): the
 * direct loops that define them, the specification the property tests hold the fast paths to,
 * and the path that runs when the Vector API is off. The geometry {@code g} is the forward
 * convolution's; {@code dy} is the gradient of its output.
 *
 * <p>Each loop zeroes its output, then walks the forward convolution's terms in its order
 * (image, output row, output column, window row, window column, input channel, then output
 * channel or multiplier) and adds each term's share into the output element it belongs to, in
 * the element type, with a separate multiply and add: the input gradient gets {@code dy * w}
 * for each tap inside the input (padding has no gradient); the filter gradient gets {@code x *
 * dy}, with a padded tap reading zero (so, as in the forward pass, a non-finite {@code dy}
 * facing padding gives NaN).
 */
public final class ConvBackpropScalar {
  private ConvBackpropScalar() {}

  /** FLOAT32 conv2d input gradient: {@code dx} (NHWC, the forward input's shape) from dy, f. */
  public static void conv2dInputF32(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long outC) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zeroF32(dx, dxo, g.inputSize());
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * outC;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              long xi = dxo + ((n * h + iy) * w + ix) * c;
              long fi = fo + (ky * g.kW() + kx) * c * outC;
              for (long ci = 0; ci < c; ci++) {
                float acc = dx.getAtIndex(JAVA_FLOAT, xi + ci);
                for (long co = 0; co < outC; co++) {
                  acc += dy.getAtIndex(JAVA_FLOAT, out + co)
                      * f.getAtIndex(JAVA_FLOAT, fi + ci * outC + co);
                }
                dx.setAtIndex(JAVA_FLOAT, xi + ci, acc);
              }
            }
          }
        }
      }
    }
  }

  /** FLOAT64 conv2d input gradient; see {@link #conv2dInputF32}. */
  public static void conv2dInputF64(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long outC) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zeroF64(dx, dxo, g.inputSize());
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * outC;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              long xi = dxo + ((n * h + iy) * w + ix) * c;
              long fi = fo + (ky * g.kW() + kx) * c * outC;
              for (long ci = 0; ci < c; ci++) {
                double acc = dx.getAtIndex(JAVA_DOUBLE, xi + ci);
                for (long co = 0; co < outC; co++) {
                  acc += dy.getAtIndex(JAVA_DOUBLE, out + co)
                      * f.getAtIndex(JAVA_DOUBLE, fi + ci * outC + co);
                }
                dx.setAtIndex(JAVA_DOUBLE, xi + ci, acc);
              }
            }
          }
        }
      }
    }
  }

  /** FLOAT32 conv2d filter gradient: {@code df} ({@code [kH, kW, C, outC]}) from x, dy. */
  public static void conv2dFilterF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long outC) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zeroF32(df, dfo, g.taps() * c * outC);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * outC;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
              long xi = xo + ((n * h + iy) * w + ix) * c;
              long fi = dfo + (ky * g.kW() + kx) * c * outC;
              for (long ci = 0; ci < c; ci++) {
                float v = inside ? x.getAtIndex(JAVA_FLOAT, xi + ci) : 0f;
                for (long co = 0; co < outC; co++) {
                  long k = fi + ci * outC + co;
                  df.setAtIndex(JAVA_FLOAT, k, df.getAtIndex(JAVA_FLOAT, k)
                      + v * dy.getAtIndex(JAVA_FLOAT, out + co));
                }
              }
            }
          }
        }
      }
    }
  }

  /** FLOAT64 conv2d filter gradient; see {@link #conv2dFilterF32}. */
  public static void conv2dFilterF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long outC) {
    long h = g.inH(), w = g.inW(), c = g.channels();
    zeroF64(df, dfo, g.taps() * c * outC);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * outC;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
              long xi = xo + ((n * h + iy) * w + ix) * c;
              long fi = dfo + (ky * g.kW() + kx) * c * outC;
              for (long ci = 0; ci < c; ci++) {
                double v = inside ? x.getAtIndex(JAVA_DOUBLE, xi + ci) : 0.0;
                for (long co = 0; co < outC; co++) {
                  long k = fi + ci * outC + co;
                  df.setAtIndex(JAVA_DOUBLE, k, df.getAtIndex(JAVA_DOUBLE, k)
                      + v * dy.getAtIndex(JAVA_DOUBLE, out + co));
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * FLOAT32 depthwise input gradient: input channel c gets {@code dy[c * mult + q] * f[.., c, q]}
   * summed over its {@code mult} filters q.
   */
  public static void depthwiseInputF32(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long mult) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * mult;
    zeroF32(dx, dxo, g.inputSize());
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * cm;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              long xi = dxo + ((n * h + iy) * w + ix) * c;
              long fi = fo + (ky * g.kW() + kx) * cm;
              for (long ci = 0; ci < c; ci++) {
                float acc = dx.getAtIndex(JAVA_FLOAT, xi + ci);
                for (long q = 0; q < mult; q++) {
                  acc += dy.getAtIndex(JAVA_FLOAT, out + ci * mult + q)
                      * f.getAtIndex(JAVA_FLOAT, fi + ci * mult + q);
                }
                dx.setAtIndex(JAVA_FLOAT, xi + ci, acc);
              }
            }
          }
        }
      }
    }
  }

  /** FLOAT64 depthwise input gradient; see {@link #depthwiseInputF32}. */
  public static void depthwiseInputF64(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long mult) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * mult;
    zeroF64(dx, dxo, g.inputSize());
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * cm;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              long xi = dxo + ((n * h + iy) * w + ix) * c;
              long fi = fo + (ky * g.kW() + kx) * cm;
              for (long ci = 0; ci < c; ci++) {
                double acc = dx.getAtIndex(JAVA_DOUBLE, xi + ci);
                for (long q = 0; q < mult; q++) {
                  acc += dy.getAtIndex(JAVA_DOUBLE, out + ci * mult + q)
                      * f.getAtIndex(JAVA_DOUBLE, fi + ci * mult + q);
                }
                dx.setAtIndex(JAVA_DOUBLE, xi + ci, acc);
              }
            }
          }
        }
      }
    }
  }

  /** FLOAT32 depthwise filter gradient: {@code df[.., c, q]} gets {@code x[c] dy[c mult + q]}. */
  public static void depthwiseFilterF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long mult) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * mult;
    zeroF32(df, dfo, g.taps() * cm);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * cm;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
              long xi = xo + ((n * h + iy) * w + ix) * c;
              long fi = dfo + (ky * g.kW() + kx) * cm;
              for (long ci = 0; ci < c; ci++) {
                float v = inside ? x.getAtIndex(JAVA_FLOAT, xi + ci) : 0f;
                for (long q = 0; q < mult; q++) {
                  long k = fi + ci * mult + q;
                  df.setAtIndex(JAVA_FLOAT, k, df.getAtIndex(JAVA_FLOAT, k)
                      + v * dy.getAtIndex(JAVA_FLOAT, out + ci * mult + q));
                }
              }
            }
          }
        }
      }
    }
  }

  /** FLOAT64 depthwise filter gradient; see {@link #depthwiseFilterF32}. */
  public static void depthwiseFilterF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long mult) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * mult;
    zeroF64(df, dfo, g.taps() * cm);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++) {
          long out = dyo + ((n * g.outH() + oy) * g.outW() + ox) * cm;
          for (long ky = 0; ky < g.kH(); ky++) {
            long iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
            for (long kx = 0; kx < g.kW(); kx++) {
              long ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
              boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
              long xi = xo + ((n * h + iy) * w + ix) * c;
              long fi = dfo + (ky * g.kW() + kx) * cm;
              for (long ci = 0; ci < c; ci++) {
                double v = inside ? x.getAtIndex(JAVA_DOUBLE, xi + ci) : 0.0;
                for (long q = 0; q < mult; q++) {
                  long k = fi + ci * mult + q;
                  df.setAtIndex(JAVA_DOUBLE, k, df.getAtIndex(JAVA_DOUBLE, k)
                      + v * dy.getAtIndex(JAVA_DOUBLE, out + ci * mult + q));
                }
              }
            }
          }
        }
      }
    }
  }

  static void zeroF32(MemorySegment s, long off, long n) {
    s.asSlice(off * Float.BYTES, n * Float.BYTES).fill((byte) 0);
  }

  static void zeroF64(MemorySegment s, long off, long n) {
    s.asSlice(off * Double.BYTES, n * Double.BYTES).fill((byte) 0);
  }
}
