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

  // per site, the vector loop on synthetic operands, for the background warm-up (KernelWarmup):
  // rows of 16 for the row blocks (rows of 8192 and more take another loop, not warmed here);
  // the outer forms (sites 4, 6, 8, 10) switch at the threshold without one
  private static final ColdRouting COLD = ColdRouting.family("softmax", 11, 2)
      .warm(0, (k, n, s) -> SoftmaxRowBlockF32.run(k == 1, s.f32(0), 0, s.f32(2), 0, n / 16, 16))
      .warm(1, (k, n, s) -> SoftmaxVector.softmaxF64(s.f64(0), 0, s.f64(2), 0, n))
      .warm(2, (k, n, s) -> SoftmaxVector.logSoftmaxF64(s.f64(0), 0, s.f64(2), 0, n))
      .warm(3, (k, n, s) -> SoftmaxVector.softmaxF32(s.f32(0), 0, s.f32(2), 0, n))
      .warm(5, (k, n, s) -> SoftmaxVector.logSoftmaxF32(s.f32(0), 0, s.f32(2), 0, n))
      .warm(7, (k, n, s) -> SoftmaxVector.softmaxF64(s.f64(0), 0, s.f64(2), 0, n))
      .warm(9, (k, n, s) -> SoftmaxVector.logSoftmaxF64(s.f64(0), 0, s.f64(2), 0, n));

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

  /**
   * FLOAT32 softmax of {@code rows} consecutive rows of n elements, {@code x[xo, xo + rows n)}
   * into {@code y[yo, yo + rows n)}: as {@link #softmaxF32} on each row (the same results), with
   * the per-call setup done once (what Ops.softmax over the last axis calls per chunk of rows).
   */
  public static void softmaxRowsF32(MemorySegment x, long xo, MemorySegment y, long yo,
      long rows, long n) {
    rowsF32(false, x, xo, y, yo, rows, n);
  }

  /** FLOAT32 log-softmax of {@code rows} consecutive rows of n elements. */
  public static void logSoftmaxRowsF32(MemorySegment x, long xo, MemorySegment y, long yo,
      long rows, long n) {
    rowsF32(true, x, xo, y, yo, rows, n);
  }

  private static void rowsF32(boolean log, MemorySegment x, long xo, MemorySegment y, long yo,
      long rows, long n) {
    blockInBounds(x, xo, rows, n, y, yo, Float.BYTES);
    boolean vector = COLD.vector(0, log ? 1 : 0, 4 * rows * n);
    if (vector && n < SoftmaxRowsF32.ONLINE_MIN) {
      SoftmaxRowBlockF32.run(log, x, xo, y, yo, rows, (int) n);
      return;
    }
    for (long r = 0; r < rows; r++) {
      long o = r * n;
      if (vector) {
        if (log) {
          SoftmaxRowsF32.logSoftmax(x, xo + o, y, yo + o, n);
        } else {
          SoftmaxRowsF32.softmax(x, xo + o, y, yo + o, n);
        }
      } else if (log) {
        SoftmaxScalar.logSoftmaxF32(x, xo + o, y, yo + o, n);
      } else {
        SoftmaxScalar.softmaxF32(x, xo + o, y, yo + o, n);
      }
    }
  }

  /** FLOAT64 softmax of {@code rows} consecutive rows of n elements (as {@link #softmaxF64}). */
  public static void softmaxRowsF64(MemorySegment x, long xo, MemorySegment y, long yo,
      long rows, long n) {
    blockInBounds(x, xo, rows, n, y, yo, Double.BYTES);
    for (long r = 0; r < rows; r++) {
      long o = r * n;
      if (COLD.vector(1, 0, 4 * n)) {
        SoftmaxVector.softmaxF64(x, xo + o, y, yo + o, n);
      } else {
        SoftmaxScalar.softmaxF64(x, xo + o, y, yo + o, n);
      }
    }
  }

  /** FLOAT64 log-softmax of {@code rows} consecutive rows of n elements. */
  public static void logSoftmaxRowsF64(MemorySegment x, long xo, MemorySegment y, long yo,
      long rows, long n) {
    blockInBounds(x, xo, rows, n, y, yo, Double.BYTES);
    for (long r = 0; r < rows; r++) {
      long o = r * n;
      if (COLD.vector(2, 1, 4 * n)) {
        SoftmaxVector.logSoftmaxF64(x, xo + o, y, yo + o, n);
      } else {
        SoftmaxScalar.logSoftmaxF64(x, xo + o, y, yo + o, n);
      }
    }
  }

  /**
   * {@link #inBounds} for the columns [0, cols) of an {@code [r, inner]} block: the last row needs
   * only its first cols elements.
   */
  private static void columnsInBounds(MemorySegment x, long xo, long r, long inner, long cols,
      MemorySegment y, long yo, int size) {
    if (r < 0 || inner < 0 || cols < 0 || cols > inner
        || (inner > 0 && r > Long.MAX_VALUE / inner)) {
      throw new IndexOutOfBoundsException(
          "columns [0, " + cols + ") of a block of " + r + " x " + inner + " elements");
    }
    if (r > 0 && cols > 0) { // else nothing is read or written, wherever it starts
      inBounds(x, xo, y, yo, (r - 1) * inner + cols, size);
    }
  }

  /** FLOAT32 softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void softmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Float.BYTES);
    if (COLD.vector(3, 0, 4 * n)) {
      SoftmaxVector.softmaxF32(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.softmaxF32(x, xo, y, yo, n);
    }
  }

  /** FLOAT32 softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void softmaxF32Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    softmaxF32OuterColumns(x, xo, r, inner, inner, y, yo);
  }

  /**
   * Columns {@code [0, cols)} of {@link #softmaxF32Outer} over an {@code [r, inner]} block, {@code
   * cols <= inner}; each column's result is the same however the columns are split, when every
   * split point is a multiple of the lanes (up to the JIT's rounding of EXP and LOG, see IntraOp).
   */
  public static void softmaxF32OuterColumns(MemorySegment x, long xo, long r, long inner,
      long cols, MemorySegment y, long yo) {
    columnsInBounds(x, xo, r, inner, cols, y, yo, Float.BYTES);
    if (COLD.vector(4, 0, 4 * r * cols)) {
      SoftmaxVector.softmaxF32Outer(x, xo, r, inner, cols, y, yo);
    } else {
      SoftmaxScalar.columnsF32(false, x, xo, r, inner, 0, cols, y, yo);
    }
  }

  /** FLOAT32 log-softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void logSoftmaxF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Float.BYTES);
    if (COLD.vector(5, 1, 4 * n)) {
      SoftmaxVector.logSoftmaxF32(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.logSoftmaxF32(x, xo, y, yo, n);
    }
  }

  /** FLOAT32 log-softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void logSoftmaxF32Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    logSoftmaxF32OuterColumns(x, xo, r, inner, inner, y, yo);
  }

  /**
   * Columns {@code [0, cols)} of {@link #logSoftmaxF32Outer} over an {@code [r, inner]} block,
   * {@code cols <= inner}; each column's result is the same however the columns are split, when
   * every split point is a multiple of the lanes (up to the JIT's rounding of EXP and LOG, see
   * IntraOp).
   */
  public static void logSoftmaxF32OuterColumns(MemorySegment x, long xo, long r, long inner,
      long cols, MemorySegment y, long yo) {
    columnsInBounds(x, xo, r, inner, cols, y, yo, Float.BYTES);
    if (COLD.vector(6, 1, 4 * r * cols)) {
      SoftmaxVector.logSoftmaxF32Outer(x, xo, r, inner, cols, y, yo);
    } else {
      SoftmaxScalar.columnsF32(true, x, xo, r, inner, 0, cols, y, yo);
    }
  }

  /** FLOAT64 softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void softmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Double.BYTES);
    if (COLD.vector(7, 0, 4 * n)) {
      SoftmaxVector.softmaxF64(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.softmaxF64(x, xo, y, yo, n);
    }
  }

  /** FLOAT64 softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void softmaxF64Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    softmaxF64OuterColumns(x, xo, r, inner, inner, y, yo);
  }

  /**
   * Columns {@code [0, cols)} of {@link #softmaxF64Outer} over an {@code [r, inner]} block, {@code
   * cols <= inner}; each column's result is the same however the columns are split, when every
   * split point is a multiple of the lanes (up to the JIT's rounding of EXP and LOG, see IntraOp).
   */
  public static void softmaxF64OuterColumns(MemorySegment x, long xo, long r, long inner,
      long cols, MemorySegment y, long yo) {
    columnsInBounds(x, xo, r, inner, cols, y, yo, Double.BYTES);
    if (COLD.vector(8, 0, 4 * r * cols)) {
      SoftmaxVector.softmaxF64Outer(x, xo, r, inner, cols, y, yo);
    } else {
      SoftmaxScalar.columnsF64(false, x, xo, r, inner, 0, cols, y, yo);
    }
  }

  /** FLOAT64 log-softmax of the row {@code x[xo, xo + n)} into {@code y[yo, yo + n)}. */
  public static void logSoftmaxF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    inBounds(x, xo, y, yo, n, Double.BYTES);
    if (COLD.vector(9, 1, 4 * n)) {
      SoftmaxVector.logSoftmaxF64(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.logSoftmaxF64(x, xo, y, yo, n);
    }
  }

  /** FLOAT64 log-softmax over r of each column of the {@code [r, inner]} block at {@code xo}. */
  public static void logSoftmaxF64Outer(
      MemorySegment x, long xo, long r, long inner, MemorySegment y, long yo) {
    logSoftmaxF64OuterColumns(x, xo, r, inner, inner, y, yo);
  }

  /**
   * Columns {@code [0, cols)} of {@link #logSoftmaxF64Outer} over an {@code [r, inner]} block,
   * {@code cols <= inner}; each column's result is the same however the columns are split, when
   * every split point is a multiple of the lanes (up to the JIT's rounding of EXP and LOG, see
   * IntraOp).
   */
  public static void logSoftmaxF64OuterColumns(MemorySegment x, long xo, long r, long inner,
      long cols, MemorySegment y, long yo) {
    columnsInBounds(x, xo, r, inner, cols, y, yo, Double.BYTES);
    if (COLD.vector(10, 1, 4 * r * cols)) {
      SoftmaxVector.logSoftmaxF64Outer(x, xo, r, inner, cols, y, yo);
    } else {
      SoftmaxScalar.columnsF64(true, x, xo, r, inner, 0, cols, y, yo);
    }
  }
}
