package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.ResourceExhaustedException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Allocation of tensor memory: a heap array of the dtype's Java type wrapped as a segment (so the
 * garbage collector owns it and element access is aligned), or off-heap memory for tensors
 * larger than a Java array.
 */
public final class Buffers {
  private Buffers() {}

  /**
   * A zero-filled segment of {@code n} elements of {@code t}.
   *
   * @throws ResourceExhaustedException if the memory cannot be had (one failed large allocation
   *     is not a broken JVM: nothing was allocated, so it is reported like TensorFlow's OOM)
   */
  public static MemorySegment allocate(DType t, long n) {
    try {
      return allocateOrThrow(t, n);
    } catch (OutOfMemoryError e) {
      throw new ResourceExhaustedException(
          "OOM when allocating " + n + " elements of " + t.numpyName() + " ("
              + (n * t.byteSize() >> 20) + " MiB): " + e.getMessage(), e);
    }
  }

  private static MemorySegment allocateOrThrow(DType t, long n) {
    if (n < 0) {
      throw new InvalidArgumentException("allocate: negative element count " + n);
    }
    if (n <= Integer.MAX_VALUE - 8) {
      int k = (int) n;
      return switch (t) {
        case FLOAT32 -> MemorySegment.ofArray(new float[k]);
        case FLOAT64 -> MemorySegment.ofArray(new double[k]);
        case INT32 -> MemorySegment.ofArray(new int[k]);
        case INT64 -> MemorySegment.ofArray(new long[k]);
        case BOOL -> MemorySegment.ofArray(new byte[k]);
      };
    }
    long bytes;
    try {
      bytes = Math.multiplyExact(n, (long) t.byteSize());
    } catch (ArithmeticException e) {
      throw new ResourceExhaustedException(
          "cannot allocate " + n + " elements of " + t.numpyName() + ": more than 2^63 bytes");
    }
    return Arena.ofAuto().allocate(bytes, 64);
  }
}
