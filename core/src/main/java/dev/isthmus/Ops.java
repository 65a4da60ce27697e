package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.UnaryOps;

/**
 * Every op, as static methods named after TensorFlow's ({@code tf.add} is {@link #add}). Each
 * call goes to the current thread's context: executed now in eager mode, recorded as a node while
 * building a graph. {@code x.add(y)} on {@link Tensor} is the same call.
 *
 * <p>Bad input (mismatched shapes or dtypes, bad axes, out-of-range indices) throws {@link
 * InvalidArgumentException} naming the op, its inputs' dtypes and shapes, and what was expected.
 */
public final class Ops {
  private Ops() {}

  // ---- unary
  /** {@code -x}, elementwise (tf.negative). float32, float64, int32, int64; integers wrap. */
  public static Tensor neg(Tensor x) {
    return Dispatch.run1(UnaryOps.NEG, x);
  }

  /** {@code |x|}, elementwise (tf.abs). float32, float64, int32, int64. */
  public static Tensor abs(Tensor x) {
    return Dispatch.run1(UnaryOps.ABS, x);
  }

  /** -1, 0 or 1 by the sign of x, NaN for NaN (tf.sign). float32, float64, int32, int64. */
  public static Tensor sign(Tensor x) {
    return Dispatch.run1(UnaryOps.SIGN, x);
  }

  /** {@code e^x}, elementwise (tf.exp). float32, float64. */
  public static Tensor exp(Tensor x) {
    return Dispatch.run1(UnaryOps.EXP, x);
  }

  /** {@code e^x - 1}, accurate near 0 (tf.math.expm1). float32, float64. */
  public static Tensor expm1(Tensor x) {
    return Dispatch.run1(UnaryOps.EXPM1, x);
  }

  /** Natural logarithm; NaN below 0, -Inf at 0 (tf.math.log). float32, float64. */
  public static Tensor log(Tensor x) {
    return Dispatch.run1(UnaryOps.LOG, x);
  }

  /** {@code ln(1 + x)}, accurate near 0 (tf.math.log1p). float32, float64. */
  public static Tensor log1p(Tensor x) {
    return Dispatch.run1(UnaryOps.LOG1P, x);
  }

  /** Square root; NaN below 0 (tf.sqrt). float32, float64. */
  public static Tensor sqrt(Tensor x) {
    return Dispatch.run1(UnaryOps.SQRT, x);
  }

  /** {@code 1/√x} (tf.math.rsqrt). float32, float64. */
  public static Tensor rsqrt(Tensor x) {
    return Dispatch.run1(UnaryOps.RSQRT, x);
  }

  /** {@code x*x} (tf.square). float32, float64, int32, int64; integers wrap. */
  public static Tensor square(Tensor x) {
    return Dispatch.run1(UnaryOps.SQUARE, x);
  }

  /** {@code 1/x} (tf.math.reciprocal). float32, float64. */
  public static Tensor reciprocal(Tensor x) {
    return Dispatch.run1(UnaryOps.RECIPROCAL, x);
  }

  /** Sine (tf.sin). float32, float64. */
  public static Tensor sin(Tensor x) {
    return Dispatch.run1(UnaryOps.SIN, x);
  }

  /** Cosine (tf.cos). float32, float64. */
  public static Tensor cos(Tensor x) {
    return Dispatch.run1(UnaryOps.COS, x);
  }

  /** Hyperbolic tangent (tf.tanh). float32, float64. */
  public static Tensor tanh(Tensor x) {
    return Dispatch.run1(UnaryOps.TANH, x);
  }

  /** Logistic function {@code 1/(1+e^-x)}, without overflow (tf.sigmoid). float32, float64. */
  public static Tensor sigmoid(Tensor x) {
    return Dispatch.run1(UnaryOps.SIGMOID, x);
  }

  /** {@code max(x, 0)}; NaN stays NaN (tf.nn.relu). float32, float64, int32, int64. */
  public static Tensor relu(Tensor x) {
    return Dispatch.run1(UnaryOps.RELU, x);
  }

  /** {@code min(max(x, 0), 6)} (tf.nn.relu6). float32, float64, int32, int64. */
  public static Tensor relu6(Tensor x) {
    return Dispatch.run1(UnaryOps.RELU6, x);
  }

  /** Exponential linear unit: {@code x < 0 ? e^x - 1 : x} (tf.nn.elu). float32, float64. */
  public static Tensor elu(Tensor x) {
    return Dispatch.run1(UnaryOps.ELU, x);
  }

  /** Exact GELU, {@code x/2 (1 + erf(x/√2))} (tf.nn.gelu, approximate=False). float32, float64. */
  public static Tensor gelu(Tensor x) {
    return gelu(x, false);
  }

  /**
   * GELU (tf.nn.gelu): the exact erf form, or with {@code approximate} the tanh form
   * {@code x/2 (1 + tanh(√(2/π) (x + 0.044715 x³)))}. float32, float64.
   */
  public static Tensor gelu(Tensor x, boolean approximate) {
    return Dispatch.run1(UnaryOps.GELU, Attrs.of(UnaryOps.APPROXIMATE, approximate), x);
  }

  /** {@code ln(1 + e^x)}, without overflow (tf.math.softplus). float32, float64. */
  public static Tensor softplus(Tensor x) {
    return Dispatch.run1(UnaryOps.SOFTPLUS, x);
  }

  /** Largest integer not above x (tf.math.floor). float32, float64. */
  public static Tensor floor(Tensor x) {
    return Dispatch.run1(UnaryOps.FLOOR, x);
  }

  /** Smallest integer not below x (tf.math.ceil). float32, float64. */
  public static Tensor ceil(Tensor x) {
    return Dispatch.run1(UnaryOps.CEIL, x);
  }

  /**
   * Nearest integer, half to even (tf.math.round). float32, float64, and int32 and int64, where it
   * is the identity.
   */
  public static Tensor round(Tensor x) {
    return Dispatch.run1(UnaryOps.ROUND, x);
  }
  // ---- end unary

  // ---- binary

  // ---- end binary

  // ---- reduction

  // ---- end reduction

  // ---- shape

  // ---- end shape

  // ---- creation

  // ---- end creation

  // ---- matmul

  // ---- end matmul
}
