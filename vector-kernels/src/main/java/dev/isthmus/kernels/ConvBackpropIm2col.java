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
 * conv2d's gradients through the GEMM, in the blocks of output pixels {@link ConvIm2col} uses
 * (so the scratch stays bounded). Input gradient: each block's columns {@code dy[rows, outC] *
 * F^T} (a GEMM with B transposed into a per-thread buffer), then col2im: each column row's taps
 * added into the input pixels they were read from, a window row at a time when its taps are
 * adjacent. Filter gradient: each block's im2col matrix transposed times dy, the first block's
 * product written into dF and the others' added to it. When the input already is the im2col
 * matrix ({@link ConvIm2col#directLda}), one GEMM does either.
 */
final class ConvBackpropIm2col {
  private ConvBackpropIm2col() {}

  static void conv2dInputF32(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long outC) {
    long m = g.outputPixels(), k = g.taps() * g.channels();
    long ld = ConvIm2col.directLda(g);
    if (ld > 0 && m > 0 && outC > 0) { // dx is the [m, k] col matrix itself
      MatmulKernels.f32(false, true, m, k, outC, dy, dyo, outC, f, fo, outC, dx, dxo, ld);
      return;
    }
    ConvBackpropScalar.zeroF32(dx, dxo, g.inputSize());
    if (m == 0 || k == 0 || outC == 0) {
      return;
    }
    long rows = ConvIm2col.blockRows(m, k);
    if (rows == 0) { // a window longer than a Java array: only the direct loops can do it
      ConvBackpropScalar.conv2dInputF32(dy, dyo, f, fo, dx, dxo, g, outC);
      return;
    }
    float[] buf = ConvScratch.f32(0, rows * k);
    MemorySegment a = MemorySegment.ofArray(buf);
    for (long r0 = 0; r0 < m; r0 += rows) {
      long mb = Math.min(rows, m - r0);
      MatmulKernels.f32(false, true, mb, k, outC, dy, dyo + r0 * outC, outC, f, fo, outC, a, 0,
          k);
      col2imF32(buf, g, r0, mb, dx, dxo);
    }
  }

  static void conv2dInputF64(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long outC) {
    long m = g.outputPixels(), k = g.taps() * g.channels();
    long ld = ConvIm2col.directLda(g);
    if (ld > 0 && m > 0 && outC > 0) {
      MatmulKernels.f64(false, true, m, k, outC, dy, dyo, outC, f, fo, outC, dx, dxo, ld);
      return;
    }
    ConvBackpropScalar.zeroF64(dx, dxo, g.inputSize());
    if (m == 0 || k == 0 || outC == 0) {
      return;
    }
    long rows = ConvIm2col.blockRows(m, k);
    if (rows == 0) {
      ConvBackpropScalar.conv2dInputF64(dy, dyo, f, fo, dx, dxo, g, outC);
      return;
    }
    double[] buf = ConvScratch.f64(0, rows * k);
    MemorySegment a = MemorySegment.ofArray(buf);
    for (long r0 = 0; r0 < m; r0 += rows) {
      long mb = Math.min(rows, m - r0);
      MatmulKernels.f64(false, true, mb, k, outC, dy, dyo + r0 * outC, outC, f, fo, outC, a, 0,
          k);
      col2imF64(buf, g, r0, mb, dx, dxo);
    }
  }

  static void conv2dFilterF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long outC) {
    long m = g.outputPixels(), k = g.taps() * g.channels();
    if (k == 0 || outC == 0) {
      return; // dF is empty
    }
    long ld = ConvIm2col.directLda(g);
    if (ld > 0 || m == 0) { // the GEMM of k = 0 writes zeros
      MatmulKernels.f32(true, false, k, outC, m, x, xo, Math.max(ld, k), dy, dyo, outC, df, dfo,
          outC);
      return;
    }
    long rows = ConvIm2col.blockRows(m, k);
    if (rows == 0 || k * outC > ConvScratch.MAX_ARRAY) {
      ConvBackpropScalar.conv2dFilterF32(x, xo, dy, dyo, df, dfo, g, outC);
      return;
    }
    float[] buf = ConvScratch.f32(0, rows * k);
    MemorySegment a = MemorySegment.ofArray(buf);
    float[] part = null;
    for (long r0 = 0; r0 < m; r0 += rows) {
      long mb = Math.min(rows, m - r0);
      ConvIm2col.im2colF32(x, xo, g, r0, mb, buf);
      if (r0 == 0) {
        MatmulKernels.f32(true, false, k, outC, mb, a, 0, k, dy, dyo, outC, df, dfo, outC);
      } else {
        part = part == null ? ConvScratch.f32(1, k * outC) : part;
        MatmulKernels.f32(true, false, k, outC, mb, a, 0, k, dy, dyo + r0 * outC, outC,
            MemorySegment.ofArray(part), 0, outC);
        addF32(part, 0, df, dfo, k * outC);
      }
    }
  }

  static void conv2dFilterF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long outC) {
    long m = g.outputPixels(), k = g.taps() * g.channels();
    if (k == 0 || outC == 0) {
      return;
    }
    long ld = ConvIm2col.directLda(g);
    if (ld > 0 || m == 0) {
      MatmulKernels.f64(true, false, k, outC, m, x, xo, Math.max(ld, k), dy, dyo, outC, df, dfo,
          outC);
      return;
    }
    long rows = ConvIm2col.blockRows(m, k);
    if (rows == 0 || k * outC > ConvScratch.MAX_ARRAY) {
      ConvBackpropScalar.conv2dFilterF64(x, xo, dy, dyo, df, dfo, g, outC);
      return;
    }
    double[] buf = ConvScratch.f64(0, rows * k);
    MemorySegment a = MemorySegment.ofArray(buf);
    double[] part = null;
    for (long r0 = 0; r0 < m; r0 += rows) {
      long mb = Math.min(rows, m - r0);
      ConvIm2col.im2colF64(x, xo, g, r0, mb, buf);
      if (r0 == 0) {
        MatmulKernels.f64(true, false, k, outC, mb, a, 0, k, dy, dyo, outC, df, dfo, outC);
      } else {
        part = part == null ? ConvScratch.f64(1, k * outC) : part;
        MatmulKernels.f64(true, false, k, outC, mb, a, 0, k, dy, dyo + r0 * outC, outC,
            MemorySegment.ofArray(part), 0, outC);
        addF64(part, 0, df, dfo, k * outC);
      }
    }
  }

  /**
   * Adds rows {@code [r0, r0 + mb)} of the column matrix in {@code buf} (laid out as {@link
   * ConvIm2col#im2colF32} writes it) into the input-shaped {@code dx}; padded taps are dropped.
   */
  static void col2imF32(float[] buf, ConvGeometry g, long r0, long mb, MemorySegment dx,
      long dxo) {
    long h = g.inH(), w = g.inW(), c = g.channels(), kw = g.kW(), run = kw * c;
    long ohw = g.outH() * g.outW();
    long n = r0 / ohw, oy = r0 % ohw / g.outW(), ox = r0 % g.outW();
    int p = 0;
    for (long r = 0; r < mb; r++) {
      long image = dxo + n * h * w * c;
      long iy0 = oy * g.strideH() - g.padTop(), ix0 = ox * g.strideW() - g.padLeft();
      for (long ky = 0; ky < g.kH(); ky++, p += (int) run) {
        long iy = iy0 + ky * g.dilationH();
        if (iy < 0 || iy >= h) {
          continue;
        }
        long row = image + iy * w * c;
        if (g.dilationW() == 1) { // the valid taps of this window row are adjacent pixels
          long kx0 = Math.clamp(-ix0, 0, kw), kx1 = Math.clamp(w - ix0, kx0, kw);
          addF32(buf, p + (int) (kx0 * c), dx, row + (ix0 + kx0) * c, (kx1 - kx0) * c);
        } else {
          for (long kx = 0; kx < kw; kx++) {
            long ix = ix0 + kx * g.dilationW();
            if (ix >= 0 && ix < w) {
              addF32(buf, p + (int) (kx * c), dx, row + ix * c, c);
            }
          }
        }
      }
      if (++ox == g.outW()) { // the next output pixel, odometer style
        ox = 0;
        if (++oy == g.outH()) {
          oy = 0;
          n++;
        }
      }
    }
  }

  /** {@link #col2imF32} for FLOAT64. */
  static void col2imF64(double[] buf, ConvGeometry g, long r0, long mb, MemorySegment dx,
      long dxo) {
    long h = g.inH(), w = g.inW(), c = g.channels(), kw = g.kW(), run = kw * c;
    long ohw = g.outH() * g.outW();
    long n = r0 / ohw, oy = r0 % ohw / g.outW(), ox = r0 % g.outW();
    int p = 0;
    for (long r = 0; r < mb; r++) {
      long image = dxo + n * h * w * c;
      long iy0 = oy * g.strideH() - g.padTop(), ix0 = ox * g.strideW() - g.padLeft();
      for (long ky = 0; ky < g.kH(); ky++, p += (int) run) {
        long iy = iy0 + ky * g.dilationH();
        if (iy < 0 || iy >= h) {
          continue;
        }
        long row = image + iy * w * c;
        if (g.dilationW() == 1) {
          long kx0 = Math.clamp(-ix0, 0, kw), kx1 = Math.clamp(w - ix0, kx0, kw);
          addF64(buf, p + (int) (kx0 * c), dx, row + (ix0 + kx0) * c, (kx1 - kx0) * c);
        } else {
          for (long kx = 0; kx < kw; kx++) {
            long ix = ix0 + kx * g.dilationW();
            if (ix >= 0 && ix < w) {
              addF64(buf, p + (int) (kx * c), dx, row + ix * c, c);
            }
          }
        }
      }
      if (++ox == g.outW()) {
        ox = 0;
        if (++oy == g.outH()) {
          oy = 0;
          n++;
        }
      }
    }
  }

  /** {@code dst[off + i] += src[p + i]} for {@code i < len}. */
  static void addF32(float[] src, int p, MemorySegment dst, long off, long len) {
    int l = F.length(), i = 0;
    for (; i + l <= len; i += l) {
      long o = (off + i) * Float.BYTES;
      Stores.at(FloatVector.fromMemorySegment(F, dst, o, NATIVE)
          .add(FloatVector.fromArray(F, src, p + i)), dst, o);
    }
    for (; i < len; i++) {
      dst.setAtIndex(JAVA_FLOAT, off + i, dst.getAtIndex(JAVA_FLOAT, off + i) + src[p + i]);
    }
  }

  /** {@code dst[off + i] += src[p + i]} for {@code i < len}. */
  static void addF64(double[] src, int p, MemorySegment dst, long off, long len) {
    int l = D.length(), i = 0;
    for (; i + l <= len; i += l) {
      long o = (off + i) * Double.BYTES;
      Stores.at(DoubleVector.fromMemorySegment(D, dst, o, NATIVE)
          .add(DoubleVector.fromArray(D, src, p + i)), dst, o);
    }
    for (; i < len; i++) {
      dst.setAtIndex(JAVA_DOUBLE, off + i, dst.getAtIndex(JAVA_DOUBLE, off + i) + src[p + i]);
    }
  }
}
