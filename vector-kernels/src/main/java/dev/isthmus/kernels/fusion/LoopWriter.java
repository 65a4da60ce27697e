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
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.VectorMask;

/**
 * Writes the body of one generated loop method: over heap arrays ({@code arrays}: int indices,
 * {@code fromArray}/{@code intoArray}, an {@code xaload} tail) or over segments (long indices,
 * {@code fromMemorySegment}, {@code getAtIndex}). The shape:
 *
 * <pre>
 *   uniform nodes (scalar twins), broadcast once
 *   for r in [from, to):                    one row (or all rows as one, for flat expressions)
 *     row bases of the inputs; per-row nodes, broadcast
 *     for j in [0, loopBound(inner)) step W: every varying node on vectors; store or accumulate
 *     for j in [loopBound, inner):           every varying node on scalars; store or accumulate
 * </pre>
 *
 * The loop step {@code W} is the lane count of the narrowest numeric type's preferred species; a
 * value of an 8-byte type in a loop stepping 4-byte lanes is two vectors ("parts").
 */
final class LoopWriter {
  /** Vectors per leaf of a floating sum: the leaf sums are then added with compensation. */
  static final int SUM_LEAF_VECTORS = 64;

  private final FusedExpr x;
  private final boolean arrays;
  private final Shape shape;
  private final CodeBuilder cb;
  private final Emit e;
  private final VectorOps vo;
  private final ScalarOps so;
  private final int n;
  private final SVal[] scalar;
  private final Val[][] vec;
  private final boolean[] needVec;
  private final int[] base;
  private final int[] obase;
  private int inRef0;
  private int layoutSlot;
  private int fromSlot;
  private int toSlot;
  private int innerSlot;
  private int innerI; // int copy of inner (arrays), or innerSlot
  private int jSlot;
  private int rSlot;

  /** The loop geometry: the narrowest numeric type's size and the lanes per step. */
  record Shape(int minBytes, int w) {
    int parts(VKind k) {
      return k == VKind.B || k == VKind.MB ? 1 : Math.max(1, k.bytes / minBytes);
    }
  }

  LoopWriter(FusedExpr x, boolean arrays, Shape shape, CodeBuilder cb, StringBuilder listing) {
    this.x = x;
    this.arrays = arrays;
    this.shape = shape;
    this.cb = cb;
    this.e = new Emit(cb, listing, "    ");
    this.vo = new VectorOps(e);
    this.so = new ScalarOps(e);
    this.n = x.nodes().size();
    this.scalar = new SVal[n];
    this.vec = new Val[n][];
    this.needVec = new boolean[n];
    this.base = new int[x.inputCount()];
    this.obase = new int[x.outputCount()];
    for (int i = 0; i < n; i++) {
      if (x.extent(i) == FusedExpr.VARYING) {
        for (int o : x.nodes().get(i).operands()) {
          needVec[o] = true;
        }
      }
    }
    for (int m = 0; m < x.outputCount(); m++) {
      needVec[x.outputNode(m)] = true;
    }
  }

  /** The parameter types of a loop method: per input and output its array or segment and index. */
  static MethodTypeDesc type(FusedExpr x, boolean arrays) {
    int k = x.inputCount() + x.outputCount();
    ClassDesc[] ps = new ClassDesc[2 * k + 4];
    for (int i = 0; i < k; i++) {
      ElementType t = i < x.inputCount() ? x.input(i).type() : x.outputType(i - x.inputCount());
      ps[2 * i] = Emit.desc(arrays ? arrayClass(t) : MemorySegment.class);
      ps[2 * i + 1] = Emit.desc(long.class);
    }
    ps[2 * k] = Emit.desc(FusedLayout.class);
    ps[2 * k + 1] = Emit.desc(long.class);
    ps[2 * k + 2] = Emit.desc(long.class);
    ps[2 * k + 3] = Emit.desc(long.class);
    return MethodTypeDesc.of(Emit.desc(void.class), ps);
  }

  static Class<?> arrayClass(ElementType t) {
    return switch (t) {
      case FLOAT32 -> float[].class;
      case FLOAT64 -> double[].class;
      case INT32 -> int[].class;
      case INT64 -> long[].class;
      case BOOL -> byte[].class;
    };
  }

