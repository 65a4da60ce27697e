package dev.isthmus;

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
  /** {@code -x}, elementwise (tf.negative). */
  public static Tensor neg(Tensor x) {
    return Dispatch.run1(UnaryOps.NEG, x);
  }

  /** {@code e^x}, elementwise (tf.exp). */
  public static Tensor exp(Tensor x) {
    return Dispatch.run1(UnaryOps.EXP, x);
  }
  // ---- end unary

  // ---- binary

  // ---- end binary

  // ---- reduction

  // ---- end reduction

  // ---- shape

  // ---- end shape

  // ---- creation
  /**
   * A FLOAT32 constant of the given shape (tf.constant). No shape: rank 1; a single value fills
   * any shape; otherwise the counts must match.
   */
  public static Tensor constant(float[] values, long... shape) {
    return constant(dev.isthmus.internal.CreationOps.value(DType.FLOAT32, values, shape));
  }

  /** A FLOAT64 constant (tf.constant); shapes as {@link #constant(float[], long...)}. */
  public static Tensor constant(double[] values, long... shape) {
    return constant(dev.isthmus.internal.CreationOps.value(DType.FLOAT64, values, shape));
  }

  /** An INT32 constant (tf.constant); shapes as {@link #constant(float[], long...)}. */
  public static Tensor constant(int[] values, long... shape) {
    return constant(dev.isthmus.internal.CreationOps.value(DType.INT32, values, shape));
  }

  /** An INT64 constant (tf.constant); shapes as {@link #constant(float[], long...)}. */
  public static Tensor constant(long[] values, long... shape) {
    return constant(dev.isthmus.internal.CreationOps.value(DType.INT64, values, shape));
  }

  /** A BOOL constant (tf.constant); shapes as {@link #constant(float[], long...)}. */
  public static Tensor constant(boolean[] values, long... shape) {
    return constant(dev.isthmus.internal.CreationOps.value(DType.BOOL, values, shape));
  }

  /** A FLOAT32 scalar constant (tf.constant). */
  public static Tensor constant(float value) {
    return constant(Tensor.scalar(value));
  }

  /** A FLOAT64 scalar constant (tf.constant). */
  public static Tensor constant(double value) {
    return constant(Tensor.scalar(value));
  }

  /** An INT32 scalar constant (tf.constant). */
  public static Tensor constant(int value) {
    return constant(Tensor.scalar(value));
  }

  /** An INT64 scalar constant (tf.constant). */
  public static Tensor constant(long value) {
    return constant(Tensor.scalar(value));
  }

  /** A BOOL scalar constant (tf.constant). */
  public static Tensor constant(boolean value) {
    return constant(Tensor.scalar(value));
  }

  /**
   * {@code value} as a constant (tf.constant, op Const): the tensor itself when executing
   * eagerly, a Const node holding it while building a graph.
   */
  public static Tensor constant(Tensor value) {
    if (value == null) {
      throw new InvalidArgumentException("Const: expected a value tensor, got null");
    }
    return Dispatch.run1(dev.isthmus.internal.CreationOps.CONST,
        dev.isthmus.internal.Attrs.of("value", value, "dtype", value.dtype()));
  }

  /** A tensor of zeros (tf.zeros; op Fill); BOOL zeros are false. */
  public static Tensor zeros(DType dtype, long... shape) {
    return fill(dtype, 0, shape);
  }

  /** A tensor of ones (tf.ones; op Fill); BOOL ones are true. */
  public static Tensor ones(DType dtype, long... shape) {
    return fill(dtype, 1, shape);
  }

  /**
   * A tensor with every element {@code value} (tf.fill). Integer dtypes need a whole value in
   * their range, BOOL 0 or 1; otherwise {@link InvalidArgumentException}.
   */
  public static Tensor fill(DType dtype, double value, long... shape) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.FILL,
        dev.isthmus.internal.CreationOps.fillAttrs(dtype, value, shape));
  }

  /** {@code [0, 1, ..., limit - 1]} (tf.range(limit)): INT32, or INT64 if limit needs it. */
  public static Tensor range(long limit) {
    return range(0, limit, 1);
  }

  /**
   * {@code start, start + delta, ...} excluding {@code limit} (tf.range with Python ints): INT32
   * when all three fit in an int, else INT64, as TensorFlow infers.
   */
  public static Tensor range(long start, long limit, long delta) {
    boolean small = start == (int) start && limit == (int) limit && delta == (int) delta;
    return range(start, limit, delta, small ? DType.INT32 : DType.INT64);
  }

  /** tf.range(start, limit, delta, dtype) with whole-number bounds, in any numeric dtype. */
  public static Tensor range(long start, long limit, long delta, DType dtype) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.RANGE,
        dev.isthmus.internal.Attrs.of(
            "dtype", dtype, "start", start, "limit", limit, "delta", delta));
  }

  /** tf.range with Python floats: FLOAT32 (the bounds are rounded to float first). */
  public static Tensor range(double start, double limit, double delta) {
    return range(start, limit, delta, DType.FLOAT32);
  }

  /** tf.range(start, limit, delta, dtype); integer dtypes need whole-number bounds. */
  public static Tensor range(double start, double limit, double delta, DType dtype) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.RANGE,
        dev.isthmus.internal.Attrs.of(
            "dtype", dtype, "start", start, "limit", limit, "delta", delta));
  }

  /** {@code num} evenly spaced FLOAT32 values, the last exactly {@code stop} (tf.linspace). */
  public static Tensor linspace(double start, double stop, long num) {
    return linspace(start, stop, num, DType.FLOAT32);
  }

  /** tf.linspace in FLOAT32 or FLOAT64 (op LinSpace); {@code num >= 1}. */
  public static Tensor linspace(double start, double stop, long num, DType dtype) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.LIN_SPACE,
        dev.isthmus.internal.Attrs.of("dtype", dtype, "start", start, "stop", stop, "num", num));
  }

  /**
   * Uniform floats in [0, 1) from {@code seed} (tf.random.stateless_uniform; op
   * StatelessRandomUniform): the same seed gives the same tensor on every machine. Integer dtypes
   * need bounds: see {@link #randomUniform(long, DType, double, double, long...)}.
   */
  public static Tensor randomUniform(long seed, DType dtype, long... shape) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.RANDOM_UNIFORM,
        dev.isthmus.internal.Attrs.of(
            "seed", seed, "dtype", dtype, "shape", shape, "minval", 0.0, "maxval", 1.0));
  }

  /**
   * Uniform values in {@code [minval, maxval)} (tf.random.stateless_uniform). Floats are {@code
   * u * (maxval - minval) + minval} in the dtype; INT32 and INT64 (op StatelessRandomUniformInt)
   * need whole bounds with {@code minval < maxval} and are exactly uniform. Write the bounds as
   * doubles ({@code 0.0, 10.0}): int arguments would be read as the shape.
   */
  public static Tensor randomUniform(
      long seed, DType dtype, double minval, double maxval, long... shape) {
    return Dispatch.run1(dtype.isInteger()
            ? dev.isthmus.internal.CreationOps.RANDOM_UNIFORM_INT
            : dev.isthmus.internal.CreationOps.RANDOM_UNIFORM,
        dev.isthmus.internal.Attrs.of(
            "seed", seed, "dtype", dtype, "shape", shape, "minval", minval, "maxval", maxval));
  }

  /** Standard normal floats from {@code seed} (tf.random.stateless_normal). */
  public static Tensor randomNormal(long seed, DType dtype, long... shape) {
    return randomNormal(seed, dtype, 0.0, 1.0, shape);
  }

  /**
   * Normal floats {@code z * stddev + mean} from {@code seed} (tf.random.stateless_normal; op
   * StatelessRandomNormal). Write mean and stddev as doubles: int arguments would be the shape.
   */
  public static Tensor randomNormal(
      long seed, DType dtype, double mean, double stddev, long... shape) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.RANDOM_NORMAL,
        dev.isthmus.internal.Attrs.of(
            "seed", seed, "dtype", dtype, "shape", shape, "mean", mean, "stddev", stddev));
  }
  // ---- end creation

  // ---- matmul

  // ---- end matmul
}
