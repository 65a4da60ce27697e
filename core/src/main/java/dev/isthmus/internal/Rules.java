package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Tensor;

/** Shape-rule building blocks shared by the op families. */
public final class Rules {
  private Rules() {}

  /** Throws unless {@code t}'s dtype is one of {@code allowed}. */
  public static void requireDType(OpDef op, Tensor[] in, Attrs attrs, Tensor t, DType... allowed) {
    for (DType d : allowed) {
      if (t.dtype() == d) {
        return;
      }
    }
    StringBuilder sb = new StringBuilder("expected dtype ");
    for (int i = 0; i < allowed.length; i++) {
      sb.append(i == 0 ? "" : i == allowed.length - 1 ? " or " : ", ").append(allowed[i].numpyName());
    }
    throw op.invalid(in, attrs, sb.toString());
  }

  /** Throws unless every input has the same dtype. */
  public static DType sameDType(OpDef op, Tensor[] in, Attrs attrs) {
    DType t = in[0].dtype();
    for (Tensor x : in) {
      if (x.dtype() != t) {
        throw op.invalid(in, attrs, "expected all inputs to have the same dtype");
      }
    }
    return t;
  }

  /** One output with the given dtype and the input's shape. */
  public static TensorSpec[] like(Tensor t, DType dtype) {
    return new TensorSpec[] {new TensorSpec(dtype, t.shape())};
  }
}
