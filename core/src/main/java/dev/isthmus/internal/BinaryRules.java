package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Shape-rule pieces and helpers shared by the binary families ({@link BinaryOps}, {@link
 * CompareOps}, {@link CastOps}): dtype sets, broadcast shapes with op-named errors, and
 * TensorFlow's conversion of a Python number to a tensor of a given dtype.
 */
public final class BinaryRules {
  private BinaryRules() {}

  /** A dtype set as a bit mask of ordinals (cheap to test on the eager path). */
  static int set(DType... ts) {
    int m = 0;
    for (DType t : ts) {
      m |= 1 << t.ordinal();
    }
    return m;
  }

  /** FLOAT32 and FLOAT64. */
  static final int FLOATING = set(DType.FLOAT32, DType.FLOAT64);
  /** Every dtype but BOOL. */
  static final int NUMERIC = set(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);
  /** Every dtype. */
  static final int ALL = set(DType.values());
  /** BOOL only. */
  static final int BOOL = set(DType.BOOL);

  /** Throws unless {@code t} is in the set {@code allowed}. */
  static void requireIn(OpDef op, Tensor[] in, Attrs attrs, DType t, int allowed) {
    if ((allowed & (1 << t.ordinal())) == 0) {
      StringBuilder sb = new StringBuilder("expected dtype ");
      boolean first = true;
      for (DType d : DType.values()) {
        if ((allowed & (1 << d.ordinal())) != 0) {
          sb.append(first ? "" : ", ").append(d.numpyName());
          first = false;
        }
      }
      throw op.invalid(in, attrs, sb.append(" (got ").append(t.numpyName()).append(')').toString());
    }
  }

  /** Throws unless {@code a} and {@code b} have one dtype (TensorFlow never promotes). */
  static void requireSame(OpDef op, Tensor[] in, Attrs attrs, Tensor a, Tensor b) {
    if (a.dtype() != b.dtype()) {
      throw op.invalid(in, attrs, "expected " + a.dtype().numpyName() + " and "
          + b.dtype().numpyName() + " to be one dtype (no implicit promotion: convert with"
          + " Ops.cast)");
    }
  }

  /** The shape {@code a} and {@code b} broadcast to, or an error naming the op and both shapes. */
  static Shape broadcast(OpDef op, Tensor[] in, Attrs attrs, Shape a, Shape b) {
    if (a.equals(b)) {
      return a;
    }
    if (!Shape.broadcastable(a, b)) {
      throw op.invalid(in, attrs, "expected shapes that broadcast, but " + a + " and " + b
          + " are incompatible (aligned at the last axis, each dimension pair must be equal or"
          + " contain a 1)");
    }
    return Shape.broadcast(a, b);
  }

  /** One output spec. */
  static TensorSpec[] spec(DType t, Shape s) {
    return new TensorSpec[] {new TensorSpec(t, s)};
  }

  /** One output tensor over a filled buffer. */
  static Tensor[] wrap(TensorSpec o, MemorySegment data) {
    return new Tensor[] {Tensors.wrap(o.dtype(), o.shape(), data)};
  }

  /**
   * {@code v} as a rank-0 tensor of {@code like}'s dtype, as TensorFlow converts a Python number
   * operand: floats round to the dtype, integer dtypes take only integral values in range, BOOL
   * takes no number.
   *
   * @throws InvalidArgumentException naming {@code op} when {@code v} does not convert
   */
  public static Tensor scalarLike(OpDef op, Tensor like, double v) {
    DType t = like.dtype();
    return switch (t) {
      case FLOAT32 -> Tensor.scalar((float) v);
      case FLOAT64 -> Tensor.scalar(v);
      case INT32 -> {
        if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw cannotConvert(op, like, v);
        }
        yield Tensor.scalar((int) v);
      }
      case INT64 -> {
        if (v != Math.rint(v) || v < -0x1p63 || v >= 0x1p63) {
          throw cannotConvert(op, like, v);
        }
        yield Tensor.scalar((long) v);
      }
      case BOOL -> throw cannotConvert(op, like, v);
    };
  }

  private static InvalidArgumentException cannotConvert(OpDef op, Tensor like, double v) {
    String want = like.dtype() == DType.BOOL
        ? "a tensor operand (a number does not convert to bool)"
        : "an integral number in the range of " + like.dtype().numpyName();
    return new InvalidArgumentException(op.name() + ": cannot convert " + v + " to a tensor of"
        + " dtype " + like.dtype().numpyName() + " (the other operand is " + like.describe()
        + "); expected " + want);
  }
}