  private int refSlot(int operand) {
    return cb.parameterSlot(2 * operand);
  }

  private int idxSlot(int operand) {
    return cb.parameterSlot(2 * operand + 1);
  }

  void write() {
    int ops = x.inputCount() + x.outputCount();
    inRef0 = refSlot(0);
    layoutSlot = cb.parameterSlot(2 * ops);
    fromSlot = cb.parameterSlot(2 * ops + 1);
    toSlot = cb.parameterSlot(2 * ops + 2);
    innerSlot = cb.parameterSlot(2 * ops + 3);
    Reduction red = x.reduction();
    if (x.flat() && (red == null || red.axes() == Reduction.Axes.ALL)) {
      flatten();
    }
    if (arrays) {
      innerI = cb.allocateLocal(TypeKind.INT);
      cb.lload(innerSlot);
      cb.l2i();
      cb.istore(innerI);
    } else {
      innerI = innerSlot;
    }
    e.note("// uniform");
    for (int i = 0; i < n; i++) {
      if (x.extent(i) == FusedExpr.UNIFORM) {
        scalar[i] = scalarForm(i, false);
        if (needVec[i]) {
          vec[i] = broadcastForm(i);
        }
      }
    }
    Reductions acc = red == null ? null : new Reductions(this, red, x.outputType(0));
    if (acc != null && red.axes() == Reduction.Axes.ALL) {
      acc.initTotals();
    }
    rSlot = cb.allocateLocal(TypeKind.LONG);
    jSlot = cb.allocateLocal(idx());
    cb.lload(fromSlot);
    cb.lstore(rSlot);
    Label rowCond = cb.newLabel();
    Label rowBody = cb.newLabel();
    cb.goto_(rowCond);
    cb.labelBinding(rowBody);
    e.note("// row");
    rowBases();
    for (int i = 0; i < n; i++) {
      if (x.extent(i) == FusedExpr.PER_ROW) {
        scalar[i] = scalarForm(i, false);
        if (needVec[i]) {
          vec[i] = broadcastForm(i);
        }
      }
    }
    if (acc == null) {
      elementwiseLoops();
    } else {
      if (red.axes() == Reduction.Axes.INNER) {
        acc.initTotals();
      }
      acc.loops();
      if (red.axes() == Reduction.Axes.INNER) {
        acc.store(true);
      }
    }
    cb.lload(rSlot);
    cb.lconst_1();
    cb.ladd();
    cb.lstore(rSlot);
    cb.labelBinding(rowCond);
    cb.lload(rSlot);
    cb.lload(toSlot);
    cb.lcmp();
    cb.iflt(rowBody);
    if (acc != null && red.axes() == Reduction.Axes.ALL) {
      acc.store(false);
    }
    cb.return_();
  }

  /** Rows [from, to) of a flat expression as one row: offsets moved, inner = all elements. */
  private void flatten() {
    int start = cb.allocateLocal(TypeKind.LONG);
    cb.lload(fromSlot);
    cb.lload(innerSlot);
    cb.lmul();
    cb.lstore(start);
    for (int k = 0; k < x.inputCount(); k++) {
      if (x.input(k).pattern() == Pattern.ELEMENTWISE) {
        addTo(idxSlot(k), start);
      }
    }
    if (x.reduction() == null) {
      for (int m = 0; m < x.outputCount(); m++) {
        addTo(idxSlot(x.inputCount() + m), start);
      }
    }
    cb.lload(toSlot);
    cb.lload(fromSlot);
    cb.lsub();
    cb.lload(innerSlot);
    cb.lmul();
    cb.lstore(innerSlot);
    cb.lconst_0();
    cb.lstore(fromSlot);
    cb.lconst_1();
    cb.lstore(toSlot);
  }

  private void addTo(int slot, int delta) {
    cb.lload(slot);
    cb.lload(delta);
    cb.ladd();
    cb.lstore(slot);
  }

  // ---- index arithmetic: int over arrays, long over segments

  TypeKind idx() {
    return arrays ? TypeKind.INT : TypeKind.LONG;
  }

  private void loadIdx(int slot) {
    cb.loadLocal(idx(), slot);
  }

