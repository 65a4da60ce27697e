package dev.isthmus.internal;

import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Tensor;
import dev.isthmus.UnimplementedException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one declaration of an op (DESIGN principle 1): its name, inputs, flags, shape-and-dtype
 * rule, kernel, and the slots later layers read: its gradient rule and, for elementwise ops,
 * the kernel-level operator the fusion compiler emits. Eager execution, graph building,
 * autodiff and fusion all read this object; nothing about an op is declared anywhere else.
 *
 * <p>Declarations live in one file per family ({@code UnaryOps}, {@code BinaryOps}, ...) and
 * are registered in {@link OpRegistry}.
 */
public final class OpDef {
  /** What kind of op this is; passes (fusion, clustering, async ordering) read these. */
  public enum Flag {
    /** Output element i depends only on input elements at i (after broadcasting). */
    ELEMENTWISE,
    /**
     * Reduces one or more axes (softmax too: it reduces each row and broadcasts the result back
     * over it, so it fuses like a reduction).
     */
    REDUCTION,
    /** Contracts an axis of two operands (matmul; convolution later): the GEMM kernels. */
    CONTRACTION,
    /** Moves or copies elements without arithmetic (reshape, transpose, gather, ...). */
    MOVEMENT,
    /** Makes a tensor from attributes alone (constants, fills, ranges, random). */
    CREATION,
    /** Has state or side effects: never reordered, merged or cached. */
    STATEFUL,
    /**
     * Part of the graph machinery: placeholders, calls of traced functions, cond and while.
     * They take fed values or run other graphs; never fused.
     */
    GRAPH
  }

  /**
   * The shape and dtype rule: validates the inputs and attributes and says what the outputs
   * will be, without computing them (a graph records these for symbolic outputs).
   */
  @FunctionalInterface
  public interface ShapeRule {
    /** The output specs; throws {@link InvalidArgumentException} via {@link OpDef#invalid}. */
    TensorSpec[] apply(OpDef op, Tensor[] inputs, Attrs attrs);
  }

  /** The kernel: computes the outputs of already-validated concrete inputs. */
  @FunctionalInterface
  public interface Kernel {
    /** Computes outputs matching {@code outs}, which the shape rule returned. */
    Tensor[] apply(Tensor[] inputs, Attrs attrs, TensorSpec[] outs);
  }

  /**
   * A gradient rule: the vector-Jacobian product, built from ops so the same rule serves the
   * eager tape and symbolic gradients. Returns one gradient per input ({@code null} for inputs
   * that are not differentiable).
   */
  @FunctionalInterface
  public interface GradientRule {
    /** Gradients for each input, given the op's inputs, outputs and the upstream gradients. */
    Tensor[] apply(Tensor[] inputs, Tensor[] outputs, Tensor[] upstream, Attrs attrs);
  }

  private final String name;
  private final List<String> inputNames; // the last name is variadic when variadic is true
  private final boolean variadic;
  private final Set<Flag> flags;
  private final ShapeRule shapeRule;
  private final Kernel kernel;
  private final GradientRule gradient; // null: not differentiable (or not yet declared)
  private final Object fusionOp; // the kernel-level operator (e.g. UnaryOp.EXP) or null
  private final java.util.function.Predicate<Attrs> dynamicShape; // null: shapes known at dispatch

  private OpDef(Builder b) {
    this.name = b.name;
    this.inputNames = List.copyOf(b.inputNames);
    this.variadic = b.variadic;
    this.flags = b.flags.isEmpty() ? Set.of() : Set.copyOf(b.flags);
    this.shapeRule = Objects.requireNonNull(b.shapeRule, "shape rule of " + b.name);
    this.kernel = Objects.requireNonNull(b.kernel, "kernel of " + b.name);
    this.gradient = b.gradient;
    this.fusionOp = b.fusionOp;
    this.dynamicShape = b.dynamicShape;
  }

  /** Starts the declaration of op {@code name} (TensorFlow's op name, e.g. {@code "AddV2"}). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The op's name, as a graph node's {@code op()}. */
  public String name() {
    return name;
  }

  /** The input names, for messages and NodeDefs. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** True if the op takes any number of inputs of its last input kind. */
  public boolean variadic() {
    return variadic;
  }

  /** True if the op has the flag. */
  public boolean is(Flag f) {
    return flags.contains(f);
  }

  /** The flags. */
  public Set<Flag> flags() {
    return flags;
  }

