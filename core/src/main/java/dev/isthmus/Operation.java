package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a {@link Graph} (TensorFlow's {@code tf.Operation}): an op applied to symbolic
 * inputs, with attributes, control inputs, and symbolic outputs.
 */
public final class Operation {
  private final Graph graph;
  private final int id; // position in the graph: ops are created in topological order
  private final String name;
  private final OpDef def;
  private final Tensor[] inputs;
  private final Operation[] controlInputs;
  private final Attrs attrs;
  private final Tensor[] outputs;
  // attributes scopes record ("_XlaCompile", ...); set while the node is created or finalized
  private final Operation gradientOf; // the forward node whose gradient this node helps compute
  private final Map<String, Object> extraAttrs = Collections.synchronizedMap(new LinkedHashMap<>());

  Operation(Graph graph, int id, String name, OpDef def, Tensor[] inputs,
      Operation[] controlInputs, Attrs attrs, TensorSpec[] outs) {
    this.graph = graph;
    this.id = id;
    this.name = name;
    this.def = def;
    this.inputs = inputs;
    this.controlInputs = controlInputs;
    this.attrs = attrs;
    this.gradientOf = Backprop.currentForward();
    this.outputs = new Tensor[outs.length];
    for (int i = 0; i < outs.length; i++) {
      outputs[i] = new Tensor(this, i, outs[i].dtype(), outs[i].shape());
    }
  }

  /**
   * A plan-only node standing for a jit cluster ({@link ClusterSteps}): never added to the
   * graph; it adopts the members' output tensors, so the plan's readers find them unchanged.
   */
  Operation(Graph graph, String name, OpDef def, Tensor[] inputs, Attrs attrs,
      Tensor[] adopted) {
    this.graph = graph;
    this.id = -1;
    this.name = name;
    this.def = def;
    this.inputs = inputs;
    this.controlInputs = new Operation[0];
    this.attrs = attrs;
    this.gradientOf = null;
    this.outputs = adopted;
  }

  /** The node's unique name in its graph. */
  public String name() {
    return name;
  }

  /** The op type, e.g. {@code "MatMul"} (TensorFlow's {@code Operation.type}). */
  public String type() {
    return def.name();
  }

  /** The graph this node belongs to. */
  public Graph graph() {
    return graph;
  }

  /** The symbolic input tensors. */
  public List<Tensor> inputs() {
    return List.of(inputs);
  }

  /** The symbolic output tensors. */
  public List<Tensor> outputs() {
    return List.of(outputs);
  }

  /** Output {@code i}. */
  public Tensor output(int i) {
    if (i < 0 || i >= outputs.length) {
      throw new InvalidArgumentException(
          "Operation.output: op '" + name + "' (" + type() + ") has " + outputs.length
              + " outputs; expected 0 <= index < " + outputs.length + ", got " + i);
    }
    return outputs[i];
  }

  /** The nodes that must run before this one although none of its inputs come from them. */
  public List<Operation> controlInputs() {
    return List.of(controlInputs);
  }

  /**
   * The attribute {@code name} (the op's own or one a scope recorded), or null. Arrays are
   * copies: the node cannot be changed through them.
   */
  public Object attr(String name) {
    Object v = extraAttrs.get(name);
    return copy(v != null ? v : attrs.has(name) ? attrs.getObject(name) : null);
  }

  private static Object copy(Object v) {
    return switch (v) {
      case int[] a -> a.clone();
      case long[] a -> a.clone();
      case float[] a -> a.clone();
      case double[] a -> a.clone();
      case boolean[] a -> a.clone();
      case Object[] a -> a.clone();
      case null, default -> v;
    };
  }

  /** The read-only {@link NodeDef} view of this node. */
  public NodeDef nodeDef() {
    String[] in = new String[inputs.length + controlInputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      in[i] = t.outputIndex() == 0 ? t.op().name() : t.name();
    }
    for (int i = 0; i < controlInputs.length; i++) {
      in[inputs.length + i] = "^" + controlInputs[i].name;
    }
    LinkedHashMap<String, Object> all = new LinkedHashMap<>(attrs.asMap());
    synchronized (extraAttrs) {
      all.putAll(extraAttrs);
    }
    all.replaceAll((k, v) -> copy(v)); // a read-only view: arrays are copies
    return new NodeDef(name, type(), Arrays.asList(in), all, "");
  }

  @Override
  public String toString() {
    return "Operation(\"" + name + "\", type=" + type() + ")";
  }

  // ---------------------------------------------------------------- engine side

  /** The forward node this gradient node was built for, or null. */
  Operation gradientOf() {
    return gradientOf;
  }

  int id() {
    return id;
  }

  OpDef def() {
    return def;
  }

  Attrs attrs() {
    return attrs;
  }

  Tensor[] inputArray() {
    return inputs;
  }

  Operation[] controlArray() {
    return controlInputs;
  }

  Tensor[] outputArray() {
    return outputs;
  }

  /** Records a scope attribute unless the node already has one of that name; true if set. */
  boolean setAttrIfAbsent(String key, Object value) {
    if (attrs.has(key)) {
      return false;
    }
    return extraAttrs.putIfAbsent(key, value) == null;
  }

  /** Records or replaces a scope attribute (e.g. {@code _XlaCluster} at finalization). */
  void setAttr(String key, Object value) {
    extraAttrs.put(key, value);
  }
}
