package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Softmax and log-softmax kernels (tf.nn.softmax, tf.nn.log_softmax), numerically stable (the
 * row max is subtracted before exp) and fused: one call runs the max pass, the exp-sum pass and
 * the scale pass, with no intermediate buffer. Offsets and counts are in elements; {@code x} and
 * {@code y} must not overlap. Callers validate; kernels check only that the ranges lie in their
 * segments (once per call, not an assert: the vector loops write heap tensors through their
 * arrays, which would not stop at a slice's end; nothing is written when it fails).
 *
 * <ul>
 *   <li>Row form: the contiguous row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}.
 *   <li>Outer form: an {@code [r, inner]} block, softmax over r for each column j, vectorised
 *       along the contiguous j (a softmax over an axis that is not the last).
 * </ul>
 *
 * <p>Dispatches once per call to {@link SoftmaxVector} or its scalar twin {@link SoftmaxScalar}.
 */
public final class SoftmaxKernels {
  private SoftmaxKernels() {}

  /** Throws {@link IndexOutOfBoundsException} unless both ranges of n elements lie in place. */
  private static void inBounds(MemorySegment x, long xo, MemorySegment y, long yo, long n,
      int size) {
    Objects.checkFromIndexSize(xo, n, x.byteSize() / size);
    Objects.checkFromIndexSize(yo, n, y.byteSize() / size);
  }

  /** {@link #inBounds} for an {@code [r, inner]} block; r * inner must not overflow either. */
  private static void blockInBounds(MemorySegment x, long xo, long r, long inner, MemorySegment y,
      long yo, int size) {
    if (r < 0 || inner < 0 || (inner > 0 && r > Long.MAX_VALUE / inner)) {
      throw new IndexOutOfBoundsException("a block of " + r + " x " + inner + " elements");
    }
    inBounds(x, xo, y, yo, r * inner, size);
  }

  /** FLOAT32 softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void softmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Float.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.softmaxF32(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.softmaxF32(x, xo, y, yo, n);
    }
  }

  /** FLOAT32 softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void softmaxF32Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    blockInBounds(x, xo, r, inner, y, yo, Float.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.softmaxF32Outer(x, xo, r, inner, y, yo);
    } else {
      SoftmaxScalar.softmaxF32Outer(x, xo, r, inner, y, yo);
    }
  }

  /** FLOAT32 log-softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void logSoftmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Float.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.logSoftmaxF32(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.logSoftmaxF32(x, xo, y, yo, n);
    }
  }

  /** FLOAT32 log-softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void logSoftmaxF32Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    blockInBounds(x, xo, r, inner, y, yo, Float.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.logSoftmaxF32Outer(x, xo, r, inner, y, yo);
    } else {
      SoftmaxScalar.logSoftmaxF32Outer(x, xo, r, inner, y, yo);
    }
  }

  /** FLOAT64 softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void softmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Double.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.softmaxF64(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.softmaxF64(x, xo, y, yo, n);
    }
  }

  /** FLOAT64 softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void softmaxF64Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    blockInBounds(x, xo, r, inner, y, yo, Double.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.softmaxF64Outer(x, xo, r, inner, y, yo);
    } else {
      SoftmaxScalar.softmaxF64Outer(x, xo, r, inner, y, yo);
    }
  }

  /** FLOAT64 log-softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void logSoftmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Double.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.logSoftmaxF64(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.logSoftmaxF64(x, xo, y, yo, n);
    }
  }

  /** FLOAT64 log-softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void logSoftmaxF64Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    blockInBounds(x, xo, r, inner, y, yo, Double.BYTES);
    if (Simd.VECTOR) {
      SoftmaxVector.logSoftmaxF64Outer(x, xo, r, inner, y, yo);
    } else {
      SoftmaxScalar.logSoftmaxF64Outer(x, xo, r, inner, y, yo);
    }
  }
}
