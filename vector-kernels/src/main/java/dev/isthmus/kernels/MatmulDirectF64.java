package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;

/**
 * The small FLOAT64 GEMM: the packed kernel without packing B, for small products whose B is a
 * Java array (as tensors' are). At 64 x 64 x 64, packing A and B took a fifth of the time
 * (measured, one thread); here only A is packed (to the packed kernel's layout, whose constant
 * row stride the register tile needs: with A read in place at a variable stride the tile ran 20%
 * slower), and the tile reads B's rows where they lie (a variable stride costs little there).
 *
 * <p>B not transposed, one block of k ({@code k <= KC}); the caller checks {@link #applies}.
 * Tiles are 8 rows by 2 vectors (16 accumulators; at this size faster than the 12-row tile,
 * measured), each element of C summed as in the packed kernel (FMA, k in order), stored into C,
 * or with a bias or relu merged into it by {@link MatmulPackedF64#merge}. A last tile of fewer rows computes rows it does
 * not store; a last sliver of fewer than NR columns is packed (so no read runs past B's end).
 */
final class MatmulDirectF64 {
  private MatmulDirectF64() {}

  private static final int V = D.length();
  private static final int NR = MatmulPackedF64.NR;
  private static final int KC = MatmulPackedF64.KC;
  private static final int MC = MatmulPackedF64.MC;

  /**
   * Products of at most this many multiply-adds (and k at most KC) skip packing: measured
   * faster up to here, one thread.
   */
  static final long WORK = 1L << 21;

  /**
   * True when a product may run here: small, B not transposed and on a double array, and 512-bit
   * vectors (AVX2's 16 registers are too few for the 8-row tile).
   */
  static boolean applies(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, MemorySegment b) {
    return MatmulPackedF64.MR == 12 && !transB && k > 0 && k <= KC && m * n * k <= WORK
        && array(b) != null;
  }

  private static double[] array(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof double[] arr && s.address() % Double.BYTES == 0
        ? arr : null;
  }

  /** {@code C = epilogue(op(A) B)} for a product {@link #applies} accepted. */
  static void gemm(boolean transA, long m, long n, long k, MemorySegment a, long ao, long lda,
      MemorySegment b, long bo, long ldb, MemorySegment c, long co, long ldc, Epilogue ep) {
    double[] ba = array(b);
    int bi = (int) (b.address() / Double.BYTES + bo), kk = (int) k, lb = (int) ldb;
    MemorySegment bias = ep.bias();
    UnaryOp op = ep.activation().op();
    int act = op == UnaryOp.RELU ? 1 : op == UnaryOp.RELU6 ? 2 : 0;
    boolean plain = bias == null && act == 0;
    long ldcB = ldc * Double.BYTES;
    MatmulLoopsF64.Block blk = MatmulLoopsF64.acquire();
    try {
      double[] ap = blk.a, t = blk.t;
      for (long ic = 0; ic < m; ic += MC) {
        int mc = (int) Math.min(MC, m - ic);
        MatmulPackF64.packA(transA, a, ao, lda, ic, mc, 0, kk, ap);
        for (long j = 0; j < n; j += NR) {
          int nr = (int) Math.min(NR, n - j);
          double[] bs = ba;
          int bj = bi + (int) j, stride = lb;
          if (nr < NR) { // the last, narrow sliver: packed (NR apart), so no read runs past B
            bs = narrow(blk, b, bo, ldb, kk, j, nr);
            bj = 0;
            stride = NR;
          }
          long biasB = bias != null ? (ep.biasOffset() + j) * Double.BYTES : -1;
          long cb = (co + ic * ldc + j) * Double.BYTES;
          for (int i = 0, mr; i < mc; i += mr) {
            mr = Math.min(8, mc - i);
            if (mr == 8 && nr == NR && plain) {
              kernel8(kk, ap, i * KC, bs, bj, stride, c, cb + i * ldcB, ldcB);
            } else {
              kernel8(kk, ap, i * KC, bs, bj, stride, t);
              MatmulPackedF64.merge(t, c, cb + i * ldcB, ldcB, mr, nr, true, bias, biasB, act);
            }
          }
        }
      }
    } finally {
      MatmulLoopsF64.release(blk);
    }
    if (act == 0 && op != null) {
      MatmulEpilogue.rowsF64(c, co, ldc, m, n, Epilogue.activation(ep.activation()), 0);
    }
  }

  /** The narrow last sliver of B, packed into the block's spare buffer. */
  private static double[] narrow(MatmulLoopsF64.Block blk, MemorySegment b, long bo, long ldb,
      int k, long j, int nr) {
    if (blk.narrow == null) {
      blk.narrow = new double[KC * NR];
    }
    MatmulPackF64.packB(false, b, bo, ldb, 0, k, j, nr, blk.narrow, 0);
    return blk.narrow;
  }

  /**
   * C[8 rows, 2 vectors] into t (rows NR apart): A packed (row r of the sliver from {@code a[ai +
   * r * KC]} on, as the packed kernel's), B in place (row p of its sliver from {@code b[bi + p *
   * ldb]}).
   */
  static void kernel8(int kc, double[] a, int ai, double[] b, int bi, int ldb, double[] t) {
    DoubleVector c0a = DoubleVector.zero(D);
    DoubleVector c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a;
    DoubleVector c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a;
    DoubleVector c6b = c0a, c7a = c0a, c7b = c0a;
    for (int p = 0; p < kc; p++) {
      int pa = ai + p, pb = bi + p * ldb;
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

  /**
   * The same tile stored straight into C at byte offset {@code cb} (rows {@code ldcB} bytes
   * apart), for a full tile without bias or relu: skipping the tile buffer and the merge saves a
   * tenth of a 64 x 64 x 64 product (measured).
   */
  static void kernel8(int kc, double[] a, int ai, double[] b, int bi, int ldb, MemorySegment c,
      long cb, long ldcB) {
    DoubleVector c0a = DoubleVector.zero(D);
    DoubleVector c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a;
    DoubleVector c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a;
    DoubleVector c6b = c0a, c7a = c0a, c7b = c0a;
    for (int p = 0; p < kc; p++) {
      int pa = ai + p, pb = bi + p * ldb;
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
    long vb = D.vectorByteSize();
    c0a.intoMemorySegment(c, cb, NATIVE);
    c0b.intoMemorySegment(c, cb + vb, NATIVE);
    c1a.intoMemorySegment(c, cb += ldcB, NATIVE);
    c1b.intoMemorySegment(c, cb + vb, NATIVE);
    c2a.intoMemorySegment(c, cb += ldcB, NATIVE);
    c2b.intoMemorySegment(c, cb + vb, NATIVE);
    c3a.intoMemorySegment(c, cb += ldcB, NATIVE);
    c3b.intoMemorySegment(c, cb + vb, NATIVE);
    c4a.intoMemorySegment(c, cb += ldcB, NATIVE);
    c4b.intoMemorySegment(c, cb + vb, NATIVE);
    c5a.intoMemorySegment(c, cb += ldcB, NATIVE);
    c5b.intoMemorySegment(c, cb + vb, NATIVE);
    c6a.intoMemorySegment(c, cb += ldcB, NATIVE);
    c6b.intoMemorySegment(c, cb + vb, NATIVE);
    c7a.intoMemorySegment(c, cb += ldcB, NATIVE);
    c7b.intoMemorySegment(c, cb + vb, NATIVE);
  }
}
