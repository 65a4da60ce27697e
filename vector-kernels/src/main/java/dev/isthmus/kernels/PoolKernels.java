package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * 2-D max and average pooling over dense NHWC tensors (tf.nn.max_pool2d, tf.nn.avg_pool2d),
 * with the window of a {@link ConvGeometry}: input {@code [N, H, W, C]}, output {@code [N, outH,
 * outW, C]}. Offsets are in elements; the output is overwritten and must not overlap the input.
 * Callers validate the geometry; kernels check (once per call) only that each operand lies in
 * its segment.
 *
 * <p>Only the taps inside the input count: max pooling ignores padding (as padding with -inf
 * would), average pooling divides by the number of taps inside, as TensorFlow's SAME padding
 * does. Dispatches once per call to {@link PoolVector}, vectorised over the channels, or its
 * scalar twin {@link PoolScalar}; both take the same operations in the same order per channel,
 * so they agree bit for bit.
 */
public final class PoolKernels {
  private PoolKernels() {}

  private static final ColdRouting COLD = ColdRouting.family("pool", 4, 1);

  /** FLOAT32 max pooling into {@code y}. */
  public static void maxPoolF32(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    inBounds(x, xo, y, yo, g, Float.BYTES);
    if (COLD.vector(0, 0, g.outputPixels() * g.taps() * g.channels())) {
      PoolVector.maxF32(x, xo, y, yo, g);
    } else {
      PoolScalar.maxPoolF32(x, xo, y, yo, g);
    }
  }

  /** FLOAT64 max pooling into {@code y}. */
  public static void maxPoolF64(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    inBounds(x, xo, y, yo, g, Double.BYTES);
    if (COLD.vector(1, 0, g.outputPixels() * g.taps() * g.channels())) {
      PoolVector.maxF64(x, xo, y, yo, g);
    } else {
      PoolScalar.maxPoolF64(x, xo, y, yo, g);
    }
  }

  /** FLOAT32 average pooling into {@code y}. */
  public static void avgPoolF32(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    inBounds(x, xo, y, yo, g, Float.BYTES);
    if (COLD.vector(2, 0, g.outputPixels() * g.taps() * g.channels())) {
      PoolVector.avgF32(x, xo, y, yo, g);
    } else {
      PoolScalar.avgPoolF32(x, xo, y, yo, g);
    }
  }

  /** FLOAT64 average pooling into {@code y}. */
  public static void avgPoolF64(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g) {
    inBounds(x, xo, y, yo, g, Double.BYTES);
    if (COLD.vector(3, 0, g.outputPixels() * g.taps() * g.channels())) {
      PoolVector.avgF64(x, xo, y, yo, g);
    } else {
      PoolScalar.avgPoolF64(x, xo, y, yo, g);
    }
  }

  /** Throws {@link IndexOutOfBoundsException} unless input and output lie in their segments. */
  private static void inBounds(MemorySegment x, long xo, MemorySegment y, long yo,
      ConvGeometry g, int bytes) {
    long ySize = g.outputPixels() * g.channels();
    Objects.checkFromIndexSize(xo, g.inputSize(), x.byteSize() / bytes);
    Objects.checkFromIndexSize(yo, ySize, y.byteSize() / bytes);
    assert ySize == 0 || ConvKernels.overlapFree(y, yo, ySize, x, xo, g.inputSize(), bytes)
        : "the output overlaps the input";
  }
}