  private void addIdx() {
    if (arrays) {
      cb.iadd();
    } else {
      cb.ladd();
    }
  }

  private void constIdx(int c) {
    if (arrays) {
      cb.loadConstant(c);
    } else {
      cb.loadConstant((long) c);
    }
  }

  /** Per-row base of each input that is not uniform, and of each elementwise output. */
  private void rowBases() {
    boolean[] used = new boolean[x.inputCount()];
    for (FusedNode node : x.nodes()) {
      if (node instanceof Input in) {
        used[in.index()] = true;
      }
    }
    for (int k = 0; k < x.inputCount(); k++) {
      Pattern p = x.input(k).pattern();
      if (p == Pattern.SCALAR || !used[k]) {
        continue;
      }
      base[k] = cb.allocateLocal(idx());
      cb.lload(idxSlot(k));
      switch (p) {
        case ELEMENTWISE -> {
          cb.lload(rSlot);
          cb.lload(innerSlot);
          cb.lmul();
          cb.ladd();
        }
        case COLUMN -> {
          cb.lload(rSlot);
          cb.ladd();
        }
        case STRIDED_ROW, STRIDED_COLUMN -> {
          cb.aload(layoutSlot);
          cb.loadConstant(k);
          cb.lload(rSlot);
          cb.invokevirtual(Emit.desc(FusedLayout.class), "offset", MethodTypeDesc.of(
              Emit.desc(long.class), Emit.desc(int.class), Emit.desc(long.class)));
          cb.ladd();
        }
        default -> { }
      }
      storeIdx(base[k]);
    }
    if (x.reduction() == null) {
      for (int m = 0; m < x.outputCount(); m++) {
        obase[m] = cb.allocateLocal(idx());
        cb.lload(idxSlot(x.inputCount() + m));
        cb.lload(rSlot);
        cb.lload(innerSlot);
        cb.lmul();
        cb.ladd();
        storeIdx(obase[m]);
      }
    }
  }

  private void storeIdx(int slot) {
    if (arrays) {
      cb.l2i();
    }
    cb.storeLocal(idx(), slot);
  }

  /** The species-wide loop bound of the row: a local. */
  int bound() {
    int slot = cb.allocateLocal(idx());
    e.species(stepKind());
    cb.loadLocal(idx(), innerI);
    cb.invokeinterface(Emit.CD_SPECIES, "loopBound", MethodTypeDesc.of(
        Emit.desc(arrays ? int.class : long.class), Emit.desc(arrays ? int.class : long.class)));
    cb.storeLocal(idx(), slot);
    return slot;
  }

  private VKind stepKind() {
    return shape.minBytes() == 8 ? VKind.D : VKind.F;
  }

  /** The vector form of every varying node, in order (loads included). */
  void vectorBody() {
    for (int i = 0; i < n; i++) {
      if (x.extent(i) == FusedExpr.VARYING) {
        vec[i] = vectorForm(i);
      }
    }
  }

  private void elementwiseLoops() {
    int bound = bound();
    vectorLoop(bound, () -> {
      vectorBody();
      for (int m = 0; m < x.outputCount(); m++) {
        storeVector(m, vec[x.outputNode(m)]);
      }
    });
    tailLoop(() -> {
      tailValues();
      for (int m = 0; m < x.outputCount(); m++) {
        storeScalar(m, scalar[x.outputNode(m)]);
      }
    });
  }

  /** {@code for (j = 0; j < bound; j += W) body}. */
  void vectorLoop(int bound, Runnable body) {
    constIdx(0);
    cb.storeLocal(idx(), jSlot);
    Label cond = cb.newLabel();
    Label top = cb.newLabel();
    cb.goto_(cond);
    cb.labelBinding(top);
    e.note("// vector loop");
    body.run();
    step(shape.w());
    cb.labelBinding(cond);
    branchLess(jSlot, bound, top);
  }

  /** Adds {@code by} to j. */
  void step(int by) {
    if (arrays) {
      cb.iinc(jSlot, by);
    } else {
      cb.lload(jSlot);
      cb.loadConstant((long) by);
      cb.ladd();
      cb.lstore(jSlot);
    }
  }

