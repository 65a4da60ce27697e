package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The gradients of the pooling kernels of {@link PoolKernels} (TensorFlow's MaxPoolGrad,
 * MaxPoolGradGrad and AvgPoolGrad), over dense NHWC tensors. The geometry is the forward
 * pooling's: input {@code [N, H, W, C]}, pooled output {@code [N, outH, outW, C]}. Offsets are in
 * elements; each kernel overwrites its output, which must not overlap its operands. Callers
 * validate the geometry; kernels check (once per call) only that each operand lies in its
 * segment.
 *
 * <ul>
 *   <li>max pooling gradient: input-shaped, each window's {@code dy} added at its first largest
 *       input element (found again from the input, as TensorFlow's CPU kernel does);
 *   <li>its gradient: pooled-shaped, each window's value of an input-shaped {@code gg} at that
 *       element;
 *   <li>average pooling gradient: input-shaped, each window's {@code dy / count} added to each of
 *       its {@code count} taps inside the input.
 * </ul>
 *
 * <p>Dispatches once per call to {@link PoolBackpropVector}, vectorised over the channels, or its
 * scalar twin {@link PoolBackpropScalar}; they take the same operations in the same order per
 * element, so they agree bit for bit.
 */
public final class PoolBackpropKernels {
  private PoolBackpropKernels() {}

  /** FLOAT32 max pooling gradient into {@code dx}, from the input x and dy. */
  public static void maxPoolGradF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment dx, long dxo, ConvGeometry g) {
    inBounds(x, xo, g.inputSize(), dy, dyo, pooled(g), dx, dxo, g.inputSize(), Float.BYTES);
    if (Simd.VECTOR) {
      PoolBackpropVector.maxGradF32(x, xo, dy, dyo, dx, dxo, g);
    } else {
      PoolBackpropScalar.maxPoolGradF32(x, xo, dy, dyo, dx, dxo, g);
    }
  }

  /** FLOAT64 max pooling gradient into {@code dx}. */
  public static void maxPoolGradF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment dx, long dxo, ConvGeometry g) {
    inBounds(x, xo, g.inputSize(), dy, dyo, pooled(g), dx, dxo, g.inputSize(), Double.BYTES);
    if (Simd.VECTOR) {
      PoolBackpropVector.maxGradF64(x, xo, dy, dyo, dx, dxo, g);
    } else {
      PoolBackpropScalar.maxPoolGradF64(x, xo, dy, dyo, dx, dxo, g);
    }
  }

  /** FLOAT32 MaxPoolGradGrad into the pooled-shaped {@code y}, from x and input-shaped gg. */
  public static void maxPoolGradGradF32(MemorySegment x, long xo, MemorySegment gg, long ggo,
      MemorySegment y, long yo, ConvGeometry g) {
    inBounds(x, xo, g.inputSize(), gg, ggo, g.inputSize(), y, yo, pooled(g), Float.BYTES);
    if (Simd.VECTOR) {
      PoolBackpropVector.maxGradGradF32(x, xo, gg, ggo, y, yo, g);
    } else {
      PoolBackpropScalar.maxPoolGradGradF32(x, xo, gg, ggo, y, yo, g);
    }
  }

  /** FLOAT64 MaxPoolGradGrad into {@code y}. */
  public static void maxPoolGradGradF64(MemorySegment x, long xo, MemorySegment gg, long ggo,
      MemorySegment y, long yo, ConvGeometry g) {
    inBounds(x, xo, g.inputSize(), gg, ggo, g.inputSize(), y, yo, pooled(g), Double.BYTES);
    if (Simd.VECTOR) {
      PoolBackpropVector.maxGradGradF64(x, xo, gg, ggo, y, yo, g);
    } else {
      PoolBackpropScalar.maxPoolGradGradF64(x, xo, gg, ggo, y, yo, g);
    }
  }

  /** FLOAT32 average pooling gradient into {@code dx}, from dy. */
  public static void avgPoolGradF32(MemorySegment dy, long dyo, MemorySegment dx, long dxo,
      ConvGeometry g) {
    inBounds(dy, dyo, pooled(g), dy, dyo, 0, dx, dxo, g.inputSize(), Float.BYTES);
    if (Simd.VECTOR) {
      PoolBackpropVector.avgGradF32(dy, dyo, dx, dxo, g);
    } else {
      PoolBackpropScalar.avgPoolGradF32(dy, dyo, dx, dxo, g);
    }
  }

  /** FLOAT64 average pooling gradient into {@code dx}. */
  public static void avgPoolGradF64(MemorySegment dy, long dyo, MemorySegment dx, long dxo,
      ConvGeometry g) {
    inBounds(dy, dyo, pooled(g), dy, dyo, 0, dx, dxo, g.inputSize(), Double.BYTES);
    if (Simd.VECTOR) {
      PoolBackpropVector.avgGradF64(dy, dyo, dx, dxo, g);
    } else {
      PoolBackpropScalar.avgPoolGradF64(dy, dyo, dx, dxo, g);
    }
  }

  private static long pooled(ConvGeometry g) {
    return g.outputPixels() * g.channels();
  }

  /** Throws {@link IndexOutOfBoundsException} unless operands and output lie in their segments. */
  private static void inBounds(MemorySegment a, long ao, long aSize, MemorySegment b, long bo,
      long bSize, MemorySegment y, long yo, long ySize, int bytes) {
    Objects.checkFromIndexSize(ao, aSize, a.byteSize() / bytes);
    Objects.checkFromIndexSize(bo, bSize, b.byteSize() / bytes);
    Objects.checkFromIndexSize(yo, ySize, y.byteSize() / bytes);
    assert ySize == 0 || (ConvKernels.overlapFree(y, yo, ySize, a, ao, aSize, bytes)
        && ConvKernels.overlapFree(y, yo, ySize, b, bo, bSize, bytes))
        : "the output overlaps an operand";
  }
}
