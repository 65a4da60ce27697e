package dev.isthmus.internal;

import static dev.isthmus.DType.FLOAT32;
import static dev.isthmus.DType.FLOAT64;
import static dev.isthmus.DType.INT32;
import static dev.isthmus.DType.INT64;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.util.function.Function;

/**
 * Declarations of the elementwise unary ops, one line per op: TensorFlow's name, the kernel-level
 * operator (also the fusion operator) and the dtypes TensorFlow's CPU kernels accept. The output
 * has the input's dtype and shape. Numerics are {@link UnaryOp}'s.
 */
public final class UnaryOps {
  private UnaryOps() {}

  /** Negation (tf.negative). */
  public static final OpDef NEG = numeric("Neg", UnaryOp.NEG, UnaryOps::negGrad);
  /** Absolute value (tf.abs). */
  public static final OpDef ABS = numeric("Abs", UnaryOp.ABS, UnaryOps::absGrad);
  /** -1, 0 or 1 (tf.sign). */
  public static final OpDef SIGN = numeric("Sign", UnaryOp.SIGN, UnaryOps::signGrad);
  /** e^x (tf.exp). */
  public static final OpDef EXP = floating("Exp", UnaryOp.EXP, UnaryOps::expGrad);
  /** e^x - 1 (tf.math.expm1). */
  public static final OpDef EXPM1 = floating("Expm1", UnaryOp.EXPM1, UnaryOps::expm1Grad);
  /** Natural logarithm (tf.math.log). */
  public static final OpDef LOG = floating("Log", UnaryOp.LOG, UnaryOps::logGrad);
  /** ln(1 + x) (tf.math.log1p). */
  public static final OpDef LOG1P = floating("Log1p", UnaryOp.LOG1P, UnaryOps::log1pGrad);
  /** Square root (tf.sqrt). */
  public static final OpDef SQRT = floating("Sqrt", UnaryOp.SQRT, UnaryOps::sqrtGrad);
  /** 1/√x (tf.math.rsqrt). */
  public static final OpDef RSQRT = floating("Rsqrt", UnaryOp.RSQRT, UnaryOps::rsqrtGrad);
  /** x*x (tf.square). */
  public static final OpDef SQUARE = numeric("Square", UnaryOp.SQUARE, UnaryOps::squareGrad);
  /** 1/x (tf.math.reciprocal; TensorFlow's CPU kernel has no integer version). */
  public static final OpDef RECIPROCAL =
      floating("Reciprocal", UnaryOp.RECIPROCAL, UnaryOps::reciprocalGrad);
  /** Sine (tf.sin). */
  public static final OpDef SIN = floating("Sin", UnaryOp.SIN, UnaryOps::sinGrad);
  /** Cosine (tf.cos). */
  public static final OpDef COS = floating("Cos", UnaryOp.COS, UnaryOps::cosGrad);
  /** Arctangent (tf.math.atan). */
  public static final OpDef ATAN = floating("Atan", UnaryOp.ATAN, UnaryOps::atanGrad);
  /** Hyperbolic tangent (tf.tanh). */
  public static final OpDef TANH = floating("Tanh", UnaryOp.TANH, UnaryOps::tanhGrad);
  /** Logistic function (tf.sigmoid). */
  public static final OpDef SIGMOID = floating("Sigmoid", UnaryOp.SIGMOID, UnaryOps::sigmoidGrad);
  /** max(x, 0) (tf.nn.relu). */
  public static final OpDef RELU = numeric("Relu", UnaryOp.RELU, UnaryOps::reluGrad);
  /** min(max(x, 0), 6) (tf.nn.relu6). */
  public static final OpDef RELU6 = numeric("Relu6", UnaryOp.RELU6, UnaryOps::relu6Grad);
  /** Exponential linear unit, alpha 1 (tf.nn.elu). */
  public static final OpDef ELU = floating("Elu", UnaryOp.ELU, UnaryOps::eluGrad);
  /** ln(1 + e^x) (tf.math.softplus). */
  public static final OpDef SOFTPLUS =
      floating("Softplus", UnaryOp.SOFTPLUS, UnaryOps::softplusGrad);
  /** Round down (tf.math.floor; floats only, as TensorFlow). */
  public static final OpDef FLOOR = floating("Floor", UnaryOp.FLOOR, null);
  /** Round up (tf.math.ceil; floats only, as TensorFlow). */
  public static final OpDef CEIL = floating("Ceil", UnaryOp.CEIL, null);
  /** Round half to even (tf.math.round; the identity on integers, as TensorFlow). */
  public static final OpDef ROUND = numeric("Round", UnaryOp.ROUND, null);

