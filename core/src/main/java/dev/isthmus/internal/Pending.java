package dev.isthmus.internal;

import dev.isthmus.Tensor;

/**
 * The producer of a pending tensor: an op an async scope has queued. Reading the tensor's
 * values (or, when its shape is only known once it ran, its shape) waits for it.
 */
public interface Pending {
  /** Waits for the op; its output {@code index}, concrete. Throws the op's error if it failed. */
  Tensor await(int index);

  /** True when the shape given at dispatch is the one the op will produce. */
  boolean shapeExact();
}
