package dev.isthmus.kernels;

/**
 * Per-thread scratch arrays for the convolution kernels (the im2col block, the depthwise
 * kernel's transposed filter and output row), so repeated calls allocate nothing. Each thread has
 * {@link #SLOTS} arrays per element type; a kernel call uses a slot only within itself (the GEMM
 * it calls keeps its own scratch), so calls on one thread never share a live slot.
 *
 * <p>Arrays up to {@link #CACHED} elements are kept; a larger request gets a fresh array that is
 * not kept, so a one-off huge convolution does not pin its memory to the thread.
 */
final class ConvScratch {
  /** Slots per thread and element type. */
  static final int SLOTS = 2;
  /** The largest array kept per slot, in elements (4 MiB of floats, 8 MiB of doubles). */
  static final int CACHED = 1 << 20;
  /** The largest Java array. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private static final ThreadLocal<float[][]> F32 =
      ThreadLocal.withInitial(() -> new float[SLOTS][0]);
  private static final ThreadLocal<double[][]> F64 =
      ThreadLocal.withInitial(() -> new double[SLOTS][0]);

  private ConvScratch() {}

  /** A float array of at least {@code n <= MAX_ARRAY} elements, contents undefined. */
  static float[] f32(int slot, long n) {
    assert n >= 0 && n <= MAX_ARRAY : n;
    float[][] slots = F32.get();
    if (slots[slot].length >= n) {
      return slots[slot];
    }
    if (n > CACHED) {
      return new float[(int) n];
    }
    slots[slot] = new float[(int) Math.min(CACHED, Math.max(n, 2L * slots[slot].length))];
    return slots[slot];
  }

  /** A double array of at least {@code n <= MAX_ARRAY} elements, contents undefined. */
  static double[] f64(int slot, long n) {
    assert n >= 0 && n <= MAX_ARRAY : n;
    double[][] slots = F64.get();
    if (slots[slot].length >= n) {
      return slots[slot];
    }
    if (n > CACHED) {
      return new double[(int) n];
    }
    slots[slot] = new double[(int) Math.min(CACHED, Math.max(n, 2L * slots[slot].length))];
    return slots[slot];
  }
}
