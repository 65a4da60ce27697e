package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The gradients of the convolutions of {@link ConvKernels} (TensorFlow's Conv2DBackpropInput,
 * Conv2DBackpropFilter and their depthwise twins), over dense NHWC tensors. The geometry is the
 * forward convolution's; {@code dy} is the gradient of its output ({@code [N, outH, outW, outC]},
 * or {@code C * multiplier} channels for depthwise). Offsets are in elements; each kernel
 * overwrites its output, which must not overlap its operands. Callers validate the geometry;
 * kernels check (once per call) only that each operand lies in its segment.
 *
 * <ul>
 *   <li>conv2d input gradient {@code dx = col2im(dy * F^T)}: one GEMM per block of output pixels
 *       (the filter viewed as {@code [kH * kW * C, outC]}, transposed), its rows added back into
 *       the windows they came from ({@link ConvBackpropIm2col}); a 1x1 stride-1 window or one
 *       covering the image needs no col2im: the GEMM writes dx directly.
 *   <li>conv2d filter gradient {@code dF = im2col(x)^T * dy}: one GEMM per block of the im2col
 *       matrix of {@link ConvIm2col}, the blocks' products summed.
 *   <li>depthwise gradients, vectorised over the channels for a channel multiplier of 1 (the
 *       common case, {@link ConvBackpropVector}); other multipliers run the scalar twin.
 * </ul>
 *
 * <p>Dispatches once per call to the fast path or to the scalar twin {@link ConvBackpropScalar}.
 * The fast paths use FMA and sum in another order, so each output is within the GEMM bound of
 * the twin's (see {@link MatmulKernels}) with {@code k} its number of terms.
 */
public final class ConvBackpropKernels {
  private ConvBackpropKernels() {}

  /** FLOAT32 conv2d input gradient into {@code dx} ({@code [N, inH, inW, C]}). */
  public static void conv2dInputF32(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long outC) {
    inBounds(dy, dyo, g.outputPixels() * outC, f, fo, g.taps() * g.channels() * outC, dx, dxo,
        g.inputSize(), Float.BYTES);
    if (Simd.VECTOR) {
      ConvBackpropIm2col.conv2dInputF32(dy, dyo, f, fo, dx, dxo, g, outC);
    } else {
      ConvBackpropScalar.conv2dInputF32(dy, dyo, f, fo, dx, dxo, g, outC);
    }
  }

  /** FLOAT64 conv2d input gradient into {@code dx}. */
  public static void conv2dInputF64(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long outC) {
    inBounds(dy, dyo, g.outputPixels() * outC, f, fo, g.taps() * g.channels() * outC, dx, dxo,
        g.inputSize(), Double.BYTES);
    if (Simd.VECTOR) {
      ConvBackpropIm2col.conv2dInputF64(dy, dyo, f, fo, dx, dxo, g, outC);
    } else {
      ConvBackpropScalar.conv2dInputF64(dy, dyo, f, fo, dx, dxo, g, outC);
    }
  }

