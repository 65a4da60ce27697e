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
 * Vector API depthwise conv2d, vectorised over the channels (contiguous in NHWC). For each output
 * pixel the window's taps are sorted once into those inside the input and those on padding; then
 * each block of four vectors of channels accumulates over the taps in registers, by FMA, and is
 * stored once. Padded taps add {@code 0 * w}, as the scalar twin does. Channels past the last
 * whole vector use scalar FMAs in the same order.
 *
 * <p>A channel multiplier above 1 runs the multiplier-1 loop once per filter column q over a
 * transposed copy of the filter (each column contiguous over the channels) into a row buffer,
 * then interleaves the row into the output (channel {@code c} of column q is output channel
 * {@code c * mult + q}).
 */
final class ConvVector {
  private ConvVector() {}

  static void depthwiseF32(MemorySegment x, long xo, MemorySegment f, long fo, MemorySegment y,
      long yo, ConvGeometry g, long mult) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * mult, taps = g.taps();
    if (g.outputPixels() == 0 || cm == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY || mult > 1 && (taps * cm > ConvScratch.MAX_ARRAY
        || g.outW() * c > ConvScratch.MAX_ARRAY)) { // beyond Java arrays: the direct loops
      ConvScalar.depthwiseConv2dF32(x, xo, f, fo, y, yo, g, mult);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    long rowLen = g.outW() * cm;
    if (mult == 1) {
      for (long n = 0; n < g.batch(); n++) {
        for (long oy = 0; oy < g.outH(); oy++) {
          rowF32(x, xo + n * h * w * c, g, oy, f, fo, y, yo + (n * g.outH() + oy) * rowLen, t);
        }
      }
      return;
    }
    // gt[q][tap][ci] = f[tap][ci][q]: filter q of each channel, contiguous over the channels
    float[] gt = ConvScratch.f32(1, taps * cm);
    for (long q = 0; q < mult; q++) {
      for (long tap = 0; tap < taps; tap++) {
        for (long ci = 0; ci < c; ci++) {
          gt[(int) ((q * taps + tap) * c + ci)] =
              f.getAtIndex(JAVA_FLOAT, fo + tap * cm + ci * mult + q);
        }
      }
    }
    float[] row = ConvScratch.f32(0, g.outW() * c);
    MemorySegment gs = MemorySegment.ofArray(gt), rs = MemorySegment.ofArray(row);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        long out = yo + (n * g.outH() + oy) * rowLen;
        for (long q = 0; q < mult; q++) {
          rowF32(x, xo + n * h * w * c, g, oy, gs, q * taps * c, rs, 0, t);
          for (long ox = 0; ox < g.outW(); ox++) { // interleave: channel ci goes to ci * mult + q
            for (long ci = 0; ci < c; ci++) {
              y.setAtIndex(JAVA_FLOAT, out + ox * cm + ci * mult + q, row[(int) (ox * c + ci)]);
            }
          }
        }
      }
    }
  }

  /**
   * Output row oy of one image (input from element xb) for a multiplier-1 filter at element fb,
   * {@code [taps, C]}, into dst from element db: {@code outW * C} elements.
   */
  private static void rowF32(MemorySegment x, long xb, ConvGeometry g, long oy, MemorySegment f,
      long fb, MemorySegment dst, long db, ConvTaps t) {
    long c = g.channels();
    int lanes = F.length();
    long l = lanes, s = l * Float.BYTES; // a vector's elements and bytes
    for (long ox = 0; ox < g.outW(); ox++) {
      t.collect(g, oy, ox, xb, fb);
      int nv = t.valid, np = t.padded;
      long out = db + ox * c, i = 0;
      for (; i + 4 * l <= c; i += 4 * l) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int v = 0; v < nv; v++) {
          long xa = (t.x[v] + i) * Float.BYTES, fa = (t.f[v] + i) * Float.BYTES;
          a0 = ldF32(x, xa).fma(ldF32(f, fa), a0);
          a1 = ldF32(x, xa + s).fma(ldF32(f, fa + s), a1);
          a2 = ldF32(x, xa + 2 * s).fma(ldF32(f, fa + 2 * s), a2);
          a3 = ldF32(x, xa + 3 * s).fma(ldF32(f, fa + 3 * s), a3);
        }
        FloatVector z = FloatVector.zero(F);
        for (int p = 0; p < np; p++) { // 0 * w: NaN for a non-finite weight, else no change
          long fa = (t.pad[p] + i) * Float.BYTES;
          a0 = z.fma(ldF32(f, fa), a0);
          a1 = z.fma(ldF32(f, fa + s), a1);
          a2 = z.fma(ldF32(f, fa + 2 * s), a2);
          a3 = z.fma(ldF32(f, fa + 3 * s), a3);
        }
        long o = (out + i) * Float.BYTES;
        Stores.at(a0, dst, o);
        Stores.at(a1, dst, o + s);
        Stores.at(a2, dst, o + 2 * s);
        Stores.at(a3, dst, o + 3 * s);
      }
      for (; i + l <= c; i += l) {
        FloatVector a = FloatVector.zero(F), z = a;
        for (int v = 0; v < nv; v++) {
          a = ldF32(x, (t.x[v] + i) * Float.BYTES).fma(ldF32(f, (t.f[v] + i) * Float.BYTES), a);
        }
        for (int p = 0; p < np; p++) {
          a = z.fma(ldF32(f, (t.pad[p] + i) * Float.BYTES), a);
        }
        Stores.at(a, dst, (out + i) * Float.BYTES);
      }
      for (; i < c; i++) { // the tail, with the same fused multiply-adds
        float a = 0;
        for (int v = 0; v < nv; v++) {
          a = Math.fma(x.getAtIndex(JAVA_FLOAT, t.x[v] + i), f.getAtIndex(JAVA_FLOAT, t.f[v] + i),
              a);
        }
        for (int p = 0; p < np; p++) {
          a = Math.fma(0, f.getAtIndex(JAVA_FLOAT, t.pad[p] + i), a);
        }
        dst.setAtIndex(JAVA_FLOAT, out + i, a);
      }
    }
  }

  private static FloatVector ldF32(MemorySegment s, long byteOffset) {
    return FloatVector.fromMemorySegment(F, s, byteOffset, NATIVE);
  }

  static void depthwiseF64(MemorySegment x, long xo, MemorySegment f, long fo, MemorySegment y,
      long yo, ConvGeometry g, long mult) {
    long h = g.inH(), w = g.inW(), c = g.channels(), cm = c * mult, taps = g.taps();
    if (g.outputPixels() == 0 || cm == 0) {
      return;
    }
    if (taps > ConvScratch.MAX_ARRAY || mult > 1 && (taps * cm > ConvScratch.MAX_ARRAY
        || g.outW() * c > ConvScratch.MAX_ARRAY)) { // beyond Java arrays: the direct loops
      ConvScalar.depthwiseConv2dF64(x, xo, f, fo, y, yo, g, mult);
      return;
    }
    ConvTaps t = new ConvTaps((int) taps);
    long rowLen = g.outW() * cm;
    if (mult == 1) {
      for (long n = 0; n < g.batch(); n++) {
        for (long oy = 0; oy < g.outH(); oy++) {
          rowF64(x, xo + n * h * w * c, g, oy, f, fo, y, yo + (n * g.outH() + oy) * rowLen, t);
        }
      }
      return;
    }
    // gt[q][tap][ci] = f[tap][ci][q]: filter q of each channel, contiguous over the channels
    double[] gt = ConvScratch.f64(1, taps * cm);
    for (long q = 0; q < mult; q++) {
      for (long tap = 0; tap < taps; tap++) {
        for (long ci = 0; ci < c; ci++) {
          gt[(int) ((q * taps + tap) * c + ci)] =
              f.getAtIndex(JAVA_DOUBLE, fo + tap * cm + ci * mult + q);
        }
      }
    }
    double[] row = ConvScratch.f64(0, g.outW() * c);
    MemorySegment gs = MemorySegment.ofArray(gt), rs = MemorySegment.ofArray(row);
    for (long n = 0; n < g.batch(); n++) {
      for (long oy = 0; oy < g.outH(); oy++) {
        long out = yo + (n * g.outH() + oy) * rowLen;
        for (long q = 0; q < mult; q++) {
          rowF64(x, xo + n * h * w * c, g, oy, gs, q * taps * c, rs, 0, t);
          for (long ox = 0; ox < g.outW(); ox++) { // interleave: channel ci goes to ci * mult + q
            for (long ci = 0; ci < c; ci++) {
              y.setAtIndex(JAVA_DOUBLE, out + ox * cm + ci * mult + q, row[(int) (ox * c + ci)]);
            }
          }
        }
      }
    }
  }

  /**
   * Output row oy of one image (input from element xb) for a multiplier-1 filter at element fb,
   * {@code [taps, C]}, into dst from element db: {@code outW * C} elements.
   */
  private static void rowF64(MemorySegment x, long xb, ConvGeometry g, long oy, MemorySegment f,
      long fb, MemorySegment dst, long db, ConvTaps t) {
    long c = g.channels();
    int lanes = D.length();
    long l = lanes, s = l * Double.BYTES; // a vector's elements and bytes
    for (long ox = 0; ox < g.outW(); ox++) {
      t.collect(g, oy, ox, xb, fb);
      int nv = t.valid, np = t.padded;
      long out = db + ox * c, i = 0;
      for (; i + 4 * l <= c; i += 4 * l) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        for (int v = 0; v < nv; v++) {
          long xa = (t.x[v] + i) * Double.BYTES, fa = (t.f[v] + i) * Double.BYTES;
          a0 = ldF64(x, xa).fma(ldF64(f, fa), a0);
          a1 = ldF64(x, xa + s).fma(ldF64(f, fa + s), a1);
          a2 = ldF64(x, xa + 2 * s).fma(ldF64(f, fa + 2 * s), a2);
          a3 = ldF64(x, xa + 3 * s).fma(ldF64(f, fa + 3 * s), a3);
        }
        DoubleVector z = DoubleVector.zero(D);
        for (int p = 0; p < np; p++) { // 0 * w: NaN for a non-finite weight, else no change
          long fa = (t.pad[p] + i) * Double.BYTES;
          a0 = z.fma(ldF64(f, fa), a0);
          a1 = z.fma(ldF64(f, fa + s), a1);
          a2 = z.fma(ldF64(f, fa + 2 * s), a2);
          a3 = z.fma(ldF64(f, fa + 3 * s), a3);
        }
        long o = (out + i) * Double.BYTES;
        Stores.at(a0, dst, o);
        Stores.at(a1, dst, o + s);
        Stores.at(a2, dst, o + 2 * s);
        Stores.at(a3, dst, o + 3 * s);
      }
      for (; i + l <= c; i += l) {
        DoubleVector a = DoubleVector.zero(D), z = a;
        for (int v = 0; v < nv; v++) {
          a = ldF64(x, (t.x[v] + i) * Double.BYTES).fma(ldF64(f, (t.f[v] + i) * Double.BYTES), a);
        }
        for (int p = 0; p < np; p++) {
          a = z.fma(ldF64(f, (t.pad[p] + i) * Double.BYTES), a);
        }
        Stores.at(a, dst, (out + i) * Double.BYTES);
      }
      for (; i < c; i++) { // the tail, with the same fused multiply-adds
        double a = 0;
        for (int v = 0; v < nv; v++) {
          a = Math.fma(x.getAtIndex(JAVA_DOUBLE, t.x[v] + i), f.getAtIndex(JAVA_DOUBLE, t.f[v] + i),
              a);
        }
        for (int p = 0; p < np; p++) {
          a = Math.fma(0, f.getAtIndex(JAVA_DOUBLE, t.pad[p] + i), a);
        }
        dst.setAtIndex(JAVA_DOUBLE, out + i, a);
      }
    }
  }

  private static DoubleVector ldF64(MemorySegment s, long byteOffset) {
    return DoubleVector.fromMemorySegment(D, s, byteOffset, NATIVE);
  }
}
