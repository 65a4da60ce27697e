package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.UnaryOp;
import java.util.Objects;

/**
 * One node of a {@link FusedExpr}: records, so that equality and hashing are structural. Operands
 * are indices of earlier nodes in {@link FusedExpr#nodes()} (the list is in topological order).
 * Each node's element type is {@link FusedExpr#type(int)}; the rules are those of the per-op
 * kernels and of TensorFlow: no implicit promotion, comparisons give BOOL.
 */
public sealed interface FusedNode {
  /** The operand node indices, in order. */
  int[] operands();

  /**
   * Input {@code index} of the kernel call.
   *
   * @param index its position in the call's input arrays
   * @param type its element type
   * @param pattern how it broadcasts over the iteration space
   */
  record Input(int index, ElementType type, Pattern pattern) implements FusedNode {
    /** Checks the parts. */
    public Input {
      if (index < 0) {
        throw new IllegalArgumentException("negative input index " + index);
      }
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public int[] operands() {
      return new int[0];
    }
  }

  /**
   * A constant compiled into the kernel: {@code bits} is the raw IEEE bits of a float or double,
   * the value of an integer, or 0/1. A value that changes between calls belongs in a {@link
   * Pattern#SCALAR} input instead, so that the kernel is reused.
   *
   * @param type the element type
   * @param bits the value's bits, as above
   */
  record Literal(ElementType type, long bits) implements FusedNode {
    /** Checks the type. */
    public Literal {
      Objects.requireNonNull(type, "type");
    }

    @Override
    public int[] operands() {
      return new int[0];
    }

    /** The value as a double (exact for every type but INT64 beyond 2^53). */
    public double asDouble() {
      return switch (type) {
        case FLOAT32 -> Float.intBitsToFloat((int) bits);
        case FLOAT64 -> Double.longBitsToDouble(bits);
        default -> bits;
      };
    }
  }

  /**
   * {@code op(x)}, as {@link dev.isthmus.kernels.UnaryKernels}.
   *
   * @param op the operator
   * @param x the operand node
   */
  record Unary(UnaryOp op, int x) implements FusedNode {
    /** Checks the operator. */
    public Unary {
      Objects.requireNonNull(op, "op");
    }

    @Override
    public int[] operands() {
      return new int[] {x};
    }
  }

  /**
   * {@code op(a, b)}, as {@link dev.isthmus.kernels.BinaryKernels}.
   *
   * @param op the operator
   * @param a the first operand node
   * @param b the second operand node
   */
  record Binary(BinaryOp op, int a, int b) implements FusedNode {
    /** Checks the operator. */
    public Binary {
      Objects.requireNonNull(op, "op");
    }

    @Override
    public int[] operands() {
      return new int[] {a, b};
    }
  }

  /**
   * {@code op(a, b)}, a BOOL, as {@link dev.isthmus.kernels.CompareKernels}.
   *
   * @param op the comparison
   * @param a the first operand node
   * @param b the second operand node
   */
  record Compare(CompareOp op, int a, int b) implements FusedNode {
    /** Checks the operator. */
    public Compare {
      Objects.requireNonNull(op, "op");
    }

    @Override
    public int[] operands() {
      return new int[] {a, b};
    }
  }

  /**
   * {@code op(a, b)} on BOOLs, as {@link dev.isthmus.kernels.LogicKernels}.
   *
   * @param op the operator
   * @param a the first operand node
   * @param b the second operand node (equal to {@code a}, and ignored, for NOT)
   */
  record Logic(LogicOp op, int a, int b) implements FusedNode {
    /** Checks the operator. */
    public Logic {
      Objects.requireNonNull(op, "op");
    }

    @Override
    public int[] operands() {
      return op == LogicOp.NOT ? new int[] {a} : new int[] {a, b};
    }
  }

  /**
   * {@code cond ? a : b} (tf.where), as {@link dev.isthmus.kernels.SelectKernels}.
   *
   * @param cond the BOOL condition node
   * @param a the node chosen where the condition holds
   * @param b the node chosen elsewhere
   */
  record Select(int cond, int a, int b) implements FusedNode {
    @Override
    public int[] operands() {
      return new int[] {cond, a, b};
    }
  }

  /**
   * {@code (to) x}, with Java's (and {@link dev.isthmus.kernels.CastKernels}') rules.
   *
   * @param to the element type converted to
   * @param x the operand node
   */
  record Cast(ElementType to, int x) implements FusedNode {
    /** Checks the type. */
    public Cast {
      Objects.requireNonNull(to, "to");
    }

    @Override
    public int[] operands() {
      return new int[] {x};
    }
  }

  /**
   * {@code fma(±a, b, ±c)}: a contracted {@code a*b + c} (or {@code a*b - c}, {@code c - a*b}).
   * Only the lowering of an expression with FMA contraction on makes these.
   *
   * @param a the product's first factor
   * @param b the product's second factor
   * @param c the addend
   * @param negateProduct true for {@code c - a*b}
   * @param negateAddend true for {@code a*b - c}
   */
  record Fma(int a, int b, int c, boolean negateProduct, boolean negateAddend)
      implements FusedNode {
    @Override
    public int[] operands() {
      return new int[] {a, b, c};
    }
  }
}
