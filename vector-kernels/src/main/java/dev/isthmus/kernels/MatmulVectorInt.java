package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector API GEMM for INT32: the tiling of {@link MatmulVector}, with multiply and add in place
 * of FMA. Integer arithmetic wraps and is associative, so this agrees exactly with {@link
 * MatmulScalar#i32}.
 */
final class MatmulVectorInt {
  private MatmulVectorInt() {}

  // ---------------------------------------------------------------- INT32

  static void i32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (transB) {
      b = MatmulScratch.transposeI32(b, bo, ldb, n, k);
      bo = 0;
      ldb = n;
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
    c0.intoMemorySegment(c, pc, NATIVE);
    c1.intoMemorySegment(c, pc + v, NATIVE);
    c2.intoMemorySegment(c, pc + 2 * v, NATIVE);
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
}
