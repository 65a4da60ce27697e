package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.EagerContext;
import dev.isthmus.internal.ExecutionContext;
import dev.isthmus.internal.TensorSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mutable tensor-valued resource (TensorFlow's {@code tf.Variable}), the only mutable state in
 * isthmus: tensors are values, a variable holds one and can be given another of the same dtype
 * and shape.
 *
 * <p>{@link #read()}, {@link #assign}, {@link #assignAdd} and {@link #assignSub} are ops
 * ({@code ReadVariableOp}, {@code AssignVariableOp}, ...): eagerly they act now; inside a
 * {@link Function} they are stateful nodes on the captured variable, run at every call in the
 * order they were traced. The assign ops return the new value.
 *
 * <p>Created while a function is being traced, a variable is lifted out of the trace as
 * TensorFlow does with {@code init_scope}: it is created once, eagerly, with its initial value
 * computed now, and the function's graph refers to it. Creating one in a later trace of the same
 * function is an error: only the first trace may create variables (TensorFlow's "singleton
 * Variables created on the first call"). In a plain graph (TF1 style) with a symbolic initial
 * value, the variable starts uninitialized and {@link #initializer()} sets it.
 */
public final class Variable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final DType dtype;
  private final Shape shape;
  private final boolean trainable;
  private final Attrs attrs;
  private volatile Tensor value; // null until initialized
  private volatile Operation initializer;

  private Variable(String name, DType dtype, Shape shape, boolean trainable, Tensor value) {
    this.name = name;
    this.dtype = dtype;
    this.shape = shape;
    this.trainable = trainable;
    this.value = value;
    this.attrs = Attrs.of("variable", this);
  }

  /** A trainable variable holding {@code initial} (tf.Variable(initial)). */
  public static Variable of(Tensor initial) {
    return of(initial, null, true);
  }

  /** A trainable FLOAT32 scalar variable. */
  public static Variable of(float initial) {
    return of(Tensor.scalar(initial));
  }

  /** A trainable FLOAT64 scalar variable. */
  public static Variable of(double initial) {
    return of(Tensor.scalar(initial));
  }

  /**
   * A variable holding {@code initial}, named {@code name} ({@code null}: {@code Variable_N}),
   * watched by gradient tapes when {@code trainable}.
   *
   * @throws FailedPreconditionException when created in a trace that is not its function's first
   * @throws InvalidArgumentException when the initial value is null, or inside a function depends
   *     on the function's arguments
   */
  public static Variable of(Tensor initial, String name, boolean trainable) {
    if (initial == null) {
      throw new InvalidArgumentException("Variable: the initial value is null");
    }
    String n = name != null ? name : "Variable_" + COUNTER.getAndIncrement();
    Function.Trace trace = Function.currentTrace();
    if (trace != null && !trace.first()) {
      throw new FailedPreconditionException(
          "Variable " + n + ": Function " + trace.function().name() + " only supports singleton "
              + "Variables created on the first call (its first trace). This is trace #"
              + (trace.function().tracingCount() + 1) + ". Create the variable once, outside "
              + "the function, or keep it from the first call");
    }
    ExecutionContext ctx = ContextStack.current();
    if (ctx.executingEagerly()) {
      if (initial.isSymbolic()) {
        throw new FailedPreconditionException(
            "Variable " + n + ": the initial value '" + initial.name() + "' is a symbolic tensor "
                + "of graph '" + initial.op().graph().name() + "', which has no value while "
                + "executing eagerly");
      }
      return new Variable(n, initial.dtype(), initial.shape(), trainable, initial);
    }
    if (ctx.buildingFunction()) {
      // lifted out of the trace (init_scope): created now, with its value computed now
      return new Variable(n, initial.dtype(), initial.shape(), trainable, lift(n, initial));
    }
    // a plain graph (TF1 style)
    if (!initial.isSymbolic()) {
      return new Variable(n, initial.dtype(), initial.shape(), trainable, initial);
    }
    Variable v = new Variable(n, initial.dtype(), initial.shape(), trainable, null);
    v.initializer = v.assign(initial).op();
    return v;
  }

  /** Computes a function graph's symbolic initial value now, from what it captured. */
  private static Tensor lift(String n, Tensor initial) {
    if (!initial.isSymbolic()) {
      return initial;
    }
    Graph g = initial.op().graph();
    List<Tensor> phs = g.capturePlaceholders();
    List<Tensor> values = g.capturedValues();
    java.util.ArrayList<Tensor> fed = new java.util.ArrayList<>();
    java.util.ArrayList<Tensor> fedValues = new java.util.ArrayList<>();
    for (int i = 0; i < phs.size(); i++) {
      if (!values.get(i).isSymbolic()) {
        fed.add(phs.get(i));
        fedValues.add(values.get(i));
      }
    }
    Plan p;
    try {
      p = Plan.build("Variable " + n, g, List.of(initial), List.of(), fed, false);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(
          "Variable " + n + ": the initial value '" + initial.name() + "' depends on the "
              + "arguments of function " + g.name() + ", but a variable created in a function is "
              + "created once, outside it. Compute the initial value from values available "
              + "outside the function, or inside Scopes.initScope()", e);
    }
    try (Scope eager = ContextStack.push(EagerContext.INSTANCE)) {
      return p.run("Variable " + n, fedValues.toArray(new Tensor[0]))[0];
    }
  }

  /** The variable's name. */
  public String name() {
    return name;
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The shape. */
  public Shape shape() {
    return shape;
  }

  /** True if gradient tapes watch it automatically. */
  public boolean trainable() {
    return trainable;
  }

  /**
   * The node that sets the initial value of a variable created in a plain graph from a symbolic
   * value (run it in a Session before reading); {@code null} otherwise.
   */
  public Operation initializer() {
    return initializer;
  }

  /** The current value (ReadVariableOp). */
  public Tensor read() {
    return Dispatch.run1(VariableOps.READ, attrs);
  }

  /** Sets the value; returns it (AssignVariableOp). Same dtype and shape as the variable. */
  public Tensor assign(Tensor v) {
    return Dispatch.run1(VariableOps.ASSIGN, attrs, v);
  }

  /** Adds {@code delta}; returns the new value (AssignAddVariableOp). */
  public Tensor assignAdd(Tensor delta) {
    return Dispatch.run1(VariableOps.ASSIGN_ADD, attrs, delta);
  }

  /** Subtracts {@code delta}; returns the new value (AssignSubVariableOp). */
  public Tensor assignSub(Tensor delta) {
    return Dispatch.run1(VariableOps.ASSIGN_SUB, attrs, delta);
  }

  @Override
  public String toString() {
    return "Variable(\"" + name + "\", " + dtype.numpyName() + shape + ")";
  }

  // ---------------------------------------------------------------- engine side

  TensorSpec spec() {
    return new TensorSpec(dtype, shape);
  }

  Tensor value() {
    Tensor v = value;
    if (v == null) {
      throw new FailedPreconditionException(
          "Variable " + name + ": attempting to use an uninitialized variable; run its "
              + "initializer() first");
    }
    return v;
  }

  void set(Tensor v) {
    value = v;
  }
}
