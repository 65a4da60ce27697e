package dev.isthmus;

import dev.isthmus.internal.BinaryOps;
import dev.isthmus.internal.BinaryRules;
import dev.isthmus.internal.CastOps;
import dev.isthmus.internal.CompareOps;
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

  // ---- end reduction

  // ---- shape

  // ---- end shape

  // ---- creation

  // ---- end creation

  // ---- matmul

  // ---- end matmul
}
