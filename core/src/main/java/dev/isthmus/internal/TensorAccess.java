package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * The engine's door into {@link Tensor}'s private state (the JDK's "shared secrets" pattern):
 * kernels need a tensor's segment and must wrap new segments, but users must not.
 */
public abstract class TensorAccess {
  private static TensorAccess access;

  /** Called once, by {@link Tensor}'s static initializer. */
  public static void install(TensorAccess a) {
    if (access != null) {
      throw new IllegalStateException("TensorAccess installed twice");
    }
    access = a;
  }

  static TensorAccess get() {
    TensorAccess a = access;
    if (a == null) {
      try {
        Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
      a = access;
    }
    return a;
  }

  /** Wraps {@code data} (exactly {@code shape.size()} elements of {@code dtype}) as a tensor. */
  public abstract Tensor create(DType dtype, Shape shape, MemorySegment data);

  /** The tensor's memory. Never write to it: tensors are immutable. */
  public abstract MemorySegment data(Tensor t);

  /** A pending tensor: output {@code index} of an op {@code p} stands for. */
  public abstract Tensor pending(DType dtype, Shape shape, Pending p, int index);

  /** The op a pending tensor waits for, or null. */
  public abstract Pending pendingOf(Tensor t);

  /** True for a value the user wrote down ({@code Tensor.of}), false for an op's result. */
  public abstract boolean isLiteral(Tensor t);
}
