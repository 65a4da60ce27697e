package dev.isthmus.internal;

import static dev.isthmus.internal.BinaryRules.FLOATING;
import static dev.isthmus.internal.BinaryRules.NUMERIC;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CastKernels;
import dev.isthmus.kernels.CompareKernels;
import dev.isthmus.kernels.CompareOp;
import java.lang.foreign.MemorySegment;

/**
 * Declarations of the elementwise binary arithmetic ops, with numpy broadcasting and no dtype
 * promotion (mixing dtypes is an error, as in TensorFlow). One entry per op.
 */
public final class BinaryOps {
  private BinaryOps() {}

  /** What an op checks in its operands' values before computing (TensorFlow's kernel errors). */
  private enum Check { NONE, ZERO_DIVISOR, NEGATIVE_EXPONENT }

  /** {@code x + y}. */
  public static final OpDef ADD =
      arithmetic("AddV2", BinaryOp.ADD, NUMERIC, Check.NONE, (x, y, z, g) -> pair(g, g));
  /** {@code x - y}. */
  public static final OpDef SUB =
      arithmetic("Sub", BinaryOp.SUB, NUMERIC, Check.NONE, (x, y, z, g) -> pair(g, Ops.neg(g)));
  /** {@code x * y}. */
  public static final OpDef MUL = arithmetic("Mul", BinaryOp.MUL, NUMERIC, Check.NONE,
      (x, y, z, g) -> pair(GradientSupport.needed(0) ? Ops.mul(g, y) : null,
          GradientSupport.needed(1) ? Ops.mul(x, g) : null));
  /** {@code x / y}: FLOAT32/FLOAT64 keep their dtype; INT32/INT64 give FLOAT64 (tf.math.divide). */
  public static final OpDef DIV = realDiv();
  /** {@code floor(x / y)}; integer division by zero is an error. */
  public static final OpDef FLOOR_DIV =
      arithmetic("FloorDiv", BinaryOp.FLOOR_DIV, NUMERIC, Check.ZERO_DIVISOR, null);
  /** The remainder of floorDiv, with the divisor's sign; integer modulo by zero is an error. */
  public static final OpDef FLOOR_MOD =
      arithmetic("FloorMod", BinaryOp.FLOOR_MOD, NUMERIC, Check.ZERO_DIVISOR,
          BinaryOps::floorModGrad);
  /** {@code x ^ y}; a negative integer exponent is an error. */
  public static final OpDef POW =
      arithmetic("Pow", BinaryOp.POW, NUMERIC, Check.NEGATIVE_EXPONENT, BinaryOps::powGrad);
  /** The larger; NaN propagates. */
  public static final OpDef MAXIMUM = arithmetic("Maximum", BinaryOp.MAXIMUM, NUMERIC, Check.NONE,
      (x, y, z, g) -> select(Ops.greaterEqual(x, y), g));
  /** The smaller; NaN propagates. */
  public static final OpDef MINIMUM = arithmetic("Minimum", BinaryOp.MINIMUM, NUMERIC, Check.NONE,
      (x, y, z, g) -> select(Ops.lessEqual(x, y), g));
  /** {@code (x - y)^2}. */
  public static final OpDef SQUARED_DIFFERENCE =
      arithmetic("SquaredDifference", BinaryOp.SQUARED_DIFFERENCE, NUMERIC, Check.NONE,
          BinaryOps::squaredDifferenceGrad);
  /** {@code atan2(x, y)}, floating only. */
  public static final OpDef ATAN2 =
      arithmetic("Atan2", BinaryOp.ATAN2, FLOATING, Check.NONE, BinaryOps::atan2Grad);

