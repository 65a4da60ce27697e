package dev.isthmus.testkit;

import dev.isthmus.Tensor;
import java.util.Arrays;

/**
 * Assertions on tensors and arrays with a {@link Tolerance}. Failures throw {@link AssertionError}
 * naming the first differing index, both values and their distance, so they work under any test
 * framework.
 */
public final class TensorAssert {
  private TensorAssert() {}

  /** Same dtype, same shape, and every element within {@code tol}; integers and BOOL exactly. */
  public static void assertClose(Tensor expected, Tensor actual, Tolerance tol) {
    if (expected.dtype() != actual.dtype() || !expected.shape().equals(actual.shape())) {
      throw new AssertionError(
          "expected " + expected.describe() + " but was " + actual.describe());
    }
    switch (expected.dtype()) {
      case FLOAT32 -> assertClose(expected.toFloatArray(), actual.toFloatArray(), tol);
      case FLOAT64 -> assertClose(expected.toDoubleArray(), actual.toDoubleArray(), tol);
      case INT32 -> exact(Arrays.equals(expected.toIntArray(), actual.toIntArray()), expected, actual);
      case INT64 -> exact(Arrays.equals(expected.toLongArray(), actual.toLongArray()), expected, actual);
      case BOOL -> exact(
          Arrays.equals(expected.toBooleanArray(), actual.toBooleanArray()), expected, actual);
    }
  }

  private static void exact(boolean ok, Tensor e, Tensor a) {
    if (!ok) {
      throw new AssertionError("expected " + e + " but was " + a);
    }
  }

  /** Equal length and every element within {@code tol}. */
  public static void assertClose(float[] expected, float[] actual, Tolerance tol) {
    if (expected.length != actual.length) {
      throw new AssertionError("expected length " + expected.length + " but was " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (!tol.accepts(expected[i], actual[i])) {
        throw new AssertionError(String.format(
            "at index %d of %d: expected %s but was %s (%d ulps, relative error %.3g; %s)",
            i, expected.length, expected[i], actual[i],
            Tolerance.ulpDistance(expected[i], actual[i]),
            Math.abs((double) expected[i] - actual[i]) / Math.abs((double) expected[i]), tol));
      }
    }
  }

  /** Equal length and every element within {@code tol}. */
  public static void assertClose(double[] expected, double[] actual, Tolerance tol) {
    if (expected.length != actual.length) {
      throw new AssertionError("expected length " + expected.length + " but was " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (!tol.accepts(expected[i], actual[i])) {
        throw new AssertionError(String.format(
            "at index %d of %d: expected %s but was %s (%d ulps, relative error %.3g; %s)",
            i, expected.length, expected[i], actual[i],
            Tolerance.ulpDistance(expected[i], actual[i]),
            Math.abs(expected[i] - actual[i]) / Math.abs(expected[i]), tol));
      }
    }
  }
}
