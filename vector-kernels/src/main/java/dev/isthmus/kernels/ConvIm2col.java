package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * conv2d as a GEMM: the output {@code [pixels, outC]} is the im2col matrix {@code [pixels, kH *
 * kW * C]} (row r: the window of output pixel r, taps in order ky, kx, channel, padding as zero)
 * times the filter viewed as {@code [kH * kW * C, outC]}. The matrix is built in blocks of rows
 * into a per-thread buffer and each block goes through {@link MatmulKernels}, so the buffer stays
 * bounded however large the input. Two shapes need no im2col at all: a 1x1 window with stride 1
 * and no padding (the input is already {@code [pixels, C]}), and a window covering the whole
 * unpadded image (one output pixel: the input is {@code [batch, H * W * C]}).
 *
 * <p>The copies are bulk copies of channel runs (a window row at once when its taps are
 * adjacent); the arithmetic is the GEMM's, vectorised there.
 */
final class ConvIm2col {
  private ConvIm2col() {}

  /** The im2col block's target size, in elements: 2 MiB of floats. */
  static final long BLOCK = 1 << 19;
  /**
   * The fewest rows in a block (when there are that many pixels), so that the GEMM's handling of
   * the filter is spread over enough rows even for a long window.
   */
  static final long MIN_ROWS = 64;

  /**
   * The input's leading dimension when the input already is the im2col matrix (see the class
   * comment), else -1.
   */
  static long directLda(ConvGeometry g) {
    if (g.padTop() != 0 || g.padLeft() != 0) {
      return -1;
    }
    if (g.kH() == 1 && g.kW() == 1 && g.strideH() == 1 && g.strideW() == 1
        && g.outH() == g.inH() && g.outW() == g.inW()) {
      return g.channels();
    }
    if (g.kH() == g.inH() && g.kW() == g.inW() && g.outH() == 1 && g.outW() == 1
        && g.dilationH() == 1 && g.dilationW() == 1) {
      return g.inH() * g.inW() * g.channels();
    }
    return -1;
  }

  /** Rows per block for {@code m} rows of length {@code k}, or 0 if a row exceeds an array. */
  static long blockRows(long m, long k) {
    if (k > ConvScratch.MAX_ARRAY) {
      return 0;
    }
    long rows = Math.min(Math.max(BLOCK / k, MIN_ROWS), ConvScratch.MAX_ARRAY / k);
    return Math.max(1, Math.min(rows, m));
  }

  static void conv2dF32(MemorySegment x, long xo, MemorySegment f, long fo, MemorySegment y,
      long yo, ConvGeometry g, long outC) {
    long m = g.outputPixels(), k = g.taps() * g.channels();
    if (m == 0 || outC == 0) {
      return;
    }
    if (k == 0) {
      y.asSlice(yo * Float.BYTES, m * outC * Float.BYTES).fill((byte) 0);
      return;
    }
    long lda = directLda(g);
    if (lda > 0) {
      MatmulKernels.f32(false, false, m, outC, k, x, xo, lda, f, fo, outC, y, yo, outC);
      return;
    }
    long rows = blockRows(m, k);
    if (rows == 0) { // a window longer than a Java array: only the direct loops can do it
      ConvScalar.conv2dF32(x, xo, f, fo, y, yo, g, outC);
      return;
    }
    float[] buf = ConvScratch.f32(0, rows * k);
    MemorySegment a = MemorySegment.ofArray(buf);
    for (long r0 = 0; r0 < m; r0 += rows) {
      long mb = Math.min(rows, m - r0);
      im2colF32(x, xo, g, r0, mb, buf);
      MatmulKernels.f32(false, false, mb, outC, k, a, 0, k, f, fo, outC, y, yo + r0 * outC, outC);
    }
  }

  static void conv2dF64(MemorySegment x, long xo, MemorySegment f, long fo, MemorySegment y,
      long yo, ConvGeometry g, long outC) {
    long m = g.outputPixels(), k = g.taps() * g.channels();
    if (m == 0 || outC == 0) {
      return;
    }
    if (k == 0) {
      y.asSlice(yo * Double.BYTES, m * outC * Double.BYTES).fill((byte) 0);
      return;
    }
    long lda = directLda(g);
    if (lda > 0) {
      MatmulKernels.f64(false, false, m, outC, k, x, xo, lda, f, fo, outC, y, yo, outC);
      return;
    }
    long rows = blockRows(m, k);
    if (rows == 0) {
      ConvScalar.conv2dF64(x, xo, f, fo, y, yo, g, outC);
      return;
    }
    double[] buf = ConvScratch.f64(0, rows * k);
    MemorySegment a = MemorySegment.ofArray(buf);
    for (long r0 = 0; r0 < m; r0 += rows) {
      long mb = Math.min(rows, m - r0);
      im2colF64(x, xo, g, r0, mb, buf);
      MatmulKernels.f64(false, false, mb, outC, k, a, 0, k, f, fo, outC, y, yo + r0 * outC, outC);
    }
  }

