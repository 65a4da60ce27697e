package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The small-product FLOAT32 GEMM of {@link MatmulVector}: register tiles reading A and B where
 * they lie, no packing, for products too small or too thin for packing to pay. Two shapes:
 *
 * <ul>
 *   <li>{@link #broadcast} (B not transposed): 4 rows by 3 vectors of C stay in registers for the
 *       whole {@code k} loop; each step loads 3 vectors of a row of {@code op(B)}, broadcasts 4
 *       elements of a column of {@code op(A)} and does 12 FMAs. Rows left over (m mod 4) run a
 *       1-row tile; columns left over (n mod 3 vectors) run 4-row and 1-row tiles one vector wide,
 *       the last one masked. A is only read one element at a time, so a transposed A is just other
 *       strides.
 *   <li>{@link #dot} (B transposed, A not): dot products along k.
 * </ul>
 *
 * <p>Offsets inside the loops are in bytes unless named otherwise.
 */
final class MatmulSmallF32 {
  private MatmulSmallF32() {}

  private static final long E = Float.BYTES;

  /** {@code C = op(A) B}: B not transposed. */
  static void broadcast(boolean transA, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    long rs = (transA ? 1 : lda) * E; // op(A): bytes between rows
    long cs = (transA ? lda : 1) * E; // op(A): bytes between columns
    long ab = ao * E, bb = bo * E, cb = co * E, ldbB = ldb * E, ldcB = ldc * E;
    long w = 3L * F.length();
    long nFull = n - n % w, mFull = m - m % 4;
    for (long j = 0; j < nFull; j += w) {
      long bj = bb + j * E, cj = cb + j * E;
      for (long i = 0; i < mFull; i += 4) {
        tile(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k);
      }
      for (long i = mFull; i < m; i++) {
        row(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k);
      }
    }
    for (long j = nFull; j < n; j += F.length()) {
      VectorMask<Float> mask = F.indexInRange(j, n);
      long bj = bb + j * E, cj = cb + j * E;
      for (long i = 0; i < mFull; i += 4) {
        narrowTile(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k, mask);
      }
      for (long i = mFull; i < m; i++) {
        narrowRow(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k, mask);
      }
    }
  }

  /** C[4 rows, 3 vectors] from A at {@code pa} (row stride rs, column stride cs), B at pb. */
  private static void tile(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
      long pb, long ldb, MemorySegment c, long pc, long ldc, long k) {
    long v = F.vectorByteSize();
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      FloatVector b0 = FloatVector.fromMemorySegment(F, b, pb, NATIVE);
      FloatVector b1 = FloatVector.fromMemorySegment(F, b, pb + v, NATIVE);
      FloatVector b2 = FloatVector.fromMemorySegment(F, b, pb + 2 * v, NATIVE);
      FloatVector x = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa));
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      c02 = x.fma(b2, c02);
      x = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa + rs));
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      c12 = x.fma(b2, c12);
      x = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa + 2 * rs));
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      c22 = x.fma(b2, c22);
      x = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa + 3 * rs));
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      c32 = x.fma(b2, c32);
    }
    c00.intoMemorySegment(c, pc, NATIVE);
    c01.intoMemorySegment(c, pc + v, NATIVE);
    c02.intoMemorySegment(c, pc + 2 * v, NATIVE);
    pc += ldc;
    c10.intoMemorySegment(c, pc, NATIVE);
    c11.intoMemorySegment(c, pc + v, NATIVE);
    c12.intoMemorySegment(c, pc + 2 * v, NATIVE);
    pc += ldc;
    c20.intoMemorySegment(c, pc, NATIVE);
    c21.intoMemorySegment(c, pc + v, NATIVE);
    c22.intoMemorySegment(c, pc + 2 * v, NATIVE);
    pc += ldc;
    c30.intoMemorySegment(c, pc, NATIVE);
    c31.intoMemorySegment(c, pc + v, NATIVE);
    c32.intoMemorySegment(c, pc + 2 * v, NATIVE);
  }

  /** C[1 row, 3 vectors]. */
  private static void row(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
      long ldb, MemorySegment c, long pc, long k) {
    long v = F.vectorByteSize();
    FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      FloatVector x = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa));
      c0 = x.fma(FloatVector.fromMemorySegment(F, b, pb, NATIVE), c0);
      c1 = x.fma(FloatVector.fromMemorySegment(F, b, pb + v, NATIVE), c1);
      c2 = x.fma(FloatVector.fromMemorySegment(F, b, pb + 2 * v, NATIVE), c2);
    }
    c0.intoMemorySegment(c, pc, NATIVE);
    c1.intoMemorySegment(c, pc + v, NATIVE);
    c2.intoMemorySegment(c, pc + 2 * v, NATIVE);
  }

  /** C[4 rows, the lanes of {@code mask}]. */
  private static void narrowTile(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
      long pb, long ldb, MemorySegment c, long pc, long ldc, long k, VectorMask<Float> mask) {
    FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      FloatVector y = FloatVector.fromMemorySegment(F, b, pb, NATIVE, mask);
      c0 = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa)).fma(y, c0);
      c1 = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa + rs)).fma(y, c1);
      c2 = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa + 2 * rs)).fma(y, c2);
      c3 = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa + 3 * rs)).fma(y, c3);
    }
    c0.intoMemorySegment(c, pc, NATIVE, mask);
    c1.intoMemorySegment(c, pc + ldc, NATIVE, mask);
    c2.intoMemorySegment(c, pc + 2 * ldc, NATIVE, mask);
    c3.intoMemorySegment(c, pc + 3 * ldc, NATIVE, mask);
  }

  /** C[1 row, the lanes of {@code mask}]. */
  private static void narrowRow(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
      long ldb, MemorySegment c, long pc, long k, VectorMask<Float> mask) {
    FloatVector c0 = FloatVector.zero(F);
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      FloatVector y = FloatVector.fromMemorySegment(F, b, pb, NATIVE, mask);
      c0 = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa)).fma(y, c0);
    }
    c0.intoMemorySegment(c, pc, NATIVE, mask);
  }

  /**
   * {@code C = A B^T} with A not transposed: every {@code C[i, j]} is the dot product of row i of
   * A and row j of B, both contiguous along k, so vectors run along k and each accumulator is
   * reduced across its lanes at the end. Tiles of 4 x 4 (16 accumulators); leftover rows of A go
   * one at a time, and leftover rows of B repeat the last one (computed, not stored).
   */
  static void dot(long m, long n, long k, MemorySegment a, long ao, long lda, MemorySegment b,
      long bo, long ldb, MemorySegment c, long co, long ldc) {
    long mFull = m - m % 4;
    for (long j = 0; j < n; j += 4) {
      int nr = (int) Math.min(4, n - j);
      for (long i = 0; i < mFull; i += 4) {
        dotTile(a, ao + i * lda, lda, b, bo + j * ldb, ldb, nr, c, co + i * ldc + j, ldc, k);
      }
      for (long i = mFull; i < m; i++) {
        dotRow(a, ao + i * lda, b, bo + j * ldb, ldb, nr, c, co + i * ldc + j, k);
      }
    }
  }

  /** C[4 rows, nr <= 4 columns] from rows of A at element {@code pa} and of B at {@code pb}. */
  private static void dotTile(MemorySegment a, long pa, long lda, MemorySegment b, long pb,
      long ldb, int nr, MemorySegment c, long pc, long ldc, long k) {
    long a0 = pa * E, a1 = a0 + lda * E, a2 = a1 + lda * E, a3 = a2 + lda * E;
    long b0 = pb * E, b1 = b0 + Math.min(1, nr - 1) * ldb * E;
    long b2 = b0 + Math.min(2, nr - 1) * ldb * E, b3 = b0 + Math.min(3, nr - 1) * ldb * E;
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00, c10 = c00;
    FloatVector c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    long bound = F.loopBound(k);
    for (long o = 0; o < bound * E; o += F.vectorByteSize()) {
      FloatVector y0 = FloatVector.fromMemorySegment(F, b, b0 + o, NATIVE);
      FloatVector y1 = FloatVector.fromMemorySegment(F, b, b1 + o, NATIVE);
      FloatVector y2 = FloatVector.fromMemorySegment(F, b, b2 + o, NATIVE);
      FloatVector y3 = FloatVector.fromMemorySegment(F, b, b3 + o, NATIVE);
      FloatVector x = FloatVector.fromMemorySegment(F, a, a0 + o, NATIVE);
      c00 = x.fma(y0, c00);
      c01 = x.fma(y1, c01);
      c02 = x.fma(y2, c02);
      c03 = x.fma(y3, c03);
      x = FloatVector.fromMemorySegment(F, a, a1 + o, NATIVE);
      c10 = x.fma(y0, c10);
      c11 = x.fma(y1, c11);
      c12 = x.fma(y2, c12);
      c13 = x.fma(y3, c13);
      x = FloatVector.fromMemorySegment(F, a, a2 + o, NATIVE);
      c20 = x.fma(y0, c20);
      c21 = x.fma(y1, c21);
      c22 = x.fma(y2, c22);
      c23 = x.fma(y3, c23);
      x = FloatVector.fromMemorySegment(F, a, a3 + o, NATIVE);
      c30 = x.fma(y0, c30);
      c31 = x.fma(y1, c31);
      c32 = x.fma(y2, c32);
      c33 = x.fma(y3, c33);
    }
    store4(c, pc, nr, LaneSums.sum(c00), LaneSums.sum(c01), LaneSums.sum(c02),
        LaneSums.sum(c03));
    store4(c, pc + ldc, nr, LaneSums.sum(c10), LaneSums.sum(c11), LaneSums.sum(c12),
        LaneSums.sum(c13));
    store4(c, pc + 2 * ldc, nr, LaneSums.sum(c20), LaneSums.sum(c21), LaneSums.sum(c22),
        LaneSums.sum(c23));
    store4(c, pc + 3 * ldc, nr, LaneSums.sum(c30), LaneSums.sum(c31), LaneSums.sum(c32),
        LaneSums.sum(c33));
    if (bound < k) {
      dotTail(a, pa, lda, b, pb, ldb, 4, nr, c, pc, ldc, bound, k);
    }
  }

  /** C[1 row, nr <= 4 columns]. */
  private static void dotRow(MemorySegment a, long pa, MemorySegment b, long pb, long ldb, int nr,
      MemorySegment c, long pc, long k) {
    long a0 = pa * E;
    long b0 = pb * E, b1 = b0 + Math.min(1, nr - 1) * ldb * E;
    long b2 = b0 + Math.min(2, nr - 1) * ldb * E, b3 = b0 + Math.min(3, nr - 1) * ldb * E;
    FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
    long bound = F.loopBound(k);
    for (long o = 0; o < bound * E; o += F.vectorByteSize()) {
      FloatVector x = FloatVector.fromMemorySegment(F, a, a0 + o, NATIVE);
      c0 = x.fma(FloatVector.fromMemorySegment(F, b, b0 + o, NATIVE), c0);
      c1 = x.fma(FloatVector.fromMemorySegment(F, b, b1 + o, NATIVE), c1);
      c2 = x.fma(FloatVector.fromMemorySegment(F, b, b2 + o, NATIVE), c2);
      c3 = x.fma(FloatVector.fromMemorySegment(F, b, b3 + o, NATIVE), c3);
    }
    store4(c, pc, nr, LaneSums.sum(c0), LaneSums.sum(c1), LaneSums.sum(c2),
        LaneSums.sum(c3));
    if (bound < k) {
      dotTail(a, pa, 0, b, pb, ldb, 1, nr, c, pc, 0, bound, k);
    }
  }

  /**
   * Adds the products of the last steps {@code p0 <= p < k} (fewer than a vector) to C[rows, nr]:
   * element by element, because masked loads would make the tile methods too big for C1 (which
   * then gives up on them, and a method C1 gave up on may never reach C2).
   */
  private static void dotTail(MemorySegment a, long pa, long lda, MemorySegment b, long pb,
      long ldb, int rows, int nr, MemorySegment c, long pc, long ldc, long p0, long k) {
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < nr; q++) {
        float s = 0;
        for (long p = p0; p < k; p++) {
          s += a.getAtIndex(JAVA_FLOAT, pa + r * lda + p)
              * b.getAtIndex(JAVA_FLOAT, pb + q * ldb + p);
        }
        long at = pc + r * ldc + q;
        c.setAtIndex(JAVA_FLOAT, at, c.getAtIndex(JAVA_FLOAT, at) + s);
      }
    }
  }

  /** The first {@code nr} of four values into C from element {@code pc}. */
  private static void store4(MemorySegment c, long pc, int nr, float x0, float x1, float x2,
      float x3) {
    c.setAtIndex(JAVA_FLOAT, pc, x0);
    if (nr > 1) {
      c.setAtIndex(JAVA_FLOAT, pc + 1, x1);
    }
    if (nr > 2) {
      c.setAtIndex(JAVA_FLOAT, pc + 2, x2);
    }
    if (nr > 3) {
      c.setAtIndex(JAVA_FLOAT, pc + 3, x3);
    }
  }
}