  /** Jumps to {@code target} if local a < local b (index kind). */
  void branchLess(int a, int b, Label target) {
    cb.loadLocal(idx(), a);
    cb.loadLocal(idx(), b);
    if (arrays) {
      cb.if_icmplt(target);
    } else {
      cb.lcmp();
      cb.iflt(target);
    }
  }

  /** {@code for (; j < inner; j++) body}: continues from the vector loop's j. */
  void tailLoop(Runnable body) {
    Label cond = cb.newLabel();
    Label top = cb.newLabel();
    cb.goto_(cond);
    cb.labelBinding(top);
    e.note("// tail");
    body.run();
    step(1);
    cb.labelBinding(cond);
    branchLess(jSlot, innerI, top);
  }

  void tailValues() {
    for (int i = 0; i < n; i++) {
      if (x.extent(i) == FusedExpr.VARYING) {
        scalar[i] = scalarForm(i, true);
      }
    }
  }

  // ---- values

  Val[] vectorOf(int i) {
    return vec[i];
  }

  SVal scalarOf(int i) {
    return scalar[i];
  }

  Shape shape() {
    return shape;
  }

  Emit emit() {
    return e;
  }

  CodeBuilder code() {
    return cb;
  }

  int rowSlot() {
    return rSlot;
  }

  int innerSlot() {
    return innerSlot;
  }

  int fromSlot() {
    return fromSlot;
  }

  int toSlot() {
    return toSlot;
  }

  int jSlot() {
    return jSlot;
  }

  FusedExpr expr() {
    return x;
  }

