package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Heap segments read and written through their arrays, for the vector loops that call an
 * intrinsic implemented as a stub call (EXP, TANH, LOG, ...): after every such call C2 re-checks
 * a {@link MemorySegment}'s bounds and liveness, while an array's range checks are hoisted out of
 * the loop, which measured about 2.5x faster for EXP. Loops without such calls (add, sum, max)
 * gain nothing and keep plain segment access.
 *
 * <p>A loop takes the array ({@link #floats}, {@link #doubles}; null for native memory and other
 * heap segments) beside the segment, and an element offset that is an array index when there is
 * an array ({@link #index}); {@link #ld} and {@link #st} pick the access. Loops count in int, over
 * chunks of at most {@link #CHUNK} elements. Array accesses do not stop at a slice's end, so every
 * facade whose vector path goes through here checks its ranges against the segments once per call
 * (not an assert).
 *
 * <p>The move, fill and select kernels use the same path for another reason: C2 intrinsifies a
 * vector access to a heap segment only when the vector's element type matches the backing
 * array's, and runs the Java fallback (about 20x slower) otherwise; going through the array with
 * its own type ({@link #ints}, {@link #longs}, {@link #bytes}, {@link #index(Object,
 * MemorySegment, long, int)}) avoids that.
 */
final class HeapArrays {
  private HeapArrays() {}

  /** The most elements one loop call does, so that loops count in int (a multiple of lanes). */
  static final int CHUNK = 1 << 30;

  /** The float[] behind a heap segment, if its elements are that array's, else null. */
  static float[] floats(MemorySegment s) {
    return s.heapBase().orElse(null) instanceof float[] a && s.address() % Float.BYTES == 0
        ? a : null;
  }

  /** The double[] behind a heap segment, if its elements are that array's, else null. */
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

  /**
   * Where element {@code e} (of {@code width} bytes) of {@code s} is: its index in the array
   * behind {@code s} when {@code array} is that array, else {@code e} itself (a segment index).
   */
  static long index(Object array, MemorySegment s, long e, int width) {
    return array == null ? e : s.address() / width + e;
  }

  /** The index in {@code a} of element {@code o} of {@code s} ({@code o} when a is null). */
  static long index(float[] a, MemorySegment s, long o) {
    return a == null ? o : o + s.address() / Float.BYTES; // a heap address is the array offset
  }

  /** The index in {@code a} of element {@code o} of {@code s} ({@code o} when a is null). */
  static long index(double[] a, MemorySegment s, long o) {
    return a == null ? o : o + s.address() / Double.BYTES;
  }

  /** The vector at element {@code o + i}: from the array when there is one. */
  static FloatVector ld(float[] a, MemorySegment s, long o, int i) {
    return a != null ? FloatVector.fromArray(F, a, (int) o + i)
        : FloatVector.fromMemorySegment(F, s, (o + i) * Float.BYTES, NATIVE);
  }

  /** Stores {@code v} at element {@code o + i}: into the array when there is one. */
  static void st(FloatVector v, float[] a, MemorySegment s, long o, int i) {
    if (a != null) {
      v.intoArray(a, (int) o + i);
    } else {
      v.intoMemorySegment(s, (o + i) * Float.BYTES, NATIVE);
    }
  }

  /** The vector at element {@code o + i}: from the array when there is one. */
  static DoubleVector ld(double[] a, MemorySegment s, long o, int i) {
    return a != null ? DoubleVector.fromArray(D, a, (int) o + i)
        : DoubleVector.fromMemorySegment(D, s, (o + i) * Double.BYTES, NATIVE);
  }

  /** Stores {@code v} at element {@code o + i}: into the array when there is one. */
  static void st(DoubleVector v, double[] a, MemorySegment s, long o, int i) {
    if (a != null) {
      v.intoArray(a, (int) o + i);
    } else {
      v.intoMemorySegment(s, (o + i) * Double.BYTES, NATIVE);
    }
  }
}