  private static OpDef arithmetic(String name, BinaryOp op, int dtypes, Check check,
      Grad grad) {
    OpDef[] self = new OpDef[1]; // the kernel names its op in value errors
    self[0] = OpDef.builder(name)
        .inputs("x", "y")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(op)
        .gradient(rule(grad))
        .shape((d, in, a) -> {
          Tensor x = in[0], y = in[1];
          BinaryRules.requireSame(d, in, a, x, y);
          BinaryRules.requireIn(d, in, a, x.dtype(), dtypes);
          return BinaryRules.spec(x.dtype(), BinaryRules.broadcast(d, in, a, x.shape(), y.shape()));
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0], y = in[1];
          TensorSpec o = outs[0];
          if (check != Check.NONE && o.shape().size() > 0 && x.dtype().isInteger()) {
            checkValues(self[0], in, a, check, y);
          }
          MemorySegment out = Tensors.allocate(o);
          compute(op, x.dtype(), Tensors.data(x), x.shape(), Tensors.data(y), y.shape(), out,
              o.shape());
          return BinaryRules.wrap(o, out);
        })
        .build();
    return self[0];
  }

  // TensorFlow raises these from its integer kernels; every divisor or exponent element is used
  // when the output is not empty, so scanning y whole is the same test.
  private static void checkValues(OpDef op, Tensor[] in, Attrs a, Check check, Tensor y) {
    MemorySegment ys = Tensors.data(y);
    CompareOp cmp = check == Check.ZERO_DIVISOR ? CompareOp.EQUAL : CompareOp.LESS;
    boolean bad = y.dtype() == DType.INT32
        ? CompareKernels.anyI32(cmp, ys, 0, 0, y.size())
        : CompareKernels.anyI64(cmp, ys, 0, 0L, y.size());
    if (bad) {
      throw op.invalid(in, a, check == Check.ZERO_DIVISOR
          ? "Integer division by zero"
          : "Integers to negative integer powers are not allowed");
    }
  }

  private static OpDef realDiv() {
    return OpDef.builder("RealDiv")
        .inputs("x", "y")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(BinaryOp.DIV)
        .gradient(rule((x, y, z, g) -> pair(GradientSupport.needed(0) ? Ops.div(g, y) : null,
            GradientSupport.needed(1) ? Ops.mul(g, Ops.div(Ops.div(Ops.neg(x), y), y)) : null)))
        .shape((d, in, a) -> {
          Tensor x = in[0], y = in[1];
          BinaryRules.requireSame(d, in, a, x, y);
          BinaryRules.requireIn(d, in, a, x.dtype(), NUMERIC);
          Shape s = BinaryRules.broadcast(d, in, a, x.shape(), y.shape());
          // The dtype rule of TF2's tf.math.divide (truediv): integers divide in float64.
          return BinaryRules.spec(x.dtype().isInteger() ? DType.FLOAT64 : x.dtype(), s);
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0], y = in[1];
          TensorSpec o = outs[0];
          MemorySegment out = Tensors.allocate(o);
          MemorySegment xs = Tensors.data(x), ys = Tensors.data(y);
          if (x.dtype().isInteger()) {
            xs = toFloat64(x);
            ys = toFloat64(y);
          }
          compute(BinaryOp.DIV, o.dtype(), xs, x.shape(), ys, y.shape(), out, o.shape());
          return BinaryRules.wrap(o, out);
        })
        .build();
  }

  private static MemorySegment toFloat64(Tensor t) {
    MemorySegment d = Buffers.allocate(DType.FLOAT64, t.size());
    if (t.dtype() == DType.INT32) {
      CastKernels.i32ToF64(Tensors.data(t), 0, d, 0, t.size());
    } else {
      CastKernels.i64ToF64(Tensors.data(t), 0, d, 0, t.size());
    }
    return d;
  }

  /**
   * {@code y = op(a, b)} over {@code a} and {@code b} broadcast to {@code ys}: one kernel call
   * per fixed chunk of {@link IntraOp#ELEMENTWISE_GRAIN} elements when the shapes are equal
   * (parallel when large), else one per run of the {@link Broadcast} plan. {@code y} may be
   * {@code a} (with {@code as} equal to {@code ys}) to work in place.
   */
  public static void compute(BinaryOp op, DType t, MemorySegment a, Shape as, MemorySegment b,
      Shape bs, MemorySegment y, Shape ys) {
    if (as.equals(bs)) {
      // Fixed 64K-element chunks (IntraOp): one kernel call each, on the pool if large.
      IntraOp.forEachChunk(ys.size(), IntraOp.ELEMENTWISE_GRAIN,
          (s, e) -> run(op, t, a, s, false, b, s, false, y, s, e - s));
    } else {
      Broadcast.forEach(ys, as, bs,
          (ao, ar, bo, br, yo, n) -> run(op, t, a, ao, ar, b, bo, br, y, yo, n));
    }
  }

  // One run: picks the kernel by dtype and operand form.
  private static void run(BinaryOp op, DType t, MemorySegment a, long ao, boolean ar,
      MemorySegment b, long bo, boolean br, MemorySegment y, long yo, long n) {
    assert !(ar && br);
    switch (t) {
      case FLOAT32 -> {
        if (ar) {
          BinaryKernels.f32sv(op, a.getAtIndex(JAVA_FLOAT, ao), b, bo, y, yo, n);
        } else if (br) {
          BinaryKernels.f32vs(op, a, ao, b.getAtIndex(JAVA_FLOAT, bo), y, yo, n);
        } else {
          BinaryKernels.f32vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case FLOAT64 -> {
        if (ar) {
          BinaryKernels.f64sv(op, a.getAtIndex(JAVA_DOUBLE, ao), b, bo, y, yo, n);
        } else if (br) {
          BinaryKernels.f64vs(op, a, ao, b.getAtIndex(JAVA_DOUBLE, bo), y, yo, n);
        } else {
          BinaryKernels.f64vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case INT32 -> {
        if (ar) {
          BinaryKernels.i32sv(op, a.getAtIndex(JAVA_INT, ao), b, bo, y, yo, n);
        } else if (br) {
          BinaryKernels.i32vs(op, a, ao, b.getAtIndex(JAVA_INT, bo), y, yo, n);
        } else {
          BinaryKernels.i32vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case INT64 -> {
        if (ar) {
          BinaryKernels.i64sv(op, a.getAtIndex(JAVA_LONG, ao), b, bo, y, yo, n);
        } else if (br) {
          BinaryKernels.i64vs(op, a, ao, b.getAtIndex(JAVA_LONG, bo), y, yo, n);
        } else {
          BinaryKernels.i64vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case BOOL -> throw new AssertionError("no binary arithmetic on bool");
    }
  }

  // ---- gradients (TensorFlow's math_grad.py): each rule gives the gradients at the broadcast
  // shape; rule() sums them back to each input's shape (GradientSupport.unbroadcast). Where a
  // gradient costs a product, it is skipped (null) for an input the engine does not need.

  /** The gradients of x and y at the output's shape, from x, y, the output z and upstream g. */
  @FunctionalInterface
  private interface Grad {
    Tensor[] of(Tensor x, Tensor y, Tensor z, Tensor g);
  }

  /** null: not differentiable (TensorFlow's FloorDiv gives None, None). */
  private static OpDef.GradientRule rule(Grad grad) {
    if (grad == null) {
      return GradientSupport.NOT_DIFFERENTIABLE;
    }
    return GradientSupport.floating((in, out, up, a) -> {
      Tensor[] g = grad.of(in[0], in[1], out[0], up[0]);
      return pair(
          GradientSupport.needed(0) ? GradientSupport.unbroadcast(g[0], in[0].shape()) : null,
          GradientSupport.needed(1) ? GradientSupport.unbroadcast(g[1], in[1].shape()) : null);
    });
  }

  private static Tensor[] pair(Tensor gx, Tensor gy) {
    return new Tensor[] {gx, gy};
  }

  /** Maximum and Minimum: g to x where {@code xWins} (ties go to x, as TensorFlow), else to y. */
  private static Tensor[] select(Tensor xWins, Tensor g) {
    return pair(GradientSupport.keep(xWins, g), GradientSupport.drop(xWins, g));
  }

  private static Tensor[] floorModGrad(Tensor x, Tensor y, Tensor z, Tensor g) {
    return pair(g, Ops.mul(g, Ops.neg(Ops.floorDiv(x, y))));
  }

  /**
   * {@code g y x^(y-1)} and {@code g z log x}, the latter 0 where x <= 0 (TensorFlow masks the
   * log there rather than give NaN).
   */
  private static Tensor[] powGrad(Tensor x, Tensor y, Tensor z, Tensor g) {
    Tensor gx = Ops.mul(Ops.mul(g, y), Ops.pow(x, Ops.sub(y, 1)));
    Tensor positive = Ops.greater(x, GradientSupport.scalar(x, 0));
    Tensor safe = Ops.where(positive, x, GradientSupport.scalar(x, 1));
    Tensor logX = GradientSupport.keep(positive, Ops.log(safe));
    return pair(gx, Ops.mul(Ops.mul(g, z), logX));
  }

  private static Tensor[] squaredDifferenceGrad(Tensor x, Tensor y, Tensor z, Tensor g) {
    Tensor gx = Ops.mul(Ops.mul(g, 2), Ops.sub(x, y));
    return pair(gx, Ops.neg(gx));
  }

  /** Atan2(x, y) is TensorFlow's atan2(y=x, x=y): d/dx = y / (x^2 + y^2), d/dy = -x / (...). */
  private static Tensor[] atan2Grad(Tensor x, Tensor y, Tensor z, Tensor g) {
    Tensor inv = Ops.div(g, Ops.add(Ops.square(x), Ops.square(y)));
    return pair(Ops.mul(y, inv), Ops.mul(Ops.neg(x), inv));
  }
}