  /** Rows {@code [r0, r0 + mb)} of the im2col matrix into {@code buf}, densely from index 0. */
  static void im2colF32(MemorySegment x, long xo, ConvGeometry g, long r0, long mb, float[] buf) {
    long h = g.inH(), w = g.inW(), c = g.channels(), kw = g.kW(), run = kw * c;
    long ohw = g.outH() * g.outW();
    long n = r0 / ohw, oy = r0 % ohw / g.outW(), ox = r0 % g.outW();
    int p = 0;
    for (long r = 0; r < mb; r++) {
      long image = xo + n * h * w * c;
      long iy0 = oy * g.strideH() - g.padTop(), ix0 = ox * g.strideW() - g.padLeft();
      for (long ky = 0; ky < g.kH(); ky++, p += (int) run) {
        long iy = iy0 + ky * g.dilationH();
        if (iy < 0 || iy >= h) {
          Arrays.fill(buf, p, p + (int) run, 0f);
          continue;
        }
        long row = image + iy * w * c;
        if (g.dilationW() == 1) { // the valid taps of this window row are adjacent pixels
          int kx0 = (int) Math.clamp(-ix0, 0, kw), kx1 = (int) Math.clamp(w - ix0, kx0, kw);
          Arrays.fill(buf, p, p + (int) (kx0 * c), 0f);
          if (kx1 > kx0) {
            MemorySegment.copy(x, JAVA_FLOAT, (row + (ix0 + kx0) * c) * Float.BYTES, buf,
                p + (int) (kx0 * c), (int) ((kx1 - kx0) * c));
          }
          Arrays.fill(buf, p + (int) (kx1 * c), p + (int) run, 0f);
        } else {
          for (long kx = 0; kx < kw; kx++) {
            long ix = ix0 + kx * g.dilationW();
            int dst = p + (int) (kx * c);
            if (ix < 0 || ix >= w) {
              Arrays.fill(buf, dst, dst + (int) c, 0f);
            } else {
              MemorySegment.copy(x, JAVA_FLOAT, (row + ix * c) * Float.BYTES, buf, dst, (int) c);
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

  /** {@link #im2colF32} for FLOAT64. */
  static void im2colF64(MemorySegment x, long xo, ConvGeometry g, long r0, long mb,
      double[] buf) {
    long h = g.inH(), w = g.inW(), c = g.channels(), kw = g.kW(), run = kw * c;
    long ohw = g.outH() * g.outW();
    long n = r0 / ohw, oy = r0 % ohw / g.outW(), ox = r0 % g.outW();
    int p = 0;
    for (long r = 0; r < mb; r++) {
      long image = xo + n * h * w * c;
      long iy0 = oy * g.strideH() - g.padTop(), ix0 = ox * g.strideW() - g.padLeft();
      for (long ky = 0; ky < g.kH(); ky++, p += (int) run) {
        long iy = iy0 + ky * g.dilationH();
        if (iy < 0 || iy >= h) {
          Arrays.fill(buf, p, p + (int) run, 0.0);
          continue;
        }
        long row = image + iy * w * c;
        if (g.dilationW() == 1) {
          int kx0 = (int) Math.clamp(-ix0, 0, kw), kx1 = (int) Math.clamp(w - ix0, kx0, kw);
          Arrays.fill(buf, p, p + (int) (kx0 * c), 0.0);
          if (kx1 > kx0) {
            MemorySegment.copy(x, JAVA_DOUBLE, (row + (ix0 + kx0) * c) * Double.BYTES, buf,
                p + (int) (kx0 * c), (int) ((kx1 - kx0) * c));
          }
          Arrays.fill(buf, p + (int) (kx1 * c), p + (int) run, 0.0);
        } else {
          for (long kx = 0; kx < kw; kx++) {
            long ix = ix0 + kx * g.dilationW();
            int dst = p + (int) (kx * c);
            if (ix < 0 || ix >= w) {
              Arrays.fill(buf, dst, dst + (int) c, 0.0);
            } else {
              MemorySegment.copy(x, JAVA_DOUBLE, (row + ix * c) * Double.BYTES, buf, dst,
                  (int) c);
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
}
