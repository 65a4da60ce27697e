package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of {@link MatmulVector}: the plain triple loop, the specification
 * the property tests hold the vector kernels to, and the path that runs when the Vector API is
 * off. Same arguments as {@link MatmulKernels}.
 *
 * <p>Each {@code C[i, j]} is accumulated in the element type, {@code k} innermost and in order,
 * starting from zero, with a separate multiply and add (Java never fuses them). The vector
 * kernels use FMA and may sum in another order, so they agree with this to within rounding: see
 * {@link MatmulKernels} for the bound.
 */
public final class MatmulScalar {
  private MatmulScalar() {}

  /** FLOAT32 {@code C = op(A) * op(B)}, by the triple loop. */
  public static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    for (long i = 0; i < m; i++) {
      for (long j = 0; j < n; j++) {
        float acc = 0;
        for (long p = 0; p < k; p++) {
          float x = a.getAtIndex(JAVA_FLOAT, ao + (transA ? p * lda + i : i * lda + p));
          float y = b.getAtIndex(JAVA_FLOAT, bo + (transB ? j * ldb + p : p * ldb + j));
          acc += x * y;
        }
        c.setAtIndex(JAVA_FLOAT, co + i * ldc + j, acc);
      }
    }
  }

  /** FLOAT64 {@code C = op(A) * op(B)}, by the triple loop. */
  public static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    for (long i = 0; i < m; i++) {
      for (long j = 0; j < n; j++) {
        double acc = 0;
        for (long p = 0; p < k; p++) {
          double x = a.getAtIndex(JAVA_DOUBLE, ao + (transA ? p * lda + i : i * lda + p));
          double y = b.getAtIndex(JAVA_DOUBLE, bo + (transB ? j * ldb + p : p * ldb + j));
          acc += x * y;
        }
        c.setAtIndex(JAVA_DOUBLE, co + i * ldc + j, acc);
      }
    }
  }

  /**
   * FLOAT32 {@code C = epilogue(op(A) * op(B))}: the triple loop, then the bias added to each row
   * (one rounding), then the activation by {@link UnaryScalar#apply(UnaryOp, float)}.
   */
  public static void f32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue ep) {
    f32(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    UnaryOp op = ep.activation().op();
    for (long i = 0; i < m; i++) {
      for (long j = 0; j < n; j++) {
        long at = co + i * ldc + j;
        float v = c.getAtIndex(JAVA_FLOAT, at);
        if (ep.bias() != null) {
          v += ep.bias().getAtIndex(JAVA_FLOAT, ep.biasOffset() + j);
        }
        if (op != null) {
          v = UnaryScalar.apply(op, v);
        }
        c.setAtIndex(JAVA_FLOAT, at, v);
      }
    }
  }

  /** FLOAT64 {@code C = epilogue(op(A) * op(B))}, as {@link #f32(boolean, boolean, long, long,
   * long, MemorySegment, long, long, MemorySegment, long, long, MemorySegment, long, long,
   * Epilogue)}. */
  public static void f64(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, Epilogue ep) {
    f64(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
    UnaryOp op = ep.activation().op();
    for (long i = 0; i < m; i++) {
      for (long j = 0; j < n; j++) {
        long at = co + i * ldc + j;
        double v = c.getAtIndex(JAVA_DOUBLE, at);
        if (ep.bias() != null) {
          v += ep.bias().getAtIndex(JAVA_DOUBLE, ep.biasOffset() + j);
        }
        if (op != null) {
          v = UnaryScalar.apply(op, v);
        }
        c.setAtIndex(JAVA_DOUBLE, at, v);
      }
    }
  }

  /** INT32 {@code C = op(A) * op(B)}, by the triple loop; overflow wraps (two's complement). */
  public static void i32(boolean transA, boolean transB, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc) {
    for (long i = 0; i < m; i++) {
      for (long j = 0; j < n; j++) {
        int acc = 0;
        for (long p = 0; p < k; p++) {
          int x = a.getAtIndex(JAVA_INT, ao + (transA ? p * lda + i : i * lda + p));
          int y = b.getAtIndex(JAVA_INT, bo + (transB ? j * ldb + p : p * ldb + j));
          acc += x * y;
        }
        c.setAtIndex(JAVA_INT, co + i * ldc + j, acc);
      }
    }
  }
}
