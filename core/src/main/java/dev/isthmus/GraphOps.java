package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;

/**
 * The graph machinery's ops: placeholders and calls of traced functions. Declared once, like
 * every op; control flow ({@code If}, {@code While}) is in {@link ControlFlowOps}.
 */
final class GraphOps {
  private GraphOps() {}

  /** A value fed at run time; attrs {@code dtype}, {@code shape}. Never runs: it is fed. */
  static final OpDef PLACEHOLDER = OpDef.builder("Placeholder")
      .flags(OpDef.Flag.GRAPH)
      .shape((d, in, a) -> {
        if (!a.has("dtype") || !a.has("shape")) {
          throw d.invalid(in, a, "expected attributes dtype and shape");
        }
        return new TensorSpec[] {new TensorSpec(a.getDType("dtype"), Shape.of(a.getLongs("shape")))};
      })
      .kernel((in, a, outs) -> {
        throw new InvalidArgumentException(
            "Placeholder: you must feed a value for a placeholder of " + outs[0]);
      })
      .build();

  /** Its input, unchanged (tf.identity); functions return values through it. */
  static final OpDef IDENTITY = OpDef.builder("Identity")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(dev.isthmus.internal.GradientSupport.floating((in, out, up, a) -> up.clone()))
      .shape((d, in, a) -> new TensorSpec[] {new TensorSpec(in[0].dtype(), in[0].shape())})
      // a new tensor over the same memory, not the input itself: tapes tell values apart by
      // identity, and an identity whose output were its input would count gradients twice
      .kernel((in, a, outs) -> new Tensor[] {dev.isthmus.internal.Tensors.wrap(in[0].dtype(),
          in[0].shape(), dev.isthmus.internal.Tensors.data(in[0]))})
      .build();

  /** Calls a traced function with no stateful op (attr {@code f}: the ConcreteFunction). */
  static final OpDef PARTITIONED_CALL = call("PartitionedCall");

  /** Calls a traced function that has stateful ops (variables, iterators). */
  static final OpDef STATEFUL_PARTITIONED_CALL = call("StatefulPartitionedCall",
      OpDef.Flag.STATEFUL);

  private static OpDef call(String name, OpDef.Flag... more) {
    return OpDef.builder(name)
        .variadicInputs("args")
        .flags(OpDef.Flag.GRAPH)
        .flags(more)
        .shape((d, in, a) -> {
          if (!(a.asMap().get("f") instanceof ConcreteFunction f)) { // one lookup per call
            throw d.invalid(in, a, "expected attribute f, a traced function");
          }
          return f.checkCall(d, in, a);
        })
        .kernel((in, a, outs) -> ((ConcreteFunction) a.getObject("f")).execute(in))
        .dynamicShape(a -> a.getObject("f") instanceof ConcreteFunction f && f.relaxed())
        .gradient(FunctionGradients::callGradient)
        .build();
  }

  /**
   * Runs a jit cluster as one step of a plan (TensorFlow's {@code _XlaRun}); attr
   * {@code cluster}: the planned cluster. Never a graph node: plans make it
   * ({@link ClusterSteps}), and the installed cluster runner executes it.
   */
  static final OpDef XLA_RUN = OpDef.builder("_XlaRun")
      .variadicInputs("args")
      .flags(OpDef.Flag.GRAPH)
      .shape((d, in, a) -> {
        if (!(a.has("cluster") && a.getObject("cluster") instanceof ClusterSteps.Unit u)) {
          throw d.invalid(in, a, "expected attribute cluster, a planned jit cluster");
        }
        return u.infer(d, in, a);
      })
      .kernel((in, a, outs) -> ((ClusterSteps.Unit) a.getObject("cluster")).run(in, outs))
      // never a graph node nor seen by a tape: nothing ever differentiates it
      .gradient(dev.isthmus.internal.GradientSupport.NOT_DIFFERENTIABLE)
      .build();

  /** The call op for {@code f}. */
  static OpDef callOf(ConcreteFunction f) {
    return f.isStateful() ? STATEFUL_PARTITIONED_CALL : PARTITIONED_CALL;
  }

  static Attrs callAttrs(ConcreteFunction f) {
    return Attrs.of("f", f);
  }
}
