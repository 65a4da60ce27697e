package dev.isthmus.internal;

import static dev.isthmus.internal.BinaryRules.ALL;
import static dev.isthmus.internal.BinaryRules.BOOL;
import static dev.isthmus.internal.BinaryRules.NUMERIC;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.CompareKernels;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.LogicKernels;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.SelectKernels;
import java.lang.foreign.MemorySegment;

/**
 * Declarations of the comparisons (numeric, or BOOL for equality) and logical ops, all giving
 * BOOL, and of SelectV2 ({@code where}). All broadcast under numpy's rule. One entry per op.
 */
public final class CompareOps {
  private CompareOps() {}

  /** {@code x == y}. */
  public static final OpDef EQUAL = compare("Equal", CompareOp.EQUAL, ALL);
  /** {@code x != y} (true where either is NaN). */
  public static final OpDef NOT_EQUAL = compare("NotEqual", CompareOp.NOT_EQUAL, ALL);
  /** {@code x < y}. */
  public static final OpDef LESS = compare("Less", CompareOp.LESS, NUMERIC);
  /** {@code x <= y}. */
  public static final OpDef LESS_EQUAL = compare("LessEqual", CompareOp.LESS_EQUAL, NUMERIC);
  /** {@code x > y}. */
  public static final OpDef GREATER = compare("Greater", CompareOp.GREATER, NUMERIC);
  /** {@code x >= y}. */
  public static final OpDef GREATER_EQUAL =
      compare("GreaterEqual", CompareOp.GREATER_EQUAL, NUMERIC);
  /** {@code x && y} on BOOL. */
  public static final OpDef LOGICAL_AND = logic("LogicalAnd", LogicOp.AND);
  /** {@code x || y} on BOOL. */
  public static final OpDef LOGICAL_OR = logic("LogicalOr", LogicOp.OR);
  /** {@code !x} on BOOL. */
  public static final OpDef LOGICAL_NOT = logicalNot();
  /** {@code condition ? t : e}, the three broadcast together. */
  public static final OpDef SELECT = select();