  /**
   * GELU (tf.nn.gelu). Attribute {@code approximate} (bool, default false): false is the exact
   * erf form ({@link UnaryOp#GELU}), true the tanh form ({@link UnaryOp#GELU_TANH}). The fusion
   * operator is {@link UnaryOp#GELU}; {@link #kernelOp} gives the one the attributes select.
   */
  public static final OpDef GELU = declare("Gelu", UnaryOp.GELU,
      a -> approximate(a) ? UnaryOp.GELU_TANH : UnaryOp.GELU,
      (in, out, up, a) -> new Tensor[] {geluGrad(in[0], out[0], up[0], approximate(a))},
      FLOAT32, FLOAT64);

  /** Gelu's attribute. */
  public static final String APPROXIMATE = "approximate";

  /**
   * The kernel-level operator a unary op runs with {@code attrs}: its fusion operator, except for
   * {@link #GELU} with {@code approximate=true} ({@link UnaryOp#GELU_TANH}).
   */
  public static UnaryOp kernelOp(OpDef op, Attrs attrs) {
    return op == GELU && approximate(attrs) ? UnaryOp.GELU_TANH : (UnaryOp) op.fusionOp();
  }

  private static boolean approximate(Attrs a) {
    return a.has(APPROXIMATE) && a.getBool(APPROXIMATE);
  }

  /**
   * A unary op's vector-Jacobian product from its input x, output y and upstream gradient g;
   * null: the op is not differentiable (TensorFlow's Floor, Ceil and Round give None).
   */
  @FunctionalInterface
  private interface Grad {
    Tensor of(Tensor x, Tensor y, Tensor g);
  }

  private static OpDef floating(String name, UnaryOp op, Grad grad) {
    return declare(name, op, a -> op, rule(grad), FLOAT32, FLOAT64);
  }

  private static OpDef numeric(String name, UnaryOp op, Grad grad) {
    assert op.integral() : op;
    return declare(name, op, a -> op, rule(grad), FLOAT32, FLOAT64, INT32, INT64);
  }

  private static OpDef.GradientRule rule(Grad grad) {
    return grad == null ? GradientSupport.NOT_DIFFERENTIABLE
        : (in, out, up, a) -> new Tensor[] {grad.of(in[0], out[0], up[0])};
  }

