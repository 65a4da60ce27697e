package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of {@link MoveVector}: element-by-element loops that are the
 * specification of the movement kernels, and the path that runs when the Vector API is off.
 * Elements are copied by width (1, 4 or 8 bytes) as raw bits, so every dtype moves exactly.
 */
public final class MoveScalar {
  private MoveScalar() {}

  /**
   * The strided copy: for every index {@code i} of {@code shape},
   * {@code dst[dstOff + i . dstStrides] = src[srcOff + i . srcStrides]} (offsets and strides in
   * elements; strides may be negative, and 0 in {@code srcStrides} repeats an element).
   */
  public static void copyStrided(int width, long[] shape, MemorySegment src, long srcOff,
      long[] srcStrides, MemorySegment dst, long dstOff, long[] dstStrides) {
    int r = shape.length;
    long total = 1;
    for (long d : shape) {
      total *= d;
    }
    long[] idx = new long[r];
    long s = srcOff, d = dstOff;
    for (long k = 0; k < total; k++) {
      copyElement(width, src, s, dst, d);
      for (int a = r - 1; a >= 0; a--) {
        idx[a]++;
        s += srcStrides[a];
        d += dstStrides[a];
        if (idx[a] < shape[a]) {
          break;
        }
        s -= srcStrides[a] * shape[a];
        d -= dstStrides[a] * shape[a];
        idx[a] = 0;
      }
    }
  }

  /**
   * Gathers rows: {@code src} is {@code [outer, axisDim, inner]} and {@code dst} is
   * {@code [outer, n, inner]}; {@code dst[o, k, :] = src[o, idx[k], :]}. The indices are
   * {@code n} INT32 ({@code idxWidth} 4) or INT64 ({@code idxWidth} 8) values in
   * {@code [0, axisDim)}.
   */
  public static void gatherRows(int width, MemorySegment src, long srcOff, long outer,
      long axisDim, long inner, MemorySegment idx, long idxOff, int idxWidth, long n,
      MemorySegment dst, long dstOff) {
    for (long o = 0; o < outer; o++) {
      for (long k = 0; k < n; k++) {
        long row = index(idx, idxOff + k, idxWidth);
        long s = srcOff + (o * axisDim + row) * inner;
        long d = dstOff + (o * n + k) * inner;
        for (long i = 0; i < inner; i++) {
          copyElement(width, src, s + i, dst, d + i);
        }
      }
    }
  }

  /** Index {@code i} of an INT32 ({@code idxWidth} 4) or INT64 ({@code idxWidth} 8) array. */
  public static long index(MemorySegment idx, long i, int idxWidth) {
    return idxWidth == 4 ? idx.getAtIndex(JAVA_INT_UNALIGNED, i)
        : idx.getAtIndex(JAVA_LONG_UNALIGNED, i);
  }

  /** Copies element {@code s} of {@code src} to element {@code d} of {@code dst}. */
  static void copyElement(int width, MemorySegment src, long s, MemorySegment dst, long d) {
    switch (width) {
      case 1 -> dst.set(JAVA_BYTE, d, src.get(JAVA_BYTE, s));
      case 4 -> dst.setAtIndex(JAVA_INT_UNALIGNED, d, src.getAtIndex(JAVA_INT_UNALIGNED, s));
      case 8 -> dst.setAtIndex(JAVA_LONG_UNALIGNED, d, src.getAtIndex(JAVA_LONG_UNALIGNED, s));
      default -> throw new IllegalArgumentException(
          "element width " + width + "; expected 1, 4 or 8");
    }
  }
}
