package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.fusion.Emit.SVal;
import dev.isthmus.kernels.fusion.Emit.Val;
import dev.isthmus.kernels.fusion.FusedNode.Input;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;

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
  private final NodeForms forms;
  private final LoopMemory mem;
  private final int n;
  /** Each node's scalar and vector forms, as emitted so far (read by {@link NodeForms}). */
  final SVal[] scalar;
  final Val[][] vec;
  private final boolean[] needVec;
  /** Per input and output, the local of its row base (read by {@link LoopMemory}). */
  final int[] base;
  final int[] obase;
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
    this.n = x.nodes().size();
    this.scalar = new SVal[n];
    this.vec = new Val[n][];
    this.needVec = new boolean[n];
    this.base = new int[x.inputCount()];
    this.obase = new int[x.outputCount()];
    this.mem = new LoopMemory(this);
    this.forms = new NodeForms(this, mem);
    mem.forms = forms;
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

  int refSlot(int operand) {
    return cb.parameterSlot(2 * operand);
  }

  int idxSlot(int operand) {
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
        scalar[i] = forms.scalarForm(i, false);
        if (needVec[i]) {
          vec[i] = forms.broadcastForm(i);
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
        scalar[i] = forms.scalarForm(i, false);
        if (needVec[i]) {
          vec[i] = forms.broadcastForm(i);
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

  void loadIdx(int slot) {
    cb.loadLocal(idx(), slot);
  }

  void addIdx() {
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
        vec[i] = forms.vectorForm(i);
      }
    }
  }

  private void elementwiseLoops() {
    int bound = bound();
    vectorLoop(bound, () -> {
      vectorBody();
      for (int m = 0; m < x.outputCount(); m++) {
        mem.storeVector(m, vec[x.outputNode(m)]);
      }
    });
    tailLoop(() -> {
      tailValues();
      for (int m = 0; m < x.outputCount(); m++) {
        mem.storeScalar(m, scalar[x.outputNode(m)]);
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
        scalar[i] = forms.scalarForm(i, true);
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

  LoopMemory memory() {
    return mem;
  }

  /** The output operand's index slot (a parameter), for reductions. */
  int outputIndexSlot() {
    return idxSlot(x.inputCount());
  }

  boolean arrays() {
    return arrays;
  }
}