  private static OpDef compare(String name, CompareOp op, int dtypes) {
    return OpDef.builder(name)
        .inputs("x", "y")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(op)
        .gradient(GradientSupport.NOT_DIFFERENTIABLE) // TensorFlow: ops.NotDifferentiable
        .shape((d, in, a) -> {
          Tensor x = in[0], y = in[1];
          BinaryRules.requireSame(d, in, a, x, y);
          BinaryRules.requireIn(d, in, a, x.dtype(), dtypes);
          return BinaryRules.spec(DType.BOOL,
              BinaryRules.broadcast(d, in, a, x.shape(), y.shape()));
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0], y = in[1];
          TensorSpec o = outs[0];
          MemorySegment out = Tensors.allocate(o);
          MemorySegment xs = Tensors.data(x), ys = Tensors.data(y);
          DType t = x.dtype();
          if (t == DType.BOOL) { // equality of 0/1 bytes is XNOR, inequality XOR
            LogicOp l = op == CompareOp.EQUAL ? LogicOp.XNOR : LogicOp.XOR;
            Broadcast.forEach(o.shape(), x.shape(), y.shape(),
                (xo, xr, yo, yr, oo, n) -> logicRun(l, xs, xo, xr, ys, yo, yr, out, oo, n));
          } else {
            Broadcast.forEach(o.shape(), x.shape(), y.shape(),
                (xo, xr, yo, yr, oo, n) -> compareRun(op, t, xs, xo, xr, ys, yo, yr, out, oo, n));
          }
          return BinaryRules.wrap(o, out);
        })
        .build();
  }

  private static OpDef logic(String name, LogicOp op) {
    return OpDef.builder(name)
        .inputs("x", "y")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(op)
        .gradient(GradientSupport.NOT_DIFFERENTIABLE) // TensorFlow: ops.NotDifferentiable
        .shape((d, in, a) -> {
          BinaryRules.requireIn(d, in, a, in[0].dtype(), BOOL);
          BinaryRules.requireIn(d, in, a, in[1].dtype(), BOOL);
          return BinaryRules.spec(DType.BOOL,
              BinaryRules.broadcast(d, in, a, in[0].shape(), in[1].shape()));
        })
        .kernel((in, a, outs) -> {
          TensorSpec o = outs[0];
          MemorySegment out = Tensors.allocate(o);
          MemorySegment xs = Tensors.data(in[0]), ys = Tensors.data(in[1]);
          Broadcast.forEach(o.shape(), in[0].shape(), in[1].shape(),
              (xo, xr, yo, yr, oo, n) -> logicRun(op, xs, xo, xr, ys, yo, yr, out, oo, n));
          return BinaryRules.wrap(o, out);
        })
        .build();
  }

  private static OpDef logicalNot() {
    return OpDef.builder("LogicalNot")
        .inputs("x")
        .flags(OpDef.Flag.ELEMENTWISE)
        .fusion(LogicOp.NOT)
        .gradient(GradientSupport.NOT_DIFFERENTIABLE)
        .shape((d, in, a) -> {
          BinaryRules.requireIn(d, in, a, in[0].dtype(), BOOL);
          return Rules.like(in[0], DType.BOOL);
        })
        .kernel((in, a, outs) -> {
          MemorySegment out = Tensors.allocate(outs[0]);
          LogicKernels.not(Tensors.data(in[0]), 0, out, 0, in[0].size());
          return BinaryRules.wrap(outs[0], out);
        })
        .build();
  }

  private static OpDef select() {
    return OpDef.builder("SelectV2")
        .inputs("condition", "t", "e")
        .flags(OpDef.Flag.ELEMENTWISE)
        .gradient(GradientSupport.floating((in, out, up, a) -> {
          // TensorFlow's _SelectGradV2: g where the condition picked the value, summed back to
          // each value's shape; the condition gets none
          Tensor c = in[0], g = up[0];
          return new Tensor[] {null,
              GradientSupport.unbroadcast(GradientSupport.keep(c, g), in[1].shape()),
              GradientSupport.unbroadcast(GradientSupport.drop(c, g), in[2].shape())};
        }))
        .shape((d, in, a) -> {
          Tensor c = in[0], x = in[1], y = in[2];
          if (c.dtype() != DType.BOOL) {
            throw d.invalid(in, a, "expected condition of dtype bool");
          }
          BinaryRules.requireSame(d, in, a, x, y);
          Shape s = BinaryRules.broadcast(d, in, a, x.shape(), y.shape());
          if (!Shape.broadcastable(c.shape(), s)) {
            throw d.invalid(in, a, "expected shapes that broadcast, but condition " + c.shape()
                + " is incompatible with the values' broadcast shape " + s);
          }
          return BinaryRules.spec(x.dtype(), Shape.broadcast(c.shape(), s));
        })
        .kernel((in, a, outs) -> {
          Tensor c = in[0], x = in[1], y = in[2];
          TensorSpec o = outs[0];
          MemorySegment out = Tensors.allocate(o);
          MemorySegment cs = Tensors.data(c), xs = Tensors.data(x), ys = Tensors.data(y);
          int width = o.dtype().byteSize();
          Broadcast.forEach(o.shape(), c.shape(), x.shape(), y.shape(),
              (co, cr, xo, xr, yo, yr, oo, n) -> {
                switch (width) {
                  case 1 -> SelectKernels.select8(cs, co, cr, xs, xo, xr, ys, yo, yr, out, oo, n);
                  case 4 -> SelectKernels.select32(cs, co, cr, xs, xo, xr, ys, yo, yr, out, oo, n);
                  default -> SelectKernels.select64(cs, co, cr, xs, xo, xr, ys, yo, yr, out, oo, n);
                }
              });
          return BinaryRules.wrap(o, out);
        })
        .build();
  }

  private static void logicRun(LogicOp op, MemorySegment x, long xo, boolean xr,
      MemorySegment y, long yo, boolean yr, MemorySegment out, long oo, long n) {
    if (xr) {
      LogicKernels.sv(op, x.get(JAVA_BYTE, xo) != 0, y, yo, out, oo, n);
    } else if (yr) {
      LogicKernels.vs(op, x, xo, y.get(JAVA_BYTE, yo) != 0, out, oo, n);
    } else {
      LogicKernels.vv(op, x, xo, y, yo, out, oo, n);
    }
  }

  private static void compareRun(CompareOp op, DType t, MemorySegment a, long ao, boolean ar,
      MemorySegment b, long bo, boolean br, MemorySegment y, long yo, long n) {
    switch (t) {
      case FLOAT32 -> {
        if (ar) {
          CompareKernels.f32sv(op, a.getAtIndex(JAVA_FLOAT, ao), b, bo, y, yo, n);
        } else if (br) {
          CompareKernels.f32vs(op, a, ao, b.getAtIndex(JAVA_FLOAT, bo), y, yo, n);
        } else {
          CompareKernels.f32vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case FLOAT64 -> {
        if (ar) {
          CompareKernels.f64sv(op, a.getAtIndex(JAVA_DOUBLE, ao), b, bo, y, yo, n);
        } else if (br) {
          CompareKernels.f64vs(op, a, ao, b.getAtIndex(JAVA_DOUBLE, bo), y, yo, n);
        } else {
          CompareKernels.f64vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case INT32 -> {
        if (ar) {
          CompareKernels.i32sv(op, a.getAtIndex(JAVA_INT, ao), b, bo, y, yo, n);
        } else if (br) {
          CompareKernels.i32vs(op, a, ao, b.getAtIndex(JAVA_INT, bo), y, yo, n);
        } else {
          CompareKernels.i32vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case INT64 -> {
        if (ar) {
          CompareKernels.i64sv(op, a.getAtIndex(JAVA_LONG, ao), b, bo, y, yo, n);
        } else if (br) {
          CompareKernels.i64vs(op, a, ao, b.getAtIndex(JAVA_LONG, bo), y, yo, n);
        } else {
          CompareKernels.i64vv(op, a, ao, b, bo, y, yo, n);
        }
      }
      case BOOL -> throw new AssertionError("bool compares through LogicKernels");
    }
  }
}
