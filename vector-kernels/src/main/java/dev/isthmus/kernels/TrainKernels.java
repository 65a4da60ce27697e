package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Fused kernels for training, each one pass where composing ops would take several:
 *
 * <ul>
 *   <li>{@code reluGrad}: {@code out[i] = f[i] > 0 ? g[i] : 0} (TensorFlow's ReluGrad; the
 *       features may be relu's input or output, both are positive at the same places; NaN
 *       features give 0);
 *   <li>{@code adam}: one Adam step (TensorFlow's ApplyAdam kernel), from the variable {@code w},
 *       the moments {@code m}, {@code v} and the gradient {@code g} into new arrays:
 *       {@code m' = m + (g - m) * c1}, {@code v' = v + (g * g - v) * c2},
 *       {@code w' = w - (m' * lr) / (sqrt(v') + eps)}, with {@code c1 = 1 - beta1},
 *       {@code c2 = 1 - beta2} and the step's bias-corrected rate {@code lr}, all in the
 *       arrays' dtype. Every operation is rounded once, in this order, so the vector loop and
 *       its scalar twin agree bit for bit.
 * </ul>
 *
 * <p>All operands of a call share one element offset {@code off} (they have one shape).
 * Dispatches once per call to {@link TrainVector} or its scalar twin {@link TrainScalar}.
 */
public final class TrainKernels {
  private TrainKernels() {}

  /** FLOAT32 ReluGrad. */
  public static void reluGradF32(MemorySegment g, MemorySegment f, MemorySegment out, long off,
      long n) {
    assert n >= 0 && off >= 0;
    if (Simd.VECTOR) {
      TrainVector.reluGradF32(g, f, out, off, n);
    } else {
      TrainScalar.reluGradF32(g, f, out, off, n);
    }
  }

  /** FLOAT64 ReluGrad. */
  public static void reluGradF64(MemorySegment g, MemorySegment f, MemorySegment out, long off,
      long n) {
    assert n >= 0 && off >= 0;
    if (Simd.VECTOR) {
      TrainVector.reluGradF64(g, f, out, off, n);
    } else {
      TrainScalar.reluGradF64(g, f, out, off, n);
    }
  }

  /** FLOAT32 Adam step into {@code wOut}, {@code mOut}, {@code vOut}. */
  public static void adamF32(MemorySegment w, MemorySegment m, MemorySegment v, MemorySegment g,
      MemorySegment wOut, MemorySegment mOut, MemorySegment vOut, long off, long n,
      float lr, float c1, float c2, float eps) {
    assert n >= 0 && off >= 0;
    if (Simd.VECTOR) {
      TrainVector.adamF32(w, m, v, g, wOut, mOut, vOut, off, n, lr, c1, c2, eps);
    } else {
      TrainScalar.adamF32(w, m, v, g, wOut, mOut, vOut, off, n, lr, c1, c2, eps);
    }
  }

  /** FLOAT64 Adam step into {@code wOut}, {@code mOut}, {@code vOut}. */
  public static void adamF64(MemorySegment w, MemorySegment m, MemorySegment v, MemorySegment g,
      MemorySegment wOut, MemorySegment mOut, MemorySegment vOut, long off, long n,
      double lr, double c1, double c2, double eps) {
    assert n >= 0 && off >= 0;
    if (Simd.VECTOR) {
      TrainVector.adamF64(w, m, v, g, wOut, mOut, vOut, off, n, lr, c1, c2, eps);
    } else {
      TrainScalar.adamF64(w, m, v, g, wOut, mOut, vOut, off, n, lr, c1, c2, eps);
    }
  }
}
