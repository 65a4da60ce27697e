package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Vector API GEMM for FLOAT32 and FLOAT64 (arguments as {@link MatmulKernels}): chooses, per
 * call, between the packed, cache-blocked kernel ({@link MatmulLoopsF32}, {@link
 * MatmulLoopsF64}) and the small-product kernels that read A and B in place ({@link
 * MatmulSmallF32}, {@link MatmulSmallF64}), which split a large product into fixed blocks of
 * rows ({@link MatmulRows}) for the tasks.
 *
 * <p>Packing copies {@code m k + k n} elements to save work on {@code 2 m n k} flops, and its
 * register tile wastes the part of an MR x NR tile past the edges of C; {@link #small} is the
 * crossover, measured (one thread, AVX-512): packing pays from about 20 x 20 x 20 on, and for
 * products of more than 16 rows; the small kernel keeps thin products (up to 16 rows, e.g. a
 * matrix-vector product), which it reads once, in place. With B transposed the small kernel is a
 * dot product along k, which pays only for very thin products with a long k; a transposed A times
 * a transposed B always packs.
 *
 * <p>Between the two, products of up to 2^21 multiply-adds whose B is a Java array and not
 * transposed pack only A ({@link MatmulDirectF32}, {@link MatmulDirectF64}): at that size
 * packing B cost more than reading it in place.
 */
final class MatmulVector {
  private MatmulVector() {}

  /** True when the unpacked kernels run for an {@code m x n x k} product. */
  static boolean small(boolean f64, boolean transA, boolean transB, long m, long n, long k) {
    if (transA && transB) {
      return false;
    }
    if (transB) {
      int lanes = f64 ? VectorShapes.doubleLanes() : VectorShapes.floatLanes();
      return Math.min(m, n) <= (f64 ? 4 : 8) && k >= 4L * lanes;
    }
    return m <= 16 || (n <= 2048 && k <= 2048 && m * n * k <= 2048);
  }

  static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue ep, MatmulTasks tasks) {
    if (m == 0 || n == 0) {
      return;
    }
    if (!small(false, transA, transB, m, n, k)) {
      if (MatmulDirectF32.applies(transA, transB, m, n, k, a, b)) {
        MatmulDirectF32.gemm(transA, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, ep);
        return;
      }
      MatmulLoopsF32.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, ep, tasks);
      return;
    }
    MatmulRows.split(m, n, k, tasks, (i0, h) -> {
      long ai = ao + (transA ? i0 : i0 * lda), ci = co + i0 * ldc;
      if (transB) {
        MatmulSmallF32.dot(h, n, k, a, ai, lda, b, bo, ldb, c, ci, ldc);
      } else {
        MatmulSmallF32.broadcast(transA, h, n, k, a, ai, lda, b, bo, ldb, c, ci, ldc);
      }
      if (!ep.isNone()) {
        MatmulEpilogue.rowsF32(c, ci, ldc, h, n, ep, 0);
      }
    });
  }

  static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue ep, MatmulTasks tasks) {
    if (m == 0 || n == 0) {
      return;
    }
    if (!small(true, transA, transB, m, n, k)) {
      if (MatmulDirectF64.applies(transA, transB, m, n, k, a, b)) {
        MatmulDirectF64.gemm(transA, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, ep);
        return;
      }
      MatmulLoopsF64.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, ep, tasks);
      return;
    }
    MatmulRows.split(m, n, k, tasks, (i0, h) -> {
      long ai = ao + (transA ? i0 : i0 * lda), ci = co + i0 * ldc;
      if (transB) {
        MatmulSmallF64.dot(h, n, k, a, ai, lda, b, bo, ldb, c, ci, ldc);
      } else {
        MatmulSmallF64.broadcast(transA, h, n, k, a, ai, lda, b, bo, ldb, c, ci, ldc);
      }
      if (!ep.isNone()) {
        MatmulEpilogue.rowsF64(c, ci, ldc, h, n, ep, 0);
      }
    });
  }
}
