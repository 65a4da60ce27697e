package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.FillKernels;
import dev.isthmus.kernels.MoveKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The index math the movement ops share, written once: axis normalisation, checked dimension
 * products, and strided views. Every movement op (transpose, tile, broadcastTo, slice,
 * stridedSlice, concat, split, pad) describes its output as a view of its input (an element
 * offset, dimensions and strides) and {@link #materialize}s it: a zero-copy slice of the
 * input's memory when the view is contiguous (tensors are immutable, so sharing is safe), else
 * one strided copy.
 */
final class ShapeMath {
  private ShapeMath() {}

  /** The element width in bytes, which selects the kernel (1, 4 or 8). */
  static int width(DType t) {
    return t.byteSize();
  }

  /** {@code [2, 3]}. */
  static String str(long[] a) {
    return Arrays.toString(a);
  }

  /** {@code [2, 3]}. */
  static String str(int[] a) {
    return Arrays.toString(a);
  }

  /** Normalises {@code axis} in {@code [-n, n)} to {@code [0, n)}, or throws. */
  static int axis(OpDef op, Tensor[] in, Attrs a, String what, long axis, int n) {
    if (axis < -n || axis >= n) {
      throw op.invalid(in, a, "expected " + what + " in [" + (-n) + ", " + n + "), got " + axis);
    }
    return (int) (axis < 0 ? axis + n : axis);
  }

  /** The product of {@code dims} (all >= 0), or throws when it overflows a long. */
  static long size(OpDef op, Tensor[] in, Attrs a, long[] dims) {
    long p = 1;
    for (long d : dims) {
      try {
        p = Math.multiplyExact(p, d);
      } catch (ArithmeticException e) {
        throw op.invalid(in, a, "expected an output shape with at most Long.MAX_VALUE elements, "
            + "got " + str(dims));
      }
    }
    return p;
  }

  /** A one-output spec, after checking the element count fits a long. */
  static TensorSpec[] spec(OpDef op, Tensor[] in, Attrs a, DType t, long[] dims) {
    size(op, in, a, dims);
    return new TensorSpec[] {new TensorSpec(t, Shape.of(dims))};
  }

  /** The product of {@code dims[from, to)}; the caller knows it fits. */
  static long product(long[] dims, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p *= dims[i];
    }
    return p;
  }

  /** {@code dims} with {@code v} inserted at {@code at}. */
  static long[] insert(long[] dims, int at, long v) {
    long[] out = new long[dims.length + 1];
    System.arraycopy(dims, 0, out, 0, at);
    out[at] = v;
    System.arraycopy(dims, at, out, at + 1, dims.length - at);
    return out;
  }

  /** A tensor of {@code spec} over {@code x}'s memory, unchanged (reshape and friends). */
  static Tensor view(Tensor x, TensorSpec spec) {
    assert x.size() == spec.shape().size() && x.dtype() == spec.dtype();
    return Tensors.wrap(spec.dtype(), spec.shape(), Tensors.data(x));
  }

  /**
   * A tensor of {@code out} holding {@code x}'s elements read through a view: element
   * {@code offset}, then {@code dims} with element {@code strides} (any sign, 0 to repeat);
   * {@code dims} has {@code out}'s element count but may have another rank.
   */
  static Tensor materialize(Tensor x, long offset, long[] dims, long[] strides, TensorSpec out) {
    long n = out.shape().size();
    int w = width(x.dtype());
    if (n == 0) {
      return Tensors.wrap(out.dtype(), out.shape(), Tensors.allocate(out));
    }
    if (contiguous(dims, strides)) {
      MemorySegment shared = Tensors.data(x).asSlice(offset * w, n * w);
      return Tensors.wrap(out.dtype(), out.shape(), shared);
    }
    MemorySegment y = Tensors.allocate(out);
    MoveKernels.copyStrided(w, dims, Tensors.data(x), offset, strides, y, 0);
    return Tensors.wrap(out.dtype(), out.shape(), y);
  }

  /** True when the view walks memory in order, one element apart (size-1 axes don't count). */
  static boolean contiguous(long[] dims, long[] strides) {
    long expect = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      if (dims[i] == 1) {
        continue;
      }
      if (strides[i] != expect) {
        return false;
      }
      expect *= dims[i];
    }
    return true;
  }

  /** Copies a view of {@code x} into a view of {@code dst} (the regions must not overlap). */
  static void copy(Tensor x, long offset, long[] dims, long[] strides, MemorySegment dst,
      long dstOff, long[] dstStrides) {
    MoveKernels.copyStrided(width(x.dtype()), dims, Tensors.data(x), offset, strides, dst, dstOff,
        dstStrides);
  }

  /** The raw bits of {@code v} as an element of {@code t} (caller checked representability). */
  static long bits(DType t, double v) {
    return switch (t) {
      case FLOAT32 -> Float.floatToRawIntBits((float) v);
      case FLOAT64 -> Double.doubleToRawLongBits(v);
      case INT32 -> (int) v;
      case INT64 -> (long) v;
      case BOOL -> v != 0 ? 1 : 0;
    };
  }

  /** Fills {@code n} elements of {@code t} from {@code off} with {@code v}. */
  static void fill(DType t, MemorySegment dst, long off, long n, double v) {
    FillKernels.fill(width(t), dst, off, n, bits(t, v));
  }

  /**
   * True if {@code v} is exactly a value of {@code t}: any double for the floating types (FLOAT32
   * rounds, as TensorFlow's conversion does), an integer in range for INT32/INT64, 0 or 1 for
   * BOOL.
   */
  static boolean representable(DType t, double v) {
    return switch (t) {
      case FLOAT32, FLOAT64 -> true;
      case INT32 -> v == Math.rint(v) && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
      case INT64 -> v == Math.rint(v) && v >= -0x1p63 && v < 0x1p63;
      case BOOL -> v == 0 || v == 1;
    };
  }
}
