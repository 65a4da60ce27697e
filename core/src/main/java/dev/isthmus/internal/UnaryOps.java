package dev.isthmus.internal;

import static dev.isthmus.DType.FLOAT32;
import static dev.isthmus.DType.FLOAT64;
import static dev.isthmus.DType.INT32;
import static dev.isthmus.DType.INT64;

import dev.isthmus.DType;
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
  public static final OpDef NEG = numeric("Neg", UnaryOp.NEG);
  /** Absolute value (tf.abs). */
  public static final OpDef ABS = numeric("Abs", UnaryOp.ABS);
  /** -1, 0 or 1 (tf.sign). */
  public static final OpDef SIGN = numeric("Sign", UnaryOp.SIGN);
  /** e^x (tf.exp). */
  public static final OpDef EXP = floating("Exp", UnaryOp.EXP);
  /** e^x - 1 (tf.math.expm1). */
  public static final OpDef EXPM1 = floating("Expm1", UnaryOp.EXPM1);
  /** Natural logarithm (tf.math.log). */
  public static final OpDef LOG = floating("Log", UnaryOp.LOG);
  /** ln(1 + x) (tf.math.log1p). */
  public static final OpDef LOG1P = floating("Log1p", UnaryOp.LOG1P);
  /** Square root (tf.sqrt). */
  public static final OpDef SQRT = floating("Sqrt", UnaryOp.SQRT);
  /** 1/√x (tf.math.rsqrt). */
  public static final OpDef RSQRT = floating("Rsqrt", UnaryOp.RSQRT);
  /** x*x (tf.square). */
  public static final OpDef SQUARE = numeric("Square", UnaryOp.SQUARE);
  /** 1/x (tf.math.reciprocal; TensorFlow's CPU kernel has no integer version). */
  public static final OpDef RECIPROCAL = floating("Reciprocal", UnaryOp.RECIPROCAL);
  /** Sine (tf.sin). */
  public static final OpDef SIN = floating("Sin", UnaryOp.SIN);
  /** Cosine (tf.cos). */
  public static final OpDef COS = floating("Cos", UnaryOp.COS);
  /** Hyperbolic tangent (tf.tanh). */
  public static final OpDef TANH = floating("Tanh", UnaryOp.TANH);
  /** Logistic function (tf.sigmoid). */
  public static final OpDef SIGMOID = floating("Sigmoid", UnaryOp.SIGMOID);
  /** max(x, 0) (tf.nn.relu). */
  public static final OpDef RELU = numeric("Relu", UnaryOp.RELU);
  /** min(max(x, 0), 6) (tf.nn.relu6). */
  public static final OpDef RELU6 = numeric("Relu6", UnaryOp.RELU6);
  /** Exponential linear unit, alpha 1 (tf.nn.elu). */
  public static final OpDef ELU = floating("Elu", UnaryOp.ELU);
  /** ln(1 + e^x) (tf.math.softplus). */
  public static final OpDef SOFTPLUS = floating("Softplus", UnaryOp.SOFTPLUS);
  /** Round down (tf.math.floor; floats only, as TensorFlow). */
  public static final OpDef FLOOR = floating("Floor", UnaryOp.FLOOR);
  /** Round up (tf.math.ceil; floats only, as TensorFlow). */
  public static final OpDef CEIL = floating("Ceil", UnaryOp.CEIL);
  /** Round half to even (tf.math.round; the identity on integers, as TensorFlow). */
  public static final OpDef ROUND = numeric("Round", UnaryOp.ROUND);

  /**
   * GELU (tf.nn.gelu). Attribute {@code approximate} (bool, default false): false is the exact
   * erf form ({@link UnaryOp#GELU}), true the tanh form ({@link UnaryOp#GELU_TANH}). The fusion
   * operator is {@link UnaryOp#GELU}; {@link #kernelOp} gives the one the attributes select.
   */
  public static final OpDef GELU = declare("Gelu", UnaryOp.GELU,
      a -> approximate(a) ? UnaryOp.GELU_TANH : UnaryOp.GELU, FLOAT32, FLOAT64);

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

  private static OpDef floating(String name, UnaryOp op) {
    return declare(name, op, a -> op, FLOAT32, FLOAT64);
  }

  private static OpDef numeric(String name, UnaryOp op) {
    assert op.integral() : op;
    return declare(name, op, a -> op, FLOAT32, FLOAT64, INT32, INT64);
  }

  private static OpDef declare(
      String name, UnaryOp fusion, Function<Attrs, UnaryOp> pick, DType... dtypes) {
    return OpDef.builder(name)
        .inputs("x")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(fusion)
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
}
