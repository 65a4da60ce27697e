package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Movement kernels: strided N-d copies (transpose, tile, broadcast, slice, pad and concat all
 * reduce to them) and row gathers. Offsets and strides are in elements; elements move as raw
 * bits by width (1, 4 or 8 bytes), so one kernel serves every dtype of that width. Callers
 * validate; kernels trust them, except that every element a call touches is checked to lie in
 * its segment, once per call ({@link IndexOutOfBoundsException}, nothing written): the fast
 * paths move heap segments through their arrays, which would not stop at a slice's end.
 *
 * <p>Dispatches once per call to {@link MoveVector} or its scalar twin {@link MoveScalar}.
 */
public final class MoveKernels {
  private MoveKernels() {}

  private static final ColdRouting COLD = ColdRouting.family("move", 2, 1);

  /** The element count of {@code shape} (the work {@link ColdRouting} counts). */
  private static long count(long[] shape) {
    long c = 1;
    for (long d : shape) {
      c *= d;
    }
    return c;
  }

  /**
   * Copies {@code src}, read with element strides {@code srcStrides} (any sign; 0 repeats an
   * element, as broadcasting does), into {@code dst} as a contiguous row-major block of
   * {@code shape} starting at element {@code dstOff}.
   */
  public static void copyStrided(int width, long[] shape, MemorySegment src, long srcOff,
      long[] srcStrides, MemorySegment dst, long dstOff) {
    copyStrided(width, shape, src, srcOff, srcStrides, dst, dstOff, rowMajorStrides(shape));
  }

  /**
   * The general strided copy: for every index {@code i} of {@code shape},
   * {@code dst[dstOff + i . dstStrides] = src[srcOff + i . srcStrides]}. The destination
   * elements must be distinct and must not overlap the source elements ({@code src} and
   * {@code dst} may be the same segment when the regions are disjoint).
   */
  public static void copyStrided(int width, long[] shape, MemorySegment src, long srcOff,
      long[] srcStrides, MemorySegment dst, long dstOff, long[] dstStrides) {
    assert width == 1 || width == 4 || width == 8 : "width " + width;
    assert shape.length == srcStrides.length && shape.length == dstStrides.length;
    if (!inBounds(width, shape, src, srcOff, srcStrides)
        || !inBounds(width, shape, dst, dstOff, dstStrides)) {
      throw new IndexOutOfBoundsException("copyStrided of shape " + Arrays.toString(shape)
          + " reaches outside its src or dst segment");
    }
    if (COLD.vector(0, 0, count(shape))) {
      MoveVector.copyStrided(width, shape, src, srcOff, srcStrides, dst, dstOff, dstStrides);
    } else {
      MoveScalar.copyStrided(width, shape, src, srcOff, srcStrides, dst, dstOff, dstStrides);
    }
  }

  /**
   * Gathers rows: {@code src} is {@code [outer, axisDim, inner]}, {@code dst} is
   * {@code [outer, n, inner]}, and {@code dst[o, k, :] = src[o, idx[k], :]}. The {@code n}
   * indices are INT32 ({@code idxWidth} 4) or INT64 ({@code idxWidth} 8) values, all in
   * {@code [0, axisDim)}: the caller checks them.
   */
  public static void gatherRows(int width, MemorySegment src, long srcOff, long outer,
      long axisDim, long inner, MemorySegment idx, long idxOff, int idxWidth, long n,
      MemorySegment dst, long dstOff) {
    assert width == 1 || width == 4 || width == 8 : "width " + width;
    assert idxWidth == 4 || idxWidth == 8 : "index width " + idxWidth;
    assert outer >= 0 && axisDim >= 0 && inner >= 0 && n >= 0;
    Objects.checkFromIndexSize(dstOff, outer * n * inner, dst.byteSize() / width);
    Objects.checkFromIndexSize(idxOff, n, idx.byteSize() / idxWidth);
    if (outer * n * inner > 0) {
      Objects.checkFromIndexSize(srcOff, outer * axisDim * inner, src.byteSize() / width);
    }
    if (COLD.vector(1, 0, outer * n * inner)) {
      MoveVector.gatherRows(width, src, srcOff, outer, axisDim, inner, idx, idxOff, idxWidth, n,
          dst, dstOff);
    } else {
      MoveScalar.gatherRows(width, src, srcOff, outer, axisDim, inner, idx, idxOff, idxWidth, n,
          dst, dstOff);
    }
  }

  /** Row-major element strides of {@code shape}: the last axis has stride 1. */
  public static long[] rowMajorStrides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** True if every element the strided walk touches lies inside {@code seg}. */
  private static boolean inBounds(int width, long[] shape, MemorySegment seg, long off,
      long[] strides) {
    long lo = off, hi = off;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        return false;
      }
      if (shape[i] == 0) {
        return true; // nothing is touched
      }
      long reach = strides[i] * (shape[i] - 1);
      if (reach < 0) {
        lo += reach;
      } else {
        hi += reach;
      }
    }
    return lo >= 0 && (hi + 1) * width <= seg.byteSize();
  }
}
