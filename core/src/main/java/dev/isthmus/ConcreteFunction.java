package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.Recording;
import dev.isthmus.internal.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One trace of a {@link Function} for one input signature (TensorFlow's
 * {@code ConcreteFunction}): a function graph with placeholders for the arguments and for the
 * values it captured, and its outputs. {@link #graph()} is there to inspect.
 *
 * <p>Calling it is one op, {@code PartitionedCall} (or {@code StatefulPartitionedCall} when the
 * graph has stateful ops), dispatched like any other: eagerly it runs the graph now, inside
 * another function's trace it is one node of that graph. A call runs the outputs and every
 * stateful node of the graph (a variable update runs even if nothing reads it, as TensorFlow's
 * automatic control dependencies ensure), in the order they were traced.
 */
public final class ConcreteFunction {
  private final String name;
  private final Graph graph;
  private final List<Tensor> inputs;
  private final List<Tensor> outputs;
  private final List<Tensor> captured;
  private final List<Tensor> capturePlaceholders;
  private final List<Operation> statefulOps;
  private final boolean relaxed;
  private final Attrs callAttrs;
  private final ConcreteFunction base; // this, or the function a variant with intermediates extends
  private volatile ConcreteFunction withIntermediates;
  private final OpDef callOp;
  private final Tensor[] expected; // the argument placeholders, then the capture placeholders
  private final Tensor[] capturedArray;
  private final TensorSpec[] outSpecs; // what every call returns (shared: never modified)
  private volatile Plan plan;

  ConcreteFunction(String name, Graph graph, List<Tensor> inputs, List<Tensor> outputs,
      boolean relaxed) {
    this.name = name;
    this.graph = graph;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.captured = graph.capturedValues();
    this.capturePlaceholders = graph.capturePlaceholders();
    this.statefulOps = graph.operations().stream()
        .filter(o -> o.def().is(OpDef.Flag.STATEFUL)).toList();
    this.relaxed = relaxed;
    this.base = this;
    this.callAttrs = GraphOps.callAttrs(this);
    this.callOp = GraphOps.callOf(this);
    this.capturedArray = captured.toArray(new Tensor[0]);
    this.expected = new Tensor[this.inputs.size() + captured.size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = i < this.inputs.size()
          ? this.inputs.get(i) : capturePlaceholders.get(i - this.inputs.size());
    }
    this.outSpecs = new TensorSpec[this.outputs.size()];
    for (int i = 0; i < outSpecs.length; i++) {
      outSpecs[i] = new TensorSpec(this.outputs.get(i).dtype(), this.outputs.get(i).shape());
    }
  }

  /**
   * Traces {@code body} into a new function graph inside {@code outer} (null: traced from eager
   * execution), with one placeholder per element of {@code like} (its dtype and shape). Every
   * result becomes a node of the function graph: a captured or literal value goes through
   * {@code Identity}. Control flow traces its branches and loop bodies with this too.
   */
  static ConcreteFunction trace(String name, Graph outer, List<Tensor> like,
      java.util.function.Function<List<Tensor>, List<Tensor>> body, boolean relaxed) {
    return trace(name, outer, like, body, relaxed, null);
  }

  /** {@link #trace} of {@link Function} {@code fn}'s lambda, recorded as its trace if not null. */
  static ConcreteFunction trace(String name, Graph outer, List<Tensor> like,
      java.util.function.Function<List<Tensor>, List<Tensor>> body, boolean relaxed,
      Function fn) {
    Graph g = new Graph(name, true, outer);
    g.setRelaxedShapes(relaxed);
    try (Scope s = g.asDefault(); Scope t = fn != null ? FunctionTraces.enter(fn, g) : null) {
      List<Tensor> phs = new ArrayList<>(like.size());
      for (int i = 0; i < like.size(); i++) {
        phs.add(g.placeholder("arg" + i, like.get(i).dtype(), like.get(i).shape()));
      }
      List<Tensor> outs = body.apply(List.copyOf(phs));
      if (outs == null) {
        throw new InvalidArgumentException("Function " + name + " returned null");
      }
      List<Tensor> results = new ArrayList<>(outs.size());
      for (int i = 0; i < outs.size(); i++) {
        Tensor o = outs.get(i);
        if (o == null) {
          throw new InvalidArgumentException(
              "Function " + name + ": result #" + i + " is null; expected a tensor");
        }
        results.add(o.isSymbolic() && o.op().graph() == g ? o : Ops.identity(o));
      }
      return new ConcreteFunction(name, g, phs, results, relaxed);
    }
  }

  /** The function's name. */
  public String name() {
    return name;
  }

  /** The traced function graph. */
  public Graph graph() {
    return graph;
  }

  /** The placeholders standing for the arguments, in order. */
  public List<Tensor> inputs() {
    return inputs;
  }

  /** The graph's outputs, in order. */
  public List<Tensor> outputs() {
    return outputs;
  }

  /**
   * The outer values the trace captured (eager tensors, or tensors of the graph it was traced
   * in), passed to every call after the arguments.
   */
  public List<Tensor> capturedInputs() {
    return captured;
  }

  /** True when the graph has stateful nodes (variables, iterators): its calls are ordered. */
  public boolean isStateful() {
    return !statefulOps.isEmpty();
  }

  /**
   * Calls the function on {@code args}, which must match the traced signature: eagerly this runs
   * the graph and returns eager tensors; while building a graph it adds one call node.
   */
  public List<Tensor> call(Tensor... args) {
    return List.of(callArray(args));
  }

  /** {@link #call}, its results as an array (the call op's outputs, not copied). */
  Tensor[] callArray(Tensor[] args) {
    // a copy even without captures: a context may keep the inputs (an async one would)
    Tensor[] all = new Tensor[args.length + capturedArray.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(capturedArray, 0, all, args.length, capturedArray.length);
    if (Recording.active() && hasFloatingOutput()) {
      // a tape may differentiate this call: run the variant that also returns every
      // intermediate value, so the gradient reads the forward values instead of recomputing
      ConcreteFunction v = withIntermediates();
      Tensor[] outs = Dispatch.run(v.callOp, v.callAttrs, all);
      return java.util.Arrays.copyOf(outs, outputs.size());
    }
    return Dispatch.run(callOp, callAttrs, all); // a fresh array from every context
  }

  private boolean hasFloatingOutput() {
    for (Tensor t : outputs) {
      if (t.dtype().isFloating()) {
        return true;
      }
    }
    return false;
  }

  /** A variant over the same graph: it outputs the outputs, then every node's outputs. */
  private ConcreteFunction(ConcreteFunction base, List<Tensor> outputs) {
    this.name = base.name;
    this.graph = base.graph;
    this.inputs = base.inputs;
    this.outputs = List.copyOf(outputs);
    this.captured = base.captured;
    this.capturePlaceholders = base.capturePlaceholders;
    this.statefulOps = base.statefulOps;
    this.relaxed = base.relaxed;
    this.callAttrs = GraphOps.callAttrs(this);
    this.base = base;
    this.callOp = base.callOp;
    this.capturedArray = base.capturedArray;
    this.expected = base.expected;
    this.outSpecs = new TensorSpec[this.outputs.size()];
    for (int i = 0; i < outSpecs.length; i++) {
      outSpecs[i] = new TensorSpec(this.outputs.get(i).dtype(), this.outputs.get(i).shape());
    }
  }

  /** The function this one is a variant of (itself when it is not one). */
  ConcreteFunction base() {
    return base;
  }

  /** The same function also returning every intermediate value (for gradients). */
  ConcreteFunction withIntermediates() {
    if (base != this) {
      return this;
    }
    ConcreteFunction v = withIntermediates;
    if (v == null) {
      List<Tensor> all = new java.util.ArrayList<>(outputs);
      java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(
          new java.util.IdentityHashMap<>());
      seen.addAll(outputs);
      for (Operation o : graph.operations()) {
        if (o.def() != GraphOps.PLACEHOLDER) {
          for (Tensor t : o.outputs()) {
            if (seen.add(t)) {
              all.add(t);
            }
          }
        }
      }
      withIntermediates = v = new ConcreteFunction(this, all);
    }
    return v;
  }

  /** The placeholders standing for the captured values, in capture order. */
  List<Tensor> capturePlaceholders() {
    return capturePlaceholders;
  }

  /** The call op's shape rule: the arguments and captures match; the output specs. */
  TensorSpec[] checkCall(OpDef d, Tensor[] in, Attrs a) {
    int want = expected.length;
    if (in.length != want) {
      throw d.invalid(in, a, "function " + name + " takes " + inputs.size() + " arguments and "
          + captured.size() + " captured values");
    }
    int args = inputs.size();
    for (int i = 0; i < want; i++) {
      Tensor ph = expected[i];
      Tensor x = in[i];
      boolean shapeOk = relaxed && i < args
          ? x.rank() == ph.rank() : x.shape() == ph.shape() || x.shape().equals(ph.shape());
      if (x.dtype() != ph.dtype() || !shapeOk) {
        throw d.invalid(in, a, "function " + name + " was traced for " + signature()
            + "; input #" + i + " must be " + ph.describe()
            + (relaxed && i < inputs.size() ? " or any shape of rank " + ph.rank() : ""));
      }
    }
    return outSpecs;
  }

  /** The call op's kernel: runs the graph on concrete arguments and captures. */
  Tensor[] execute(Tensor[] in) {
    Plan p = plan;
    if (p == null) {
      synchronized (this) {
        p = plan;
        if (p == null) {
          ArrayList<Tensor> fed = new ArrayList<>(inputs);
          fed.addAll(capturePlaceholders);
          GraphPasses.finalizeForExecution(graph);
          plan = p = Plan.build(name, graph, outputs, statefulOps, fed, relaxed);
        }
      }
    }
    return p.run(name, in);
  }

  /** True when fed values may have any shape of the traced rank (relaxed shapes). */
  boolean relaxed() {
    return relaxed;
  }

  /** {@code (float32[2], int32[])}: the argument types this trace was made for. */
  String signature() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < inputs.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(inputs.get(i).describe());
    }
    return sb.append(")").toString();
  }

  @Override
  public String toString() {
    return name + signature();
  }
}
