package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The transposed copy of B that the vector GEMM makes when {@code transB} is set, so its
 * micro-kernel can load rows of {@code op(B)} as vectors. Temporary: the packing issue packs B
 * into panels in either orientation and removes this copy.
 *
 * <p>Buffers up to {@link #CACHED} elements are kept per thread and reused, so small products
 * allocate nothing; larger ones get a fresh buffer (their O(m n k) work dwarfs the allocation).
 * A buffer is only used within one kernel call, which never calls another kernel.
 */
final class MatmulScratch {
  /** The largest scratch buffer (in elements) kept per thread and element type. */
  static final int CACHED = 1 << 16;

  private static final int BIG = Integer.MAX_VALUE - 8; // the largest Java array
  // Transposes BLOCK x BLOCK tiles, writing contiguously: small enough that the tile's strided
  // reads stay in L1 even at power-of-two strides, where they all map to one cache set.
  private static final int BLOCK = 16;

  private static final ThreadLocal<float[]> F32 = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<double[]> F64 = ThreadLocal.withInitial(() -> new double[0]);
  private static final ThreadLocal<int[]> I32 = ThreadLocal.withInitial(() -> new int[0]);

  private MatmulScratch() {}

  /**
   * B is {@code rows x cols} at element offset {@code bo} with leading dimension {@code ldb};
   * returns its transpose, {@code cols x rows}, dense, from offset 0.
   */
  static MemorySegment transposeF32(MemorySegment b, long bo, long ldb, long rows, long cols) {
    long size = rows * cols;
    MemorySegment t;
    if (size <= CACHED) {
      float[] buf = F32.get();
      if (buf.length < size) {
        buf = new float[grow(buf.length, size)];
        F32.set(buf);
      }
      t = MemorySegment.ofArray(buf);
    } else {
      t = size <= BIG ? MemorySegment.ofArray(new float[(int) size]) : offHeap(size, Float.BYTES);
    }
    for (long r0 = 0; r0 < rows; r0 += BLOCK) {
      long r1 = Math.min(rows, r0 + BLOCK);
      for (long c0 = 0; c0 < cols; c0 += BLOCK) {
        long c1 = Math.min(cols, c0 + BLOCK);
        for (long q = c0; q < c1; q++) {
          for (long r = r0; r < r1; r++) {
            t.setAtIndex(JAVA_FLOAT, q * rows + r, b.getAtIndex(JAVA_FLOAT, bo + r * ldb + q));
          }
        }
      }
    }
    return t;
  }

  /** {@link #transposeF32} for FLOAT64. */
  static MemorySegment transposeF64(MemorySegment b, long bo, long ldb, long rows, long cols) {
    long size = rows * cols;
    MemorySegment t;
    if (size <= CACHED) {
      double[] buf = F64.get();
      if (buf.length < size) {
        buf = new double[grow(buf.length, size)];
        F64.set(buf);
      }
      t = MemorySegment.ofArray(buf);
    } else {
      t = size <= BIG ? MemorySegment.ofArray(new double[(int) size]) : offHeap(size, Double.BYTES);
    }
    for (long r0 = 0; r0 < rows; r0 += BLOCK) {
      long r1 = Math.min(rows, r0 + BLOCK);
      for (long c0 = 0; c0 < cols; c0 += BLOCK) {
        long c1 = Math.min(cols, c0 + BLOCK);
        for (long q = c0; q < c1; q++) {
          for (long r = r0; r < r1; r++) {
            t.setAtIndex(JAVA_DOUBLE, q * rows + r, b.getAtIndex(JAVA_DOUBLE, bo + r * ldb + q));
          }
        }
      }
    }
    return t;
  }

  /** {@link #transposeF32} for INT32. */
  static MemorySegment transposeI32(MemorySegment b, long bo, long ldb, long rows, long cols) {
    long size = rows * cols;
    MemorySegment t;
    if (size <= CACHED) {
      int[] buf = I32.get();
      if (buf.length < size) {
        buf = new int[grow(buf.length, size)];
        I32.set(buf);
      }
      t = MemorySegment.ofArray(buf);
    } else {
      t = size <= BIG ? MemorySegment.ofArray(new int[(int) size]) : offHeap(size, Integer.BYTES);
    }
    for (long r0 = 0; r0 < rows; r0 += BLOCK) {
      long r1 = Math.min(rows, r0 + BLOCK);
      for (long c0 = 0; c0 < cols; c0 += BLOCK) {
        long c1 = Math.min(cols, c0 + BLOCK);
        for (long q = c0; q < c1; q++) {
          for (long r = r0; r < r1; r++) {
            t.setAtIndex(JAVA_INT, q * rows + r, b.getAtIndex(JAVA_INT, bo + r * ldb + q));
          }
        }
      }
    }
    return t;
  }

  private static int grow(int have, long need) {
    return (int) Math.min(CACHED, Math.max(need, 2L * have));
  }

  private static MemorySegment offHeap(long size, int bytes) {
    return Arena.ofAuto().allocate(size * bytes, 64);
  }
}
