package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.LaneSums;
import dev.isthmus.kernels.fusion.Emit.SVal;
import dev.isthmus.kernels.fusion.Emit.Val;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.MethodTypeDesc;

/**
 * The reducing loops of a kernel with a {@link Reduction}: the root's vectors go into four
 * accumulators in rotation ({@code t = a0 op v; a0 = a1; a1 = a2; a2 = a3; a3 = t}: four
 * independent chains, as the hand-written reductions keep, without repeating the expression's
 * code four times), over leaves of {@value LoopWriter#SUM_LEAF_VECTORS} vectors for floating
 * sums; each leaf is reduced across lanes (floating sums in {@link LaneSums}' fixed order) and
 * added into a double total with Neumaier's compensation (so a float32 sum carries about 48 bits,
 * and a float64 sum's error does not grow with the element count). MAX, MIN and integer sums are
 * exact in any order and use one leaf.
 * The tail's scalars go straight into the total.
 */
final class Reductions {
  private final LoopWriter w;
  private final Reduction red;
  private final ElementType t;
  private final Emit e;
  private final CodeBuilder cb;
  private final boolean floating;
  private final boolean sum;
  private SVal total;
  private SVal comp;

  Reductions(LoopWriter w, Reduction red, ElementType t) {
    this.w = w;
    this.red = red;
    this.t = t;
    this.e = w.emit();
    this.cb = w.code();
    this.floating = t.floating();
    this.sum = red.op() == Reduction.Op.SUM || red.op() == Reduction.Op.MEAN;
  }

  /** total = identity (double for floats, long for integers); comp = 0. */
  void initTotals() {
    if (total == null) {
      total = e.newScalar(floating ? TypeKind.DOUBLE : TypeKind.LONG);
      comp = e.newScalar(TypeKind.DOUBLE);
    }
    if (floating) {
      cb.loadConstant(sum ? 0.0 : red.op() == Reduction.Op.MAX ? Double.NEGATIVE_INFINITY
          : Double.POSITIVE_INFINITY);
      cb.dstore(total.slot());
    } else {
      cb.loadConstant(sum ? 0L : FusedScalar.identity(t, red.op() == Reduction.Op.MAX));
      cb.lstore(total.slot());
    }
    cb.dconst_0();
    cb.dstore(comp.slot());
  }

  private String method() {
    return switch (red.op()) {
      case SUM, MEAN -> "add";
      case MAX -> "max";
      case MIN -> "min";
    };
  }

  private Val identity(VKind k) {
    if (sum) {
      return e.zero(k);
    }
    boolean max = red.op() == Reduction.Op.MAX;
    double v = switch (t) {
      case FLOAT32, FLOAT64 -> max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      default -> 0; // integers: set below
    };
    Object x = switch (t) {
      case FLOAT32 -> (float) v;
      case FLOAT64 -> v;
      case INT32 -> max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
      default -> max ? Long.MIN_VALUE : Long.MAX_VALUE;
    };
    return e.broadcast(k, x);
  }

  /** The vector loop over leaves, then the tail. */
  void loops() {
    FusedExpr x = w.expr();
    int root = x.outputNode(0);
    VKind k = VKind.of(t);
    int bound = w.bound();
    int leafEnd = cb.allocateLocal(w.idx());
    Val[] acc = {e.newLocal(k), e.newLocal(k), e.newLocal(k), e.newLocal(k)};
    int j = w.jSlot();
    // j = 0; while (j < bound) { leaf }
    if (w.arrays()) {
      cb.iconst_0();
    } else {
      cb.lconst_0();
    }
    cb.storeLocal(w.idx(), j);
    Label leafCond = cb.newLabel();
    Label leafTop = cb.newLabel();
    cb.goto_(leafCond);
    cb.labelBinding(leafTop);
    e.note("// leaf");
    if (floating && sum) {
      cb.loadLocal(w.idx(), j);
      int leaf = LoopWriter.SUM_LEAF_VECTORS * w.shape().w();
      if (w.arrays()) {
        cb.loadConstant(leaf);
        cb.iadd();
      } else {
        cb.loadConstant((long) leaf);
        cb.ladd();
      }
      cb.loadLocal(w.idx(), bound);
      Class<?> ix = w.arrays() ? int.class : long.class;
      cb.invokestatic(Emit.desc(Math.class), "min",
          MethodTypeDesc.of(Emit.desc(ix), Emit.desc(ix), Emit.desc(ix)));
    } else {
      cb.loadLocal(w.idx(), bound);
    }
    cb.storeLocal(w.idx(), leafEnd);
    Val id = identity(k);
    for (Val a : acc) {
      e.move(id, a);
    }
    Label cond = cb.newLabel();
    Label top = cb.newLabel();
    cb.goto_(cond);
    cb.labelBinding(top);
    e.note("// vector loop");
    w.vectorBody();
    for (Val v : w.vectorOf(root)) {
      Val s = e.on(acc[0], method(), v);
      e.move(acc[1], acc[0]);
      e.move(acc[2], acc[1]);
      e.move(acc[3], acc[2]);
      e.move(s, acc[3]);
    }
    w.step(w.shape().w());
    cb.labelBinding(cond);
    w.branchLess(j, leafEnd, top);
    Val r = e.on(e.on(acc[0], method(), acc[1]), method(), e.on(acc[2], method(), acc[3]));
    // A floating sum across lanes in LaneSums' fixed order: reduceLanes(ADD) adds in another
    // order once C2 compiles it than before, and the result must not depend on that.
    SVal leaf = floating && sum ? laneSum(k, r)
        : e.callScalar(k.scalar, r, "reduceLanes", Emit.op(red.op() == Reduction.Op.MAX ? "MAX"
            : red.op() == Reduction.Op.MIN ? "MIN" : "ADD"));
    combine(leaf);
    cb.labelBinding(leafCond);
    w.branchLess(j, bound, leafTop);
    w.tailLoop(() -> {
      w.tailValues();
      combine(w.scalarOf(root));
    });
  }

