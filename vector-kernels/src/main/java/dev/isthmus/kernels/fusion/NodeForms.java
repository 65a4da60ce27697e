package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.fusion.Emit.Push;
import dev.isthmus.kernels.fusion.Emit.SVal;
import dev.isthmus.kernels.fusion.Emit.Spec;
import dev.isthmus.kernels.fusion.Emit.Val;
import dev.isthmus.kernels.fusion.FusedNode.Binary;
import dev.isthmus.kernels.fusion.FusedNode.Cast;
import dev.isthmus.kernels.fusion.FusedNode.Compare;
import dev.isthmus.kernels.fusion.FusedNode.Fma;
import dev.isthmus.kernels.fusion.FusedNode.Input;
import dev.isthmus.kernels.fusion.FusedNode.Literal;
import dev.isthmus.kernels.fusion.FusedNode.Logic;
import dev.isthmus.kernels.fusion.FusedNode.Select;
import dev.isthmus.kernels.fusion.FusedNode.Unary;
import dev.isthmus.kernels.fusion.LoopWriter.Shape;
import java.lang.classfile.TypeKind;
import jdk.incubator.vector.VectorMask;

/**
 * The value of each node in the generated loop: its vector form (one vector per part, or masks
 * for BOOL) from its operands' vector forms through {@link VectorOps}, its scalar form through
 * {@link ScalarOps}, and the broadcast of a uniform or per-row scalar. Also the conversions
 * between the two vector layouts (one vector of {@code W} lanes, or two of {@code W/2}) that
 * casts, selects and logic over mixed widths need.
 */
final class NodeForms {
  private final LoopWriter w;
  private final LoopMemory mem;
  private final FusedExpr x;
  private final Emit e;
  private final VectorOps vo;
  private final ScalarOps so;
  private final Shape shape;

  NodeForms(LoopWriter w, LoopMemory mem) {
    this.w = w;
    this.mem = mem;
    this.x = w.expr();
    this.e = w.emit();
    this.vo = new VectorOps(e);
    this.so = new ScalarOps(e);
    this.shape = w.shape();
  }

  Val[] broadcastForm(int i) {
    ElementType t = x.type(i);
    SVal s = w.scalar[i];
    if (t == ElementType.BOOL) {
      Push bits = new Push(long.class, "-s" + s.slot(), c -> {
        c.iload(s.slot());
        c.ineg();
        c.i2l();
      });
      return new Val[] {e.call(VKind.MB, VectorMask.class, null, "fromLong", new Spec(VKind.B),
          bits)};
    }
    VKind k = VKind.of(t);
    Val b = e.broadcast(k, s);
    return shape.parts(k) == 1 ? new Val[] {b} : new Val[] {b, b};
  }

  Val[] vectorForm(int i) {
    FusedNode node = x.nodes().get(i);
    ElementType t = x.type(i);
    return switch (node) {
      case Input in -> mem.load(in);
      case Literal l -> throw new AssertionError("literals are uniform");
      case Unary u -> each(w.vec[u.x()], null, null, (a, b, c) -> vo.unary(u.op(), a));
      case Binary b -> each(w.vec[b.a()], w.vec[b.b()], null, (p, q, r) -> vo.binary(b.op(), p, q));
      case Compare c -> each(w.vec[c.a()], w.vec[c.b()], null, (p, q, r) -> vo.compare(c.op(), p, q));
      case Fma f -> each(w.vec[f.a()], w.vec[f.b()], w.vec[f.c()],
          (p, q, r) -> vo.fma(p, q, r, f.negateProduct(), f.negateAddend()));
      case Logic l -> logic(l);
      case Select s -> select(s, t);
      case Cast c -> cast(w.vec[c.x()], x.type(c.x()), t);
    };
  }

  private interface PartOp {
    Val apply(Val a, Val b, Val c);
  }

  private static Val[] each(Val[] a, Val[] b, Val[] c, PartOp op) {
    Val[] out = new Val[a.length];
    for (int p = 0; p < a.length; p++) {
      out[p] = op.apply(a[p], b == null ? null : b[p], c == null ? null : c[p]);
    }
    return out;
  }

  private Val[] logic(Logic l) {
    Val[] a = w.vec[l.a()];
    if (l.op() == LogicOp.NOT) {
      return each(a, null, null, (p, q, r) -> e.on(p, "not"));
    }
    Val[] b = maskTo(w.vec[l.b()], a[0].kind());
    String m = switch (l.op()) {
      case AND -> "and";
      case OR -> "or";
      case XOR -> "xor";
      default -> "eq";
    };
    return each(a, b, null, (p, q, r) -> e.on(p, m, q));
  }

