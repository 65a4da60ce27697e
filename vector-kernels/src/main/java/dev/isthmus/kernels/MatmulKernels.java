package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Row-major GEMM: {@code C[m, n] = op(A)[m, k] * op(B)[k, n]}, where {@code op(X)} is {@code X}
 * or its transpose. C is overwritten (no accumulation into it), so {@code k = 0} gives zeros.
 *
 * <p>Layout, in elements: A is stored row-major from offset {@code ao} with {@code lda} elements
 * between rows; it is {@code m x k}, or {@code k x m} when {@code transA} ({@code op(A)[i, p]} is
 * then {@code a[ao + p * lda + i]}). Likewise B ({@code k x n}, or {@code n x k} when {@code
 * transB}) and C ({@code m x n}, never transposed). Leading dimensions larger than a row let a
 * batched caller address one matrix inside a larger segment without copying. C must not overlap A
 * or B. Callers validate; kernels trust (and assert).
 *
 * <p>FLOAT32 and FLOAT64 also take an {@link Epilogue}: a bias added to every row of C and an
 * activation, applied while each tile of C is in registers or cache.
 *
 * <p>Dispatches once per call to {@link MatmulVector} or its scalar twin {@link MatmulScalar}.
 * On the vector path FLOAT32 and FLOAT64 products run a packed, cache-blocked kernel (GotoBLAS
 * style, with a register tile sized to the vector width), or for small and thin products a kernel
 * that reads A and B in place ({@link #packs} says which); small products with B on a Java array
 * pack only A. The packed kernel keeps its packing buffers for reuse (a few MB per concurrent call
 * once a large product has run).
 *
 * <p>A call runs on the calling thread, or, given {@link MatmulTasks}, on the threads those lend:
 * the packed kernel splits the rows of C into fixed parts sharing one packed panel of B per
 * k-block; the other paths split the rows of C into fixed blocks. The split depends on the
 * product's shape alone and each element of C is computed the same way in any part, so results
 * are bit for bit the same for any runner and thread count.
 *
 * <p>The twin sums each {@code C[i, j]} in order with separate multiply and add; the vector
 * kernels use FMA and sum in blocks of k. Both are within {@code gamma_k * S} of the exact
 * result, where {@code S = sum_p |op(A)[i, p] * op(B)[p, j]|} and {@code gamma_k = k u / (1 - k
 * u)} with {@code u} half the machine epsilon, so they differ by at most about {@code k * eps *
 * S}. INT32 wraps on overflow and is exact, so both paths agree bit for bit.
 */
public final class MatmulKernels {
  private MatmulKernels() {}

  // No background warm-up (KernelWarmup) yet: its synthetic products did not reach allocation-free
  // code (the direct kernel, 24 and 96 rows, boxed for 20 s and left the small kernel boxing too),
  // so matmul switches at the threshold itself, its vector loops still cold (docs/COLDSTART.md).
  private static final ColdRouting COLD = ColdRouting.family("matmul", 3, 1);

  /** FLOAT32 {@code C = op(A) * op(B)}. */
  public static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    f32(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, Epilogue.NONE);
  }

  /**
   * FLOAT32 {@code C = epilogue(op(A) * op(B))}: the product, plus a bias of {@code n} FLOAT32
   * elements added to every row, then an activation, applied to each tile of C while it is in
   * registers or cache (a dense layer: {@code tf.nn.bias_add} and the activation fused into
   * {@code tf.matmul}).
   */
  public static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue epilogue) {
    f32(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, epilogue,
        MatmulTasks.SERIAL);
  }

  /**
   * FLOAT32 {@code C = epilogue(op(A) * op(B))} on the threads of {@code tasks} (the product is
   * split into tasks by its shape alone; the result is the same for every runner, bit for bit).
   */
  public static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue epilogue, MatmulTasks tasks) {
    assert valid(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, Float.BYTES);
    assert validEpilogue(epilogue, n, c, Float.BYTES);
    if (COLD.vector(0, 0, m * n * k)) {
      MatmulVector.f32(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, epilogue,
          tasks);
    } else {
      MatmulRows.split(m, n, k, tasks, (i0, h) -> MatmulScalar.f32(transA, transB, h, n, k,
          a, ao + (transA ? i0 : i0 * lda), lda, b, bo, ldb, c, co + i0 * ldc, ldc, epilogue));
    }
  }

  /** FLOAT64 {@code C = op(A) * op(B)}. */
  public static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    f64(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, Epilogue.NONE);
  }

  /** FLOAT64 {@code C = epilogue(op(A) * op(B))}, as {@link #f32(boolean, boolean, long, long,
   * long, MemorySegment, long, long, MemorySegment, long, long, MemorySegment, long, long,
   * Epilogue)}; the bias is FLOAT64. */
  public static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue epilogue) {
    f64(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, epilogue,
        MatmulTasks.SERIAL);
  }

  /** FLOAT64 {@code C = epilogue(op(A) * op(B))} on the threads of {@code tasks}, as f32. */
  public static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue epilogue, MatmulTasks tasks) {
    assert valid(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, Double.BYTES);
    assert validEpilogue(epilogue, n, c, Double.BYTES);
    if (COLD.vector(1, 0, m * n * k)) {
      MatmulVector.f64(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, epilogue,
          tasks);
    } else {
      MatmulRows.split(m, n, k, tasks, (i0, h) -> MatmulScalar.f64(transA, transB, h, n, k,
          a, ao + (transA ? i0 : i0 * lda), lda, b, bo, ldb, c, co + i0 * ldc, ldc, epilogue));
    }
  }

  /** INT32 {@code C = op(A) * op(B)}; overflow wraps, as in TensorFlow. */
  public static void i32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    i32(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, MatmulTasks.SERIAL);
  }

  /** INT32 {@code C = op(A) * op(B)} on the threads of {@code tasks}. */
  public static void i32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, MatmulTasks tasks) {
    assert valid(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, Integer.BYTES);
    MatmulRows.split(m, n, k, tasks, (i0, h) -> {
      long ai = ao + (transA ? i0 : i0 * lda), ci = co + i0 * ldc;
      if (COLD.vector(2, 0, h * n * k)) {
        MatmulVectorInt.i32(transA, transB, h, n, k, a, ai, lda, b, bo, ldb, c, ci, ldc);
      } else {
        MatmulScalar.i32(transA, transB, h, n, k, a, ai, lda, b, bo, ldb, c, ci, ldc);
      }
    });
  }

  /**
   * The blocking of the packed kernel for one element type on this JVM: an {@code mr x nr}
   * register tile, blocks of {@code kc} steps of k, {@code mc} rows of A and {@code nc} columns of
   * B. For tests and tuning; on the scalar path (no blocking) all are 1.
   *
   * @param mr rows of the register tile
   * @param nr columns of the register tile
   * @param kc depth of a packed block
   * @param mc rows of a packed block of A
   * @param nc columns of a packed panel of B
   */
  public record Blocking(int mr, int nr, int kc, int mc, int nc) {}

  /** The packed FLOAT32 kernel's {@link Blocking}. */
  public static Blocking blockingF32() {
    return Simd.VECTOR
        ? new Blocking(MatmulPackedF32.MR, MatmulPackedF32.NR, MatmulPackedF32.KC,
            MatmulPackedF32.MC, MatmulPackedF32.NC)
        : new Blocking(1, 1, 1, 1, 1);
  }

  /** The packed FLOAT64 kernel's {@link Blocking}. */
  public static Blocking blockingF64() {
    return Simd.VECTOR
        ? new Blocking(MatmulPackedF64.MR, MatmulPackedF64.NR, MatmulPackedF64.KC,
            MatmulPackedF64.MC, MatmulPackedF64.NC)
        : new Blocking(1, 1, 1, 1, 1);
  }

  /**
   * True when a FLOAT32 ({@code f64} false) or FLOAT64 product of these sizes and flags runs the
   * packed kernel's register tiles, false when it runs the small unpacked one (or the scalar
   * twin). A small enough product with B on a Java array packs only A (see {@code
   * MatmulVector}); this does not look at the memory. For tests and tuning.
   */
  public static boolean packs(boolean f64, boolean transA, boolean transB, long m, long n,
      long k) {
    return Simd.VECTOR && m > 0 && n > 0 && !MatmulVector.small(f64, transA, transB, m, n, k);
  }

  private static boolean valid(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, int bytes) {
    if (m < 0 || n < 0 || k < 0 || ao < 0 || bo < 0 || co < 0) {
      throw new AssertionError("negative size or offset: m=" + m + " n=" + n + " k=" + k);
    }
    fits("A", a, ao, transA ? k : m, transA ? m : k, lda, bytes);
    fits("B", b, bo, transB ? n : k, transB ? k : n, ldb, bytes);
    fits("C", c, co, m, n, ldc, bytes);
    if (m > 0 && n > 0 && (c.asOverlappingSlice(a).isPresent()
        || c.asOverlappingSlice(b).isPresent())) {
      throw new AssertionError("C overlaps A or B");
    }
    return true;
  }

  private static boolean validEpilogue(Epilogue ep, long n, MemorySegment c, int bytes) {
    if (ep == null) {
      throw new AssertionError("null epilogue (use Epilogue.NONE)");
    }
    if (ep.bias() != null) {
      fits("bias", ep.bias(), ep.biasOffset(), 1, n, n, bytes);
      if (n > 0 && c.asOverlappingSlice(ep.bias()).isPresent()) {
        throw new AssertionError("C overlaps the bias");
      }
    }
    return true;
  }

  private static void fits(String name, MemorySegment s, long off, long rows, long cols, long ld,
      int bytes) {
    if (rows == 0 || cols == 0) {
      return;
    }
    if (ld < cols || (off + (rows - 1) * ld + cols) * bytes > s.byteSize()) {
      throw new AssertionError(name + ": " + rows + " x " + cols + " at offset " + off
          + " with leading dimension " + ld + " does not fit a segment of " + s.byteSize()
          + " bytes");
    }
  }
}
