package dev.isthmus.kernels.fusion;

import java.lang.foreign.MemorySegment;

/**
 * What a generated kernel class implements: one entry point that looks at the operands, picks
 * its array loop (every operand backed by the array of its type, read through the arrays) or its
 * segment loop, and runs rows {@code [from, to)} if that loop is allowed. It trusts its arguments:
 * {@link CompiledKernel} checks them first.
 *
 * <p>The operands are inspected in the generated class itself, not in shared code, so that each
 * kernel's calls of {@link MemorySegment#heapBase} see only its own operands' segment classes:
 * C2 then inlines them and the {@code Optional}s they return are never allocated.
 */
interface FusedKernel {
  /** Allowed: the array loop. */
  int ARRAYS = 1;
  /** Allowed: the segment loop. */
  int SEGMENTS = 2;

  /**
   * Runs, and returns 0, if the loop these operands need is in {@code allowed}; otherwise returns
   * that loop ({@link #ARRAYS} or {@link #SEGMENTS}) and does nothing.
   */
  int run(MemorySegment[] in, long[] inOff, MemorySegment[] out, long[] outOff,
      FusedLayout layout, long from, long to, long inner, int allowed);
}
