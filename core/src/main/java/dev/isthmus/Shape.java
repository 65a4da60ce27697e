package dev.isthmus;

import java.util.Arrays;

/**
 * A tensor's dimensions: rank 0 (a scalar) to any rank, each dimension non-negative, the total
 * size fitting in a {@code long}. Immutable.
 *
 * <p>Broadcasting follows numpy: shapes are aligned at their last axes; two dimensions are
 * compatible when equal or when one of them is 1; a missing leading axis counts as 1.
 */
public final class Shape {
  private static final Shape SCALAR = new Shape(new long[0], 1);

  private final long[] dims;
  private final long size;

  private Shape(long[] dims, long size) {
    this.dims = dims;
    this.size = size;
  }

  /**
   * A shape of the given dimensions.
   *
   * @throws InvalidArgumentException if a dimension is negative or the element count overflows
   */
  public static Shape of(long... dims) {
    if (dims.length == 0) {
      return SCALAR;
    }
    long[] d = dims.clone();
    long size = 1;
    for (int i = 0; i < d.length; i++) {
      if (d[i] < 0) {
        throw new InvalidArgumentException(
            "Shape: dimension " + i + " of " + Arrays.toString(d) + " is " + d[i]
                + "; expected a dimension >= 0");
      }
      try {
        size = Math.multiplyExact(size, d[i]);
      } catch (ArithmeticException e) {
        throw new InvalidArgumentException(
            "Shape: " + Arrays.toString(d) + " has more than Long.MAX_VALUE elements");
      }
    }
    return new Shape(d, size);
  }

  /** The shape of an int array of dimensions. */
  public static Shape of(int... dims) {
    return of(Arrays.stream(dims).asLongStream().toArray());
  }

  /** The rank-0 shape. */
  public static Shape scalar() {
    return SCALAR;
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /**
   * Dimension {@code i}; a negative {@code i} counts from the end, as in Python.
   *
   * @throws InvalidArgumentException if {@code i} is out of range
   */
  public long dim(int i) {
    return dims[axis(i)];
  }

  /** The number of elements: the product of the dimensions (1 for a scalar). */
  public long size() {
    return size;
  }

  /** A copy of the dimensions. */
  public long[] dims() {
    return dims.clone();
  }

  /** True for rank 0. */
  public boolean isScalar() {
    return dims.length == 0;
  }

  /**
   * Normalises an axis in {@code [-rank, rank)} to {@code [0, rank)}.
   *
   * @throws InvalidArgumentException if the axis is out of range
   */
  public int axis(int axis) {
    int r = dims.length;
    if (axis < -r || axis >= r) {
      throw new InvalidArgumentException(
          "axis " + axis + " is out of range for shape " + this + "; expected an axis in ["
              + (-r) + ", " + r + ")");
    }
    return axis < 0 ? axis + r : axis;
  }

  /** Row-major strides in elements: {@code strides()[i]} is the distance between rows of axis i. */
  public long[] strides() {
    long[] s = new long[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /** True when {@code a} and {@code b} broadcast together under numpy's rule. */
  public static boolean broadcastable(Shape a, Shape b) {
    int n = Math.max(a.rank(), b.rank());
    for (int i = 1; i <= n; i++) {
      long x = i <= a.rank() ? a.dims[a.rank() - i] : 1;
      long y = i <= b.rank() ? b.dims[b.rank() - i] : 1;
      if (x != y && x != 1 && y != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * The shape {@code a} and {@code b} broadcast to.
   *
   * @throws InvalidArgumentException if they are not compatible
   */
  public static Shape broadcast(Shape a, Shape b) {
    if (a.equals(b)) {
      return a;
    }
    int n = Math.max(a.rank(), b.rank());
    long[] out = new long[n];
    for (int i = 1; i <= n; i++) {
      long x = i <= a.rank() ? a.dims[a.rank() - i] : 1;
      long y = i <= b.rank() ? b.dims[b.rank() - i] : 1;
      if (x != y && x != 1 && y != 1) {
        throw new InvalidArgumentException(
            "shapes " + a + " and " + b + " are not broadcast-compatible: dimension " + x
                + " and " + y + " at axis -" + i + " differ and neither is 1");
      }
      out[n - i] = x == 1 ? y : x;
    }
    return of(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** {@code [2, 3]}; {@code []} for a scalar. */
  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
