package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Shape;

/** The dtype and shape of an op's output, as its shape rule computes them. */
public record TensorSpec(DType dtype, Shape shape) {
  /** {@code float32[2, 3]}. */
  @Override
  public String toString() {
    return dtype.numpyName() + shape;
  }
}
