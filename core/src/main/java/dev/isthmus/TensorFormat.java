package dev.isthmus;

/** numpy-like printing of tensors. */
final class TensorFormat {
  private TensorFormat() {}

  static String format(Tensor t) {
    return "tf.Tensor(" + t.describe() + ")";
  }
}
