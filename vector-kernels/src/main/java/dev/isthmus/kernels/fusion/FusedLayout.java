package dev.isthmus.kernels.fusion;

import java.util.Arrays;

/**
 * The iteration space of one fused kernel call, {@code [outer, inner]}, and for inputs with a
 * strided {@link Pattern} the per-row offsets. Element {@code (r, j)} of the output is at {@code
 * r * inner + j}; input {@code k} reads {@code offset_k + base_k(r) + j * stride_k}.
 *
 * <p>{@link #broadcast} lowers any numpy broadcast: it drops output axes of size 1, merges
 * adjacent axes that every input treats alike (spans or repeats), makes the last merged axis the
 * inner one and names each input's {@link Pattern} ({@link #pattern}). Same shapes become one
 * row ({@code [1, n]}, all {@link Pattern#ELEMENTWISE}), {@code [m, n] + [n]} is {@link
 * Pattern#ROW}, {@code [m, n] + [m, 1]} {@link Pattern#COLUMN}, {@code x + scalar} {@link
 * Pattern#SCALAR}: the straight-line cases. Only broadcasts that leave several outer axes
 * behaving differently (e.g. {@code [a, 1, c] + [a, b, c]}) are strided; their base is computed
 * once per row from the merged outer axes, never per element.
 */
public final class FusedLayout {
  private final long outer;
  private final long inner;
  private final long[] dims; // merged outer axes, row-major
  private final long[][] strides; // [input][outer axis]; null when the layout gives no strides
  private final boolean[] innerStride; // [input] spans the inner axis; null without strides

  private FusedLayout(long outer, long inner, long[] dims, long[][] strides, boolean[] spans) {
    if (outer < 0 || inner < 0) {
      throw new IllegalArgumentException("negative extent [" + outer + ", " + inner + "]");
    }
    this.outer = outer;
    this.inner = inner;
    this.dims = dims;
    this.strides = strides;
    this.innerStride = spans;
  }

  /** {@code outer} rows of {@code inner} elements, for expressions without strided inputs. */
  public static FusedLayout of(long outer, long inner) {
    return new FusedLayout(outer, inner, new long[0], null, null);
  }

  /**
   * {@code outer} rows of {@code inner} for {@code inputs} inputs, every strided input at offset 0
   * in every row (the warm-up's synthetic layout).
   */
  static FusedLayout repeatedRows(long outer, long inner, int inputs) {
    boolean[] spans = new boolean[inputs];
    Arrays.fill(spans, true);
    return new FusedLayout(outer, inner, new long[] {outer}, new long[inputs][1], spans);
  }

  /** One row of {@code n} elements: every input {@link Pattern#ELEMENTWISE} or scalar. */
  public static FusedLayout flat(long n) {
    return of(1, n);
  }

  /**
   * The layout of an elementwise kernel whose inputs, of shapes {@code inputs} (right-aligned,
   * numpy style), broadcast to {@code out}. Throws {@link IllegalArgumentException} if they do not.
   */
  public static FusedLayout broadcast(long[] out, long[]... inputs) {
    return plan(out, false, inputs);
  }