  private Val[] broadcastForm(int i) {
    ElementType t = x.type(i);
    SVal s = scalar[i];
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

  private Val[] vectorForm(int i) {
    FusedNode node = x.nodes().get(i);
    ElementType t = x.type(i);
    return switch (node) {
      case Input in -> load(in);
      case Literal l -> throw new AssertionError("literals are uniform");
      case Unary u -> each(vec[u.x()], null, null, (a, b, c) -> vo.unary(u.op(), a));
      case Binary b -> each(vec[b.a()], vec[b.b()], null, (p, q, r) -> vo.binary(b.op(), p, q));
      case Compare c -> each(vec[c.a()], vec[c.b()], null, (p, q, r) -> vo.compare(c.op(), p, q));
      case Fma f -> each(vec[f.a()], vec[f.b()], vec[f.c()],
          (p, q, r) -> vo.fma(p, q, r, f.negateProduct(), f.negateAddend()));
      case Logic l -> logic(l);
      case Select s -> select(s, t);
      case Cast c -> cast(vec[c.x()], x.type(c.x()), t);
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
    Val[] a = vec[l.a()];
    if (l.op() == LogicOp.NOT) {
      return each(a, null, null, (p, q, r) -> e.on(p, "not"));
    }
    Val[] b = maskTo(vec[l.b()], a[0].kind());
    String m = switch (l.op()) {
      case AND -> "and";
      case OR -> "or";
      case XOR -> "xor";
      default -> "eq";
    };
    return each(a, b, null, (p, q, r) -> e.on(p, m, q));
  }

  private Val[] select(Select s, ElementType t) {
    Val[] a = vec[s.a()];
    if (t == ElementType.BOOL) {
      VKind k = a[0].kind();
      Val[] c = maskTo(vec[s.cond()], k);
      Val[] b = maskTo(vec[s.b()], k);
      return each(a, b, c, (p, q, r) -> e.on(e.on(p, "and", r), "or", e.on(q, "andNot", r)));
    }
    Val[] c = maskTo(vec[s.cond()], VKind.of(t).maskKind());
    return each(vec[s.b()], a, c, (q, p, r) -> vo.blend(q, p, r));
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

  // ---- memory

  private Push at(int k, int part, int bytes) {
    return arrays
        ? new Push(int.class, "b" + k + "+j" + (part > 0 ? "+" + part : ""), c -> {
            c.iload(base[k]);
            c.iload(jSlot);
            c.iadd();
            if (part > 0) {
              c.loadConstant(part);
              c.iadd();
            }
          })
        : new Push(long.class, "(b" + k + "+j)*" + bytes, c -> {
            c.lload(base[k]);
            c.lload(jSlot);
            c.ladd();
            if (part > 0) {
              c.loadConstant((long) part);
              c.ladd();
            }
            if (bytes > 1) {
              c.loadConstant((long) bytes);
              c.lmul();
            }
          });
  }

  private Push ref(int operand, Class<?> type) {
    int slot = refSlot(operand);
    return new Push(arrays ? type : MemorySegment.class, "in" + operand, c -> c.aload(slot));
  }

  private Push nativeOrder() {
    return new Push(java.nio.ByteOrder.class, "NATIVE", c -> e.nativeOrder());
  }

  private Val[] load(Input in) {
    int k = in.index();
    ElementType t = in.type();
    if (t == ElementType.BOOL) {
      Val bytes = arrays
          ? e.call(VKind.B, VKind.B.cls, null, "fromArray", new Spec(VKind.B),
              ref(k, byte[].class), at(k, 0, 1))
          : e.call(VKind.B, VKind.B.cls, null, "fromMemorySegment", new Spec(VKind.B),
              ref(k, null), at(k, 0, 1), nativeOrder());
      return new Val[] {e.mask(bytes, "compare", Emit.op("NE"), (byte) 0)};
    }
    VKind kind = VKind.of(t);
    int parts = shape.parts(kind);
    Val[] out = new Val[parts];
    int lanes = shape.w() / parts;
    for (int p = 0; p < parts; p++) {
      out[p] = arrays
          ? e.call(kind, kind.cls, null, "fromArray", new Spec(kind), ref(k, arrayClass(t)),
              at(k, p * lanes, t.bytes()))
          : e.call(kind, kind.cls, null, "fromMemorySegment", new Spec(kind), ref(k, null),
              at(k, p * lanes, t.bytes()), nativeOrder());
    }
    return out;
  }

  private void storeVector(int m, Val[] v) {
    int operand = x.inputCount() + m;
    ElementType t = x.outputType(m);
    int slot = obase[m];
    if (t == ElementType.BOOL) {
      Val mask = maskTo(v, VKind.MB)[0];
      Val bytes = e.on(e.zero(VKind.B), "blend", (byte) 1, mask);
      store(bytes, operand, slot, 0, 1, byte[].class);
      return;
    }
    int lanes = shape.w() / v.length;
    for (int p = 0; p < v.length; p++) {
      store(v[p], operand, slot, p * lanes, t.bytes(), arrayClass(t));
    }
  }

  private void store(Val v, int operand, int slot, int part, int bytes, Class<?> arrayType) {
    Push index = arrays
        ? new Push(int.class, "o+j", c -> {
            c.iload(slot);
            c.iload(jSlot);
            c.iadd();
            if (part > 0) {
              c.loadConstant(part);
              c.iadd();
            }
          })
        : new Push(long.class, "(o+j)*" + bytes, c -> {
            c.lload(slot);
            c.lload(jSlot);
            c.ladd();
            if (part > 0) {
              c.loadConstant((long) part);
              c.ladd();
            }
            if (bytes > 1) {
              c.loadConstant((long) bytes);
              c.lmul();
            }
          });
    if (arrays) {
      e.callVoid(v, "intoArray", ref(operand, arrayType), index);
    } else {
      e.callVoid(v, "intoMemorySegment", ref(operand, null), index, nativeOrder());
    }
  }

  // ---- scalars

  private SVal scalarForm(int i, boolean tail) {
    FusedNode node = x.nodes().get(i);
    return switch (node) {
      case Input in -> loadScalar(in, tail);
      case Literal l -> so.literal(l);
      case Unary u -> so.unary(u.op(), scalar[u.x()]);
      case Binary b -> so.binary(b.op(), scalar[b.a()], scalar[b.b()]);
      case Compare c -> so.compare(c.op(), scalar[c.a()], scalar[c.b()]);
      case Logic l -> so.logic(l.op(), scalar[l.a()], scalar[l.b()]);
      case Select s -> so.select(scalar[s.cond()], scalar[s.a()], scalar[s.b()]);
      case Cast c -> so.cast(x.type(c.x()), x.type(i), scalar[c.x()]);
      case Fma f -> so.fma(scalar[f.a()], scalar[f.b()], scalar[f.c()], f.negateProduct(),
          f.negateAddend());
    };
  }

  /** Pushes the index of input k's element: at its offset, its row base, or base + j. */
  private void pushScalarIndex(Input in, boolean tail) {
    int k = in.index();
    if (in.pattern() == Pattern.SCALAR) {
      cb.lload(idxSlot(k));
      if (arrays) {
        cb.l2i();
      }
      return;
    }
    loadIdx(base[k]);
    if (tail) {
      loadIdx(jSlot);
      addIdx();
    }
  }

  private SVal loadScalar(Input in, boolean tail) {
    ElementType t = in.type();
    TypeKind k = VKind.scalarOf(t);
    if (arrays) {
      cb.aload(refSlot(in.index()));
      pushScalarIndex(in, tail);
      cb.arrayLoad(t == ElementType.BOOL ? TypeKind.BYTE : k);
    } else {
      cb.aload(refSlot(in.index()));
      layoutConstant(t);
      pushScalarIndex(in, tail);
      cb.invokeinterface(Emit.desc(MemorySegment.class), t == ElementType.BOOL ? "get"
          : "getAtIndex", MethodTypeDesc.of(Emit.desc(t == ElementType.BOOL ? byte.class
          : prim(k)), Emit.desc(layoutClass(t)), Emit.desc(long.class)));
    }
    if (t == ElementType.BOOL) {
      cb.invokestatic(Emit.desc(FusedAccess.class), "nonZero", MethodTypeDesc.of(
          Emit.desc(boolean.class), Emit.desc(int.class)));
    }
    SVal s = e.newScalar(k);
    cb.storeLocal(k, s.slot());
    e.note("s" + s.slot() + " = in" + in.index() + "[" + (tail ? "b+j" : "b") + "]");
    return s;
  }

  private void storeScalar(int m, SVal v) {
    int operand = x.inputCount() + m;
    storeScalarAt(operand, x.outputType(m), v, () -> {
      loadIdx(obase[m]);
      loadIdx(jSlot);
      addIdx();
    });
  }

  /** Stores v as element {@code index} (pushed as the index kind) of an output operand. */
  void storeScalarAt(int operand, ElementType t, SVal v, Runnable index) {
    TypeKind k = VKind.scalarOf(t);
    cb.aload(refSlot(operand));
    if (!arrays) {
      layoutConstant(t);
    }
    index.run();
    cb.loadLocal(k, v.slot());
    if (t == ElementType.BOOL) {
      cb.i2b();
    }
    if (arrays) {
      cb.arrayStore(t == ElementType.BOOL ? TypeKind.BYTE : k);
    } else {
      cb.invokeinterface(Emit.desc(MemorySegment.class), t == ElementType.BOOL ? "set"
          : "setAtIndex", MethodTypeDesc.of(Emit.desc(void.class), Emit.desc(layoutClass(t)),
          Emit.desc(long.class), Emit.desc(t == ElementType.BOOL ? byte.class : prim(k))));
    }
  }

  /** The output operand's index slot (a parameter), for reductions. */
  int outputIndexSlot() {
    return idxSlot(x.inputCount());
  }

  boolean arrays() {
    return arrays;
  }

  private static Class<?> prim(TypeKind k) {
    return switch (k) {
      case FLOAT -> float.class;
      case DOUBLE -> double.class;
      case LONG -> long.class;
      default -> int.class;
    };
  }

  private static Class<?> layoutClass(ElementType t) {
    return switch (t) {
      case FLOAT32 -> ValueLayout.OfFloat.class;
      case FLOAT64 -> ValueLayout.OfDouble.class;
      case INT32 -> ValueLayout.OfInt.class;
      case INT64 -> ValueLayout.OfLong.class;
      case BOOL -> ValueLayout.OfByte.class;
    };
  }

  private void layoutConstant(ElementType t) {
    String name = switch (t) {
      case FLOAT32 -> "JAVA_FLOAT_UNALIGNED";
      case FLOAT64 -> "JAVA_DOUBLE_UNALIGNED";
      case INT32 -> "JAVA_INT_UNALIGNED";
      case INT64 -> "JAVA_LONG_UNALIGNED";
      case BOOL -> "JAVA_BYTE";
    };
    cb.getstatic(Emit.desc(ValueLayout.class), name, Emit.desc(layoutClass(t)));
  }
}
