package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Vector API GEMM for FLOAT32 and FLOAT64 (arguments as {@link MatmulKernels}): chooses, per
 * call, between the packed, cache-blocked kernel ({@link MatmulPackedF32}, {@link
 * MatmulPackedF64}) and the small-product kernels that read A and B in place ({@link
 * MatmulSmallF32}, {@link MatmulSmallF64}).
 *
 * <p>Packing copies {@code m k + k n} elements to save work on {@code 2 m n k} flops, so it pays
 * unless the product is small or thin: {@link #small} is the measured crossover. The small path
 * has no kernel for a transposed A times a transposed B, which always packs.
 */
final class MatmulVector {
  private MatmulVector() {}

  /** Below this many multiply-adds ({@code m n k}) the small path runs. */
  static final long SMALL_MNK = 32 * 32 * 32;
  /** With fewer rows or columns of C than this the small path runs, whatever the size. */
  static final long THIN = 8;

  /** True when the unpacked kernels run for an {@code m x n x k} product. */
  static boolean small(boolean transA, boolean transB, long m, long n, long k) {
    if (transA && transB) {
      return false;
    }
    return m < THIN || n < THIN || m * n * k <= SMALL_MNK;
  }

  static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue ep) {
    if (m == 0 || n == 0) {
      return;
    }
    if (!small(transA, transB, m, n, k)) {
      MatmulPackedF32.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, ep);
      return;
    }
    if (transB) {
      MatmulSmallF32.dot(m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    } else {
      MatmulSmallF32.broadcast(transA, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    }
    if (!ep.isNone()) {
      MatmulEpilogue.rowsF32(c, co, ldc, m, n, ep, 0);
    }
  }

  static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue ep) {
    if (m == 0 || n == 0) {
      return;
    }
    if (!small(transA, transB, m, n, k)) {
      MatmulPackedF64.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, ep);
      return;
    }
    if (transB) {
      MatmulSmallF64.dot(m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    } else {
      MatmulSmallF64.broadcast(transA, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    }
    if (!ep.isNone()) {
      MatmulEpilogue.rowsF64(c, co, ldc, m, n, ep, 0);
    }
  }
}
