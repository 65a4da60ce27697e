package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What a GEMM does to each output element after the product, while its tile is still in
 * registers or cache: {@code C[i, j] = activation(op(A) op(B)[i, j] + bias[j])}, as a dense
 * layer ({@code tf.nn.bias_add} then the activation) does. Passed to {@link MatmulKernels#f32}
 * and {@link MatmulKernels#f64}; {@link #NONE} is the plain product.
 *
 * @param bias the bias vector, {@code n} elements of the GEMM's element type from element offset
 *     {@code biasOffset}, added to every row of C; or null for no bias
 * @param biasOffset the element offset of {@code bias[0]} (ignored without a bias)
 * @param activation the elementwise function applied last
 */
public record Epilogue(MemorySegment bias, long biasOffset, Activation activation) {
  /** No bias, no activation: the plain product. */
  public static final Epilogue NONE = new Epilogue(null, 0, Activation.NONE);

  /** Checks the offset and that an activation is given. */
  public Epilogue {
    Objects.requireNonNull(activation, "activation");
    if (biasOffset < 0) {
      throw new IllegalArgumentException("negative bias offset " + biasOffset);
    }
  }

  /** The activations a GEMM can apply to its output, each one {@link UnaryOp} (or none). */
  public enum Activation {
    /** The identity. */
    NONE(null),
    /** {@link UnaryOp#RELU}. */
    RELU(UnaryOp.RELU),
    /** {@link UnaryOp#RELU6}. */
    RELU6(UnaryOp.RELU6),
    /** {@link UnaryOp#SIGMOID}. */
    SIGMOID(UnaryOp.SIGMOID),
    /** {@link UnaryOp#TANH}. */
    TANH(UnaryOp.TANH),
    /** {@link UnaryOp#GELU} (exact, erf-based). */
    GELU(UnaryOp.GELU),
    /** {@link UnaryOp#GELU_TANH} (the tanh approximation). */
    GELU_TANH(UnaryOp.GELU_TANH);

    private final UnaryOp op;

    Activation(UnaryOp op) {
      this.op = op;
    }

    /** The unary operator this activation applies, or null for {@link #NONE}. */
    public UnaryOp op() {
      return op;
    }
  }

  /** A bias of {@code n} elements from element offset {@code offset}, then {@code activation}. */
  public static Epilogue of(MemorySegment bias, long offset, Activation activation) {
    return new Epilogue(Objects.requireNonNull(bias, "bias"), offset, activation);
  }

  /** A bias of {@code n} elements from element offset {@code offset}, no activation. */
  public static Epilogue bias(MemorySegment bias, long offset) {
    return of(bias, offset, Activation.NONE);
  }

  /** {@code activation} alone, no bias. */
  public static Epilogue activation(Activation activation) {
    return new Epilogue(null, 0, activation);
  }

  /** True when this is the plain product (no bias, no activation). */
  public boolean isNone() {
    return bias == null && activation == Activation.NONE;
  }
}
