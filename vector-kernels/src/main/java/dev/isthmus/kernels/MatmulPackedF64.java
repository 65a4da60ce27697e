package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * The blocking, register tiles and merge of the packed, cache-blocked FLOAT64 GEMM, whose loop
 * nest (GotoBLAS / BLIS, on one thread or several) is {@link MatmulLoopsF64}.
 *
 * <p>The micro-kernel keeps {@code MR x 2} vectors of C in registers: 12 x 2 where vectors are
 * 512 bits (24 accumulators of the 32 registers), 6 x 2 where they are narrower (AVX2 has 16
 * registers). Each step loads 2 vectors of the B sliver, broadcasts MR elements of the A sliver and
 * does 2 MR FMAs; a last sliver of at most 8 or 4 rows runs an 8- or 4-row kernel instead. The
 * kernel writes its tile to a small buffer, which {@link #merge} then adds to C (or stores, for
 * the first KC block), applying the epilogue after the last one. Tiles at the right
 * and bottom edges run the same kernel and merge only their valid part (masked), so no size needs
 * padding of C.
 */
final class MatmulPackedF64 {
  private MatmulPackedF64() {}

  static final int V = D.length();
  /** Rows of the register tile. */
  static final int MR = D.vectorBitSize() >= 512 ? 12 : 6;
  /** Columns of the register tile: two vectors. */
  static final int NR = 2 * V;
  /**
   * Depth of a packed block: an A sliver (MR x KC, 24 KB) stays in L1 while the kernel runs.
   * A deeper block means fewer passes over C (one read-add-write of C per KC block), which
   * matters more than keeping the B sliver (32 KB at 512-bit vectors) in L1 too: measured best
   * among 128 to 1024.
   */
  static final int KC = 256;
  /** Rows of a packed A block (MC x KC, 192 KB, in L2); a multiple of every MR. */
  static final int MC = 96;
  /** Columns of a packed B panel (KC x NC, 4 MB, in L3); a multiple of every NR. */
  static final int NC = 2048;

  private static final long E = Double.BYTES;

  /** The register tile for {@code mr <= MR} rows: the full one, or a shorter one at the bottom. */
  static void kernel(int kc, double[] a, int ai, double[] b, int bi, double[] t, int mr) {
    if (mr <= 4) {
      kernel4(kc, a, ai, b, bi, t);
    } else if (MR == 6) {
      kernel6(kc, a, ai, b, bi, t);
    } else if (mr <= 8) {
      kernel8(kc, a, ai, b, bi, t);
    } else {
      kernel12(kc, a, ai, b, bi, t);
    }
  }

  /**
   * C[mr rows, nr columns] at byte offset {@code cb} (row stride {@code ldcB} bytes) gets the
   * tile {@code t} (MR x NR, dense): stored when {@code first}, else added; then, when {@code
   * biasB >= 0}, the bias from that byte offset; then relu ({@code act == 1}) or relu6 (2).
   */
  static void merge(double[] t, MemorySegment c, long cb, long ldcB, int mr, int nr,
      boolean first, MemorySegment bias, long biasB, int act) {
    long vb = D.vectorByteSize();
    if (nr == NR) {
      for (int r = 0; r < mr; r++, cb += ldcB) {
        DoubleVector x0 = DoubleVector.fromArray(D, t, r * NR);
        DoubleVector x1 = DoubleVector.fromArray(D, t, r * NR + V);
        if (!first) {
          x0 = x0.add(DoubleVector.fromMemorySegment(D, c, cb, NATIVE));
          x1 = x1.add(DoubleVector.fromMemorySegment(D, c, cb + vb, NATIVE));
        }
        if (biasB >= 0) {
          x0 = x0.add(DoubleVector.fromMemorySegment(D, bias, biasB, NATIVE));
          x1 = x1.add(DoubleVector.fromMemorySegment(D, bias, biasB + vb, NATIVE));
        }
        if (act == 1) {
          x0 = x0.max(0.0);
          x1 = x1.max(0.0);
        } else if (act == 2) {
          x0 = x0.max(0.0).min(6.0);
          x1 = x1.max(0.0).min(6.0);
        }
        Stores.at(x0, c, cb);
        Stores.at(x1, c, cb + vb);
      }
      return;
    }
    for (int v = 0; v < nr; v += V) {
      VectorMask<Double> mask = D.indexInRange(v, nr);
      long at = cb + v * E;
      for (int r = 0; r < mr; r++, at += ldcB) {
        DoubleVector x = DoubleVector.fromArray(D, t, r * NR + v);
        if (!first) {
          x = x.add(DoubleVector.fromMemorySegment(D, c, at, NATIVE, mask));
        }
        if (biasB >= 0) {
          x = x.add(DoubleVector.fromMemorySegment(D, bias, biasB + v * E, NATIVE, mask));
        }
        if (act == 1) {
          x = x.max(0.0);
        } else if (act == 2) {
          x = x.max(0.0).min(6.0);
        }
        x.intoMemorySegment(c, at, NATIVE, mask);
      }
    }
  }

