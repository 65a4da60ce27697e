package dev.isthmus.internal;

import static dev.isthmus.DType.FLOAT32;
import static dev.isthmus.DType.FLOAT64;

import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.ConvBackpropKernels;
import dev.isthmus.kernels.ConvGeometry;
import dev.isthmus.kernels.PoolBackpropKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Declarations of the gradient ops of {@link NnOps}, TensorFlow's: Conv2DBackpropInput,
 * Conv2DBackpropFilter, their depthwise twins, MaxPoolGrad, MaxPoolGradGrad and AvgPoolGrad.
 * They carry the forward op's window attributes ({@code strides}, {@code padding}, {@code
 * dilations}, {@code ksize}), and the shape TensorFlow passes as a tensor input ({@code
 * input_sizes}, {@code filter_sizes}, {@code orig_input_shape}) as a long[4] attribute. Each has
 * its own gradient (TensorFlow's, in nn_grad.py), so second derivatives run through them.
 * Kernels: {@link ConvBackpropKernels} and {@link PoolBackpropKernels}.
 */
public final class NnGradOps {
  private NnGradOps() {}

  /** The input gradient of Conv2D: inputs filter, out_backprop; attr input_sizes. */
  public static final OpDef CONV2D_BACKPROP_INPUT = backpropInput("Conv2DBackpropInput", false);
  /** The filter gradient of Conv2D: inputs input, out_backprop; attr filter_sizes. */
  public static final OpDef CONV2D_BACKPROP_FILTER = backpropFilter("Conv2DBackpropFilter", false);
  /** The input gradient of DepthwiseConv2dNative. */
  public static final OpDef DEPTHWISE_BACKPROP_INPUT =
      backpropInput("DepthwiseConv2dNativeBackpropInput", true);
  /** The filter gradient of DepthwiseConv2dNative. */
  public static final OpDef DEPTHWISE_BACKPROP_FILTER =
      backpropFilter("DepthwiseConv2dNativeBackpropFilter", true);

  /**
   * The input gradient of MaxPool: inputs orig_input, orig_output, grad. Each window's grad goes
   * to its first largest input element, found again from orig_input as TensorFlow's CPU kernel
   * does (orig_output is taken for TensorFlow's signature; it does not change the result).
   */
  public static final OpDef MAX_POOL_GRAD = maxPoolGrad("MaxPoolGrad", false);

  /**
   * The gradient of MaxPoolGrad with respect to its grad: inputs orig_input, orig_output and an
   * input-shaped grad; pooled-shaped, each window's grad at the element MaxPoolGrad chose.
   */
  public static final OpDef MAX_POOL_GRAD_GRAD = maxPoolGrad("MaxPoolGradGrad", true);

  /** The input gradient of AvgPool: input grad; attr orig_input_shape. */
  public static final OpDef AVG_POOL_GRAD = OpDef.builder("AvgPoolGrad")
      .inputs("grad")
      .flags(OpDef.Flag.REDUCTION)
      // TensorFlow's _AvgPoolGradGrad: AvgPoolGrad is linear, its adjoint is AvgPool
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          Dispatch.run1(NnOps.AVG_POOL, GradientSupport.without(a, "orig_input_shape"), up[0])}))
      .shape((op, in, a) -> {
        Rules.requireDType(op, in, a, in[0], FLOAT32, FLOAT64);
        long[] xd = sizes(op, in, a, "orig_input_shape");
        NnOps.Window w = NnOps.poolWindow(op, in, a, "orig_input_shape", xd);
        requireShape(op, in, a, "grad", in[0], w);
        return ShapeMath.spec(op, in, a, in[0].dtype(), xd);
      })
      .kernel((in, a, outs) -> {
        ConvGeometry g = NnOps.poolWindow(NnGradOps.AVG_POOL_GRAD, in, a, "orig_input_shape",
            a.getLongs("orig_input_shape")).g();
        return run(outs[0], in[0].size() > 0, (y, f32) -> {
          if (f32) {
            PoolBackpropKernels.avgPoolGradF32(Tensors.data(in[0]), 0, y, 0, g);
          } else {
            PoolBackpropKernels.avgPoolGradF64(Tensors.data(in[0]), 0, y, 0, g);
          }
        });
      })
      .build();

  // ---------------------------------------------------------------- declarations

  private static OpDef backpropInput(String name, boolean depthwise) {
    OpDef[] self = new OpDef[1];
    self[0] = OpDef.builder(name)
        .inputs("filter", "out_backprop")
        .flags(OpDef.Flag.CONTRACTION)
        // TensorFlow's _Conv2DBackpropInputGrad: linear in both inputs; the filter's gradient
        // is the filter gradient of (g, out_backprop), out_backprop's the convolution of g
        .gradient(GradientSupport.floating((in, out, up, a) -> {
          Attrs conv = GradientSupport.without(a, "input_sizes");
          return new Tensor[] {
              Dispatch.run1(depthwise ? DEPTHWISE_BACKPROP_FILTER : CONV2D_BACKPROP_FILTER,
                  GradientSupport.with(conv, "filter_sizes", in[0].shape().dims()), up[0], in[1]),
              Dispatch.run1(depthwise ? NnOps.DEPTHWISE_CONV2D : NnOps.CONV2D, conv, up[0],
                  in[0])};
        }))
        .shape((op, in, a) -> {
          requireFloats(op, in, a);
          long[] xd = sizes(op, in, a, "input_sizes");
          NnOps.Window w = NnOps.convWindow(op, in, a, depthwise, "input_sizes", xd,
              in[0].shape().dims());
          requireShape(op, in, a, "out_backprop", in[1], w);
          return ShapeMath.spec(op, in, a, in[0].dtype(), xd);
        })
        .kernel((in, a, outs) -> {
          Tensor f = in[0], dy = in[1];
          ConvGeometry g = NnOps.convWindow(self[0], in, a, depthwise, "input_sizes",
              a.getLongs("input_sizes"), f.shape().dims()).g();
          long last = f.shape().dim(3); // output channels, or the channel multiplier
          MemorySegment fs = Tensors.data(f), ds = Tensors.data(dy);
          return run(outs[0], dy.size() > 0, (y, f32) -> {
            if (depthwise && f32) {
              ConvBackpropKernels.depthwiseInputF32(ds, 0, fs, 0, y, 0, g, last);
            } else if (depthwise) {
              ConvBackpropKernels.depthwiseInputF64(ds, 0, fs, 0, y, 0, g, last);
            } else if (f32) {
              ConvBackpropKernels.conv2dInputF32(ds, 0, fs, 0, y, 0, g, last);
            } else {
              ConvBackpropKernels.conv2dInputF64(ds, 0, fs, 0, y, 0, g, last);
            }
          });
        })
        .build();
    return self[0];
  }

  private static OpDef backpropFilter(String name, boolean depthwise) {
    OpDef[] self = new OpDef[1];
    self[0] = OpDef.builder(name)
        .inputs("input", "out_backprop")
        .flags(OpDef.Flag.CONTRACTION)
        // TensorFlow's _Conv2DBackpropFilterGrad: input's gradient is the input gradient of
        // (g as the filter, out_backprop), out_backprop's the convolution of input by g
        .gradient(GradientSupport.floating((in, out, up, a) -> {
          Attrs conv = GradientSupport.without(a, "filter_sizes");
          return new Tensor[] {
              Dispatch.run1(depthwise ? DEPTHWISE_BACKPROP_INPUT : CONV2D_BACKPROP_INPUT,
                  GradientSupport.with(conv, "input_sizes", in[0].shape().dims()), up[0], in[1]),
              Dispatch.run1(depthwise ? NnOps.DEPTHWISE_CONV2D : NnOps.CONV2D, conv, in[0],
                  up[0])};
        }))
        .shape((op, in, a) -> {
          requireFloats(op, in, a);
          long[] fd = sizes(op, in, a, "filter_sizes");
          NnOps.Window w = NnOps.convWindow(op, in, a, depthwise, "input",
              in[0].shape().dims(), fd);
          requireShape(op, in, a, "out_backprop", in[1], w);
          return ShapeMath.spec(op, in, a, in[0].dtype(), fd);
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0], dy = in[1];
          long[] fd = a.getLongs("filter_sizes");
          ConvGeometry g = NnOps.convWindow(self[0], in, a, depthwise, "input",
              x.shape().dims(), fd).g();
          long last = fd[3];
          MemorySegment xs = Tensors.data(x), ds = Tensors.data(dy);
          return run(outs[0], dy.size() > 0, (y, f32) -> {
            if (depthwise && f32) {
              ConvBackpropKernels.depthwiseFilterF32(xs, 0, ds, 0, y, 0, g, last);
            } else if (depthwise) {
              ConvBackpropKernels.depthwiseFilterF64(xs, 0, ds, 0, y, 0, g, last);
            } else if (f32) {
              ConvBackpropKernels.conv2dFilterF32(xs, 0, ds, 0, y, 0, g, last);
            } else {
              ConvBackpropKernels.conv2dFilterF64(xs, 0, ds, 0, y, 0, g, last);
            }
          });
        })
        .build();
    return self[0];
  }

  /** MaxPoolGrad ({@code twice} false) or MaxPoolGradGrad. */
  private static OpDef maxPoolGrad(String name, boolean twice) {
    OpDef[] self = new OpDef[1];
    self[0] = OpDef.builder(name)
        .inputs("orig_input", "orig_output", "grad")
        .flags(OpDef.Flag.REDUCTION)
        // TensorFlow's _MaxPoolGradGrad and _MaxPoolGradGradGrad: zeros for the input and
        // output (the choice of element is locally constant), and the other op for grad
        .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
            Ops.zerosLike(in[0]), Ops.zerosLike(in[1]),
            Dispatch.run1(twice ? MAX_POOL_GRAD : MAX_POOL_GRAD_GRAD, a, in[0], in[1], up[0])}))
        .shape((op, in, a) -> {
          requireFloats(op, in, a);
          NnOps.Window w = NnOps.poolWindow(op, in, a, "orig_input", in[0].shape().dims());
          requireShape(op, in, a, "orig_output", in[1], w);
          if (twice) {
            if (!in[2].shape().equals(in[0].shape())) {
              throw op.invalid(in, a, "expected grad of orig_input's shape " + in[0].shape());
            }
            return new TensorSpec[] {new TensorSpec(in[0].dtype(), in[1].shape())};
          }
          requireShape(op, in, a, "grad", in[2], w);
          return new TensorSpec[] {new TensorSpec(in[0].dtype(), in[0].shape())};
        })
        .kernel((in, a, outs) -> {
          ConvGeometry g = NnOps.poolWindow(self[0], in, a, "orig_input",
              in[0].shape().dims()).g();
          MemorySegment x = Tensors.data(in[0]), d = Tensors.data(in[2]);
          return run(outs[0], in[2].size() > 0, (y, f32) -> {
            if (twice && f32) {
              PoolBackpropKernels.maxPoolGradGradF32(x, 0, d, 0, y, 0, g);
            } else if (twice) {
              PoolBackpropKernels.maxPoolGradGradF64(x, 0, d, 0, y, 0, g);
            } else if (f32) {
              PoolBackpropKernels.maxPoolGradF32(x, 0, d, 0, y, 0, g);
            } else {
              PoolBackpropKernels.maxPoolGradF64(x, 0, d, 0, y, 0, g);
            }
          });
        })
        .build();
    return self[0];
  }

  // ---------------------------------------------------------------- helpers

  private static void requireFloats(OpDef op, Tensor[] in, Attrs a) {
    for (Tensor t : in) {
      if (t.dtype() != in[0].dtype()) {
        throw op.invalid(in, a, "expected inputs of one dtype");
      }
    }
    Rules.requireDType(op, in, a, in[0], FLOAT32, FLOAT64);
  }

  /** A shape attribute of 4 dimensions >= 0. */
  private static long[] sizes(OpDef op, Tensor[] in, Attrs a, String name) {
    Object v = a.asMap().get(name);
    if (!(v instanceof long[] d) || d.length != 4 || Arrays.stream(d).anyMatch(x -> x < 0)) {
      throw op.invalid(in, a, "expected attribute " + name + ": 4 dimensions >= 0 (long[])");
    }
    return d.clone();
  }

  /** Throws unless {@code t} has the forward op's output shape for window {@code w}. */
  private static void requireShape(OpDef op, Tensor[] in, Attrs a, String name, Tensor t,
      NnOps.Window w) {
    ConvGeometry g = w.g();
    Shape want = Shape.of(g.batch(), g.outH(), g.outW(), w.outC());
    if (!t.shape().equals(want)) {
      throw op.invalid(in, a, "expected " + name + " of the forward op's output shape " + want);
    }
  }

  @FunctionalInterface
  private interface Body {
    void run(MemorySegment y, boolean f32);
  }

  /** Allocates the (zeroed) output and runs {@code body} unless it or the operands are empty. */
  private static Tensor[] run(TensorSpec spec, boolean operands, Body body) {
    MemorySegment y = Tensors.allocate(spec);
    if (operands && spec.shape().size() > 0) {
      body.run(y, spec.dtype() == FLOAT32);
    }
    return new Tensor[] {Tensors.wrap(spec.dtype(), spec.shape(), y)};
  }
}
