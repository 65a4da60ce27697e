package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * 2-D convolution kernels over dense NHWC tensors (tf.nn.conv2d, tf.nn.depthwise_conv2d), with
 * the window of a {@link ConvGeometry}. Offsets are in elements. The output is overwritten and
 * must not overlap the input or the filter. Callers validate the geometry against TensorFlow's
 * rules; kernels check (once per call) only that each operand lies in its segment.
 *
 * <ul>
 *   <li>conv2d: input {@code [N, H, W, C]}, filter {@code [kH, kW, C, outC]}, output {@code [N,
 *       outH, outW, outC]}. The fast path is a GEMM of the im2col matrix, built in bounded blocks
 *       ({@link ConvIm2col}); a 1x1 stride-1 window needs no im2col.
 *   <li>depthwise conv2d: filter {@code [kH, kW, C, multiplier]}, output {@code [N, outH, outW,
 *       C * multiplier]}, vectorised over the channels ({@link ConvVector}).
 * </ul>
 *
 * <p>Dispatches once per call to the fast path or to the scalar twin {@link ConvScalar}, the
 * direct loops that are the specification. The fast paths use FMA and may sum in another order,
 * so each output is within the GEMM bound of the twin's (see {@link MatmulKernels}), with
 * {@code k = kH * kW * C} terms (conv2d) or {@code kH * kW} (depthwise).
 */
public final class ConvKernels {
  private ConvKernels() {}

  private static final ColdRouting COLD = ColdRouting.family("conv", 4, 1);

  /** FLOAT32 conv2d into {@code y}. */
  public static void conv2dF32(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long outC) {
    inBounds(x, xo, f, fo, y, yo, g, g.taps() * g.channels() * outC, outC, Float.BYTES);
    if (COLD.vector(0, 0, g.outputPixels() * g.taps() * g.channels() * outC)) {
      ConvIm2col.conv2dF32(x, xo, f, fo, y, yo, g, outC);
    } else {
      ConvScalar.conv2dF32(x, xo, f, fo, y, yo, g, outC);
    }
  }

  /** FLOAT64 conv2d into {@code y}. */
  public static void conv2dF64(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long outC) {
    inBounds(x, xo, f, fo, y, yo, g, g.taps() * g.channels() * outC, outC, Double.BYTES);
    if (COLD.vector(1, 0, g.outputPixels() * g.taps() * g.channels() * outC)) {
      ConvIm2col.conv2dF64(x, xo, f, fo, y, yo, g, outC);
    } else {
      ConvScalar.conv2dF64(x, xo, f, fo, y, yo, g, outC);
    }
  }

  /** FLOAT32 depthwise conv2d into {@code y}, {@code multiplier} filters per channel. */
  public static void depthwiseConv2dF32(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long multiplier) {
    long cm = g.channels() * multiplier;
    inBounds(x, xo, f, fo, y, yo, g, g.taps() * cm, cm, Float.BYTES);
    if (COLD.vector(2, 0, g.outputPixels() * g.taps() * cm)) {
      ConvVector.depthwiseF32(x, xo, f, fo, y, yo, g, multiplier);
    } else {
      ConvScalar.depthwiseConv2dF32(x, xo, f, fo, y, yo, g, multiplier);
    }
  }

  /** FLOAT64 depthwise conv2d into {@code y}, {@code multiplier} filters per channel. */
  public static void depthwiseConv2dF64(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long multiplier) {
    long cm = g.channels() * multiplier;
    inBounds(x, xo, f, fo, y, yo, g, g.taps() * cm, cm, Double.BYTES);
    if (COLD.vector(3, 0, g.outputPixels() * g.taps() * cm)) {
      ConvVector.depthwiseF64(x, xo, f, fo, y, yo, g, multiplier);
    } else {
      ConvScalar.depthwiseConv2dF64(x, xo, f, fo, y, yo, g, multiplier);
    }
  }

  /**
   * Throws {@link IndexOutOfBoundsException} unless input, filter ({@code fSize} elements) and
   * output ({@code outC} channels) lie in their segments: the fast paths write through arrays
   * and bulk copies, so this is checked, not asserted. Nothing is written when it fails.
   */
  private static void inBounds(MemorySegment x, long xo, MemorySegment f, long fo,
      MemorySegment y, long yo, ConvGeometry g, long fSize, long outC, int bytes) {
    if (outC < 0) {
      throw new IllegalArgumentException("negative output channels or multiplier");
    }
    long ySize = g.outputPixels() * outC;
    Objects.checkFromIndexSize(xo, g.inputSize(), x.byteSize() / bytes);
    Objects.checkFromIndexSize(fo, fSize, f.byteSize() / bytes);
    Objects.checkFromIndexSize(yo, ySize, y.byteSize() / bytes);
    assert ySize == 0 || (overlapFree(y, yo, ySize, x, xo, g.inputSize(), bytes)
        && overlapFree(y, yo, ySize, f, fo, fSize, bytes)) : "the output overlaps an operand";
  }

  static boolean overlapFree(MemorySegment y, long yo, long ySize, MemorySegment a, long ao,
      long aSize, int bytes) {
    return aSize == 0 || y.asSlice(yo * bytes, ySize * bytes)
        .asOverlappingSlice(a.asSlice(ao * bytes, aSize * bytes)).isEmpty();
  }
}