  /** C[12 x 2 vectors] of one A sliver (12 rows, stride KC) and one B sliver, into t. */
  static void kernel12(int kc, double[] a, int ai, double[] b, int bi, double[] t) {
    DoubleVector c0a = DoubleVector.zero(D);
    DoubleVector c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a;
    DoubleVector c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a;
    DoubleVector c6b = c0a, c7a = c0a, c7b = c0a, c8a = c0a, c8b = c0a, c9a = c0a;
    DoubleVector c9b = c0a, c10a = c0a, c10b = c0a, c11a = c0a, c11b = c0a;
    for (int p = 0; p < kc; p++) {
      int pa = ai + p, pb = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(D, b, pb);
      DoubleVector b1 = DoubleVector.fromArray(D, b, pb + V);
      DoubleVector x = DoubleVector.broadcast(D, a[pa]);
      c0a = x.fma(b0, c0a);
      c0b = x.fma(b1, c0b);
      x = DoubleVector.broadcast(D, a[pa + KC]);
      c1a = x.fma(b0, c1a);
      c1b = x.fma(b1, c1b);
      x = DoubleVector.broadcast(D, a[pa + 2 * KC]);
      c2a = x.fma(b0, c2a);
      c2b = x.fma(b1, c2b);
      x = DoubleVector.broadcast(D, a[pa + 3 * KC]);
      c3a = x.fma(b0, c3a);
      c3b = x.fma(b1, c3b);
      x = DoubleVector.broadcast(D, a[pa + 4 * KC]);
      c4a = x.fma(b0, c4a);
      c4b = x.fma(b1, c4b);
      x = DoubleVector.broadcast(D, a[pa + 5 * KC]);
      c5a = x.fma(b0, c5a);
      c5b = x.fma(b1, c5b);
      x = DoubleVector.broadcast(D, a[pa + 6 * KC]);
      c6a = x.fma(b0, c6a);
      c6b = x.fma(b1, c6b);
      x = DoubleVector.broadcast(D, a[pa + 7 * KC]);
      c7a = x.fma(b0, c7a);
      c7b = x.fma(b1, c7b);
      x = DoubleVector.broadcast(D, a[pa + 8 * KC]);
      c8a = x.fma(b0, c8a);
      c8b = x.fma(b1, c8b);
      x = DoubleVector.broadcast(D, a[pa + 9 * KC]);
      c9a = x.fma(b0, c9a);
      c9b = x.fma(b1, c9b);
      x = DoubleVector.broadcast(D, a[pa + 10 * KC]);
      c10a = x.fma(b0, c10a);
      c10b = x.fma(b1, c10b);
      x = DoubleVector.broadcast(D, a[pa + 11 * KC]);
      c11a = x.fma(b0, c11a);
      c11b = x.fma(b1, c11b);
    }
    c0a.intoArray(t, 0 * V); c0b.intoArray(t, 1 * V);
    c1a.intoArray(t, 2 * V); c1b.intoArray(t, 3 * V);
    c2a.intoArray(t, 4 * V); c2b.intoArray(t, 5 * V);
    c3a.intoArray(t, 6 * V); c3b.intoArray(t, 7 * V);
    c4a.intoArray(t, 8 * V); c4b.intoArray(t, 9 * V);
    c5a.intoArray(t, 10 * V); c5b.intoArray(t, 11 * V);
    c6a.intoArray(t, 12 * V); c6b.intoArray(t, 13 * V);
    c7a.intoArray(t, 14 * V); c7b.intoArray(t, 15 * V);
    c8a.intoArray(t, 16 * V); c8b.intoArray(t, 17 * V);
    c9a.intoArray(t, 18 * V); c9b.intoArray(t, 19 * V);
    c10a.intoArray(t, 20 * V); c10b.intoArray(t, 21 * V);
    c11a.intoArray(t, 22 * V); c11b.intoArray(t, 23 * V);
  }

