package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.fusion.FusedNode.Binary;
import dev.isthmus.kernels.fusion.FusedNode.Cast;
import dev.isthmus.kernels.fusion.FusedNode.Compare;
import dev.isthmus.kernels.fusion.FusedNode.Fma;
import dev.isthmus.kernels.fusion.FusedNode.Input;
import dev.isthmus.kernels.fusion.FusedNode.Literal;
import dev.isthmus.kernels.fusion.FusedNode.Logic;
import dev.isthmus.kernels.fusion.FusedNode.Select;
import dev.isthmus.kernels.fusion.FusedNode.Unary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fused kernel, as data: an immutable DAG of {@link FusedNode}s over the kernel's inputs,
 * with one or more elementwise outputs, or a single output reduced by a {@link Reduction}. Built
 * with {@link #builder()}; equal expressions (same structure, types, patterns, literals,
 * reduction and FMA choice, however they were built) are {@code equals} and share one compiled
 * kernel in {@link FusedKernels}' cache.
 *
 * <p>The builder removes duplicate subexpressions and unused nodes and numbers the rest in a
 * canonical order (a depth-first walk from the outputs), so the node list is a topological order
 * and the structure alone decides equality. Inputs must be numbered {@code 0..k-1}, each with
 * one type and pattern; an input no output depends on is allowed (and never read).
 *
 * <p>Every node has an <em>extent</em>: <em>uniform</em> (depends only on literals and {@link
 * Pattern#SCALAR} inputs: computed once per call), <em>per row</em> (also on {@link
 * Pattern#COLUMN} / {@link Pattern#STRIDED_COLUMN} inputs: once per row) or <em>varying</em>
 * (per element). Uniform and per-row nodes are computed by the scalar twins and broadcast.
 */
public final class FusedExpr {
  static final byte UNIFORM = 0;
  static final byte PER_ROW = 1;
  static final byte VARYING = 2;

  private final List<FusedNode> nodes;
  private final ElementType[] types;
  private final byte[] extents;
  private final int[] uses;
  private final int[] outputs;
  private final Reduction reduction;
  private final boolean fma;
  private final Input[] inputs;
  private final int hash;

  FusedExpr(List<FusedNode> nodes, Input[] declared, int[] outputs, Reduction reduction,
      boolean fma) {
    this.nodes = List.copyOf(nodes);
    this.outputs = outputs.clone();
    this.reduction = reduction;
    this.fma = fma;
    int n = nodes.size();
    types = new ElementType[n];
    extents = new byte[n];
    uses = new int[n];
    for (int i = 0; i < n; i++) {
      FusedNode node = nodes.get(i);
      for (int o : node.operands()) {
        if (o < 0 || o >= i) {
          throw new IllegalArgumentException("node " + i + " uses node " + o + ", not before it");
        }
        uses[o]++;
      }
      types[i] = FusedTyping.typeOf(node, types);
      extents[i] = FusedTyping.extentOf(node, extents);
    }
    inputs = declared.clone();
    for (int k = 0; k < inputs.length; k++) {
      if (inputs[k] == null || inputs[k].index() != k) {
        throw new IllegalArgumentException("inputs must be numbered 0.." + (inputs.length - 1)
            + "; input " + k + " is not declared");
      }
    }
    for (FusedNode node : nodes) {
      if (node instanceof Input in && !in.equals(inputs[in.index()])) {
        throw new IllegalArgumentException("input " + in.index() + " is declared as "
            + describe(inputs[in.index()]) + " and used as " + describe(in));
      }
    }
    if (outputs.length == 0) {
      throw new IllegalArgumentException("an expression needs at least one output");
    }
    for (int o : outputs) {
      if (o < 0 || o >= n) {
        throw new IllegalArgumentException("output node " + o + " does not exist");
      }
      uses[o]++;
    }
    if (reduction != null) {
      if (outputs.length != 1) {
        throw new IllegalArgumentException("a reduction has exactly one output, not "
            + outputs.length);
      }
      ElementType t = types[outputs[0]];
      if (!t.numeric() || (reduction.op() == Reduction.Op.MEAN && !t.floating())) {
        throw new IllegalArgumentException("cannot reduce " + t.shortName() + " with "
            + reduction.op() + (t.numeric() ? " (floating types only)" : ""));
      }
    }
    hash = Objects.hash(this.nodes, Arrays.hashCode(inputs), Arrays.hashCode(outputs), reduction,
        fma);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The nodes, in topological (and canonical) order. */
  public List<FusedNode> nodes() {
    return nodes;
  }

  /** The element type of node {@code i}. */
  public ElementType type(int i) {
    return types[i];
  }

  /** The number of inputs a call passes. */
  public int inputCount() {
    return inputs.length;
  }

  /** Input {@code k}'s declaration (its type and pattern). */
  public Input input(int k) {
    return inputs[k];
  }

  /** The number of outputs (1 with a reduction). */
  public int outputCount() {
    return outputs.length;
  }

  /** The node output {@code m} is. */
  public int outputNode(int m) {
    return outputs[m];
  }

  /** The element type output {@code m} is stored as. */
  public ElementType outputType(int m) {
    return types[outputs[m]];
  }

  /** The reduction at the root, or null for an elementwise expression. */
  public Reduction reduction() {
    return reduction;
  }

  /** This expression without its reduction: the elementwise values it would reduce. */
  public FusedExpr withoutReduction() {
    return reduction == null ? this : new FusedExpr(nodes, inputs, outputs, null, fma);
  }

  /** True if {@code a*b + c} may be contracted into one FMA (see {@link #lowered()}). */
  public boolean contractFma() {
    return fma;
  }

  /** True if some input takes its per-row base from the layout (a strided pattern). */
  public boolean strided() {
    for (Input in : inputs) {
      if (in.pattern().strided()) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if every input is {@link Pattern#ELEMENTWISE} or {@link Pattern#SCALAR}: then the
   * iteration space may be reshaped freely (an elementwise kernel may run as one long row).
   */
  public boolean flat() {
    for (Input in : inputs) {
      if (in.pattern() != Pattern.ELEMENTWISE && in.pattern() != Pattern.SCALAR) {
        return false;
      }
    }
    return true;
  }

  byte extent(int i) {
    return extents[i];
  }

  int uses(int i) {
    return uses[i];
  }

  /**
   * The expression the kernels compute: this one, or with FMA contraction on, every {@code
   * a*b + c}, {@code a*b - c} or {@code c - a*b} on floats whose product is used once turned
   * into one {@link Fma} node. The interpreter, the op-by-op path and the compiler all run the
   * lowered form, so they agree.
   */
  FusedExpr lowered() {
    if (!fma) {
      return this;
    }
    List<FusedNode> out = new ArrayList<>(nodes.size());
    for (FusedNode node : nodes) {
      out.add(node instanceof Binary b && types[b.a()].floating() ? contract(b) : node);
    }
    return FusedTyping.canonical(out, inputs, outputs, reduction, true);
  }

  private FusedNode contract(Binary b) {
    boolean add = b.op() == BinaryOp.ADD;
    if (!add && b.op() != BinaryOp.SUB) {
      return b;
    }
    if (product(b.a()) instanceof Binary m) {
      return new Fma(m.a(), m.b(), b.b(), false, !add);
    }
    if (product(b.b()) instanceof Binary m) {
      return new Fma(m.a(), m.b(), b.a(), !add, false);
    }
    return b;
  }

  private FusedNode product(int i) {
    return nodes.get(i) instanceof Binary m && m.op() == BinaryOp.MUL && uses[i] == 1 ? m : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedExpr e && hash == e.hash && fma == e.fma
        && Objects.equals(reduction, e.reduction) && Arrays.equals(outputs, e.outputs)
        && Arrays.equals(inputs, e.inputs) && nodes.equals(e.nodes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** An SSA listing, one node per line: {@code %3 = relu(%2) f32}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("fused(").append(inputs.length).append(" inputs, fma ")
        .append(fma ? "on" : "off").append(") {\n");
    for (int i = 0; i < nodes.size(); i++) {
      s.append("  %").append(i).append(" = ").append(describe(nodes.get(i)));
      if (!(nodes.get(i) instanceof Input || nodes.get(i) instanceof Literal)) {
        s.append(' ').append(types[i].shortName());
      }
      s.append('\n');
    }
    for (int m = 0; m < outputs.length; m++) {
      s.append("  out").append(m).append(" = ");
      s.append(reduction == null ? "" : reduction + " of ").append('%').append(outputs[m]);
      s.append('\n');
    }
    return s.append('}').toString();
  }

  static String describe(FusedNode node) {
    return switch (node) {
      case Input in -> "in" + in.index() + " " + in.type().shortName() + " " + name(in.pattern());
      case Literal l -> literalText(l) + " " + l.type().shortName();
      case Unary u -> name(u.op()) + "(%" + u.x() + ")";
      case Binary b -> name(b.op()) + "(%" + b.a() + ", %" + b.b() + ")";
      case Compare c -> name(c.op()) + "(%" + c.a() + ", %" + c.b() + ")";
      case Logic l -> l.op() == LogicOp.NOT ? "not(%" + l.a() + ")"
          : name(l.op()) + "(%" + l.a() + ", %" + l.b() + ")";
      case Select c -> "select(%" + c.cond() + ", %" + c.a() + ", %" + c.b() + ")";
      case Cast c -> "cast(%" + c.x() + ")";
      case Fma f -> "fma(" + (f.negateProduct() ? "-%" : "%") + f.a() + ", %" + f.b() + ", "
          + (f.negateAddend() ? "-%" : "%") + f.c() + ")";
    };
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String literalText(Literal l) {
    return switch (l.type()) {
      case FLOAT32 -> Float.toString(Float.intBitsToFloat((int) l.bits()));
      case FLOAT64 -> Double.toString(Double.longBitsToDouble(l.bits()));
      case BOOL -> l.bits() != 0 ? "true" : "false";
      default -> Long.toString(l.bits());
    };
  }

  /** A reference to a node of one builder, with its element type. */
  public static final class Ref {
    private final Builder owner;
    private final int id;
    private final ElementType type;

    private Ref(Builder owner, int id, ElementType type) {
      this.owner = owner;
      this.id = id;
      this.type = type;
    }

    /** The node's element type. */
    public ElementType type() {
      return type;
    }

    @Override
    public String toString() {
      return "%" + id + " " + type.shortName();
    }
  }

  /**
   * Builds a {@link FusedExpr}. Each method checks its operands' types (throwing {@link
   * IllegalArgumentException} with what was expected) and returns a {@link Ref} to the new node.
   * Not thread-safe.
   */
  public static final class Builder {
    private final List<FusedNode> nodes = new ArrayList<>();
    private final List<ElementType> types = new ArrayList<>();
    private final Map<FusedNode, Ref> index = new HashMap<>();
    private final Map<Integer, Input> inputs = new HashMap<>();
    private final List<Integer> outputs = new ArrayList<>();
    private Reduction reduction;
    private boolean fma;

    private Builder() {}

    private Ref add(FusedNode node) {
      Ref r = index.get(node);
      if (r != null) {
        return r;
      }
      ElementType[] t = types.toArray(new ElementType[0]);
      ElementType type = FusedTyping.typeOf(node, t);
      r = new Ref(this, nodes.size(), type);
      nodes.add(node);
      types.add(type);
      index.put(node, r);
      return r;
    }

    private int id(Ref r) {
      if (Objects.requireNonNull(r, "operand").owner != this) {
        throw new IllegalArgumentException(r + " belongs to another builder");
      }
      return r.id;
    }

    /** Input {@code index} of the call: its type and how it broadcasts. */
    public Ref input(int index, ElementType type, Pattern pattern) {
      Input in = new Input(index, type, pattern);
      Input before = inputs.putIfAbsent(index, in);
      if (before != null && !before.equals(in)) {
        throw new IllegalArgumentException("input " + index + " was declared as "
            + describe(before) + ", now as " + describe(in));
      }
      return add(in);
    }

    /** A FLOAT32 constant. */
    public Ref literal(float v) {
      return add(new Literal(ElementType.FLOAT32, Float.floatToRawIntBits(v)));
    }

    /** A FLOAT64 constant. */
    public Ref literal(double v) {
      return add(new Literal(ElementType.FLOAT64, Double.doubleToRawLongBits(v)));
    }

    /** An INT32 constant. */
    public Ref literal(int v) {
      return add(new Literal(ElementType.INT32, v));
    }

    /** An INT64 constant. */
    public Ref literal(long v) {
      return add(new Literal(ElementType.INT64, v));
    }

    /** A BOOL constant. */
    public Ref literal(boolean v) {
      return add(new Literal(ElementType.BOOL, v ? 1 : 0));
    }

    /** A constant of {@code type} with value {@code (type) v}. */
    public Ref literal(ElementType type, double v) {
      return switch (type) {
        case FLOAT32 -> literal((float) v);
        case FLOAT64 -> literal(v);
        case INT32 -> literal((int) v);
        case INT64 -> literal((long) v);
        case BOOL -> literal(v != 0);
      };
    }

    /** {@code op(x)}. */
    public Ref unary(UnaryOp op, Ref x) {
      return add(new Unary(op, id(x)));
    }

    /** {@code op(a, b)}. */
    public Ref binary(BinaryOp op, Ref a, Ref b) {
      return add(new Binary(op, id(a), id(b)));
    }

    /** {@code op(a, b)}, a BOOL. */
    public Ref compare(CompareOp op, Ref a, Ref b) {
      return add(new Compare(op, id(a), id(b)));
    }

    /** {@code op(a, b)} on BOOLs; for {@link LogicOp#NOT} use {@link #not}. */
    public Ref logic(LogicOp op, Ref a, Ref b) {
      if (op == LogicOp.NOT) {
        throw new IllegalArgumentException("NOT takes one operand: use not(x)");
      }
      return add(new Logic(op, id(a), id(b)));
    }

    /** {@code !x}. */
    public Ref not(Ref x) {
      return add(new Logic(LogicOp.NOT, id(x), id(x)));
    }

    /** {@code cond ? a : b}. */
    public Ref select(Ref cond, Ref a, Ref b) {
      return add(new Select(id(cond), id(a), id(b)));
    }

    /** {@code (to) x}; {@code x} itself when it already is {@code to}. */
    public Ref cast(Ref x, ElementType to) {
      return x.type == to && id(x) >= 0 ? x : add(new Cast(to, id(x)));
    }

    /** Makes {@code r} the next output. */
    public Builder output(Ref r) {
      outputs.add(id(r));
      return this;
    }

    /** Reduces the (single) output. */
    public Builder reduce(Reduction.Op op, Reduction.Axes axes) {
      reduction = new Reduction(op, axes);
      return this;
    }

    /** Allows {@code a*b + c} to become one FMA (one rounding instead of two). Off by default. */
    public Builder contractFma(boolean on) {
      fma = on;
      return this;
    }

    /** The expression; throws {@link IllegalArgumentException} if it is not well formed. */
    public FusedExpr build() {
      int k = inputs.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
      Input[] declared = new Input[k];
      inputs.forEach((i, in) -> declared[i] = in);
      return FusedTyping.canonical(nodes, declared, outputs.stream().mapToInt(Integer::intValue).toArray(),
          reduction, fma);
    }
  }
}
