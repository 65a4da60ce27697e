package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.UnaryOp;
import java.lang.foreign.MemorySegment;

/** Declarations of the elementwise unary ops. One entry per op. */
public final class UnaryOps {
  private UnaryOps() {}

  /** Negation; every numeric dtype. */
  public static final OpDef NEG = floating("Neg", UnaryOp.NEG);
  /** e^x. */
  public static final OpDef EXP = floating("Exp", UnaryOp.EXP);

  private static OpDef floating(String name, UnaryOp op) {
    return OpDef.builder(name)
        .inputs("x")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(op)
        .shape((d, in, a) -> {
          Rules.requireDType(d, in, a, in[0], DType.FLOAT32, DType.FLOAT64);
          return Rules.like(in[0], in[0].dtype());
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0];
          MemorySegment y = Tensors.allocate(outs[0]);
          long n = x.size();
          if (x.dtype() == DType.FLOAT32) {
            UnaryKernels.f32(op, Tensors.data(x), 0, y, 0, n);
          } else {
            UnaryKernels.f64(op, Tensors.data(x), 0, y, 0, n);
          }
          return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
        })
        .build();
  }
}
