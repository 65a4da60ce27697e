package dev.isthmus.examples;

import dev.isthmus.Tensor;

/** The isthmus demo: the README's first command runs this. */
public final class Demo {
  private Demo() {}

  /** Runs the demo. */
  public static void main(String[] args) {
    Tensor x = Tensor.of(new float[] {0f, 1f, 2f, 3f}, 2, 2);
    System.out.println("exp(x) = " + java.util.Arrays.toString(x.exp().toFloatArray()));
  }
}
