package dev.isthmus.kernels.fusion;

import java.lang.foreign.MemorySegment;

/**
 * Small static helpers the generated kernels call (C2 inlines them): the arrays behind heap
 * segments, the scalar select and non-zero tests of the tail, and the error term of a
 * compensated sum. Package-private: the generated classes live in this package.
 */
final class FusedAccess {
  private FusedAccess() {}

  /** The {@code float[]} behind {@code s} (its elements that array's), or null. */
  static float[] floats(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof float[] a && s.address() % Float.BYTES == 0
        ? a : null;
  }

  /** The {@code double[]} behind {@code s}, or null. */
  static double[] doubles(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof double[] a && s.address() % Double.BYTES == 0
        ? a : null;
  }

  /** The {@code int[]} behind {@code s}, or null. */
  static int[] ints(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof int[] a && s.address() % Integer.BYTES == 0
        ? a : null;
  }

  /** The {@code long[]} behind {@code s}, or null. */
  static long[] longs(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof long[] a && s.address() % Long.BYTES == 0
        ? a : null;
  }

  /** The {@code byte[]} behind {@code s}, or null. */
  static byte[] bytes(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof byte[] a ? a : null;
  }

  /** The array behind {@code s} for elements of type {@code t}, or null. */
  static Object array(ElementType t, MemorySegment s) {
    return switch (t) {
      case FLOAT32 -> floats(s);
      case FLOAT64 -> doubles(s);
      case INT32 -> ints(s);
      case INT64 -> longs(s);
      case BOOL -> bytes(s);
    };
  }

  /** The array index of element {@code off} of heap segment {@code s} ({@code width} bytes). */
  static long index(MemorySegment s, long off, int width) {
    return off + s.address() / width; // a heap segment's address is its offset in the array
  }

  static float select(boolean c, float a, float b) {
    return c ? a : b;
  }

  static double select(boolean c, double a, double b) {
    return c ? a : b;
  }

  static int select(boolean c, int a, int b) {
    return c ? a : b;
  }

  static long select(boolean c, long a, long b) {
    return c ? a : b;
  }

  static boolean nonZero(float x) {
    return x != 0;
  }

  static boolean nonZero(double x) {
    return x != 0;
  }

  static boolean nonZero(int x) {
    return x != 0;
  }

  static boolean nonZero(long x) {
    return x != 0;
  }

  /**
   * The rounding error of {@code s = a + b} (Neumaier), to add to the compensation; 0 once the
   * sum is infinite or NaN (which the compensation must not turn into NaN).
   */
  static double sumError(double a, double b, double s) {
    if (!Double.isFinite(s)) {
      return 0;
    }
    return Math.abs(a) >= Math.abs(b) ? (a - s) + b : (b - s) + a;
  }
}
