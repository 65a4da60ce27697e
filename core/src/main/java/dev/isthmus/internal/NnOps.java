package dev.isthmus.internal;

import static dev.isthmus.DType.FLOAT32;
import static dev.isthmus.DType.FLOAT64;

import dev.isthmus.Tensor;
import dev.isthmus.kernels.ConvGeometry;
import dev.isthmus.kernels.ConvKernels;
import dev.isthmus.kernels.PoolKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Declarations of the 2-D windowed ops over NHWC tensors: {@code Conv2D}, {@code
 * DepthwiseConv2dNative}, {@code MaxPool} and {@code AvgPool}, FLOAT32 and FLOAT64, with
 * TensorFlow's attributes: {@code strides}, {@code dilations} (convolutions) and {@code ksize}
 * (pools) as 4 ints {@code [1, h, w, 1]}, and {@code padding} "SAME" or "VALID".
 *
 * <p>Output sizes and padding follow TensorFlow's rule for each spatial axis, with the effective
 * window {@code e = (k - 1) * dilation + 1}: VALID gives {@code (in - e + stride) / stride}
 * (truncated; negative is an error, zero an empty output) and no padding; SAME gives {@code
 * ceil(in / stride)} with {@code max((out - 1) * stride + e - in, 0)} padding, the smaller half
 * before. As TensorFlow's {@code tf.nn.convolution}, strides above 1 together with dilations above
 * 1 are an error. Data format NHWC only, as TensorFlow's CPU kernels.
 */
public final class NnOps {
  private NnOps() {}

  /** tf.nn.conv2d: input {@code [N, H, W, C]}, filter {@code [kH, kW, C, outC]}. */
  public static final OpDef CONV2D = OpDef.builder("Conv2D")
      .inputs("input", "filter")
      .flags(OpDef.Flag.CONTRACTION)
      .gradient(GradientSupport.floating((in, out, up, a) -> convGrad(in, up[0], a, false)))
      .shape((op, in, a) -> spec(op, in, a, conv(op, in, a, false)))
      .kernel((in, a, outs) -> {
        Window p = conv(NnOps.CONV2D, in, a, false);
        return run(in, outs, (x, f, y) -> {
          if (outs[0].dtype() == FLOAT32) {
            ConvKernels.conv2dF32(x, 0, f, 0, y, 0, p.g(), p.outC());
          } else {
            ConvKernels.conv2dF64(x, 0, f, 0, y, 0, p.g(), p.outC());
          }
        });
      })
      .build();

  /**
   * tf.nn.depthwise_conv2d: filter {@code [kH, kW, C, multiplier]}, output channel {@code c *
   * multiplier + q} from input channel c and filter column q. Strides equal along height and
   * width, as TensorFlow's kernel requires.
   */
  public static final OpDef DEPTHWISE_CONV2D = OpDef.builder("DepthwiseConv2dNative")
      .inputs("input", "filter")
      .flags(OpDef.Flag.CONTRACTION)
      .gradient(GradientSupport.floating((in, out, up, a) -> convGrad(in, up[0], a, true)))
      .shape((op, in, a) -> spec(op, in, a, conv(op, in, a, true)))
      .kernel((in, a, outs) -> {
        Window p = conv(NnOps.DEPTHWISE_CONV2D, in, a, true);
        long mult = in[1].shape().dim(3);
        return run(in, outs, (x, f, y) -> {
          if (outs[0].dtype() == FLOAT32) {
            ConvKernels.depthwiseConv2dF32(x, 0, f, 0, y, 0, p.g(), mult);
          } else {
            ConvKernels.depthwiseConv2dF64(x, 0, f, 0, y, 0, p.g(), mult);
          }
        });
      })
      .build();

