package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.lang.foreign.MemorySegment;

/** Static helpers the op declarations use to read and make tensors. */
public final class Tensors {
  private static final TensorAccess ACCESS = TensorAccess.get();

  private Tensors() {}

  /** The memory of {@code t}; read-only by convention. */
  public static MemorySegment data(Tensor t) {
    return ACCESS.data(t);
  }

  /** A tensor over {@code data}, which the caller hands over and must not write again. */
  public static Tensor wrap(DType dtype, Shape shape, MemorySegment data) {
    return ACCESS.create(dtype, shape, data);
  }

  /**
   * True for a value the user wrote down ({@code Tensor.of}, scalars), which a graph turns into
   * a Const node; false for the result of an op.
   */
  public static boolean isLiteral(Tensor t) {
    return ACCESS.isLiteral(t);
  }

  /** A pending tensor of {@code spec}: output {@code index} of the queued op {@code p}. */
  public static Tensor pending(TensorSpec spec, Pending p, int index) {
    return ACCESS.pending(spec.dtype(), spec.shape(), p, index);
  }

  /** The queued op a pending tensor waits for, or null for a concrete or symbolic tensor. */
  public static Pending pendingOf(Tensor t) {
    return ACCESS.pendingOf(t);
  }

  /** {@code t} itself, or for a pending tensor the concrete tensor it becomes (waiting). */
  public static Tensor resolve(Tensor t) {
    Pending p = ACCESS.pendingOf(t);
    return p == null ? t : p.await(t.outputIndex());
  }

  /** A fresh zero-filled buffer for a tensor of {@code spec}, to fill then {@link #wrap}. */
  public static MemorySegment allocate(TensorSpec spec) {
    return Buffers.allocate(spec.dtype(), spec.shape().size());
  }
}
