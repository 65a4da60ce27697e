package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector API GEMM for FLOAT32 and FLOAT64 (arguments as {@link MatmulKernels}): a
 * register-tiled micro-kernel, not yet the final one. A later issue adds packing and cache
 * blocking.
 *
 * <p>The main tile is 4 rows by 3 vectors of C: 12 accumulators stay in registers for the whole
 * {@code k} loop, and each step loads 3 vectors of a row of {@code op(B)}, broadcasts 4 elements
 * of a column of {@code op(A)} and does 12 FMAs. Rows left over (m mod 4) run a 1-row tile;
 * columns left over (n mod 3 vectors) run 4-row and 1-row tiles one vector wide, the last one
 * masked. Because A is only ever read one element at a time, a transposed A is just other
 * strides; a transposed B is first copied into a transposed scratch buffer (per-thread and reused
 * when small), which the packing issue removes.
 *
 * <p>Offsets inside the loops are in bytes.
 */
final class MatmulVector {
  private MatmulVector() {}

  // ---------------------------------------------------------------- FLOAT32

  static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (transB) {
      b = MatmulScratch.transposeF32(b, bo, ldb, n, k);
      bo = 0;
      ldb = n;
    }
    final long e = Float.BYTES;
    long rs = (transA ? 1 : lda) * e; // op(A): bytes between rows
    long cs = (transA ? lda : 1) * e; // op(A): bytes between columns
    long ab = ao * e, bb = bo * e, cb = co * e, ldbB = ldb * e, ldcB = ldc * e;
    long w = 3L * F.length();
    long nFull = n - n % w, mFull = m - m % 4;
    for (long j = 0; j < nFull; j += w) {
      long bj = bb + j * e, cj = cb + j * e;
      for (long i = 0; i < mFull; i += 4) {
        tileF32(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k);
      }
      for (long i = mFull; i < m; i++) {
        rowF32(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k);
      }
    }
    for (long j = nFull; j < n; j += F.length()) {
      VectorMask<Float> mask = F.indexInRange(j, n);
      long bj = bb + j * e, cj = cb + j * e;
      for (long i = 0; i < mFull; i += 4) {
        narrowTileF32(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k, mask);
      }
      for (long i = mFull; i < m; i++) {
        narrowRowF32(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k, mask);
      }
    }
  }

  /** C[4 rows, 3 vectors] from A at {@code pa} (row stride rs, column stride cs), B at pb. */
  private static void tileF32(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
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
  private static void rowF32(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
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
  private static void narrowTileF32(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
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
  private static void narrowRowF32(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
      long ldb, MemorySegment c, long pc, long k, VectorMask<Float> mask) {
    FloatVector c0 = FloatVector.zero(F);
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      FloatVector y = FloatVector.fromMemorySegment(F, b, pb, NATIVE, mask);
      c0 = FloatVector.broadcast(F, a.get(JAVA_FLOAT, pa)).fma(y, c0);
    }
    c0.intoMemorySegment(c, pc, NATIVE, mask);
  }

  // ---------------------------------------------------------------- FLOAT64

  static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (transB) {
      b = MatmulScratch.transposeF64(b, bo, ldb, n, k);
      bo = 0;
      ldb = n;
    }
    final long e = Double.BYTES;
    long rs = (transA ? 1 : lda) * e; // op(A): bytes between rows
    long cs = (transA ? lda : 1) * e; // op(A): bytes between columns
    long ab = ao * e, bb = bo * e, cb = co * e, ldbB = ldb * e, ldcB = ldc * e;
    long w = 3L * D.length();
    long nFull = n - n % w, mFull = m - m % 4;
    for (long j = 0; j < nFull; j += w) {
      long bj = bb + j * e, cj = cb + j * e;
      for (long i = 0; i < mFull; i += 4) {
        tileF64(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k);
      }
      for (long i = mFull; i < m; i++) {
        rowF64(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k);
      }
    }
    for (long j = nFull; j < n; j += D.length()) {
      VectorMask<Double> mask = D.indexInRange(j, n);
      long bj = bb + j * e, cj = cb + j * e;
      for (long i = 0; i < mFull; i += 4) {
        narrowTileF64(a, ab + i * rs, rs, cs, b, bj, ldbB, c, cj + i * ldcB, ldcB, k, mask);
      }
      for (long i = mFull; i < m; i++) {
        narrowRowF64(a, ab + i * rs, cs, b, bj, ldbB, c, cj + i * ldcB, k, mask);
      }
    }
  }

  /** C[4 rows, 3 vectors] from A at {@code pa} (row stride rs, column stride cs), B at pb. */
  private static void tileF64(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
      long pb, long ldb, MemorySegment c, long pc, long ldc, long k) {
    long v = D.vectorByteSize();
    DoubleVector c00 = DoubleVector.zero(D), c01 = c00, c02 = c00;
    DoubleVector c10 = c00, c11 = c00, c12 = c00;
    DoubleVector c20 = c00, c21 = c00, c22 = c00;
    DoubleVector c30 = c00, c31 = c00, c32 = c00;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      DoubleVector b0 = DoubleVector.fromMemorySegment(D, b, pb, NATIVE);
      DoubleVector b1 = DoubleVector.fromMemorySegment(D, b, pb + v, NATIVE);
      DoubleVector b2 = DoubleVector.fromMemorySegment(D, b, pb + 2 * v, NATIVE);
      DoubleVector x = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa));
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      c02 = x.fma(b2, c02);
      x = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa + rs));
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      c12 = x.fma(b2, c12);
      x = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa + 2 * rs));
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      c22 = x.fma(b2, c22);
      x = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa + 3 * rs));
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
  private static void rowF64(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
      long ldb, MemorySegment c, long pc, long k) {
    long v = D.vectorByteSize();
    DoubleVector c0 = DoubleVector.zero(D), c1 = c0, c2 = c0;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      DoubleVector x = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa));
      c0 = x.fma(DoubleVector.fromMemorySegment(D, b, pb, NATIVE), c0);
      c1 = x.fma(DoubleVector.fromMemorySegment(D, b, pb + v, NATIVE), c1);
      c2 = x.fma(DoubleVector.fromMemorySegment(D, b, pb + 2 * v, NATIVE), c2);
    }
    c0.intoMemorySegment(c, pc, NATIVE);
    c1.intoMemorySegment(c, pc + v, NATIVE);
    c2.intoMemorySegment(c, pc + 2 * v, NATIVE);
  }

  /** C[4 rows, the lanes of {@code mask}]. */
  private static void narrowTileF64(MemorySegment a, long pa, long rs, long cs, MemorySegment b,
      long pb, long ldb, MemorySegment c, long pc, long ldc, long k, VectorMask<Double> mask) {
    DoubleVector c0 = DoubleVector.zero(D), c1 = c0, c2 = c0, c3 = c0;
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      DoubleVector y = DoubleVector.fromMemorySegment(D, b, pb, NATIVE, mask);
      c0 = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa)).fma(y, c0);
      c1 = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa + rs)).fma(y, c1);
      c2 = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa + 2 * rs)).fma(y, c2);
      c3 = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa + 3 * rs)).fma(y, c3);
    }
    c0.intoMemorySegment(c, pc, NATIVE, mask);
    c1.intoMemorySegment(c, pc + ldc, NATIVE, mask);
    c2.intoMemorySegment(c, pc + 2 * ldc, NATIVE, mask);
    c3.intoMemorySegment(c, pc + 3 * ldc, NATIVE, mask);
  }

  /** C[1 row, the lanes of {@code mask}]. */
  private static void narrowRowF64(MemorySegment a, long pa, long cs, MemorySegment b, long pb,
      long ldb, MemorySegment c, long pc, long k, VectorMask<Double> mask) {
    DoubleVector c0 = DoubleVector.zero(D);
    for (long p = 0; p < k; p++, pa += cs, pb += ldb) {
      DoubleVector y = DoubleVector.fromMemorySegment(D, b, pb, NATIVE, mask);
      c0 = DoubleVector.broadcast(D, a.get(JAVA_DOUBLE, pa)).fma(y, c0);
    }
    c0.intoMemorySegment(c, pc, NATIVE, mask);
  }
}
