package dev.isthmus.scopes.jit;

import dev.isthmus.DType;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.BinaryOps;
import dev.isthmus.internal.CastOps;
import dev.isthmus.internal.CompareOps;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.ReduceOps;
import dev.isthmus.internal.UnaryOps;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.Epilogue;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.Pattern;
import dev.isthmus.kernels.fusion.Reduction;

/**
 * Which cluster members the fusion compiler can take, and how each becomes nodes of a {@link
 * FusedExpr}: the elementwise ops with a {@link OpDef#fusionOp()} (unary, binary, compare,
 * logic), Cast and SelectV2, each as the very kernel-level operator its own kernel runs, so a
 * fused element is computed as the op computes it. Left out: ops whose kernels check values
 * (integer FloorDiv, FloorMod and Pow raise errors on zero divisors and negative exponents),
 * floating FloorMod (no vector form), and anything without a fusion operator.
 */
final class FusibleOps {
  private FusibleOps() {}

  static ElementType type(DType t) {
    return ElementType.valueOf(t.name());
  }

  /**
   * The node computing {@code def} over {@code x} (refs of its operands) giving {@code out}, or
   * null if the op does not fuse. Throws {@link IllegalArgumentException} when the builder
   * rejects the operand types.
   */
  static FusedExpr.Ref apply(FusedExpr.Builder b, OpDef def, Attrs a, FusedExpr.Ref[] x,
      DType out) {
    if (def == CastOps.CAST) {
      return b.cast(x[0], type(out));
    }
    if (def == CompareOps.SELECT) {
      return b.select(x[0], x[1], x[2]);
    }
    Object op = def.fusionOp();
    boolean integral = x.length > 0 && x[0].type().integral();
    if (op instanceof UnaryOp) {
      return b.unary(UnaryOps.kernelOp(def, a), x[0]);
    }
    if (op instanceof BinaryOp bo) {
      if (def == BinaryOps.DIV && integral) { // RealDiv of integers divides in FLOAT64
        return b.binary(bo, b.cast(x[0], ElementType.FLOAT64), b.cast(x[1], ElementType.FLOAT64));
      }
      boolean checked = bo == BinaryOp.FLOOR_DIV || bo == BinaryOp.FLOOR_MOD || bo == BinaryOp.POW;
      if (integral && checked || bo == BinaryOp.FLOOR_MOD) {
        return null;
      }
      return b.binary(bo, x[0], x[1]);
    }
    if (op instanceof CompareOp co) {
      if (x[0].type() == ElementType.BOOL) { // as the op's kernel: equality of bytes
        return switch (co) {
          case EQUAL -> b.logic(LogicOp.XNOR, x[0], x[1]);
          case NOT_EQUAL -> b.logic(LogicOp.XOR, x[0], x[1]);
          default -> null;
        };
      }
      return b.compare(co, x[0], x[1]);
    }
    if (op instanceof LogicOp lo) {
      return lo == LogicOp.NOT ? b.not(x[0]) : b.logic(lo, x[0], x[1]);
    }
    return null;
  }

  /** True if {@code def} with these operand and output dtypes becomes a fused node. */
  static boolean fusable(OpDef def, Attrs a, DType[] in, DType out) {
    if (!def.is(OpDef.Flag.ELEMENTWISE) || in.length == 0) {
      return false;
    }
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref[] x = new FusedExpr.Ref[in.length];
    for (int i = 0; i < in.length; i++) {
      x[i] = b.input(i, type(in[i]), Pattern.ELEMENTWISE);
    }
    try {
      FusedExpr.Ref r = apply(b, def, a, x, out);
      return r != null && r.type() == type(out);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * True if the op's vector form equals its scalar twin bit for bit (so where a row is split
   * between the vector loop and the scalar tail does not matter): integer and boolean ops,
   * casts, selects, comparisons and the correctly rounded float operators.
   */
  static boolean exact(OpDef def, Attrs a, DType t) {
    if (!t.isFloating()) {
      return true;
    }
    Object op = def.fusionOp();
    if (op instanceof UnaryOp) {
      return switch (UnaryOps.kernelOp(def, a)) {
        case NEG, ABS, SIGN, SQRT, SQUARE, RECIPROCAL, RELU, RELU6, FLOOR, CEIL, ROUND -> true;
        case RSQRT -> t == DType.FLOAT64;
        default -> false;
      };
    }
    if (op instanceof BinaryOp bo) {
      return bo != BinaryOp.POW && bo != BinaryOp.ATAN2;
    }
    return true;
  }

  /** The root reduction {@code def} is, for a value of dtype {@code t}, or null. */
  static Reduction.Op reduction(OpDef def, DType t) {
    if (def == ReduceOps.SUM) {
      return t == DType.BOOL ? null : Reduction.Op.SUM;
    }
    if (def == ReduceOps.MEAN) {
      return t.isFloating() ? Reduction.Op.MEAN : null;
    }
    if (def == ReduceOps.MAX) {
      return t == DType.BOOL ? null : Reduction.Op.MAX;
    }
    if (def == ReduceOps.MIN) {
      return t == DType.BOOL ? null : Reduction.Op.MIN;
    }
    return null;
  }

  /** The GEMM epilogue activation {@code def} is, or null. */
  static Epilogue.Activation activation(OpDef def, Attrs a) {
    if (!(def.fusionOp() instanceof UnaryOp)) {
      return null;
    }
    UnaryOp op = UnaryOps.kernelOp(def, a);
    for (Epilogue.Activation act : Epilogue.Activation.values()) {
      if (act.op() == op) {
        return act;
      }
    }
    return null;
  }
}
