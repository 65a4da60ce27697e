package dev.isthmus.kernels;

/**
 * The elementwise unary operators, as data: one entry per operator, read by the kernels, the
 * scalar twins and (later) the fusion compiler.
 *
 * <p>{@link UnaryScalar} is the specification of each operator. FLOAT32 twins of transcendental
 * operators compute in double and round once, so they are (almost always) correctly rounded. Each
 * entry states the worst-case distance of the Vector API path from that twin which the property
 * tests ({@code UnaryKernelProperties}) enforce over NaN, ±Inf, ±0, subnormals, huge and tiny
 * values; "exact" means bit-for-bit (NaN payloads aside). Operators marked <em>integral</em> also
 * have INT32 and INT64 kernels ({@link UnaryKernels#i32}, {@link UnaryKernels#i64}), which are
 * always exact and wrap on overflow as two's complement (so {@code -MIN_VALUE == MIN_VALUE}).
 */
public enum UnaryOp {
  /** {@code -x}. Exact. Integral. */
  NEG(true),
  /** {@code |x|}. Exact. Integral. */
  ABS(true),
  /** -1, 0 or 1; {@code sign(±0) = +0}, {@code sign(NaN) = NaN} (as numpy). Exact. Integral. */
  SIGN(true),
  /** {@code e^x}: the Vector API's EXP; within 2 ulps (float32 and float64). */
  EXP(false),
  /** {@code e^x - 1}: the Vector API's EXPM1; within 2 ulps. */
  EXPM1(false),
  /** {@code ln x}, NaN below 0, -Inf at ±0: the Vector API's LOG; within 2 ulps. */
  LOG(false),
  /** {@code ln(1 + x)}: the Vector API's LOG1P; within 2 ulps. */
  LOG1P(false),
  /** {@code √x}, NaN below 0 (but {@code √-0 = -0}). Exact (IEEE square root in both). */
  SQRT(false),
  /** {@code 1/√x}. float64 exact; float32 within 1 ulp (the twin rounds once, the vector twice). */
  RSQRT(false),
  /** {@code x*x}. Exact. Integral. */
  SQUARE(true),
  /** {@code 1/x}. Exact. */
  RECIPROCAL(false),
  /** {@code sin x}: the Vector API's SIN; within 2 ulps. */
  SIN(false),
  /** {@code cos x}: the Vector API's COS; within 2 ulps. */
  COS(false),
  /**
   * {@code atan x}, in (-π/2, π/2), odd (keeps -0): the Vector API's ATAN; within 2 ulps. The
   * worked example of docs/ARCHITECTURE.md ("Adding an op").
   */
  ATAN(false),
  /**
   * {@code tanh x}, odd (keeps -0). float32: an odd polynomial below |x| = 0.625 and {@code (1 -
   * e)/(1 + e)}, {@code e = exp(-2|x|)} from an inline exp, above ({@link UnaryVectorMath}), 1.7x
   * as fast as the Vector API's TANH; within 2 ulps, checked on every float. float64: {@code
   * em/(em + 2)}, {@code em = expm1(2|x|)} (the Vector API's EXPM1), 1.3x as fast as its TANH;
   * within 2 ulps (2e9 random inputs checked).
   */
  TANH(false),
  /**
   * {@code 1/(1+e^-x)}, computed without overflow as {@code e/(1+e)} or {@code 1/(1+e)} with
   * {@code e = exp(-|x|)}: one EXP and one division; within 4 ulps.
   */
  SIGMOID(false),
  /** {@code max(x, 0)}, as {@link Math#max}: NaN stays NaN, -0 gives +0. Exact. Integral. */
  RELU(true),
  /** {@code min(max(x, 0), 6)}, NaN stays NaN. Exact. Integral. */
  RELU6(true),
  /** {@code x < 0 ? e^x - 1 : x} (alpha 1): within 2 ulps. */
  ELU(false),
  /**
   * Exact GELU, {@code x/2 (1 + erf(x/√2))}, with the tails from {@link UnaryMath#erfc} so that
   * they keep their relative accuracy (and {@code GELU(-Inf) = -0}, its limit, where TensorFlow's
   * formula gives NaN). Vector: a polynomial erf evaluated in double lanes (float32 is widened);
   * within 1 ulp in float32 and 6 ulps in float64.
   */
  GELU(false),
  /**
   * Tanh-approximated GELU, {@code x/2 (1 + tanh(√(2/π) (x + 0.044715 x³)))}, computed as {@code
   * x * sigmoid(2u)} so that the negative tail keeps its relative accuracy. Vector: in double lanes
   * (float32 is widened); within 1 ulp in float32 and 8 ulps in float64.
   */
  GELU_TANH(false),
  /** {@code ln(1 + e^x)}, as {@code max(x, 0) + log1p(exp(-|x|))}: within 4 ulps. */
  SOFTPLUS(false),
  /** Largest integer not above x ({@link Math#floor}: -0 and NaN kept). Exact. */
  FLOOR(false),
  /** Smallest integer not below x ({@link Math#ceil}). Exact. */
  CEIL(false),
  /**
   * Nearest integer, half to even ({@link Math#rint}), as TensorFlow's Round. Exact. Integral (the
   * identity on integers, as TensorFlow).
   */
  ROUND(true);

  private final boolean integral;

  UnaryOp(boolean integral) {
    this.integral = integral;
  }

  /** True if the operator has INT32 and INT64 kernels. */
  public boolean integral() {
    return integral;
  }
}