  private static OpDef declare(String name, UnaryOp fusion, Function<Attrs, UnaryOp> pick,
      OpDef.GradientRule grad, DType... dtypes) {
    return OpDef.builder(name)
        .inputs("x")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(fusion)
        .gradient(GradientSupport.floating(grad))
        .shape((d, in, a) -> {
          Rules.requireDType(d, in, a, in[0], dtypes);
          if (a.has(APPROXIMATE) && !(a.getObject(APPROXIMATE) instanceof Boolean)) {
            throw d.invalid(in, a, "expected attr " + APPROXIMATE + " to be a bool");
          }
          return Rules.like(in[0], in[0].dtype());
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0];
          UnaryOp op = pick.apply(a);
          MemorySegment xs = Tensors.data(x);
          MemorySegment y = Tensors.allocate(outs[0]);
          DType t = x.dtype();
          // Fixed 64K-element chunks (IntraOp): one kernel call each, on the pool if large.
          IntraOp.forEachChunk(x.size(), IntraOp.ELEMENTWISE_GRAIN, (s, e) -> {
            switch (t) {
              case FLOAT32 -> UnaryKernels.f32(op, xs, s, y, s, e - s);
              case FLOAT64 -> UnaryKernels.f64(op, xs, s, y, s, e - s);
              case INT32 -> UnaryKernels.i32(op, xs, s, y, s, e - s);
              case INT64 -> UnaryKernels.i64(op, xs, s, y, s, e - s);
              case BOOL -> throw new AssertionError("the shape rule admits no bool");
            }
          });
          return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
        })
        .build();
  }

  // ---- gradients (TensorFlow's math_grad.py and nn_grad.py). Where TensorFlow runs a fused
  // *Grad op (SqrtGrad, RsqrtGrad, ReciprocalGrad, TanhGrad, SigmoidGrad, ReluGrad, Relu6Grad,
  // EluGrad, SoftplusGrad) the same formula is composed from elementwise ops: two or three
  // passes instead of one, which the fusion compiler can merge back into one loop.

  private static Tensor negGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.neg(g);
  }

  private static Tensor absGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.sign(x));
  }

  private static Tensor signGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.zerosLike(x); // TensorFlow's _SignGrad: zeros, not None
  }

  private static Tensor expGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, y);
  }

  private static Tensor expm1Grad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.exp(x));
  }

  private static Tensor logGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.reciprocal(x));
  }

  private static Tensor log1pGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.reciprocal(Ops.add(x, 1)));
  }

  private static Tensor sqrtGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.div(Ops.mul(g, 0.5), y); // SqrtGrad: g * 0.5 / y
  }

  private static Tensor rsqrtGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(Ops.mul(g, -0.5), Ops.mul(Ops.square(y), y)); // RsqrtGrad: -g y^3 / 2
  }

  private static Tensor squareGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.mul(x, 2));
  }

  private static Tensor reciprocalGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(Ops.neg(g), Ops.square(y)); // ReciprocalGrad: -g y^2
  }

  private static Tensor sinGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.cos(x));
  }

  private static Tensor cosGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.neg(Ops.mul(g, Ops.sin(x)));
  }

  private static Tensor atanGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.reciprocal(Ops.add(Ops.square(x), 1))); // _AtanGrad: g / (1 + x^2)
  }

  private static Tensor tanhGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, GradientSupport.rsub(1, Ops.square(y))); // TanhGrad: g (1 - y^2)
  }

  private static Tensor sigmoidGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.mul(y, GradientSupport.rsub(1, y))); // SigmoidGrad: g y (1 - y)
  }

  private static Tensor reluGrad(Tensor x, Tensor y, Tensor g) {
    return TrainOps.reluGrad(g, y); // ReluGrad on the output: g where y > 0, one fused pass
  }

  private static Tensor relu6Grad(Tensor x, Tensor y, Tensor g) {
    // Relu6Grad on the output: g where 0 < y < 6
    Tensor inside = Ops.logicalAnd(Ops.greater(y, GradientSupport.scalar(y, 0)),
        Ops.less(y, GradientSupport.scalar(y, 6)));
    return GradientSupport.keep(inside, g);
  }

  private static Tensor eluGrad(Tensor x, Tensor y, Tensor g) {
    // EluGrad on the output: g (y + 1) where y < 0, else g
    return Ops.where(Ops.less(y, GradientSupport.scalar(y, 0)), Ops.mul(g, Ops.add(y, 1)), g);
  }

  private static Tensor softplusGrad(Tensor x, Tensor y, Tensor g) {
    return Ops.mul(g, Ops.sigmoid(x)); // SoftplusGrad: g sigmoid(x)
  }

  /**
   * TensorFlow's gelu is composed in Python and differentiated through its ops; this is that
   * derivative. Exact: {@code Phi(x) + x phi(x)}, with the normal CDF {@code Phi(x) = gelu(x) /
   * x} (its Taylor series near 0) read off the op's own output, as isthmus has no Erf op, and
   * the density
   * {@code phi(x) = exp(-x^2 / 2) / sqrt(2 pi)}. Tanh form, with {@code u = sqrt(2/pi) (x +
   * 0.044715 x^3)} and {@code t = tanh(u)}: {@code (1 + t) / 2 + x (1 - t^2) / 2 * sqrt(2/pi) (1
   * + 3 * 0.044715 x^2)}.
   */
  private static Tensor geluGrad(Tensor x, Tensor y, Tensor g, boolean approximate) {
    if (approximate) {
      double c = Math.sqrt(2 / Math.PI), k = 0.044715;
      Tensor x2 = Ops.square(x);
      Tensor t = Ops.tanh(Ops.mul(Ops.mul(x, Ops.add(Ops.mul(x2, k), 1)), c));
      Tensor left = Ops.mul(Ops.add(t, 1), 0.5);
      Tensor du = Ops.mul(Ops.add(Ops.mul(x2, 3 * k), 1), c);
      Tensor right = Ops.mul(Ops.mul(Ops.mul(x, 0.5), GradientSupport.rsub(1, Ops.square(t))), du);
      return Ops.mul(g, Ops.add(left, right));
    }
    // Phi = gelu / x, except near 0, where its Taylor series 1/2 + phi(0) (x - x^3/6 + x^5/40)
    // is exact to rounding (|x| < 1e-3) and, unlike a constant 1/2 at 0, keeps Phi's derivative
    // for second derivatives; the division sees 1 there, so its gradient is never inf * 0
    double c = 1 / Math.sqrt(2 * Math.PI);
    Tensor small = Ops.less(Ops.abs(x), GradientSupport.scalar(x, 1e-3));
    Tensor x2 = Ops.square(x);
    Tensor series = Ops.add(Ops.mul(Ops.mul(x, Ops.add(Ops.mul(x2,
        Ops.add(Ops.mul(x2, 1.0 / 40), -1.0 / 6)), 1)), c), 0.5);
    Tensor cdf = Ops.where(small, series,
        Ops.div(y, Ops.where(small, GradientSupport.scalar(x, 1), x)));
    Tensor pdf = Ops.mul(Ops.exp(Ops.mul(x2, -0.5)), c);
    return Ops.mul(g, Ops.add(cdf, Ops.mul(x, pdf)));
  }
}