  private Val[] select(Select s, ElementType t) {
    Val[] a = w.vec[s.a()];
    if (t == ElementType.BOOL) {
      VKind k = a[0].kind();
      Val[] c = maskTo(w.vec[s.cond()], k);
      Val[] b = maskTo(w.vec[s.b()], k);
      return each(a, b, c, (p, q, r) -> e.on(e.on(p, "and", r), "or", e.on(q, "andNot", r)));
    }
    Val[] c = maskTo(w.vec[s.cond()], VKind.of(t).maskKind());
    return each(w.vec[s.b()], a, c, (q, p, r) -> vo.blend(q, p, r));
  }

  /** A BOOL value (masks over some lanes) as masks of kind {@code to}, part for part. */
  Val[] maskTo(Val[] m, VKind to) {
    VKind from = m[0].kind();
    if (from == to) {
      return m;
    }
    int pf = shape.parts(from);
    int pt = shape.parts(to);
    VKind lanes = to.laneKind();
    if (pf == pt) {
      return each(m, null, null, (p, q, r) -> vo.castMask(p, to));
    }
    int half = shape.w() / 2;
    if (pf == 1) { // W lanes to two halves
      SVal bits = e.callScalar(TypeKind.LONG, m[0], "toLong");
      Push high = new Push(long.class, "s" + bits.slot() + ">>>" + half, c -> {
        c.lload(bits.slot());
        c.loadConstant(half);
        c.lushr();
      });
      return new Val[] {
        e.call(to, VectorMask.class, null, "fromLong", new Spec(lanes), bits),
        e.call(to, VectorMask.class, null, "fromLong", new Spec(lanes), high)};
    }
    SVal lo = e.callScalar(TypeKind.LONG, m[0], "toLong");
    SVal hi = e.callScalar(TypeKind.LONG, m[1], "toLong");
    Push joined = new Push(long.class, "s" + lo.slot() + "|s" + hi.slot() + "<<" + half, c -> {
      c.lload(lo.slot());
      c.lload(hi.slot());
      c.loadConstant(half);
      c.lshl();
      c.lor();
    });
    return new Val[] {e.call(to, VectorMask.class, null, "fromLong", new Spec(lanes), joined)};
  }

  private Val[] cast(Val[] a, ElementType from, ElementType to) {
    if (from == ElementType.BOOL) {
      VKind k = VKind.of(to);
      return each(maskTo(a, k.maskKind()), null, null, (p, q, r) -> vo.fromMask(k, p));
    }
    if (to == ElementType.BOOL) {
      return each(a, null, null, (p, q, r) -> vo.nonZero(p));
    }
    VKind fk = VKind.of(from);
    VKind tk = VKind.of(to);
    String conv = fk.name() + "2" + tk.name();
    int pf = shape.parts(fk);
    int pt = shape.parts(tk);
    if (pf == pt) {
      return each(a, null, null, (p, q, r) -> e.call(tk, null, p, "convert", Emit.op(conv), 0));
    }
    if (pf == 1) {
      return new Val[] {
        e.call(tk, null, a[0], "convertShape", Emit.op(conv), new Spec(tk), 0),
        e.call(tk, null, a[0], "convertShape", Emit.op(conv), new Spec(tk), 1)};
    }
    return new Val[] {vo.math.narrow(a[0], a[1], tk, conv)};
  }

  SVal scalarForm(int i, boolean tail) {
    FusedNode node = x.nodes().get(i);
    return switch (node) {
      case Input in -> mem.loadScalar(in, tail);
      case Literal l -> so.literal(l);
      case Unary u -> so.unary(u.op(), w.scalar[u.x()]);
      case Binary b -> so.binary(b.op(), w.scalar[b.a()], w.scalar[b.b()]);
      case Compare c -> so.compare(c.op(), w.scalar[c.a()], w.scalar[c.b()]);
      case Logic l -> so.logic(l.op(), w.scalar[l.a()], w.scalar[l.b()]);
      case Select s -> so.select(w.scalar[s.cond()], w.scalar[s.a()], w.scalar[s.b()]);
      case Cast c -> so.cast(x.type(c.x()), x.type(i), w.scalar[c.x()]);
      case Fma f -> so.fma(w.scalar[f.a()], w.scalar[f.b()], w.scalar[f.c()], f.negateProduct(),
          f.negateAddend());
    };
  }
}