  /** Validates and returns the output specs. */
  public TensorSpec[] infer(Tensor[] inputs, Attrs attrs) {
    if (!variadic && inputs.length != inputNames.size()) {
      throw invalid(inputs, attrs, "expected " + inputNames.size() + " inputs " + inputNames);
    }
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw invalid(inputs, attrs, "input " + inputName(i) + " is null");
      }
    }
    return shapeRule.apply(this, inputs, attrs);
  }

  /** Runs the kernel on concrete inputs that {@link #infer} accepted. */
  public Tensor[] compute(Tensor[] inputs, Attrs attrs, TensorSpec[] outs) {
    return kernel.apply(inputs, attrs, outs);
  }

  /** The gradient rule, or throws {@link UnimplementedException} naming this op. */
  public GradientRule gradient() {
    if (gradient == null) {
      throw new UnimplementedException("No gradient defined for op " + name);
    }
    return gradient;
  }

  /** True if a gradient rule is declared. */
  public boolean hasGradient() {
    return gradient != null;
  }

  /** The kernel-level operator the fusion compiler emits for this op, or null. */
  public Object fusionOp() {
    return fusionOp;
  }

  /**
   * True when the output shapes the shape rule gives for {@code attrs} may differ from those the
   * kernel produces (a function traced with relaxed shapes, an iterator's last partial batch):
   * an async scope then makes readers of a pending output's shape wait for it.
   */
  public boolean dynamicShape(Attrs attrs) {
    return dynamicShape != null && dynamicShape.test(attrs);
  }

  String inputName(int i) {
    if (inputNames.isEmpty()) {
      return "#" + i;
    }
    if (i < inputNames.size() - 1 || (!variadic && i < inputNames.size())) {
      return inputNames.get(i);
    }
    return variadic ? inputNames.getLast() + "[" + (i - inputNames.size() + 1) + "]" : "#" + i;
  }

  /**
   * An {@link InvalidArgumentException} naming this op, every input's dtype and shape, the
   * attributes, and what was expected: {@code "AddV2: expected ...; got x: float32[2], y:
   * int32[3]"}.
   */
  public InvalidArgumentException invalid(Tensor[] inputs, Attrs attrs, String expected) {
    StringBuilder sb = new StringBuilder(name).append(": ").append(expected).append("; got ");
    if (inputs.length == 0) {
      sb.append("no inputs");
    }
    for (int i = 0; i < inputs.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(inputName(i)).append(": ");
      sb.append(inputs[i] == null ? "null" : inputs[i].describe());
    }
    if (attrs != null && !attrs.asMap().isEmpty()) {
      sb.append(", attrs ").append(attrs);
    }
    return new InvalidArgumentException(sb.toString());
  }

  @Override
  public String toString() {
    return name;
  }

  /** Builds an {@link OpDef}. */
  public static final class Builder {
    private final String name;
    private List<String> inputNames = List.of();
    private boolean variadic;
    private final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
    private ShapeRule shapeRule;
    private Kernel kernel;
    private GradientRule gradient;
    private Object fusionOp;
    private java.util.function.Predicate<Attrs> dynamicShape;

    private Builder(String name) {
      this.name = name;
    }

    /** Fixed inputs, by name. */
    public Builder inputs(String... names) {
      this.inputNames = List.of(names);
      return this;
    }

    /** Inputs whose last kind repeats any number of times (e.g. concat's values). */
    public Builder variadicInputs(String... names) {
      this.inputNames = List.of(names);
      this.variadic = true;
      return this;
    }

    /** Adds flags. */
    public Builder flags(Flag... fs) {
      flags.addAll(List.of(fs));
      return this;
    }

    /** The shape and dtype rule. */
    public Builder shape(ShapeRule rule) {
      this.shapeRule = rule;
      return this;
    }

    /** The kernel. */
    public Builder kernel(Kernel k) {
      this.kernel = k;
      return this;
    }

    /** The gradient rule (the autodiff layer reads it). */
    public Builder gradient(GradientRule g) {
      this.gradient = g;
      return this;
    }

    /** The kernel-level elementwise operator (the fusion compiler reads it). */
    public Builder fusion(Object op) {
      this.fusionOp = op;
      return this;
    }

    /** When the kernel's output shapes may differ from the shape rule's (see dynamicShape). */
    public Builder dynamicShape(java.util.function.Predicate<Attrs> when) {
      this.dynamicShape = when;
      return this;
    }

    /** The declaration, registered in {@link OpRegistry} so graphs can find it by name. */
    public OpDef build() {
      OpDef d = new OpDef(this);
      OpRegistry.register(d);
      return d;
    }
  }
}