  /** FLOAT32 conv2d filter gradient into {@code df} ({@code [kH, kW, C, outC]}). */
  public static void conv2dFilterF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long outC) {
    inBounds(x, xo, g.inputSize(), dy, dyo, g.outputPixels() * outC, df, dfo,
        g.taps() * g.channels() * outC, Float.BYTES);
    if (Simd.VECTOR) {
      ConvBackpropIm2col.conv2dFilterF32(x, xo, dy, dyo, df, dfo, g, outC);
    } else {
      ConvBackpropScalar.conv2dFilterF32(x, xo, dy, dyo, df, dfo, g, outC);
    }
  }

  /** FLOAT64 conv2d filter gradient into {@code df}. */
  public static void conv2dFilterF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long outC) {
    inBounds(x, xo, g.inputSize(), dy, dyo, g.outputPixels() * outC, df, dfo,
        g.taps() * g.channels() * outC, Double.BYTES);
    if (Simd.VECTOR) {
      ConvBackpropIm2col.conv2dFilterF64(x, xo, dy, dyo, df, dfo, g, outC);
    } else {
      ConvBackpropScalar.conv2dFilterF64(x, xo, dy, dyo, df, dfo, g, outC);
    }
  }

  /** FLOAT32 depthwise input gradient into {@code dx}, {@code mult} filters per channel. */
  public static void depthwiseInputF32(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long mult) {
    long cm = g.channels() * mult;
    inBounds(dy, dyo, g.outputPixels() * cm, f, fo, g.taps() * cm, dx, dxo, g.inputSize(),
        Float.BYTES);
    if (Simd.VECTOR && mult == 1) {
      ConvBackpropVector.depthwiseInputF32(dy, dyo, f, fo, dx, dxo, g);
    } else {
      ConvBackpropScalar.depthwiseInputF32(dy, dyo, f, fo, dx, dxo, g, mult);
    }
  }

  /** FLOAT64 depthwise input gradient into {@code dx}. */
  public static void depthwiseInputF64(MemorySegment dy, long dyo, MemorySegment f, long fo,
      MemorySegment dx, long dxo, ConvGeometry g, long mult) {
    long cm = g.channels() * mult;
    inBounds(dy, dyo, g.outputPixels() * cm, f, fo, g.taps() * cm, dx, dxo, g.inputSize(),
        Double.BYTES);
    if (Simd.VECTOR && mult == 1) {
      ConvBackpropVector.depthwiseInputF64(dy, dyo, f, fo, dx, dxo, g);
    } else {
      ConvBackpropScalar.depthwiseInputF64(dy, dyo, f, fo, dx, dxo, g, mult);
    }
  }

  /** FLOAT32 depthwise filter gradient into {@code df} ({@code [kH, kW, C, mult]}). */
  public static void depthwiseFilterF32(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long mult) {
    long cm = g.channels() * mult;
    inBounds(x, xo, g.inputSize(), dy, dyo, g.outputPixels() * cm, df, dfo, g.taps() * cm,
        Float.BYTES);
    if (Simd.VECTOR && mult == 1) {
      ConvBackpropVector.depthwiseFilterF32(x, xo, dy, dyo, df, dfo, g);
    } else {
      ConvBackpropScalar.depthwiseFilterF32(x, xo, dy, dyo, df, dfo, g, mult);
    }
  }

  /** FLOAT64 depthwise filter gradient into {@code df}. */
  public static void depthwiseFilterF64(MemorySegment x, long xo, MemorySegment dy, long dyo,
      MemorySegment df, long dfo, ConvGeometry g, long mult) {
    long cm = g.channels() * mult;
    inBounds(x, xo, g.inputSize(), dy, dyo, g.outputPixels() * cm, df, dfo, g.taps() * cm,
        Double.BYTES);
    if (Simd.VECTOR && mult == 1) {
      ConvBackpropVector.depthwiseFilterF64(x, xo, dy, dyo, df, dfo, g);
    } else {
      ConvBackpropScalar.depthwiseFilterF64(x, xo, dy, dyo, df, dfo, g, mult);
    }
  }

  /**
   * Throws {@link IndexOutOfBoundsException} unless both operands and the output lie in their
   * segments (checked, not asserted: the fast paths write through arrays and bulk copies).
   * Nothing is written when it fails.
   */
  private static void inBounds(MemorySegment a, long ao, long aSize, MemorySegment b, long bo,
      long bSize, MemorySegment y, long yo, long ySize, int bytes) {
    if (aSize < 0 || bSize < 0 || ySize < 0) {
      throw new IllegalArgumentException("negative channels or multiplier");
    }
    Objects.checkFromIndexSize(ao, aSize, a.byteSize() / bytes);
    Objects.checkFromIndexSize(bo, bSize, b.byteSize() / bytes);
    Objects.checkFromIndexSize(yo, ySize, y.byteSize() / bytes);
    assert ySize == 0 || (ConvKernels.overlapFree(y, yo, ySize, a, ao, aSize, bytes)
        && ConvKernels.overlapFree(y, yo, ySize, b, bo, bSize, bytes))
        : "the output overlaps an operand";
  }
}
