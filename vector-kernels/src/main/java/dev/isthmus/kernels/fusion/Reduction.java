package dev.isthmus.kernels.fusion;

import java.util.Objects;

/**
 * The optional reduction at the root of a fused expression: the elementwise result is reduced
 * in registers and never stored.
 *
 * @param op the operator
 * @param axes over the inner axis (one value per row) or over every element (one value)
 */
public record Reduction(Op op, Axes axes) {
  /** The reduction operators. */
  public enum Op {
    /** Sum; integers wrap. Identity 0. */
    SUM,
    /** Maximum, NaN-propagating as {@link Math#max}. Identity: the type's lowest value. */
    MAX,
    /** Minimum, NaN-propagating as {@link Math#min}. Identity: the type's highest value. */
    MIN,
    /** Sum divided by the element count, floating types only (NaN over no elements). */
    MEAN
  }

  /** What is reduced. */
  public enum Axes {
    /** Each row's {@code inner} elements to one value: the output has {@code outer} elements. */
    INNER,
    /** Every element to one value: the output has one element. */
    ALL
  }

  /** Checks that both parts are given. */
  public Reduction {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(axes, "axes");
  }

  @Override
  public String toString() {
    return op.name().toLowerCase(java.util.Locale.ROOT) + " over "
        + axes.name().toLowerCase(java.util.Locale.ROOT);
  }
}
