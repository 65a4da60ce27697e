package dev.isthmus.kernels;

/**
 * Where a 2-D window slides over a dense NHWC input {@code [batch, inH, inW, channels]}: the
 * geometry that convolution ({@link ConvKernels}) and pooling ({@link PoolKernels}) share.
 *
 * <p>Output pixel {@code (oy, ox)} sees the input rows {@code oy * strideH - padTop + ky *
 * dilationH} for {@code ky < kH} and the columns likewise; rows and columns outside the input are
 * padding. The kernels take any such geometry (the caller chooses the paddings and output size,
 * e.g. by TensorFlow's SAME/VALID rule); a padded tap reads zero in a convolution and nothing in
 * a pooling.
 *
 * @param batch images (N)
 * @param inH input rows
 * @param inW input columns
 * @param channels input channels (C)
 * @param kH window rows
 * @param kW window columns
 * @param strideH rows between output pixels, at least 1
 * @param strideW columns between output pixels, at least 1
 * @param dilationH rows between window taps, at least 1
 * @param dilationW columns between window taps, at least 1
 * @param padTop padding rows before the input, at least 0
 * @param padLeft padding columns before the input, at least 0
 * @param outH output rows
 * @param outW output columns
 */
public record ConvGeometry(long batch, long inH, long inW, long channels, long kH, long kW,
    long strideH, long strideW, long dilationH, long dilationW, long padTop, long padLeft,
    long outH, long outW) {

  /** Checks the sizes: none negative, strides and dilations at least 1. */
  public ConvGeometry {
    if (batch < 0 || inH < 0 || inW < 0 || channels < 0 || kH < 0 || kW < 0 || padTop < 0
        || padLeft < 0 || outH < 0 || outW < 0 || strideH < 1 || strideW < 1 || dilationH < 1
        || dilationW < 1) {
      throw new IllegalArgumentException("bad window geometry: input [" + batch + ", " + inH
          + ", " + inW + ", " + channels + "], window " + kH + "x" + kW + ", strides " + strideH
          + "x" + strideW + ", dilations " + dilationH + "x" + dilationW + ", padding "
          + padTop + "x" + padLeft + ", output " + outH + "x" + outW);
    }
  }

  /** The input's element count, {@code batch * inH * inW * channels}. */
  public long inputSize() {
    return batch * inH * inW * channels;
  }

  /** The output pixels, {@code batch * outH * outW}: the rows of the im2col matrix. */
  public long outputPixels() {
    return batch * outH * outW;
  }

  /** The window's taps, {@code kH * kW}. */
  public long taps() {
    return kH * kW;
  }
}
