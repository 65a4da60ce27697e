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
 * Vector API depthwise convolution gradients for a channel multiplier of 1, vectorised over the
 * channels (contiguous in NHWC, in the input, the filter rows and dy alike). Per output pixel the
 * window's taps are collected once ({@link ConvTaps}); then for each tap inside the input
 * {@code dx[tap pixel] += dy[pixel] * f[tap]} (input gradient), and for each tap {@code df[tap]
 * += x[tap pixel] * dy[pixel]}, with 0 for a padded tap (filter gradient), by FMA, in the twin's
 * order per element. Channels past the last whole vector use scalar FMAs.
 */
final class ConvBackpropVector {
  private ConvBackpropVector() {}

  static void depthwiseInputF32(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    ConvBackpropScalar.zeroF32(dx, dxo, g.inputSize());
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      ConvBackpropScalar.depthwiseInputF32(dy, dyo, f, fo, dx, dxo, g, 1);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = F.length();
    long o = dyo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, dxo + n * h * w * c, fo);
          for (int v = 0; v < t.valid; v++) {
            long xa = t.x[v], fa = t.f[v], i = 0;
            for (; i + l <= c; i += l) {
              long xb = (xa + i) * Float.BYTES;
              Stores.at(ldF32(dy, (o + i) * Float.BYTES)
                  .fma(ldF32(f, (fa + i) * Float.BYTES), ldF32(dx, xb)), dx, xb);
            }
            for (; i < c; i++) {
              dx.setAtIndex(JAVA_FLOAT, xa + i, Math.fma(dy.getAtIndex(JAVA_FLOAT, o + i),
                  f.getAtIndex(JAVA_FLOAT, fa + i), dx.getAtIndex(JAVA_FLOAT, xa + i)));
            }
          }
        }
      }
    }
  }

  static void depthwiseInputF64(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    ConvBackpropScalar.zeroF64(dx, dxo, g.inputSize());
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      ConvBackpropScalar.depthwiseInputF64(dy, dyo, f, fo, dx, dxo, g, 1);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = D.length();
    long o = dyo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, dxo + n * h * w * c, fo);
          for (int v = 0; v < t.valid; v++) {
            long xa = t.x[v], fa = t.f[v], i = 0;
            for (; i + l <= c; i += l) {
              long xb = (xa + i) * Double.BYTES;
              Stores.at(ldF64(dy, (o + i) * Double.BYTES)
                  .fma(ldF64(f, (fa + i) * Double.BYTES), ldF64(dx, xb)), dx, xb);
            }
            for (; i < c; i++) {
              dx.setAtIndex(JAVA_DOUBLE, xa + i, Math.fma(dy.getAtIndex(JAVA_DOUBLE, o + i),
                  f.getAtIndex(JAVA_DOUBLE, fa + i), dx.getAtIndex(JAVA_DOUBLE, xa + i)));
            }
          }
        }
      }
    }
  }

  static void depthwiseFilterF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    ConvBackpropScalar.zeroF32(df, dfo, taps * c);
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      ConvBackpropScalar.depthwiseFilterF32(x, xo, dy, dyo, df, dfo, g, 1);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = F.length();
    FloatVector zero = FloatVector.zero(F);
    long o = dyo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, xo + n * h * w * c, dfo);
          for (int v = 0; v < t.valid; v++) {
            long xa = t.x[v], fa = t.f[v], i = 0;
            for (; i + l <= c; i += l) {
              long fb = (fa + i) * Float.BYTES;
              Stores.at(ldF32(x, (xa + i) * Float.BYTES)
                  .fma(ldF32(dy, (o + i) * Float.BYTES), ldF32(df, fb)), df, fb);
            }
            for (; i < c; i++) {
              df.setAtIndex(JAVA_FLOAT, fa + i, Math.fma(x.getAtIndex(JAVA_FLOAT, xa + i),
                  dy.getAtIndex(JAVA_FLOAT, o + i), df.getAtIndex(JAVA_FLOAT, fa + i)));
            }
          }
          for (int p = 0; p < t.padded; p++) { // 0 * dy: NaN for a non-finite dy, else no change
            long fa = t.pad[p], i = 0;
            for (; i + l <= c; i += l) {
              long fb = (fa + i) * Float.BYTES;
              Stores.at(zero.fma(ldF32(dy, (o + i) * Float.BYTES), ldF32(df, fb)), df, fb);
            }
            for (; i < c; i++) {
              df.setAtIndex(JAVA_FLOAT, fa + i, Math.fma(0f, dy.getAtIndex(JAVA_FLOAT, o + i),
                  df.getAtIndex(JAVA_FLOAT, fa + i)));
            }
          }
        }
      }
    }
  }

  static void depthwiseFilterF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g) {
    long h = g.inH(), w = g.inW(), c = g.channels(), taps = g.taps();
    ConvBackpropScalar.zeroF64(df, dfo, taps * c);
    if (g.outputPixels() == 0 || c == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY) {
      ConvBackpropScalar.depthwiseFilterF64(x, xo, dy, dyo, df, dfo, g, 1);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    int l = D.length();
    DoubleVector zero = DoubleVector.zero(D);
    long o = dyo;
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        for (long ox = 0; ox < g.outW(); ox++, o += c) {
          t.collect(g, oy, ox, xo + n * h * w * c, dfo);
          for (int v = 0; v < t.valid; v++) {
            long xa = t.x[v], fa = t.f[v], i = 0;
            for (; i + l <= c; i += l) {
              long fb = (fa + i) * Double.BYTES;
              Stores.at(ldF64(x, (xa + i) * Double.BYTES)
                  .fma(ldF64(dy, (o + i) * Double.BYTES), ldF64(df, fb)), df, fb);
            }
            for (; i < c; i++) {
              df.setAtIndex(JAVA_DOUBLE, fa + i, Math.fma(x.getAtIndex(JAVA_DOUBLE, xa + i),
                  dy.getAtIndex(JAVA_DOUBLE, o + i), df.getAtIndex(JAVA_DOUBLE, fa + i)));
            }
          }
          for (int p = 0; p < t.padded; p++) {
            long fa = t.pad[p], i = 0;
            for (; i + l <= c; i += l) {
              long fb = (fa + i) * Double.BYTES;
              Stores.at(zero.fma(ldF64(dy, (o + i) * Double.BYTES), ldF64(df, fb)), df, fb);
            }
            for (; i < c; i++) {
              df.setAtIndex(JAVA_DOUBLE, fa + i, Math.fma(0.0, dy.getAtIndex(JAVA_DOUBLE, o + i),
                  df.getAtIndex(JAVA_DOUBLE, fa + i)));
            }
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
