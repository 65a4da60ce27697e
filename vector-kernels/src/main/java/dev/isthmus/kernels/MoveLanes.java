package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The arrays behind heap segments, for the vector loops of the raw-bit kernels (move, fill,
 * select). Those loops read and write a heap segment through its array ({@code fromArray},
 * {@code intoArray}) and only off-heap segments through the segment, because C2 compiles a
 * vector access of a heap segment to a vector instruction only when it can prove the backing
 * array has the vector's element type. Measured on JDK 25: an {@code IntVector} over a
 * {@code float[]} segment runs the Java fallback (about 20x slower); so does a
 * {@code FloatVector} over a {@code float[]} segment once the access site has also seen another
 * array type (the Vector API's own fallback code can cause that), which makes segment access
 * fast or slow depending on what else ran. An array access has its type in the bytecode.
 *
 * <p>Each getter returns the array, or null when the segment is off-heap, over another array
 * type, or starts inside an element; {@link #index} gives the array index of an element.
 * Every tensor's memory is a segment over its dtype's array or off-heap, so a kernel moving
 * 4-byte elements finds {@code float[]}s or {@code int[]}s, and moves them as floats or ints.
 */
final class MoveLanes {
  private MoveLanes() {}

  /** The {@code float[]} behind {@code s}, or null. */
  static float[] floats(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof float[] a && s.address() % Float.BYTES == 0
        ? a : null;
  }

  /** The {@code int[]} behind {@code s}, or null. */
  static int[] ints(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof int[] a && s.address() % Integer.BYTES == 0
        ? a : null;
  }

  /** The {@code double[]} behind {@code s}, or null. */
  static double[] doubles(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof double[] a && s.address() % Double.BYTES == 0
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

  /**
   * Where element {@code e} (of {@code width} bytes) of {@code s} is: its index in the array
   * behind {@code s} when {@code array} is that array, else {@code e} itself (a segment index).
   */
  static long index(Object array, MemorySegment s, long e, int width) {
    return array == null ? e : s.address() / width + e;
  }
}
