package dev.isthmus;

import java.util.List;
import java.util.Map;

/**
 * A read-only view of a graph node, as TensorFlow's {@code NodeDef}: its unique name, its op
 * type, its inputs ({@code "name"} for output 0 of node {@code name}, {@code "name:i"} for output
 * i, {@code "^name"} for a control input), its attributes and its device.
 *
 * <p>Attributes are the op's own ({@code axis}, {@code dtype}, ...) plus those scopes record
 * (jit scopes add {@code _XlaCompile}, {@code _XlaScope} and
 * {@code _XlaSeparateCompiledGradients}, as TensorFlow does). A jit scope's predicate sees this
 * view. Values are Integer, Long, Double, Boolean, String, DType, int[], long[], a Tensor (a
 * Const's value) or an engine object (a function, a variable) whose {@code toString} names it.
 *
 * @param name the node's unique name in its graph, e.g. {@code "layer1/MatMul"}
 * @param op the op type, TensorFlow's name for it, e.g. {@code "MatMul"}
 * @param inputs data inputs, then control inputs prefixed with {@code ^}
 * @param attrs the attributes, read-only
 * @param device the requested device; always {@code ""} (isthmus runs on this CPU)
 */
public record NodeDef(
    String name, String op, List<String> inputs, Map<String, Object> attrs, String device) {
  /** A view; the lists and map are copied read-only. */
  public NodeDef {
    inputs = List.copyOf(inputs);
    attrs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attrs));
  }

  /** The names of the control inputs, without the {@code ^} prefix. */
  public List<String> controlInputs() {
    return inputs.stream().filter(s -> s.startsWith("^")).map(s -> s.substring(1)).toList();
  }

  /** The attribute {@code name}, or null. */
  public Object attr(String name) {
    return attrs.get(name);
  }
}
