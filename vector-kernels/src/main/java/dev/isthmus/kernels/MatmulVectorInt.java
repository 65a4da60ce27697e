package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static jdk.incubator.vector.VectorOperators.ADD;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector API GEMM for INT32, unpacked (integer products are rare enough not to need the packed
 * kernel): with B not transposed, the broadcast tiling of {@link MatmulSmallF32} with multiply and
 * add in place of FMA; with B transposed, dot products along k ({@link #dot}). Integer arithmetic
 * wraps and is associative, so this agrees exactly with {@link MatmulScalar#i32}.
 */
final class MatmulVectorInt {
  private MatmulVectorInt() {}

  private static final long E = Integer.BYTES;

  // ---------------------------------------------------------------- INT32

  static void i32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (transB) {
      if (transA) {
        dotTransposedA(m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
      } else {
        dot(m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, false);
      }
      return;
    }
    final long e = Integer.BYTES;
    long rs = (transA ? 1 : lda) * e; // op(A): bytes between rows
    long cs = (transA ? lda : 1) * e; // op(A): bytes between columns
    long ab = ao * e, bb = bo * e, cb = co * e, ldbB = ldb * e, ldcB = ldc * e;
    long w = 3L * I.length();
    long nFull = n - n % w, mFull = m - m % 4;
    for (long j = 0; j < nFull; j += w) {
      long bj = bb + j * e, cj = cb + j * e;
      for (long i = 0; i < mFull; i += 4) {
        tileI32(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k);
      }
      for (long i = mFull; i < m; i++) {
        rowI32(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k);
      }
    }
    for (long j = nFull; j < n; j += I.length()) {
      VectorMask<Integer> mask = I.indexInRange(j, n);
      long bj = bb + j * e, cj = cb + j * e;
      for (long i = 0; i < mFull; i += 4) {
        narrowTileI32(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k, mask);
      }
      for (long i = mFull; i < m; i++) {
        narrowRowI32(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k, mask);
      }
    }
  }

  /** C[4 rows, 3 vectors] from A at {@code pa} (row stride rs, column stride cs), B at pb. */
  private static void tileI32(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
      long pb, long ldb, MemorySegment c, long pc, long ldc, long k) {
    long v = I.vectorByteSize();
    IntVector c00 = IntVector.zero(I), c01 = c00, c02 = c00;
    IntVector c10 = c00, c11 = c00, c12 = c00;
    IntVector c20 = c00, c21 = c00, c22 = c00;
    IntVector c30 = c00, c31 = c00, c32 = c00;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      IntVector b0 = IntVector.fromMemorySegment(I, b, pb, NATIVE);
      IntVector b1 = IntVector.fromMemorySegment(I, b, pb + v, NATIVE);
      IntVector b2 = IntVector.fromMemorySegment(I, b, pb + 2 * v, NATIVE);
      IntVector x = IntVector.broadcast(I, a.get(JAVA_INT, pa));
      c00 = c00.add(x.mul(b0));
      c01 = c01.add(x.mul(b1));
      c02 = c02.add(x.mul(b2));
      x = IntVector.broadcast(I, a.get(JAVA_INT, pa + rs));
      c10 = c10.add(x.mul(b0));
      c11 = c11.add(x.mul(b1));
      c12 = c12.add(x.mul(b2));
      x = IntVector.broadcast(I, a.get(JAVA_INT, pa + 2 * rs));
      c20 = c20.add(x.mul(b0));
      c21 = c21.add(x.mul(b1));
      c22 = c22.add(x.mul(b2));
      x = IntVector.broadcast(I, a.get(JAVA_INT, pa + 3 * rs));
      c30 = c30.add(x.mul(b0));
      c31 = c31.add(x.mul(b1));
      c32 = c32.add(x.mul(b2));
    }
    Stores.at(c00, c, pc);
    Stores.at(c01, c, pc + v);
    Stores.at(c02, c, pc + 2 * v);
    pc += ldc;
    Stores.at(c10, c, pc);
    Stores.at(c11, c, pc + v);
    Stores.at(c12, c, pc + 2 * v);
    pc += ldc;
    Stores.at(c20, c, pc);
    Stores.at(c21, c, pc + v);
    Stores.at(c22, c, pc + 2 * v);
    pc += ldc;
    Stores.at(c30, c, pc);
    Stores.at(c31, c, pc + v);
    Stores.at(c32, c, pc + 2 * v);
  }

  /** C[1 row, 3 vectors]. */
  private static void rowI32(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
      long ldb, MemorySegment c, long pc, long k) {
    long v = I.vectorByteSize();
    IntVector c0 = IntVector.zero(I), c1 = c0, c2 = c0;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      IntVector x = IntVector.broadcast(I, a.get(JAVA_INT, pa));
      c0 = c0.add(x.mul(IntVector.fromMemorySegment(I, b, pb, NATIVE)));
      c1 = c1.add(x.mul(IntVector.fromMemorySegment(I, b, pb + v, NATIVE)));
      c2 = c2.add(x.mul(IntVector.fromMemorySegment(I, b, pb + 2 * v, NATIVE)));
    }
    Stores.at(c0, c, pc);
    Stores.at(c1, c, pc + v);
    Stores.at(c2, c, pc + 2 * v);
  }

  /** C[4 rows, the lanes of {@code mask}]. */
  private static void narrowTileI32(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
      long pb, long ldb, MemorySegment c, long pc, long ldc, long k, VectorMask<Integer> mask) {
    IntVector c0 = IntVector.zero(I), c1 = c0, c2 = c0, c3 = c0;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      IntVector y = IntVector.fromMemorySegment(I, b, pb, NATIVE, mask);
      c0 = c0.add(IntVector.broadcast(I, a.get(JAVA_INT, pa)).mul(y));
      c1 = c1.add(IntVector.broadcast(I, a.get(JAVA_INT, pa + rs)).mul(y));
      c2 = c2.add(IntVector.broadcast(I, a.get(JAVA_INT, pa + 2 * rs)).mul(y));
      c3 = c3.add(IntVector.broadcast(I, a.get(JAVA_INT, pa + 3 * rs)).mul(y));
    }
    c0.intoMemorySegment(c, pc, NATIVE, mask);
    c1.intoMemorySegment(c, pc + ldc, NATIVE, mask);
    c2.intoMemorySegment(c, pc + 2 * ldc, NATIVE, mask);
    c3.intoMemorySegment(c, pc + 3 * ldc, NATIVE, mask);
  }

  /** C[1 row, the lanes of {@code mask}]. */
  private static void narrowRowI32(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
      long ldb, MemorySegment c, long pc, long k, VectorMask<Integer> mask) {
    IntVector c0 = IntVector.zero(I);
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      IntVector y = IntVector.fromMemorySegment(I, b, pb, NATIVE, mask);
      c0 = c0.add(IntVector.broadcast(I, a.get(JAVA_INT, pa)).mul(y));
    }
    c0.intoMemorySegment(c, pc, NATIVE, mask);
  }

  // ---------------------------------------------------------------- B transposed

  /** Columns of a transposed A gathered per block: {@link #dotTransposedA}. */
  private static final int KB = 1024;
  private static final ThreadLocal<int[]> ROWS = ThreadLocal.withInitial(() -> new int[4 * KB]);

  /**
   * {@code C = A B^T} (A not transposed), or {@code C += A B^T} when {@code add}: every
   * {@code C[i, j]} is the dot product of row i of A and row j of B, both contiguous along k, so
   * vectors run along k and each accumulator is reduced across its lanes at the end. Tiles of 4 x 4
   * (16 accumulators); leftover rows of A go one at a time, and leftover rows of B repeat the last
   * one (computed, not stored).
   */
  private static void dot(long m, long n, long k, MemorySegment a, long ao, long lda,
      MemorySegment b, long bo, long ldb, MemorySegment c, long co, long ldc, boolean add) {
    long mFull = m - m % 4;
    for (long j = 0; j < n; j += 4) {
      int nr = (int) Math.min(4, n - j);
      for (long i = 0; i < mFull; i += 4) {
        dotTile(a, ao + i * lda, lda, b, bo + j * ldb, ldb, nr, c, co + i * ldc + j, ldc, k, add);
      }
      for (long i = mFull; i < m; i++) {
        dotRow(a, ao + i * lda, b, bo + j * ldb, ldb, nr, c, co + i * ldc + j, k, add);
      }
    }
  }

  /**
   * {@code C = A^T B^T}: the rows of {@code A^T} are strided columns of A, so blocks of up to 4
   * of them ({@link #KB} elements long) are gathered into a per-thread buffer, then {@link #dot}
   * runs on the buffer, adding the later blocks of k to C.
   */
  private static void dotTransposedA(long m, long n, long k, MemorySegment a, long ao, long lda,
      MemorySegment b, long bo, long ldb, MemorySegment c, long co, long ldc) {
    int[] rows = ROWS.get();
    MemorySegment buf = MemorySegment.ofArray(rows);
    if (k == 0) {
      dot(m, n, 0, buf, 0, KB, b, bo, ldb, c, co, ldc, false);
      return;
    }
    for (long i = 0; i < m; i += 4) {
      int mr = (int) Math.min(4, m - i);
      for (long p0 = 0; p0 < k; p0 += KB) {
        int kb = (int) Math.min(KB, k - p0);
        for (int p = 0; p < kb; p++) {
          long s = ao + (p0 + p) * lda + i;
          for (int r = 0; r < mr; r++) {
            rows[r * KB + p] = a.getAtIndex(JAVA_INT, s + r);
          }
        }
        dot(mr, n, kb, buf, 0, KB, b, bo + p0, ldb, c, co + i * ldc, ldc, p0 > 0);
      }
    }
  }

  /** C[4 rows, nr <= 4 columns] from rows of A at element {@code pa} and of B at {@code pb}. */
  private static void dotTile(MemorySegment a, long pa, long lda, MemorySegment b, long pb,
      long ldb, int nr, MemorySegment c, long pc, long ldc, long k, boolean add) {
    long a0 = pa * E, a1 = a0 + lda * E, a2 = a1 + lda * E, a3 = a2 + lda * E;
    long b0 = pb * E, b1 = b0 + Math.min(1, nr - 1) * ldb * E;
    long b2 = b0 + Math.min(2, nr - 1) * ldb * E, b3 = b0 + Math.min(3, nr - 1) * ldb * E;
    IntVector c00 = IntVector.zero(I), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00;
    IntVector c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00;
    IntVector c31 = c00, c32 = c00, c33 = c00;
    long bound = I.loopBound(k);
    for (long o = 0; o < bound * E; o += I.vectorByteSize()) {
      IntVector y0 = IntVector.fromMemorySegment(I, b, b0 + o, NATIVE);
      IntVector y1 = IntVector.fromMemorySegment(I, b, b1 + o, NATIVE);
      IntVector y2 = IntVector.fromMemorySegment(I, b, b2 + o, NATIVE);
      IntVector y3 = IntVector.fromMemorySegment(I, b, b3 + o, NATIVE);
      IntVector x = IntVector.fromMemorySegment(I, a, a0 + o, NATIVE);
      c00 = c00.add(x.mul(y0));
      c01 = c01.add(x.mul(y1));
      c02 = c02.add(x.mul(y2));
      c03 = c03.add(x.mul(y3));
      x = IntVector.fromMemorySegment(I, a, a1 + o, NATIVE);
      c10 = c10.add(x.mul(y0));
      c11 = c11.add(x.mul(y1));
      c12 = c12.add(x.mul(y2));
      c13 = c13.add(x.mul(y3));
      x = IntVector.fromMemorySegment(I, a, a2 + o, NATIVE);
      c20 = c20.add(x.mul(y0));
      c21 = c21.add(x.mul(y1));
      c22 = c22.add(x.mul(y2));
      c23 = c23.add(x.mul(y3));
      x = IntVector.fromMemorySegment(I, a, a3 + o, NATIVE);
      c30 = c30.add(x.mul(y0));
      c31 = c31.add(x.mul(y1));
      c32 = c32.add(x.mul(y2));
      c33 = c33.add(x.mul(y3));
    }
    store4(c, pc, nr, add, c00.reduceLanes(ADD), c01.reduceLanes(ADD), c02.reduceLanes(ADD),
        c03.reduceLanes(ADD));
    store4(c, pc + ldc, nr, add, c10.reduceLanes(ADD), c11.reduceLanes(ADD),
        c12.reduceLanes(ADD), c13.reduceLanes(ADD));
    store4(c, pc + 2 * ldc, nr, add, c20.reduceLanes(ADD), c21.reduceLanes(ADD),
        c22.reduceLanes(ADD), c23.reduceLanes(ADD));
    store4(c, pc + 3 * ldc, nr, add, c30.reduceLanes(ADD), c31.reduceLanes(ADD),
        c32.reduceLanes(ADD), c33.reduceLanes(ADD));
    if (bound < k) {
      dotTail(a, pa, lda, b, pb, ldb, 4, nr, c, pc, ldc, bound, k);
    }
  }

  /** C[1 row, nr <= 4 columns]. */
  private static void dotRow(MemorySegment a, long pa, MemorySegment b, long pb, long ldb, int nr,
      MemorySegment c, long pc, long k, boolean add) {
    long a0 = pa * E;
    long b0 = pb * E, b1 = b0 + Math.min(1, nr - 1) * ldb * E;
    long b2 = b0 + Math.min(2, nr - 1) * ldb * E, b3 = b0 + Math.min(3, nr - 1) * ldb * E;
    IntVector c0 = IntVector.zero(I), c1 = c0, c2 = c0, c3 = c0;
    long bound = I.loopBound(k);
    for (long o = 0; o < bound * E; o += I.vectorByteSize()) {
      IntVector x = IntVector.fromMemorySegment(I, a, a0 + o, NATIVE);
      c0 = c0.add(x.mul(IntVector.fromMemorySegment(I, b, b0 + o, NATIVE)));
      c1 = c1.add(x.mul(IntVector.fromMemorySegment(I, b, b1 + o, NATIVE)));
      c2 = c2.add(x.mul(IntVector.fromMemorySegment(I, b, b2 + o, NATIVE)));
      c3 = c3.add(x.mul(IntVector.fromMemorySegment(I, b, b3 + o, NATIVE)));
    }
    store4(c, pc, nr, add, c0.reduceLanes(ADD), c1.reduceLanes(ADD), c2.reduceLanes(ADD),
        c3.reduceLanes(ADD));
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
        int s = 0;
        for (long p = p0; p < k; p++) {
          s += a.getAtIndex(JAVA_INT, pa + r * lda + p) * b.getAtIndex(JAVA_INT, pb + q * ldb + p);
        }
        long at = pc + r * ldc + q;
        c.setAtIndex(JAVA_INT, at, c.getAtIndex(JAVA_INT, at) + s);
      }
    }
  }

  /** The first {@code nr} of four values into C from element {@code pc} (or added to it). */
  private static void store4(MemorySegment c, long pc, int nr, boolean add, int x0, int x1, int x2,
      int x3) {
    int[] x = {x0, x1, x2, x3};
    for (int q = 0; q < nr; q++) {
      c.setAtIndex(JAVA_INT, pc + q, add ? c.getAtIndex(JAVA_INT, pc + q) + x[q] : x[q]);
    }
  }
}