  /** tf.nn.max_pool2d: the largest element of each window; padding is ignored. */
  public static final OpDef MAX_POOL = OpDef.builder("MaxPool")
      .inputs("input")
      .flags(OpDef.Flag.REDUCTION)
      // TensorFlow's _MaxPoolGrad: the MaxPoolGrad op, from the input, output and g
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          Dispatch.run1(NnGradOps.MAX_POOL_GRAD, a, in[0], out[0], up[0])}))
      .shape((op, in, a) -> spec(op, in, a, pool(op, in, a)))
      .kernel((in, a, outs) -> {
        Window p = pool(NnOps.MAX_POOL, in, a);
        return run(in, outs, (x, f, y) -> {
          if (outs[0].dtype() == FLOAT32) {
            PoolKernels.maxPoolF32(x, 0, y, 0, p.g());
          } else {
            PoolKernels.maxPoolF64(x, 0, y, 0, p.g());
          }
        });
      })
      .build();

  /**
   * tf.nn.avg_pool2d: the mean of each window's elements inside the input (with SAME padding, a
   * border window divides by its number of input elements, not by the window's size).
   */
  public static final OpDef AVG_POOL = OpDef.builder("AvgPool")
      .inputs("value")
      .flags(OpDef.Flag.REDUCTION)
      // TensorFlow's _AvgPoolGrad: the AvgPoolGrad op, with the input's shape
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          Dispatch.run1(NnGradOps.AVG_POOL_GRAD,
              GradientSupport.with(a, "orig_input_shape", in[0].shape().dims()), up[0])}))
      .shape((op, in, a) -> spec(op, in, a, pool(op, in, a)))
      .kernel((in, a, outs) -> {
        Window p = pool(NnOps.AVG_POOL, in, a);
        return run(in, outs, (x, f, y) -> {
          if (outs[0].dtype() == FLOAT32) {
            PoolKernels.avgPoolF32(x, 0, y, 0, p.g());
          } else {
            PoolKernels.avgPoolF64(x, 0, y, 0, p.g());
          }
        });
      })
      .build();

  /**
   * A window attribute as TensorFlow's op takes it, from what tf.nn's functions accept: 1 int
   * {@code k} is {@code [1, k, k, 1]}, 2 ints {@code [h, w]} are {@code [1, h, w, 1]}; anything
   * else is returned as given (a copy) for the shape rule to judge; null stays null.
   */
  public static int[] window4(int[] v) {
    if (v == null) {
      return null;
    }
    return switch (v.length) {
      case 1 -> new int[] {1, v[0], v[0], 1};
      case 2 -> new int[] {1, v[0], v[1], 1};
      default -> v.clone();
    };
  }

  // ---------------------------------------------------------------- gradients

  /**
   * TensorFlow's _Conv2DGrad and _DepthwiseConv2dNativeGrad: the input's gradient by the
   * BackpropInput op, the filter's by the BackpropFilter op, with the same window attributes.
   */
  private static Tensor[] convGrad(Tensor[] in, Tensor g, Attrs a, boolean depthwise) {
    Tensor x = in[0], f = in[1];
    return new Tensor[] {
        Dispatch.run1(depthwise ? NnGradOps.DEPTHWISE_BACKPROP_INPUT
            : NnGradOps.CONV2D_BACKPROP_INPUT,
            GradientSupport.with(a, "input_sizes", x.shape().dims()), f, g),
        Dispatch.run1(depthwise ? NnGradOps.DEPTHWISE_BACKPROP_FILTER
            : NnGradOps.CONV2D_BACKPROP_FILTER,
            GradientSupport.with(a, "filter_sizes", f.shape().dims()), x, g)};
  }

  // ---------------------------------------------------------------- shape rules

  /** The validated window of one op call, and its output's last dimension. */
  record Window(ConvGeometry g, long outC) {}

  private static TensorSpec[] spec(OpDef op, Tensor[] in, Attrs a, Window p) {
    ConvGeometry g = p.g();
    return ShapeMath.spec(op, in, a, in[0].dtype(),
        new long[] {g.batch(), g.outH(), g.outW(), p.outC()});
  }

  private static Window conv(OpDef op, Tensor[] in, Attrs a, boolean depthwise) {
    Tensor x = in[0], f = in[1];
    if (x.dtype() != f.dtype()) {
      throw op.invalid(in, a, "expected input and filter of the same dtype");
    }
    Rules.requireDType(op, in, a, x, FLOAT32, FLOAT64);
    return convWindow(op, in, a, depthwise, op.inputNames().get(0), x.shape().dims(),
        f.shape().dims());
  }

  /**
   * The validated window of a convolution of an input of dimensions {@code xd} by a filter of
   * dimensions {@code fd} (the forward op's, or the sizes its gradient ops carry as attributes);
   * {@code xName} names the input's dimensions in messages.
   */
  static Window convWindow(OpDef op, Tensor[] in, Attrs a, boolean depthwise, String xName,
      long[] xd, long[] fd) {
    requireNhwc(op, in, a, xName, xd);
    if (fd.length != 4) {
      throw op.invalid(in, a, "expected a filter of rank 4, [filter_height, filter_width, "
          + (depthwise ? "in_channels, channel_multiplier]" : "in_channels, out_channels]"));
    }
    if (xd[3] != fd[2]) {
      throw op.invalid(in, a, "expected the filter's in_channels (dimension 2 of filter, " + fd[2]
          + ") to equal the input's channels (dimension 3 of input, " + xd[3] + ")");
    }
    if (!depthwise && (fd[0] == 0 || fd[1] == 0 || fd[2] == 0 || fd[3] == 0)) {
      throw op.invalid(in, a, "expected a filter with no zero dimension (TensorFlow: filter must"
          + " not have zero elements)");
    }
    if (depthwise && (fd[0] == 0 || fd[1] == 0)) {
      throw op.invalid(in, a, "expected a filter window of at least 1 x 1");
    }
    int[] s = attr4(op, in, a, "strides");
    int[] d = attr4(op, in, a, "dilations");
    boolean same = padding(op, in, a);
    if (depthwise && s[1] != s[2]) {
      throw op.invalid(in, a, "expected equal strides along height and width (TensorFlow's"
          + " depthwise kernel supports no other), got " + Arrays.toString(s));
    }
    if ((s[1] > 1 || s[2] > 1) && (d[1] > 1 || d[2] > 1)) {
      throw op.invalid(in, a, "expected strides of 1 when a dilation is above 1 (strides > 1"
          + " are not supported in conjunction with dilations > 1), got strides "
          + Arrays.toString(s) + " and dilations " + Arrays.toString(d));
    }
    long outC;
    try {
      outC = depthwise ? Math.multiplyExact(fd[2], fd[3]) : fd[3];
    } catch (ArithmeticException e) {
      throw op.invalid(in, a, "expected in_channels * channel_multiplier to fit a long");
    }
    return new Window(geometry(op, in, a, xd, fd[0], fd[1], s, d, same), outC);
  }

  private static Window pool(OpDef op, Tensor[] in, Attrs a) {
    Rules.requireDType(op, in, a, in[0], FLOAT32, FLOAT64);
    return poolWindow(op, in, a, op.inputNames().get(0), in[0].shape().dims());
  }

  /** The validated window of a pooling of an input of dimensions {@code xd}, named xName. */
  static Window poolWindow(OpDef op, Tensor[] in, Attrs a, String xName, long[] xd) {
    requireNhwc(op, in, a, xName, xd);
    int[] k = attr4(op, in, a, "ksize");
    int[] s = attr4(op, in, a, "strides");
    boolean same = padding(op, in, a);
    return new Window(geometry(op, in, a, xd, k[1], k[2], s, new int[] {1, 1, 1, 1}, same), xd[3]);
  }

  private static void requireNhwc(OpDef op, Tensor[] in, Attrs a, String name, long[] xd) {
    if (xd.length != 4) {
      throw op.invalid(in, a, "expected " + name
          + " of rank 4, [batch, height, width, channels] (NHWC)");
    }
  }

  /** A validated {@code [1, h, w, 1]} attribute: 4 ints, positive, 1 for batch and channels. */
  private static int[] attr4(OpDef op, Tensor[] in, Attrs a, String name) {
    Object v = a.asMap().get(name);
    if (!(v instanceof int[] w)) {
      throw op.invalid(in, a, "expected attribute " + name + " (int[]), got " + v);
    }
    if (w.length != 4) {
      throw op.invalid(in, a, "expected " + name + " of 1, 2 or 4 ints (k, [h, w] or [1, h, w,"
          + " 1]), got " + Arrays.toString(w));
    }
    if (w[0] != 1 || w[3] != 1) {
      throw op.invalid(in, a, "expected " + name + " of 1 in the batch and channel dimensions"
          + " ([1, h, w, 1]: no window or stride across batch or channels), got "
          + Arrays.toString(w));
    }
    if (w[1] < 1 || w[2] < 1) {
      throw op.invalid(in, a, "expected positive " + name + ", got " + Arrays.toString(w));
    }
    return w;
  }

  /** True for SAME, false for VALID. */
  private static boolean padding(OpDef op, Tensor[] in, Attrs a) {
    Object p = a.asMap().get("padding");
    if (!"SAME".equals(p) && !"VALID".equals(p)) {
      throw op.invalid(in, a, "expected padding \"SAME\" or \"VALID\", got "
          + (p instanceof String str ? "\"" + str + "\"" : String.valueOf(p)));
    }
    return "SAME".equals(p);
  }

  private static ConvGeometry geometry(OpDef op, Tensor[] in, Attrs a, long[] xd, long kh,
      long kw, int[] s, int[] d, boolean same) {
    long[] rows = axis(op, in, a, "height", xd[1], kh, s[1], d[1], same);
    long[] cols = axis(op, in, a, "width", xd[2], kw, s[2], d[2], same);
    return new ConvGeometry(xd[0], xd[1], xd[2], xd[3], kh, kw, s[1], s[2], d[1], d[2], rows[1],
        cols[1], rows[0], cols[0]);
  }

  /** TensorFlow's output size and padding before, {@code {out, padBefore}}, along one axis. */
  private static long[] axis(OpDef op, Tensor[] in, Attrs a, String name, long size, long k,
      long stride, long dilation, boolean same) {
    try {
      long e = Math.addExact(Math.multiplyExact(k - 1, dilation), 1); // the effective window
      if (same) {
        long out = (size + stride - 1) / stride;
        long total = Math.max(Math.addExact((out - 1) * stride, e) - size, 0);
        return new long[] {out, total / 2};
      }
      long out = (size - e + stride) / stride; // truncated toward zero, as TensorFlow's C++
      if (out < 0) {
        throw op.invalid(in, a, "expected a window that fits the input along its " + name
            + ": computed output size would be negative: " + out + " [input_size: " + size
            + ", effective_filter_size: " + e + ", stride: " + stride + "]");
      }
      return new long[] {out, 0};
    } catch (ArithmeticException ex) {
      throw op.invalid(in, a, "expected a window whose " + name + " fits a long");
    }
  }

  // ---------------------------------------------------------------- kernel

  @FunctionalInterface
  private interface Body {
    void run(MemorySegment x, MemorySegment f, MemorySegment y);
  }

  /** Allocates the output and runs {@code body} unless it is empty. */
  private static Tensor[] run(Tensor[] in, TensorSpec[] outs, Body body) {
    TensorSpec spec = outs[0];
    MemorySegment y = Tensors.allocate(spec);
    if (spec.shape().size() > 0) {
      body.run(Tensors.data(in[0]), in.length > 1 ? Tensors.data(in[1]) : null, y);
    }
    return new Tensor[] {Tensors.wrap(spec.dtype(), spec.shape(), y)};
  }
}
