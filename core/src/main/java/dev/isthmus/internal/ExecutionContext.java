package dev.isthmus.internal;

import dev.isthmus.Tensor;

/**
 * Where ops go: the one extension point of dispatch (DESIGN principle 3). The eager context
 * runs kernels now; a graph context records nodes; an async context enqueues. Each looks the
 * rules up in the {@link OpDef}; none defines them.
 */
public interface ExecutionContext {
  /** Executes, records or enqueues {@code op}; returns its outputs. */
  Tensor[] execute(OpDef op, Tensor[] inputs, Attrs attrs);

  /** True if ops run (or are enqueued) now rather than being recorded into a graph. */
  boolean executingEagerly();

  /**
   * True for the graph of a function being traced (TensorFlow's {@code building_function}):
   * {@code initScope} walks past these to the outermost context that is not.
   */
  default boolean buildingFunction() {
    return false;
  }
}