  /**
   * The layout of a kernel reducing its last axis: {@code shape} is the broadcast shape before
   * the reduction, whose last axis stays the inner axis (rows are the other axes, merged).
   */
  public static FusedLayout reduceInner(long[] shape, long[]... inputs) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("a reduction over the last axis needs rank >= 1");
    }
    return plan(shape, true, inputs);
  }

  private static FusedLayout plan(long[] out, boolean keepLast, long[][] inputs) {
    int rank = out.length;
    int k = inputs.length;
    long size = 1;
    for (long d : out) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(out));
      }
      size *= d;
    }
    for (long[] in : inputs) {
      if (in.length > rank) {
        throw new IllegalArgumentException(Arrays.toString(in) + " has more axes than "
            + Arrays.toString(out));
      }
      for (int j = 0; j < in.length; j++) {
        long d = in[j];
        long o = out[rank - in.length + j];
        if (d != o && d != 1) {
          throw new IllegalArgumentException(Arrays.toString(in) + " does not broadcast to "
              + Arrays.toString(out));
        }
      }
    }
    long last = keepLast ? out[rank - 1] : 1;
    if (size == 0) {
      long[][] zero = new long[k][0];
      boolean[] spans = new boolean[k];
      Arrays.fill(spans, true);
      long outerRows = keepLast ? (last == 0 ? size(out, rank - 1) : 0) : 0;
      return new FusedLayout(outerRows, keepLast ? last : 0, new long[0], zero, spans);
    }
    long[] md = new long[rank];
    int[] mask = new int[rank];
    int m = 0;
    for (int j = 0; j < rank; j++) {
      boolean isLast = keepLast && j == rank - 1;
      if (out[j] == 1 && !isLast) {
        continue;
      }
      int bits = 0;
      for (int q = 0; q < k; q++) {
        int jq = j - (rank - inputs[q].length);
        if (jq >= 0 && inputs[q][jq] == out[j] && out[j] != 1) {
          bits |= 1 << q;
        }
      }
      if (m > 0 && mask[m - 1] == bits && !isLast) {
        md[m - 1] *= out[j];
      } else {
        md[m] = out[j];
        mask[m] = bits;
        m++;
      }
    }
    if (m == 0) { // every axis has size 1
      md[0] = 1;
      mask[0] = 0;
      m = 1;
    }
    long in = md[m - 1];
    long[] dims = Arrays.copyOf(md, m - 1);
    long[][] strides = new long[k][m - 1];
    boolean[] spans = new boolean[k];
    for (int q = 0; q < k; q++) {
      spans[q] = (mask[m - 1] & (1 << q)) != 0;
      long acc = spans[q] ? in : 1;
      for (int j = m - 2; j >= 0; j--) {
        if ((mask[j] & (1 << q)) != 0) {
          strides[q][j] = acc;
          acc *= md[j];
        }
      }
    }
    long rows = 1;
    for (long d : dims) {
      rows *= d;
    }
    return new FusedLayout(rows, in, dims, strides, spans);
  }

  private static long size(long[] shape, int end) {
    long s = 1;
    for (int j = 0; j < end; j++) {
      s *= shape[j];
    }
    return s;
  }

  /** Rows. */
  public long outer() {
    return outer;
  }

  /** Elements per row. */
  public long inner() {
    return inner;
  }

  /** True if this layout was planned from shapes (it has per-input strides and patterns). */
  public boolean planned() {
    return strides != null;
  }

  /**
   * The pattern input {@code k} must be declared with, for a planned layout: {@link
   * Pattern#ELEMENTWISE} when it spans every axis, {@link Pattern#SCALAR} when none, and so on.
   */
  public Pattern pattern(int k) {
    if (strides == null) {
      throw new IllegalStateException("this layout was not planned from shapes");
    }
    long[] s = strides[k];
    boolean all = true;
    boolean none = true;
    long expect = innerStride[k] ? inner : 1;
    for (int j = s.length - 1; j >= 0; j--) {
      if (s[j] == 0) {
        all = false;
      } else {
        none = false;
        if (s[j] != expect) {
          all = false;
        }
        expect *= dims[j];
      }
    }
    if (outer * inner == 0) {
      return Pattern.ELEMENTWISE;
    }
    if (none && !innerStride[k]) {
      // one value for every element, also when there are no outer axes (where it would
      // otherwise read as a column of one row, and make a flat expression a row-wise one)
      return Pattern.SCALAR;
    }
    if (all) {
      return innerStride[k] ? Pattern.ELEMENTWISE : Pattern.COLUMN;
    }
    if (none) {
      return Pattern.ROW;
    }
    return innerStride[k] ? Pattern.STRIDED_ROW : Pattern.STRIDED_COLUMN;
  }

  /** The number of inputs a planned layout describes (0 when not planned). */
  public int inputs() {
    return strides == null ? 0 : strides.length;
  }

  /**
   * The element offset of row {@code r}'s first element of input {@code k} from the input's own
   * offset, for a strided input: the row index split over the merged outer axes, times strides.
   */
  public long offset(int k, long r) {
    long[] s = strides[k];
    long off = 0;
    for (int j = dims.length - 1; j >= 0; j--) {
      long d = dims[j];
      long q = r / d;
      off += (r - q * d) * s[j];
      r = q;
    }
    return off;
  }

  /** How many elements input {@code k} spans from its offset, given its pattern. */
  long extent(int k, Pattern p) {
    if (outer == 0 || inner == 0) {
      return 0;
    }
    return switch (p) {
      case ELEMENTWISE -> outer * inner;
      case SCALAR -> 1;
      case ROW -> inner;
      case COLUMN -> outer;
      case STRIDED_ROW, STRIDED_COLUMN -> {
        long e = p == Pattern.STRIDED_ROW ? inner : 1;
        for (int j = 0; j < dims.length; j++) {
          e += (dims[j] - 1) * strides[k][j];
        }
        yield e;
      }
    };
  }

  /** True if input {@code k} has strides in this layout. */
  boolean hasStrides(int k) {
    return strides != null && k < strides.length;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("[").append(outer).append(", ").append(inner).append(']');
    if (strides != null && dims.length > 0) {
      s.append(" rows ").append(Arrays.toString(dims));
      for (int k = 0; k < strides.length; k++) {
        s.append(" in").append(k).append(' ').append(Arrays.toString(strides[k]));
      }
    }
    return s.toString();
  }
}
