package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.BinaryOps;
import dev.isthmus.internal.BinaryRules;
import dev.isthmus.internal.CastOps;
import dev.isthmus.internal.CompareOps;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.UnaryOps;
import java.util.List;

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

  /** Arctangent, in (-π/2, π/2) (tf.math.atan). float32, float64. */
  public static Tensor atan(Tensor x) {
    return Dispatch.run1(UnaryOps.ATAN, x);
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
  /**
   * {@code x + y}, elementwise with broadcasting (tf.math.add, op AddV2).
   */
  public static Tensor add(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.ADD, x, y);
  }

  /**
   * {@link #add(Tensor, Tensor)} with {@code y} a number, converted to a scalar of {@code x}'s
   * dtype as TensorFlow converts a Python number (integer dtypes take only integral values).
   */
  public static Tensor add(Tensor x, double y) {
    return x == null ? Dispatch.run1(BinaryOps.ADD, x, null)
        : Dispatch.run1(BinaryOps.ADD, x, BinaryRules.scalarLike(BinaryOps.ADD, x, y));
  }

  /**
   * {@code x - y}, elementwise with broadcasting (tf.math.subtract).
   */
  public static Tensor sub(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.SUB, x, y);
  }

  /**
   * {@link #sub(Tensor, Tensor)} with {@code y} a number, converted to a scalar of {@code x}'s
   * dtype as TensorFlow converts a Python number (integer dtypes take only integral values).
   */
  public static Tensor sub(Tensor x, double y) {
    return x == null ? Dispatch.run1(BinaryOps.SUB, x, null)
        : Dispatch.run1(BinaryOps.SUB, x, BinaryRules.scalarLike(BinaryOps.SUB, x, y));
  }

  /**
   * {@code x * y}, elementwise with broadcasting (tf.math.multiply).
   */
  public static Tensor mul(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.MUL, x, y);
  }

  /**
   * {@link #mul(Tensor, Tensor)} with {@code y} a number, converted to a scalar of {@code x}'s
   * dtype as TensorFlow converts a Python number (integer dtypes take only integral values).
   */
  public static Tensor mul(Tensor x, double y) {
    return x == null ? Dispatch.run1(BinaryOps.MUL, x, null)
        : Dispatch.run1(BinaryOps.MUL, x, BinaryRules.scalarLike(BinaryOps.MUL, x, y));
  }

  /**
   * {@code x / y} (tf.math.divide, op RealDiv). Floats keep their dtype; INT32 and INT64
   * divide in FLOAT64 and give FLOAT64, as TensorFlow 2's true division.
   */
  public static Tensor div(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.DIV, x, y);
  }

  /**
   * {@link #div(Tensor, Tensor)} with {@code y} a number, converted to a scalar of {@code x}'s
   * dtype as TensorFlow converts a Python number (integer dtypes take only integral values).
   */
  public static Tensor div(Tensor x, double y) {
    return x == null ? Dispatch.run1(BinaryOps.DIV, x, null)
        : Dispatch.run1(BinaryOps.DIV, x, BinaryRules.scalarLike(BinaryOps.DIV, x, y));
  }

  /**
   * {@code floor(x / y)}, Python's {@code //} (tf.math.floordiv). Integer division by zero
   * throws {@link InvalidArgumentException}.
   */
  public static Tensor floorDiv(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.FLOOR_DIV, x, y);
  }

  /**
   * The remainder of {@link #floorDiv}, with the divisor's sign, as Python's {@code %}
   * (tf.math.floormod). Integer modulo by zero throws {@link InvalidArgumentException}.
   */
  public static Tensor floorMod(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.FLOOR_MOD, x, y);
  }

  /**
   * {@code x ^ y} (tf.math.pow), as C's {@code pow}. A negative integer exponent throws
   * {@link InvalidArgumentException}; integer overflow wraps.
   */
  public static Tensor pow(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.POW, x, y);
  }

  /**
   * {@link #pow(Tensor, Tensor)} with {@code y} a number, converted to a scalar of {@code x}'s
   * dtype as TensorFlow converts a Python number (integer dtypes take only integral values).
   */
  public static Tensor pow(Tensor x, double y) {
    return x == null ? Dispatch.run1(BinaryOps.POW, x, null)
        : Dispatch.run1(BinaryOps.POW, x, BinaryRules.scalarLike(BinaryOps.POW, x, y));
  }

  /**
   * The larger of {@code x} and {@code y}; NaN if either is NaN (tf.math.maximum).
   */
  public static Tensor maximum(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.MAXIMUM, x, y);
  }

  /**
   * {@link #maximum(Tensor, Tensor)} with {@code y} a number, converted to a scalar of {@code x}'s
   * dtype as TensorFlow converts a Python number (integer dtypes take only integral values).
   */
  public static Tensor maximum(Tensor x, double y) {
    return x == null ? Dispatch.run1(BinaryOps.MAXIMUM, x, null)
        : Dispatch.run1(BinaryOps.MAXIMUM, x, BinaryRules.scalarLike(BinaryOps.MAXIMUM, x, y));
  }

  /**
   * The smaller of {@code x} and {@code y}; NaN if either is NaN (tf.math.minimum).
   */
  public static Tensor minimum(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.MINIMUM, x, y);
  }

  /**
   * {@link #minimum(Tensor, Tensor)} with {@code y} a number, converted to a scalar of {@code x}'s
   * dtype as TensorFlow converts a Python number (integer dtypes take only integral values).
   */
  public static Tensor minimum(Tensor x, double y) {
    return x == null ? Dispatch.run1(BinaryOps.MINIMUM, x, null)
        : Dispatch.run1(BinaryOps.MINIMUM, x, BinaryRules.scalarLike(BinaryOps.MINIMUM, x, y));
  }

  /**
   * {@code (x - y)^2} (tf.math.squared_difference).
   */
  public static Tensor squaredDifference(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.SQUARED_DIFFERENCE, x, y);
  }

  /**
   * {@code atan2(x, y)}, the angle of the point {@code (y, x)}; floats only
   * (tf.math.atan2).
   */
  public static Tensor atan2(Tensor x, Tensor y) {
    return Dispatch.run1(BinaryOps.ATAN2, x, y);
  }

  /** {@code x == y} as BOOL (tf.math.equal); any dtype. */
  public static Tensor equal(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.EQUAL, x, y);
  }

  /** {@code x != y} as BOOL (tf.math.not_equal); true where either is NaN. */
  public static Tensor notEqual(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.NOT_EQUAL, x, y);
  }

  /** {@code x < y} as BOOL (tf.math.less); numeric dtypes. */
  public static Tensor less(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.LESS, x, y);
  }

  /** {@code x <= y} as BOOL (tf.math.less_equal). */
  public static Tensor lessEqual(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.LESS_EQUAL, x, y);
  }

  /** {@code x > y} as BOOL (tf.math.greater). */
  public static Tensor greater(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.GREATER, x, y);
  }

  /** {@code x >= y} as BOOL (tf.math.greater_equal). */
  public static Tensor greaterEqual(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.GREATER_EQUAL, x, y);
  }

  /** {@code x && y} on BOOL tensors (tf.math.logical_and). */
  public static Tensor logicalAnd(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.LOGICAL_AND, x, y);
  }

  /** {@code x || y} on BOOL tensors (tf.math.logical_or). */
  public static Tensor logicalOr(Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.LOGICAL_OR, x, y);
  }

  /** {@code !x} on a BOOL tensor (tf.math.logical_not). */
  public static Tensor logicalNot(Tensor x) {
    return Dispatch.run1(CompareOps.LOGICAL_NOT, x);
  }

  /**
   * {@code condition ? x : y} elementwise (tf.where with three arguments, op SelectV2): condition
   * is BOOL, x and y share a dtype, and all three broadcast together.
   */
  public static Tensor where(Tensor condition, Tensor x, Tensor y) {
    return Dispatch.run1(CompareOps.SELECT, condition, x, y);
  }

  /**
   * {@code x} converted to {@code dtype} (tf.cast). Float to integer truncates toward zero; NaN
   * becomes 0 and out-of-range values saturate to the integer's MIN/MAX (Java's cast; TensorFlow
   * leaves these undefined); INT64 to INT32 keeps the low 32 bits; to BOOL is {@code x != 0};
   * BOOL to a number is 0 or 1. A cast to {@code x}'s own dtype returns {@code x}.
   */
  public static Tensor cast(Tensor x, DType dtype) {
    if (dtype == null) {
      throw new InvalidArgumentException("Cast: expected a destination dtype; got null");
    }
    return Dispatch.run1(CastOps.CAST, CastOps.castAttrs(dtype), x);
  }

  /**
   * {@code x} clipped to {@code [min, max]}: {@code max(min(x, max), min)} (tf.clip_by_value, op
   * ClipByValue). The bounds share x's dtype and broadcast to x's shape, which is the output's.
   */
  public static Tensor clipByValue(Tensor x, Tensor min, Tensor max) {
    return Dispatch.run1(CastOps.CLIP_BY_VALUE, x, min, max);
  }

  /** {@link #clipByValue(Tensor, Tensor, Tensor)} with number bounds converted to x's dtype. */
  public static Tensor clipByValue(Tensor x, double min, double max) {
    return x == null ? Dispatch.run1(CastOps.CLIP_BY_VALUE, x, null, null)
        : Dispatch.run1(CastOps.CLIP_BY_VALUE, x,
            BinaryRules.scalarLike(CastOps.CLIP_BY_VALUE, x, min),
            BinaryRules.scalarLike(CastOps.CLIP_BY_VALUE, x, max));
  }
  // ---- end binary

  // ---- reduction
  // Reductions take axes as varargs. No axes means every axis: isthmus's rendering of
  // TensorFlow's axis=None (Java cannot tell "no argument" from an empty array, so there is no
  // way to reduce over an empty axis list; that would be the identity anyway). Axes may be
  // negative (counted from the end); an axis out of range or named twice is an
  // InvalidArgumentException naming the op, the input's dtype and shape, and the axes.

  private static Tensor reduction(
      dev.isthmus.internal.OpDef op, Tensor x, boolean keepDims, int[] axes) {
    return Dispatch.run1(op, dev.isthmus.internal.ReduceOps.reduceAttrs(x, keepDims, axes), x);
  }

  /**
   * tf.reduce_sum over {@code axes} (all axes if none), dropping them. The sum (integers wrap;
   * empty: 0). Floating sums are pairwise, so the error grows with log2 n, not n: at most {@code
   * (max(lanes, 16) + 20 + ceil(log2 n)) * eps * sum|x|} over n reduced elements (one such term
   * per group of adjacent reduced axes; see {@code ReduceKernels}). Dtypes: FLOAT32, FLOAT64,
   * INT32 or INT64.
   */
  public static Tensor reduceSum(Tensor x, int... axes) {
    return reduceSum(x, false, axes);
  }

  /** tf.reduce_sum over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceSum(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.SUM, x, keepDims, axes);
  }

  /**
   * tf.reduce_mean over {@code axes} (all axes if none), dropping them. The mean: the sum divided
   * by the number of reduced elements. Integers sum in INT64 and divide truncating toward zero, as
   * TensorFlow; an empty mean is NaN (0 for integers). Dtypes: FLOAT32, FLOAT64, INT32 or INT64.
   */
  public static Tensor reduceMean(Tensor x, int... axes) {
    return reduceMean(x, false, axes);
  }

  /** tf.reduce_mean over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceMean(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.MEAN, x, keepDims, axes);
  }

  /**
   * tf.reduce_max over {@code axes} (all axes if none), dropping them. The maximum; a NaN anywhere
   * gives NaN (as TensorFlow 2.4+ and numpy). Empty: the lowest value of the dtype (-inf for
   * floats). Dtypes: FLOAT32, FLOAT64, INT32 or INT64.
   */
  public static Tensor reduceMax(Tensor x, int... axes) {
    return reduceMax(x, false, axes);
  }

  /** tf.reduce_max over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceMax(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.MAX, x, keepDims, axes);
  }

  /**
   * tf.reduce_min over {@code axes} (all axes if none), dropping them. The minimum; a NaN anywhere
   * gives NaN. Empty: the highest value of the dtype (+inf for floats). Dtypes: FLOAT32, FLOAT64,
   * INT32 or INT64.
   */
  public static Tensor reduceMin(Tensor x, int... axes) {
    return reduceMin(x, false, axes);
  }

  /** tf.reduce_min over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceMin(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.MIN, x, keepDims, axes);
  }

  /**
   * tf.reduce_prod over {@code axes} (all axes if none), dropping them. The product (integers wrap;
   * empty: 1). Dtypes: FLOAT32, FLOAT64, INT32 or INT64.
   */
  public static Tensor reduceProd(Tensor x, int... axes) {
    return reduceProd(x, false, axes);
  }

  /** tf.reduce_prod over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceProd(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.PROD, x, keepDims, axes);
  }

  /**
   * tf.reduce_all over {@code axes} (all axes if none), dropping them. Logical and of a BOOL tensor
   * (empty: true). Dtypes: BOOL.
   */
  public static Tensor reduceAll(Tensor x, int... axes) {
    return reduceAll(x, false, axes);
  }

  /** tf.reduce_all over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceAll(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.ALL, x, keepDims, axes);
  }

  /**
   * tf.reduce_any over {@code axes} (all axes if none), dropping them. Logical or of a BOOL tensor
   * (empty: false). Dtypes: BOOL.
   */
  public static Tensor reduceAny(Tensor x, int... axes) {
    return reduceAny(x, false, axes);
  }

  /** tf.reduce_any over {@code axes} (all if none); {@code keepDims} keeps them with length 1. */
  public static Tensor reduceAny(Tensor x, boolean keepDims, int... axes) {
    return reduction(dev.isthmus.internal.ReduceOps.ANY, x, keepDims, axes);
  }

  /**
   * The index of the largest element along {@code axis} (tf.math.argmax), as INT64; the first on
   * ties, and the first NaN if any (numpy's rule, consistent with {@link #reduceMax}). Dtypes:
   * FLOAT32, FLOAT64, INT32, INT64, BOOL. The axis must not be empty.
   */
  public static Tensor argMax(Tensor x, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.ARG_MAX,
        dev.isthmus.internal.ReduceOps.argAttrs(x, axis), x);
  }

  /** The index of the smallest element along {@code axis} (tf.math.argmin); as {@link #argMax}. */
  public static Tensor argMin(Tensor x, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.ARG_MIN,
        dev.isthmus.internal.ReduceOps.argAttrs(x, axis), x);
  }

  /** Softmax over the last axis (tf.nn.softmax); FLOAT32 or FLOAT64, rank >= 1. */
  public static Tensor softmax(Tensor logits) {
    return softmax(logits, -1);
  }

  /**
   * Softmax over {@code axis} (tf.nn.softmax): {@code exp(x - max) / sum exp(x - max)}, stable
   * for large logits; one fused kernel (max, exp-sum and scale passes) per row or column.
   */
  public static Tensor softmax(Tensor logits, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.SOFTMAX,
        dev.isthmus.internal.ReduceOps.softmaxAttrs(logits, axis), logits);
  }

  /** Log-softmax over the last axis (tf.nn.log_softmax); FLOAT32 or FLOAT64, rank >= 1. */
  public static Tensor logSoftmax(Tensor logits) {
    return logSoftmax(logits, -1);
  }

  /**
   * Log-softmax over {@code axis} (tf.nn.log_softmax): {@code (x - max) - log sum exp(x - max)},
   * one fused kernel per row or column.
   */
  public static Tensor logSoftmax(Tensor logits, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ReduceOps.LOG_SOFTMAX,
        dev.isthmus.internal.ReduceOps.softmaxAttrs(logits, axis), logits);
  }
  // ---- end reduction

  // ---- shape
  // (fully qualified names here keep the shared import block untouched)

  /**
   * {@code x} with a new shape of the same element count (tf.reshape); one dimension may be
   * -1 and is inferred. Zero-copy: the result shares {@code x}'s memory.
   */
  public static Tensor reshape(Tensor x, long... shape) {
    return Dispatch.run1(dev.isthmus.internal.ShapeOps.RESHAPE,
        dev.isthmus.internal.Attrs.of("shape", shape), x);
  }

  /**
   * {@code x} with its axes permuted: output axis i is input axis {@code perm[i]}
   * (tf.transpose). No perm reverses the axes.
   */
  public static Tensor transpose(Tensor x, int... perm) {
    int[] p = perm;
    if (p.length == 0) {
      p = new int[x.rank()];
      for (int i = 0; i < p.length; i++) {
        p[i] = p.length - 1 - i;
      }
    }
    return Dispatch.run1(dev.isthmus.internal.ShapeOps.TRANSPOSE,
        dev.isthmus.internal.Attrs.of("perm", p), x);
  }

  /** {@code x} with a size-1 axis inserted at {@code axis}, in [-rank-1, rank] (tf.expand_dims). */
  public static Tensor expandDims(Tensor x, int axis) {
    return Dispatch.run1(dev.isthmus.internal.ShapeOps.EXPAND_DIMS,
        dev.isthmus.internal.Attrs.of("axis", axis), x);
  }

  /** {@code x} without the given size-1 axes; no axes: without every size-1 axis (tf.squeeze). */
  public static Tensor squeeze(Tensor x, int... axes) {
    return Dispatch.run1(dev.isthmus.internal.ShapeOps.SQUEEZE,
        dev.isthmus.internal.Attrs.of("axis", axes), x);
  }

  /** The values joined along {@code axis} (tf.concat); all share dtype and other dimensions. */
  public static Tensor concat(java.util.List<Tensor> values, int axis) {
    java.util.Objects.requireNonNull(values, "values");
    return concat(axis, values.toArray(new Tensor[0]));
  }

  /** {@link #concat(java.util.List, int)} over varargs: {@code concat(0, a, b)}. */
  public static Tensor concat(int axis, Tensor... values) {
    return Dispatch.run1(dev.isthmus.internal.ConcatOps.CONCAT,
        dev.isthmus.internal.Attrs.of("axis", axis), values);
  }

  /** The values (all of one shape) stacked along a new axis {@code axis} (tf.stack). */
  public static Tensor stack(java.util.List<Tensor> values, int axis) {
    java.util.Objects.requireNonNull(values, "values");
    return stack(axis, values.toArray(new Tensor[0]));
  }

  /** {@link #stack(java.util.List, int)} over varargs: {@code stack(0, a, b)}. */
  public static Tensor stack(int axis, Tensor... values) {
    return Dispatch.run1(dev.isthmus.internal.ConcatOps.PACK,
        dev.isthmus.internal.Attrs.of("axis", axis), values);
  }

  /** {@code x} split along {@code axis} into {@code numSplits} equal parts (tf.split). */
  public static java.util.List<Tensor> split(Tensor x, int numSplits, int axis) {
    return java.util.List.of(Dispatch.run(dev.isthmus.internal.ConcatOps.SPLIT,
        dev.isthmus.internal.Attrs.of("numSplit", numSplits, "axis", axis), x));
  }

  /**
   * {@code x} split along {@code axis} into parts of the given sizes, one of which may be -1
   * (inferred) (tf.split with size_splits; TensorFlow's SplitV).
   */
  public static java.util.List<Tensor> split(Tensor x, long[] sizeSplits, int axis) {
    java.util.Objects.requireNonNull(sizeSplits, "sizeSplits");
    return java.util.List.of(Dispatch.run(dev.isthmus.internal.ConcatOps.SPLIT_V,
        dev.isthmus.internal.Attrs.of("sizeSplits", sizeSplits, "axis", axis), x));
  }

  /**
   * The block of {@code x} starting at {@code begin} of extent {@code size} per axis; a size of
   * -1 takes the rest of the axis (tf.slice).
   */
  public static Tensor slice(Tensor x, long[] begin, long[] size) {
    java.util.Objects.requireNonNull(begin, "begin");
    java.util.Objects.requireNonNull(size, "size");
    return Dispatch.run1(dev.isthmus.internal.SliceOps.SLICE,
        dev.isthmus.internal.Attrs.of("begin", begin, "size", size), x);
  }

  /**
   * {@code x[begin:end:strides]} per axis, as Python's slicing: negative indices count from the
   * end, negative strides walk backward, out-of-range bounds clamp (tf.strided_slice).
   */
  public static Tensor stridedSlice(Tensor x, long[] begin, long[] end, long[] strides) {
    return stridedSlice(x, begin, end, strides, 0, 0, 0, 0, 0);
  }

  /**
   * tf.strided_slice with its bit masks: bit i of {@code beginMask}/{@code endMask} ignores
   * begin[i]/end[i] (the widest range); of {@code ellipsisMask}, makes entry i an ellipsis; of
   * {@code newAxisMask}, inserts a size-1 axis; of {@code shrinkAxisMask}, indexes with begin[i]
   * and drops the axis.
   */
  public static Tensor stridedSlice(Tensor x, long[] begin, long[] end, long[] strides,
      int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask) {
    java.util.Objects.requireNonNull(begin, "begin");
    java.util.Objects.requireNonNull(end, "end");
    java.util.Objects.requireNonNull(strides, "strides");
    return Dispatch.run1(dev.isthmus.internal.SliceOps.STRIDED_SLICE,
        dev.isthmus.internal.Attrs.of("begin", begin, "end", end, "strides", strides,
            "beginMask", beginMask, "endMask", endMask, "ellipsisMask", ellipsisMask,
            "newAxisMask", newAxisMask, "shrinkAxisMask", shrinkAxisMask), x);
  }

  /**
   * Slices of {@code params} along {@code axis} at the INT32/INT64 {@code indices} (any rank):
   * the output shape is params[:axis] + indices + params[axis+1:] (tf.gather). An index out of
   * range throws {@link InvalidArgumentException} naming it.
   */
  public static Tensor gather(Tensor params, Tensor indices, int axis) {
    return Dispatch.run1(dev.isthmus.internal.GatherOps.GATHER,
        dev.isthmus.internal.Attrs.of("axis", axis), params, indices);
  }

  /** {@link #gather(Tensor, Tensor, int)} along axis 0. */
  public static Tensor gather(Tensor params, Tensor indices) {
    return gather(params, indices, 0);
  }

  /**
   * FLOAT32 one-hot rows along a new last axis of size {@code depth} (tf.one_hot); indices
   * outside [0, depth) give rows of zeros.
   */
  public static Tensor oneHot(Tensor indices, int depth) {
    return oneHot(indices, depth, 1, 0, -1, DType.FLOAT32);
  }

  /**
   * tf.one_hot in full: {@code onValue} where the new axis {@code axis} (-1: last) equals the
   * index, {@code offValue} elsewhere, as {@code dtype}.
   */
  public static Tensor oneHot(Tensor indices, int depth, double onValue, double offValue,
      int axis, DType dtype) {
    java.util.Objects.requireNonNull(dtype, "dtype");
    return Dispatch.run1(dev.isthmus.internal.GatherOps.ONE_HOT,
        dev.isthmus.internal.Attrs.of("depth", depth, "onValue", onValue, "offValue", offValue,
            "axis", axis, "dtype", dtype), indices);
  }

  /** {@code x} repeated {@code multiples[i]} times along each axis i (tf.tile). */
  public static Tensor tile(Tensor x, long... multiples) {
    return Dispatch.run1(dev.isthmus.internal.ShapeOps.TILE,
        dev.isthmus.internal.Attrs.of("multiples", multiples), x);
  }

  /** {@code x} broadcast to {@code shape} by numpy's rule (tf.broadcast_to). */
  public static Tensor broadcastTo(Tensor x, long... shape) {
    return Dispatch.run1(dev.isthmus.internal.ShapeOps.BROADCAST_TO,
        dev.isthmus.internal.Attrs.of("shape", shape), x);
  }

  /** {@code x} padded with zeros: {@code paddings[i] = {before, after}} per axis (tf.pad). */
  public static Tensor pad(Tensor x, long[][] paddings) {
    return pad(x, paddings, 0.0);
  }

  /** {@code x} padded with {@code constantValue} (tf.pad, CONSTANT mode; TensorFlow's PadV2). */
  public static Tensor pad(Tensor x, long[][] paddings, double constantValue) {
    java.util.Objects.requireNonNull(paddings, "paddings");
    long[] flat = dev.isthmus.internal.PadOps.flatten(dev.isthmus.internal.PadOps.PAD, x, paddings);
    return Dispatch.run1(dev.isthmus.internal.PadOps.PAD,
        dev.isthmus.internal.Attrs.of("paddings", flat, "constantValue", constantValue), x);
  }

  /**
   * {@code x} padded in {@code mode} (tf.pad): "CONSTANT" (zeros), "REFLECT" (mirrored without
   * the edge; paddings below the axis size) or "SYMMETRIC" (mirrored with the edge; paddings at
   * most the axis size). Case-insensitive, as tf.pad.
   */
  public static Tensor pad(Tensor x, long[][] paddings, String mode) {
    java.util.Objects.requireNonNull(mode, "mode");
    String m = mode.toUpperCase(java.util.Locale.ROOT);
    if (m.equals("CONSTANT")) {
      return pad(x, paddings, 0.0);
    }
    java.util.Objects.requireNonNull(paddings, "paddings");
    var op = dev.isthmus.internal.PadOps.MIRROR_PAD;
    long[] flat = dev.isthmus.internal.PadOps.flatten(op, x, paddings);
    return Dispatch.run1(op, dev.isthmus.internal.Attrs.of("paddings", flat, "mode", m), x);
  }

  /** Zeros (false) of {@code x}'s dtype and shape (tf.zeros_like). */
  public static Tensor zerosLike(Tensor x) {
    return Dispatch.run1(dev.isthmus.internal.PadOps.ZEROS_LIKE, x);
  }

  /** Ones (true) of {@code x}'s dtype and shape (tf.ones_like). */
  public static Tensor onesLike(Tensor x) {
    return Dispatch.run1(dev.isthmus.internal.PadOps.ONES_LIKE, x);
  }
  /** The number of elements of {@code x} as an INT32 scalar, computed at run time (tf.size). */
  public static Tensor size(Tensor x) {
    return size(x, DType.INT32);
  }

  /** The number of elements of {@code x} as a scalar of {@code dtype}, INT32 or INT64 (tf.size). */
  public static Tensor size(Tensor x, DType dtype) {
    return Dispatch.run1(dev.isthmus.internal.ShapeOps.SIZE,
        dev.isthmus.internal.Attrs.of("dtype", dtype), x);
  }
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
   * need bounds: see {@link #randomUniform(long, DType, Shape, double, double)}.
   */
  public static Tensor randomUniform(long seed, DType dtype, long... shape) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.RANDOM_UNIFORM,
        dev.isthmus.internal.Attrs.of(
            "seed", seed, "dtype", dtype, "shape", shape, "minval", 0.0, "maxval", 1.0));
  }

  /**
   * Uniform values in {@code [minval, maxval)} (tf.random.stateless_uniform). Floats are {@code
   * u * (maxval - minval) + minval} in the dtype; INT32 and INT64 (op StatelessRandomUniformInt)
   * need whole bounds with {@code minval < maxval} and are exactly uniform. The shape is a {@link
   * Shape} here, before the bounds, so that numeric bounds can never be mistaken for dimensions.
   */
  public static Tensor randomUniform(
      long seed, DType dtype, Shape shape, double minval, double maxval) {
    return Dispatch.run1(dtype.isInteger()
            ? dev.isthmus.internal.CreationOps.RANDOM_UNIFORM_INT
            : dev.isthmus.internal.CreationOps.RANDOM_UNIFORM,
        dev.isthmus.internal.Attrs.of(
            "seed", seed, "dtype", dtype, "shape", shape.dims(), "minval", minval,
            "maxval", maxval));
  }

  /** Standard normal floats from {@code seed} (tf.random.stateless_normal). */
  public static Tensor randomNormal(long seed, DType dtype, long... shape) {
    return randomNormal(seed, dtype, shape, 0.0, 1.0);
  }

  /**
   * Normal floats {@code z * stddev + mean} from {@code seed} (tf.random.stateless_normal; op
   * StatelessRandomNormal). The shape is a {@link Shape}, before mean and stddev, so that they can
   * never be mistaken for dimensions.
   */
  public static Tensor randomNormal(
      long seed, DType dtype, Shape shape, double mean, double stddev) {
    return randomNormal(seed, dtype, shape.dims(), mean, stddev);
  }

  private static Tensor randomNormal(
      long seed, DType dtype, long[] shape, double mean, double stddev) {
    return Dispatch.run1(dev.isthmus.internal.CreationOps.RANDOM_NORMAL,
        dev.isthmus.internal.Attrs.of(
            "seed", seed, "dtype", dtype, "shape", shape, "mean", mean, "stddev", stddev));
  }
  // ---- end creation

  // ---- matmul
  /**
   * The matrix product {@code a * b} over the last two axes (tf.matmul): rank-2 inputs run
   * {@code MatMul}, anything of higher rank runs {@code BatchMatMulV2}, whose batch dimensions
   * broadcast like numpy (a rank-2 operand broadcasts against the other's batch). FLOAT32,
   * FLOAT64 or INT32; both inputs of the same dtype and of rank 2 or more.
   */
  public static Tensor matmul(Tensor a, Tensor b) {
    return matmul(a, b, false, false);
  }

  /**
   * {@code op(a) * op(b)} (tf.matmul with transpose_a, transpose_b), where {@code op} transposes
   * the last two axes when its flag is set. See {@link #matmul(Tensor, Tensor)}.
   */
  public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    if (a != null && b != null && (a.rank() > 2 || b.rank() > 2)) {
      return Dispatch.run1(dev.isthmus.internal.MatmulOps.BATCH_MATMUL,
          dev.isthmus.internal.Attrs.of("adj_x", transposeA, "adj_y", transposeB), a, b);
    }
    return Dispatch.run1(dev.isthmus.internal.MatmulOps.MATMUL,
        dev.isthmus.internal.Attrs.of("transpose_a", transposeA, "transpose_b", transposeB), a, b);
  }
  // ---- end matmul

  // ---- nn
  // (fully qualified names here keep the shared import block untouched)

  /**
   * 2-D convolution of an NHWC input {@code [batch, height, width, in_channels]} with a filter
   * {@code [filter_height, filter_width, in_channels, out_channels]} (tf.nn.conv2d, op Conv2D),
   * giving {@code [batch, out_height, out_width, out_channels]}. {@code strides} is 1, 2 or 4
   * ints ({@code k}, {@code [h, w]} or {@code [1, h, w, 1]}); {@code padding} is {@code "SAME"}
   * (output size {@code ceil(in / stride)}, zero padding split with the smaller half before) or
   * {@code "VALID"} (no padding). FLOAT32 or FLOAT64, both operands of one dtype.
   */
  public static Tensor conv2d(Tensor input, Tensor filter, int[] strides, String padding) {
    return conv2d(input, filter, strides, padding, new int[] {1, 1, 1, 1});
  }

  /**
   * {@link #conv2d(Tensor, Tensor, int[], String)} with {@code dilations} (1, 2 or 4 ints, as
   * strides): {@code d - 1} skipped input cells between filter taps. Strides above 1 with
   * dilations above 1 are an error, as in TensorFlow.
   */
  public static Tensor conv2d(Tensor input, Tensor filter, int[] strides, String padding,
      int[] dilations) {
    return Dispatch.run1(dev.isthmus.internal.NnOps.CONV2D,
        dev.isthmus.internal.Attrs.of("strides", dev.isthmus.internal.NnOps.window4(strides),
            "padding", padding, "dilations", dev.isthmus.internal.NnOps.window4(dilations)),
        input, filter);
  }

  /**
   * Depthwise 2-D convolution (tf.nn.depthwise_conv2d, op DepthwiseConv2dNative): each input
   * channel c is convolved with its own {@code channel_multiplier} filters {@code filter[.., c,
   * q]}, giving output channel {@code c * channel_multiplier + q}. Filter {@code [filter_height,
   * filter_width, in_channels, channel_multiplier]}; strides and padding as {@link
   * #conv2d(Tensor, Tensor, int[], String)}, with equal strides along height and width.
   */
  public static Tensor depthwiseConv2d(Tensor input, Tensor filter, int[] strides,
      String padding) {
    return depthwiseConv2d(input, filter, strides, padding, new int[] {1, 1, 1, 1});
  }

  /**
   * {@link #depthwiseConv2d(Tensor, Tensor, int[], String)} with {@code dilations} (the rate of
   * tf.nn.depthwise_conv2d); strides above 1 with dilations above 1 are an error.
   */
  public static Tensor depthwiseConv2d(Tensor input, Tensor filter, int[] strides,
      String padding, int[] dilations) {
    return Dispatch.run1(dev.isthmus.internal.NnOps.DEPTHWISE_CONV2D,
        dev.isthmus.internal.Attrs.of("strides", dev.isthmus.internal.NnOps.window4(strides),
            "padding", padding, "dilations", dev.isthmus.internal.NnOps.window4(dilations)),
        input, filter);
  }

  /**
   * 2-D max pooling of an NHWC input (tf.nn.max_pool2d, op MaxPool): the largest element of each
   * {@code ksize} window (1, 2 or 4 ints, as strides); padding is ignored (as if -inf). NaN
   * propagates. FLOAT32 or FLOAT64.
   */
  public static Tensor maxPool(Tensor input, int[] ksize, int[] strides, String padding) {
    return Dispatch.run1(dev.isthmus.internal.NnOps.MAX_POOL,
        dev.isthmus.internal.Attrs.of("ksize", dev.isthmus.internal.NnOps.window4(ksize),
            "strides", dev.isthmus.internal.NnOps.window4(strides), "padding", padding),
        input);
  }

  /**
   * 2-D average pooling of an NHWC input (tf.nn.avg_pool2d, op AvgPool): the mean of each window's
   * elements; with SAME padding a border window divides by the number of input elements it
   * covers, not by its size, as TensorFlow. FLOAT32 or FLOAT64.
   */
  public static Tensor avgPool(Tensor input, int[] ksize, int[] strides, String padding) {
    return Dispatch.run1(dev.isthmus.internal.NnOps.AVG_POOL,
        dev.isthmus.internal.Attrs.of("ksize", dev.isthmus.internal.NnOps.window4(ksize),
            "strides", dev.isthmus.internal.NnOps.window4(strides), "padding", padding),
        input);
  }
  // ---- end nn

  // ---- gradients
  /**
   * Symbolic gradients (tf.gradients): adds to the current graph the nodes computing the
   * gradient of the sum of {@code ys} with respect to each of {@code xs}; {@code null} for an x
   * the ys do not depend on. Nodes are named {@code gradients/<forward op>_grad/...}.
   *
   * @throws FailedPreconditionException when executing eagerly (use a {@link GradientTape})
   */
  public static List<Tensor> gradients(List<Tensor> ys, List<Tensor> xs) {
    return gradients(ys, xs, null, "gradients");
  }

  /** {@link #gradients(List, List)} with the nodes under name scope {@code name}. */
  public static List<Tensor> gradients(List<Tensor> ys, List<Tensor> xs, String name) {
    return gradients(ys, xs, null, name);
  }

  /**
   * Symbolic gradients with the gradient of each y given ({@code gradYs}; null entries or a null
   * list mean ones), under name scope {@code name} (tf.gradients' {@code grad_ys} and
   * {@code name}). Each gradient node keeps a link to the forward node it differentiates.
   *
   * @throws InvalidArgumentException for tensors of another graph than the current one
   * @throws UnimplementedException naming an op on the path that has no gradient rule
   */
  public static List<Tensor> gradients(List<Tensor> ys, List<Tensor> xs, List<Tensor> gradYs,
      String name) {
    Graph g = Graph.current();
    if (g == null) {
      throw new FailedPreconditionException(
          "gradients: tf.gradients is not supported when eager execution is enabled; use a "
              + "GradientTape, or build inside a graph or a Function");
    }
    if (ys == null || xs == null || ys.isEmpty()) {
      throw new InvalidArgumentException("gradients: expected ys and xs, got "
          + (ys == null ? "null" : ys.size()) + " ys and " + (xs == null ? "null" : xs.size())
          + " xs");
    }
    if (gradYs != null && gradYs.size() != ys.size()) {
      throw new InvalidArgumentException(
          "gradients: " + gradYs.size() + " gradYs for " + ys.size() + " ys");
    }
    java.util.ArrayList<Tensor> all = new java.util.ArrayList<>(ys);
    all.addAll(xs);
    for (Tensor t : all) {
      if (t == null || !t.isSymbolic() || t.op().graph() != g) {
        throw new InvalidArgumentException("gradients: every y and x must be a symbolic tensor "
            + "of graph '" + g.name() + "'; got " + (t == null ? "null"
                : t.isSymbolic() ? "'" + t.name() + "' of graph '" + t.op().graph().name() + "'"
                : "a concrete tensor " + t.describe()));
      }
    }
    java.util.ArrayList<Backprop.Entry> entries = new java.util.ArrayList<>();
    for (Operation o : g.operations()) {
      entries.add(new Backprop.Entry(o.def(), o.inputArray(), o.attrs(), o.outputArray(), o));
    }
    Tensor[] result;
    try (Scope scope = nameScope(name == null || name.isEmpty() ? "gradients" : name)) {
      result = Backprop.gradients(entries, ys.toArray(new Tensor[0]),
          gradYs == null ? null : gradYs.toArray(new Tensor[0]), xs.toArray(new Tensor[0]),
          false, true);
    }
    return java.util.Collections.unmodifiableList(java.util.Arrays.asList(result));
  }
  // ---- end gradients

  // ---- graph
  /** Its input, unchanged (tf.identity): a new node in a graph, the same tensor eagerly. */
  public static Tensor identity(Tensor x) {
    return Dispatch.run1(GraphOps.IDENTITY, x);
  }

  /**
   * A value to be fed when the graph runs (tf.compat.v1.placeholder), of the given dtype and
   * shape. Only while building a graph.
   *
   * @throws FailedPreconditionException when executing eagerly
   */
  public static Tensor placeholder(DType dtype, long... shape) {
    if (dtype == null) {
      throw new InvalidArgumentException("Placeholder: dtype is null");
    }
    Shape s = Shape.of(shape);
    if (ContextStack.current().executingEagerly()) {
      throw new FailedPreconditionException(
          "Placeholder: placeholder() is not compatible with eager execution: build it inside a "
              + "Graph (Graph.asDefault()), in graph mode, or use a Function's arguments");
    }
    return Dispatch.run1(GraphOps.PLACEHOLDER, Attrs.of("dtype", dtype, "shape", s.dims()));
  }

  /**
   * Opens name scope {@code name} until the returned scope closes (tf.name_scope): nodes created
   * inside are named {@code name/Op}. Nested scopes nest; a scope name already used in the graph
   * becomes {@code name_1}; a name ending in {@code /} re-enters exactly that scope; {@code ""}
   * returns to the top. Executing eagerly, it only tracks the name
   * ({@link Context#currentNameScope()}).
   *
   * @throws InvalidArgumentException for a name with characters TensorFlow does not allow
   */
  public static Scope nameScope(String name) {
    return ContextStack.current() instanceof Graph.Context gc ? gc.graph().nameScope(name)
        : EagerNames.enter(name);
  }

  /**
   * Makes every node created until the returned scope closes depend on {@code opsOrTensors}
   * (each an {@link Operation} or a symbolic {@link Tensor}, whose op is meant)
   * (tf.control_dependencies). Nested scopes add up; {@code null} or no arguments clears them
   * for the inner block. As in TensorFlow, a node whose input was made inside a block, or is one
   * of the block's ops, does not get that block's ops again (it already runs after them).
   * Executing eagerly it does nothing, as in TensorFlow 2 (ops already run in program order).
   *
   * @throws InvalidArgumentException for an element of another graph, or neither kind
   */
  public static Scope controlDependencies(Object... opsOrTensors) {
    if (!(ContextStack.current() instanceof Graph.Context gc)) {
      return () -> { };
    }
    Graph g = gc.graph();
    if (opsOrTensors == null || opsOrTensors.length == 0) {
      return g.controlDependencies(java.util.List.of(), true);
    }
    java.util.ArrayList<Operation> ops = new java.util.ArrayList<>();
    for (Object o : opsOrTensors) {
      if (o instanceof Operation op) {
        ops.add(op);
      } else if (o instanceof Tensor t && t.isSymbolic()) {
        ops.add(t.op());
      } else if (o instanceof Variable v) {
        throw new InvalidArgumentException("controlDependencies: got variable " + v.name()
            + "; expected an Operation or a symbolic Tensor (e.g. the result of v.assign(...))");
      } else {
        throw new InvalidArgumentException("controlDependencies: expected Operations or "
            + "symbolic Tensors of graph '" + g.name() + "'; got "
            + (o == null ? "null" : o instanceof Tensor t ? "a concrete tensor " + t.describe()
                : "a " + o.getClass().getSimpleName()));
      }
    }
    return g.controlDependencies(ops, false);
  }
  // ---- end graph

  // ---- control flow
  /**
   * {@code trueFn()} when {@code pred} is true, else {@code falseFn()} (tf.cond).
   *
   * <p>Executing eagerly, {@code pred} must be a concrete bool scalar and only the chosen branch
   * runs, as plain Java. While building a graph (a {@link Graph}, graph mode, or a {@link
   * Function} being traced) both branches are traced into function graphs, which capture the
   * outer values they use, and one {@code StatelessIf} node is added ({@code If} when a branch
   * has stateful ops such as variable updates); when the graph runs, only the chosen branch's
   * graph runs. Both branches must then return the same dtype and shape.
   *
   * <pre>{@code
   * Tensor y = Ops.cond(x.reduceSum().greater(Tensor.scalar(0f)), () -> x.mul(2), () -> x.neg());
   * }</pre>
   *
   * @throws InvalidArgumentException if {@code pred} is not a bool scalar, or (building a graph)
   *     the branches return different dtypes or shapes
   */
  public static Tensor cond(Tensor pred, java.util.function.Supplier<Tensor> trueFn,
      java.util.function.Supplier<Tensor> falseFn) {
    return ControlFlow.cond(pred, trueFn, falseFn);
  }

  /**
   * {@link #cond} with any number of results (tf.cond with a list-valued true_fn and false_fn):
   * both branches return the same number of tensors, pairwise of equal dtype and shape when a
   * graph is being built. Branches may return no tensor when they only update variables.
   *
   * <pre>{@code
   * List<Tensor> r = Ops.condList(p, () -> List.of(a.add(b), a), () -> List.of(a.sub(b), b));
   * }</pre>
   *
   * @throws InvalidArgumentException as {@link #cond}, naming both branches' results
   */
  public static java.util.List<Tensor> condList(Tensor pred,
      java.util.function.Supplier<java.util.List<Tensor>> trueFn,
      java.util.function.Supplier<java.util.List<Tensor>> falseFn) {
    return ControlFlow.condList(pred, trueFn, falseFn);
  }

  /**
   * Repeats {@code loopVars = body(loopVars)} while {@code cond(loopVars)} is true; the final
   * loop vars (tf.while_loop).
   *
   * <p>Executing eagerly this is a Java loop; {@code cond} must return a bool scalar and
   * {@code body} as many tensors as there are loop vars. While building a graph, cond and body
   * are traced once into function graphs (one placeholder per loop var; they capture the outer
   * values they use) and one {@code StatelessWhile} node is added ({@code While} when cond or
   * body has stateful ops); each loop var must keep its dtype and shape across iterations.
   *
   * <pre>{@code
   * // sum of 0..9
   * List<Tensor> r = Ops.whileLoop(v -> v.get(0).less(Tensor.scalar(10)),
   *     v -> List.of(v.get(0).add(1), v.get(1).add(v.get(0))),
   *     List.of(Tensor.scalar(0), Tensor.scalar(0)));
   * }</pre>
   *
   * @throws InvalidArgumentException if there are no loop vars, cond does not return a bool
   *     scalar, or body returns the wrong number of tensors (or, building a graph, a loop var of
   *     another dtype or shape)
   */
  public static java.util.List<Tensor> whileLoop(
      java.util.function.Function<java.util.List<Tensor>, Tensor> cond,
      java.util.function.Function<java.util.List<Tensor>, java.util.List<Tensor>> body,
      java.util.List<Tensor> loopVars) {
    return ControlFlow.whileLoop(cond, body, loopVars, null);
  }

  /**
   * {@link #whileLoop(java.util.function.Function, java.util.function.Function, java.util.List)}
   * running {@code body} at most {@code maximumIterations} times (tf.while_loop with
   * maximum_iterations); 0 or less runs it never. As in TensorFlow, cond is still evaluated
   * before the loop stops on the count.
   *
   * <pre>{@code
   * // doubles x at most 3 times
   * List<Tensor> r = Ops.whileLoop(v -> v.get(0).less(Tensor.scalar(100f)),
   *     v -> List.of(v.get(0).mul(2)),
   *     List.of(x), 3);
   * }</pre>
   */
  public static java.util.List<Tensor> whileLoop(
      java.util.function.Function<java.util.List<Tensor>, Tensor> cond,
      java.util.function.Function<java.util.List<Tensor>, java.util.List<Tensor>> body,
      java.util.List<Tensor> loopVars, int maximumIterations) {
    return ControlFlow.whileLoop(cond, body, loopVars, maximumIterations);
  }
  // ---- end control flow
}
