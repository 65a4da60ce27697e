package dev.isthmus.internal;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.TrainKernels;
import java.lang.foreign.MemorySegment;

/**
 * Fused ops that training runs at every step, each one pass over memory where the composed
 * form takes several (TensorFlow has the same two as ops): {@code ReluGrad}, relu's gradient,
 * and {@code ApplyAdam}, Adam's update of one variable.
 */
public final class TrainOps {
  private TrainOps() {}

  /**
   * {@code gradients} where {@code features > 0}, else 0 (TensorFlow's ReluGrad, with the
   * features relu's input or output). Its own gradient is TensorFlow's _ReluGradGrad: ReluGrad of
   * the upstream for the gradients, zeros for the features.
   */
  public static final OpDef RELU_GRAD = OpDef.builder("ReluGrad")
      .inputs("gradients", "features")
      .flags(OpDef.Flag.ELEMENTWISE)
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          GradientSupport.needed(0) ? reluGrad(up[0], in[1]) : null,
          GradientSupport.needed(1) ? Ops.zerosLike(in[1]) : null}))
      .shape((d, in, a) -> {
        Rules.requireDType(d, in, a, in[0], DType.FLOAT32, DType.FLOAT64);
        if (in[1].dtype() != in[0].dtype() || !in[1].shape().equals(in[0].shape())) {
          throw d.invalid(in, a, "expected gradients and features of one dtype and one shape");
        }
        return Rules.like(in[0], in[0].dtype());
      })
      .kernel((in, a, outs) -> {
        MemorySegment g = Tensors.data(in[0]), f = Tensors.data(in[1]);
        MemorySegment y = Tensors.allocate(outs[0]);
        boolean f32 = in[0].dtype() == DType.FLOAT32;
        IntraOp.forEachChunk(in[0].size(), IntraOp.ELEMENTWISE_GRAIN, (s, e) -> {
          if (f32) {
            TrainKernels.reluGradF32(g, f, y, s, e - s);
          } else {
            TrainKernels.reluGradF64(g, f, y, s, e - s);
          }
        });
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  /** {@code ReluGrad(g, features)}. */
  public static Tensor reluGrad(Tensor g, Tensor features) {
    return Dispatch.run1(RELU_GRAD, Attrs.EMPTY, g, features);
  }

  /**
   * One Adam step of a variable, as TensorFlow's ApplyAdam kernel but into new tensors (isthmus
   * tensors are immutable; the caller assigns them): inputs {@code var, m, v} (the variable and
   * its moments), the scalars {@code beta1_power, beta2_power} (beta^t at step t), {@code lr,
   * beta1, beta2, epsilon}, and {@code grad}; outputs the new {@code var, m, v}. With {@code
   * lr_t = lr sqrt(1 - beta2_power) / (1 - beta1_power)}: {@code m += (g - m)(1 - beta1)},
   * {@code v += (g^2 - v)(1 - beta2)}, {@code var -= m lr_t / (sqrt(v) + epsilon)}, every step
   * in the variable's dtype. TensorFlow registers no gradient for it, and neither does isthmus.
   */
  public static final OpDef APPLY_ADAM = OpDef.builder("ApplyAdam")
      .inputs("var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon",
          "grad")
      .flags(OpDef.Flag.ELEMENTWISE)
      .shape((d, in, a) -> {
        Tensor w = in[0];
        Rules.requireDType(d, in, a, w, DType.FLOAT32, DType.FLOAT64);
        for (int i : new int[] {1, 2, 9}) {
          if (in[i].dtype() != w.dtype() || !in[i].shape().equals(w.shape())) {
            throw d.invalid(in, a, "expected m, v and grad of var's dtype and shape");
          }
        }
        for (int i = 3; i <= 8; i++) {
          if (in[i].dtype() != w.dtype() || in[i].rank() != 0) {
            throw d.invalid(in, a, "expected beta1_power, beta2_power, lr, beta1, beta2 and "
                + "epsilon to be scalars of var's dtype");
          }
        }
        TensorSpec s = new TensorSpec(w.dtype(), w.shape());
        return new TensorSpec[] {s, s, s};
      })
      .kernel((in, a, outs) -> {
        MemorySegment w = Tensors.data(in[0]), m = Tensors.data(in[1]);
        MemorySegment v = Tensors.data(in[2]), g = Tensors.data(in[9]);
        MemorySegment w1 = Tensors.allocate(outs[0]), m1 = Tensors.allocate(outs[1]);
        MemorySegment v1 = Tensors.allocate(outs[2]);
        if (in[0].dtype() == DType.FLOAT32) {
          float b1p = f32(in[3]), b2p = f32(in[4]), lr = f32(in[5]);
          float lrT = lr * (float) Math.sqrt(1f - b2p) / (1f - b1p);
          float c1 = 1f - f32(in[6]), c2 = 1f - f32(in[7]), eps = f32(in[8]);
          IntraOp.forEachChunk(in[0].size(), IntraOp.ELEMENTWISE_GRAIN, (s, e) ->
              TrainKernels.adamF32(w, m, v, g, w1, m1, v1, s, e - s, lrT, c1, c2, eps));
        } else {
          double b1p = f64(in[3]), b2p = f64(in[4]), lr = f64(in[5]);
          double lrT = lr * Math.sqrt(1 - b2p) / (1 - b1p);
          double c1 = 1 - f64(in[6]), c2 = 1 - f64(in[7]), eps = f64(in[8]);
          IntraOp.forEachChunk(in[0].size(), IntraOp.ELEMENTWISE_GRAIN, (s, e) ->
              TrainKernels.adamF64(w, m, v, g, w1, m1, v1, s, e - s, lrT, c1, c2, eps));
        }
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), w1),
            Tensors.wrap(outs[1].dtype(), outs[1].shape(), m1),
            Tensors.wrap(outs[2].dtype(), outs[2].shape(), v1)};
      })
      .build();

  private static float f32(Tensor t) {
    return Tensors.data(t).getAtIndex(JAVA_FLOAT, 0);
  }

  private static double f64(Tensor t) {
    return Tensors.data(t).getAtIndex(JAVA_DOUBLE, 0);
  }
}
