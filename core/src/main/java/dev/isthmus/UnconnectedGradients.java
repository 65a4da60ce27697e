package dev.isthmus;

/**
 * What a gradient is when the target does not depend on the source (TensorFlow's
 * {@code tf.UnconnectedGradients}).
 */
public enum UnconnectedGradients {
  /** {@code null}, TensorFlow's default ({@code None}). */
  NONE,
  /** Zeros of the source's dtype and shape. */
  ZERO
}