  /** {@code LaneSums.sum(r)}, into a new scalar local. */
  private SVal laneSum(VKind k, Val r) {
    cb.aload(r.slot());
    cb.invokestatic(Emit.desc(LaneSums.class), "sum",
        MethodTypeDesc.of(Emit.desc(k.elem), Emit.desc(k.cls)));
    SVal s = e.newScalar(k.scalar);
    cb.storeLocal(k.scalar, s.slot());
    e.note("s" + s.slot() + " = LaneSums.sum(v" + r.slot() + ")");
    return s;
  }

  /** total (op)= v, a scalar of the root's type. */
  private void combine(SVal v) {
    if (floating) {
      cb.loadLocal(v.kind(), v.slot());
      if (v.kind() == TypeKind.FLOAT) {
        cb.f2d();
      }
      SVal d = e.newScalar(TypeKind.DOUBLE);
      cb.dstore(d.slot());
      if (sum) {
        SVal s = e.newScalar(TypeKind.DOUBLE);
        cb.dload(total.slot());
        cb.dload(d.slot());
        cb.dadd();
        cb.dstore(s.slot());
        cb.dload(comp.slot());
        cb.dload(total.slot());
        cb.dload(d.slot());
        cb.dload(s.slot());
        MethodTypeDesc ddd = MethodTypeDesc.of(Emit.desc(double.class), Emit.desc(double.class),
            Emit.desc(double.class), Emit.desc(double.class));
        cb.invokestatic(Emit.desc(FusedAccess.class), "sumError", ddd);
        cb.dadd();
        cb.dstore(comp.slot());
        cb.dload(s.slot());
      } else {
        cb.dload(total.slot());
        cb.dload(d.slot());
        MethodTypeDesc dd = MethodTypeDesc.of(Emit.desc(double.class), Emit.desc(double.class),
            Emit.desc(double.class));
        cb.invokestatic(Emit.desc(Math.class), method(), dd);
      }
      cb.dstore(total.slot());
    } else {
      cb.lload(total.slot());
      cb.loadLocal(v.kind(), v.slot());
      if (v.kind() == TypeKind.INT) {
        cb.i2l();
      }
      if (sum) {
        cb.ladd();
      } else {
        MethodTypeDesc jj = MethodTypeDesc.of(Emit.desc(long.class), Emit.desc(long.class),
            Emit.desc(long.class));
        cb.invokestatic(Emit.desc(Math.class), method(), jj);
      }
      cb.lstore(total.slot());
    }
    e.note("total " + red.op() + "= s" + v.slot());
  }

  /** Stores the result: at out index + r (INNER, {@code perRow}) or at out index (ALL). */
  void store(boolean perRow) {
    SVal result = e.newScalar(VKind.scalarOf(t));
    if (floating) {
      cb.dload(total.slot());
      if (sum) {
        cb.dload(comp.slot());
        cb.dadd();
      }
      if (red.op() == Reduction.Op.MEAN) {
        if (t == ElementType.FLOAT32) {
          cb.d2f();
          pushCount(perRow);
          cb.l2f();
          cb.fdiv();
        } else {
          pushCount(perRow);
          cb.l2d();
          cb.ddiv();
        }
      } else if (t == ElementType.FLOAT32) {
        cb.d2f();
      }
    } else {
      cb.lload(total.slot());
      if (t == ElementType.INT32) {
        cb.l2i();
      }
    }
    cb.storeLocal(result.kind(), result.slot());
    int outIdx = w.outputIndexSlot();
    w.memory().storeScalarAt(w.expr().inputCount(), t, result, () -> {
      cb.lload(outIdx);
      if (perRow) {
        cb.lload(w.rowSlot());
        cb.ladd();
      }
      if (w.arrays()) {
        cb.l2i();
      }
    });
    e.note("out[" + (perRow ? "o+r" : "o") + "] = s" + result.slot());
  }

  /** The element count of the mean: inner per row, or (to - from) * inner. */
  private void pushCount(boolean perRow) {
    cb.lload(w.innerSlot());
    if (!perRow) {
      cb.lload(w.toSlot());
      cb.lload(w.fromSlot());
      cb.lsub();
      cb.lmul();
    }
  }
}
