package dev.isthmus.kernels.fusion;

import java.lang.foreign.MemorySegment;

/**
 * What a generated kernel class implements. Each method runs rows {@code [from, to)} of the
 * iteration space; {@code arrays} requires every operand to be backed by the array of its type
 * ({@link FusedAccess#array}) and reads them through the arrays, {@code segments} takes any
 * segments. Both trust their arguments: {@link CompiledKernel} checks them first.
 */
interface FusedKernel {
  /** Runs over the arrays behind the segments. */
  void arrays(MemorySegment[] in, long[] inOff, MemorySegment[] out, long[] outOff,
      FusedLayout layout, long from, long to, long inner);

  /** Runs over the segments. */
  void segments(MemorySegment[] in, long[] inOff, MemorySegment[] out, long[] outOff,
      FusedLayout layout, long from, long to, long inner);
}