  /** C[8 x 2 vectors] of one A sliver (8 rows, stride KC) and one B sliver, into t. */
  static void kernel8(int kc, double[] a, int ai, double[] b, int bi, double[] t) {
    DoubleVector c0a = DoubleVector.zero(D);
    DoubleVector c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a;
    DoubleVector c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a;
    DoubleVector c6b = c0a, c7a = c0a, c7b = c0a;
    for (int p = 0; p < kc; p++) {
      int pa = ai + p, pb = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(D, b, pb);
      DoubleVector b1 = DoubleVector.fromArray(D, b, pb + V);
      DoubleVector x = DoubleVector.broadcast(D, a[pa]);
      c0a = x.fma(b0, c0a);
      c0b = x.fma(b1, c0b);
      x = DoubleVector.broadcast(D, a[pa + KC]);
      c1a = x.fma(b0, c1a);
      c1b = x.fma(b1, c1b);
      x = DoubleVector.broadcast(D, a[pa + 2 * KC]);
      c2a = x.fma(b0, c2a);
      c2b = x.fma(b1, c2b);
      x = DoubleVector.broadcast(D, a[pa + 3 * KC]);
      c3a = x.fma(b0, c3a);
      c3b = x.fma(b1, c3b);
      x = DoubleVector.broadcast(D, a[pa + 4 * KC]);
      c4a = x.fma(b0, c4a);
      c4b = x.fma(b1, c4b);
      x = DoubleVector.broadcast(D, a[pa + 5 * KC]);
      c5a = x.fma(b0, c5a);
      c5b = x.fma(b1, c5b);
      x = DoubleVector.broadcast(D, a[pa + 6 * KC]);
      c6a = x.fma(b0, c6a);
      c6b = x.fma(b1, c6b);
      x = DoubleVector.broadcast(D, a[pa + 7 * KC]);
      c7a = x.fma(b0, c7a);
      c7b = x.fma(b1, c7b);
    }
    c0a.intoArray(t, 0 * V); c0b.intoArray(t, 1 * V);
    c1a.intoArray(t, 2 * V); c1b.intoArray(t, 3 * V);
    c2a.intoArray(t, 4 * V); c2b.intoArray(t, 5 * V);
    c3a.intoArray(t, 6 * V); c3b.intoArray(t, 7 * V);
    c4a.intoArray(t, 8 * V); c4b.intoArray(t, 9 * V);
    c5a.intoArray(t, 10 * V); c5b.intoArray(t, 11 * V);
    c6a.intoArray(t, 12 * V); c6b.intoArray(t, 13 * V);
    c7a.intoArray(t, 14 * V); c7b.intoArray(t, 15 * V);
  }

  /** C[6 x 2 vectors] of one A sliver (6 rows, stride KC) and one B sliver, into t. */
  static void kernel6(int kc, double[] a, int ai, double[] b, int bi, double[] t) {
    DoubleVector c0a = DoubleVector.zero(D);
    DoubleVector c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a;
    DoubleVector c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a;
    for (int p = 0; p < kc; p++) {
      int pa = ai + p, pb = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(D, b, pb);
      DoubleVector b1 = DoubleVector.fromArray(D, b, pb + V);
      DoubleVector x = DoubleVector.broadcast(D, a[pa]);
      c0a = x.fma(b0, c0a);
      c0b = x.fma(b1, c0b);
      x = DoubleVector.broadcast(D, a[pa + KC]);
      c1a = x.fma(b0, c1a);
      c1b = x.fma(b1, c1b);
      x = DoubleVector.broadcast(D, a[pa + 2 * KC]);
      c2a = x.fma(b0, c2a);
      c2b = x.fma(b1, c2b);
      x = DoubleVector.broadcast(D, a[pa + 3 * KC]);
      c3a = x.fma(b0, c3a);
      c3b = x.fma(b1, c3b);
      x = DoubleVector.broadcast(D, a[pa + 4 * KC]);
      c4a = x.fma(b0, c4a);
      c4b = x.fma(b1, c4b);
      x = DoubleVector.broadcast(D, a[pa + 5 * KC]);
      c5a = x.fma(b0, c5a);
      c5b = x.fma(b1, c5b);
    }
    c0a.intoArray(t, 0 * V); c0b.intoArray(t, 1 * V);
    c1a.intoArray(t, 2 * V); c1b.intoArray(t, 3 * V);
    c2a.intoArray(t, 4 * V); c2b.intoArray(t, 5 * V);
    c3a.intoArray(t, 6 * V); c3b.intoArray(t, 7 * V);
    c4a.intoArray(t, 8 * V); c4b.intoArray(t, 9 * V);
    c5a.intoArray(t, 10 * V); c5b.intoArray(t, 11 * V);
  }

  /** C[4 x 2 vectors] of one A sliver (4 rows, stride KC) and one B sliver, into t. */
  static void kernel4(int kc, double[] a, int ai, double[] b, int bi, double[] t) {
    DoubleVector c0a = DoubleVector.zero(D);
    DoubleVector c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a;
    DoubleVector c3b = c0a;
    for (int p = 0; p < kc; p++) {
      int pa = ai + p, pb = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(D, b, pb);
      DoubleVector b1 = DoubleVector.fromArray(D, b, pb + V);
      DoubleVector x = DoubleVector.broadcast(D, a[pa]);
      c0a = x.fma(b0, c0a);
      c0b = x.fma(b1, c0b);
      x = DoubleVector.broadcast(D, a[pa + KC]);
      c1a = x.fma(b0, c1a);
      c1b = x.fma(b1, c1b);
      x = DoubleVector.broadcast(D, a[pa + 2 * KC]);
      c2a = x.fma(b0, c2a);
      c2b = x.fma(b1, c2b);
      x = DoubleVector.broadcast(D, a[pa + 3 * KC]);
      c3a = x.fma(b0, c3a);
      c3b = x.fma(b1, c3b);
    }
    c0a.intoArray(t, 0 * V); c0b.intoArray(t, 1 * V);
    c1a.intoArray(t, 2 * V); c1b.intoArray(t, 3 * V);
    c2a.intoArray(t, 4 * V); c2b.intoArray(t, 5 * V);
    c3a.intoArray(t, 6 * V); c3b.intoArray(t, 7 * V);
  }
}
