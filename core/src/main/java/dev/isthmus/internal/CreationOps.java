package dev.isthmus.internal;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.CreateKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Declarations of the creation ops: tensors made from attributes alone (constants, fills,
 * sequences, stateless random numbers). None has inputs; each is flagged CREATION.
 *
 * <p>The random ops are TensorFlow's stateless ones: the same seed gives the same tensor, on
 * every machine (the generator is specified in {@code dev.isthmus.kernels.CreateScalar}). Unlike
 * TensorFlow, the seed is one long attribute rather than a shape-[2] tensor, and the affine
 * scaling ({@code minval/maxval}, {@code mean/stddev}) is part of the op, computed in the output
 * dtype in TensorFlow's order ({@code u * (maxval - minval) + minval}, {@code z * stddev + mean}).
 */
public final class CreationOps {
  private CreationOps() {}

  /** A constant: attr {@code value} (a Tensor), returned as is (tensors are immutable). */
  public static final OpDef CONST = OpDef.builder("Const")
      .flags(OpDef.Flag.CREATION)
      .shape((d, in, a) -> {
        if (!(a.has("value") && a.getObject("value") instanceof Tensor v)) {
          throw d.invalid(in, a, "expected a Tensor attribute value");
        }
        return new TensorSpec[] {new TensorSpec(v.dtype(), v.shape())};
      })
      .kernel((in, a, outs) -> new Tensor[] {(Tensor) a.getObject("value")})
      .build();

  /** Every element {@code value}; attrs {@code dtype}, {@code shape}, {@code value} (double). */
  public static final OpDef FILL = OpDef.builder("Fill")
      .flags(OpDef.Flag.CREATION)
      .shape((d, in, a) -> {
        DType t = a.getDType("dtype");
        if (t.isInteger() || t == DType.BOOL) {
          integral(d, in, a, "value", t);
        }
        return spec(d, in, a, t);
      })
      .kernel((in, a, outs) -> {
        TensorSpec s = outs[0];
        MemorySegment y = Tensors.allocate(s);
        double v = a.getDouble("value");
        long n = s.shape().size();
        if (Double.doubleToRawLongBits(v) != 0) { // the buffer is already +0
          switch (s.dtype()) {
            case FLOAT32 -> CreateKernels.fillF32((float) v, y, 0, n);
            case FLOAT64 -> CreateKernels.fillF64(v, y, 0, n);
            case INT32 -> CreateKernels.fillI32((int) v, y, 0, n);
            case INT64 -> CreateKernels.fillI64((long) v, y, 0, n);
            case BOOL -> CreateKernels.fillI8((byte) v, y, 0, n);
          }
        }
        return wrap(s, y);
      })
      .build();

  /**
   * {@code start, start + delta, ...} up to but excluding {@code limit}; attrs {@code dtype},
   * {@code start}, {@code limit}, {@code delta} (Long or Double). Element i is {@code start + i *
   * delta} in the dtype, as TensorFlow's GPU kernel (its CPU kernel sums {@code delta} up, which
   * can differ in the last bits for fractional deltas).
   */
  public static final OpDef RANGE = OpDef.builder("Range")
      .flags(OpDef.Flag.CREATION)
      .shape((d, in, a) -> {
        DType t = a.getDType("dtype");
        if (t == DType.BOOL) {
          throw d.invalid(in, a, "expected dtype float32, float64, int32 or int64");
        }
        return new TensorSpec[] {new TensorSpec(t, Shape.of(CreationRange.of(d, in, a, t)))};
      })
      .kernel((in, a, outs) -> {
        TensorSpec s = outs[0];
        MemorySegment y = Tensors.allocate(s);
        long n = s.shape().size();
        switch (s.dtype()) {
          case FLOAT32 -> CreateKernels.iotaF32(
              (float) a.getDouble("start"), (float) a.getDouble("delta"), y, 0, n);
          case FLOAT64 -> CreateKernels.iotaF64(
              a.getDouble("start"), a.getDouble("delta"), y, 0, n);
          case INT32 -> CreateKernels.iotaI32(
              (int) CreationRange.whole(a, "start"), (int) CreationRange.whole(a, "delta"),
              y, 0, n);
          case INT64 -> CreateKernels.iotaI64(
              CreationRange.whole(a, "start"), CreationRange.whole(a, "delta"), y, 0, n);
          case BOOL -> throw new AssertionError("rejected by the shape rule");
        }
        return wrap(s, y);
      })
      .build();

  /**
   * {@code num} evenly spaced values from {@code start} to exactly {@code stop}; attrs {@code
   * dtype} (float32 or float64), {@code start}, {@code stop}, {@code num}.
   */
  public static final OpDef LIN_SPACE = OpDef.builder("LinSpace")
      .flags(OpDef.Flag.CREATION)
      .shape((d, in, a) -> {
        DType t = a.getDType("dtype");
        requireDType(d, in, a, t, DType.FLOAT32, DType.FLOAT64);
        long num = a.getLong("num");
        if (num <= 0) {
          throw d.invalid(in, a, "Requires num > 0: " + num);
        }
        return new TensorSpec[] {new TensorSpec(t, Shape.of(num))};
      })
      .kernel((in, a, outs) -> {
        TensorSpec s = outs[0];
        MemorySegment y = Tensors.allocate(s);
        long num = s.shape().size();
        if (s.dtype() == DType.FLOAT32) {
          float start = (float) a.getDouble("start"), stop = (float) a.getDouble("stop");
          float step = (stop - start) / (float) (num - 1);
          CreateKernels.iotaF32(start, step, y, 0, num);
          y.setAtIndex(JAVA_FLOAT, 0, start); // not start + 0 * step: NaN for an infinite step
          if (num > 1) {
            y.setAtIndex(JAVA_FLOAT, num - 1, stop);
          }
        } else {
          double start = a.getDouble("start"), stop = a.getDouble("stop");
          double step = (stop - start) / (double) (num - 1);
          CreateKernels.iotaF64(start, step, y, 0, num);
          y.setAtIndex(JAVA_DOUBLE, 0, start);
          if (num > 1) {
            y.setAtIndex(JAVA_DOUBLE, num - 1, stop);
          }
        }
        return wrap(s, y);
      })
      .build();

  /**
   * Uniform floats in {@code [minval, maxval)}; attrs {@code seed}, {@code dtype} (float32 or
   * float64), {@code shape}, {@code minval}, {@code maxval}.
   */
  public static final OpDef RANDOM_UNIFORM = OpDef.builder("StatelessRandomUniform")
      .flags(OpDef.Flag.CREATION)
      .shape((d, in, a) -> {
        DType t = a.getDType("dtype");
        if (!t.isFloating()) {
          throw d.invalid(in, a, "expected dtype float32 or float64"
              + (t.isInteger() ? " (integer dtypes need minval and maxval)" : ""));
        }
        return spec(d, in, a, t);
      })
      .kernel((in, a, outs) -> {
        TensorSpec s = outs[0];
        MemorySegment y = Tensors.allocate(s);
        long seed = a.getLong("seed"), n = s.shape().size();
        double lo = a.getDouble("minval"), hi = a.getDouble("maxval");
        if (s.dtype() == DType.FLOAT32) {
          float flo = (float) lo, fhi = (float) hi;
          CreateKernels.uniformF32(seed, 0, flo, fhi - flo, y, 0, n);
        } else {
          CreateKernels.uniformF64(seed, 0, lo, hi - lo, y, 0, n);
        }
        return wrap(s, y);
      })
      .build();

  /**
   * Uniform integers in {@code [minval, maxval)}, unbiased; attrs {@code seed}, {@code dtype}
   * (int32 or int64), {@code shape}, {@code minval}, {@code maxval} (integral).
   */
  public static final OpDef RANDOM_UNIFORM_INT = OpDef.builder("StatelessRandomUniformInt")
      .flags(OpDef.Flag.CREATION)
      .shape((d, in, a) -> {
        DType t = a.getDType("dtype");
        requireDType(d, in, a, t, DType.INT32, DType.INT64);
        TensorSpec[] out = spec(d, in, a, t);
        long lo = integral(d, in, a, "minval", t), hi = integral(d, in, a, "maxval", t);
        // As TensorFlow, an empty output needs no valid range.
        if (out[0].shape().size() > 0 && lo >= hi) {
          throw d.invalid(in, a, "Need minval < maxval, got " + lo + " >= " + hi);
        }
        return out;
      })
      .kernel((in, a, outs) -> {
        TensorSpec s = outs[0];
        MemorySegment y = Tensors.allocate(s);
        long seed = a.getLong("seed"), n = s.shape().size();
        long lo = (long) a.getDouble("minval"), hi = (long) a.getDouble("maxval");
        if (n > 0) {
          if (s.dtype() == DType.INT32) {
            CreateKernels.uniformIntI32(seed, 0, (int) lo, hi - lo, y, 0, n);
          } else {
            CreateKernels.uniformIntI64(seed, 0, lo, hi - lo, y, 0, n);
          }
        }
        return wrap(s, y);
      })
      .build();

  /**
   * Normal floats {@code mean + stddev * z}; attrs {@code seed}, {@code dtype} (float32 or
   * float64), {@code shape}, {@code mean}, {@code stddev}.
   */
  public static final OpDef RANDOM_NORMAL = OpDef.builder("StatelessRandomNormal")
      .flags(OpDef.Flag.CREATION)
      .shape((d, in, a) -> {
        requireDType(d, in, a, a.getDType("dtype"), DType.FLOAT32, DType.FLOAT64);
        return spec(d, in, a, a.getDType("dtype"));
      })
      .kernel((in, a, outs) -> {
        TensorSpec s = outs[0];
        MemorySegment y = Tensors.allocate(s);
        long seed = a.getLong("seed"), n = s.shape().size();
        double mean = a.getDouble("mean"), stddev = a.getDouble("stddev");
        if (s.dtype() == DType.FLOAT32) {
          CreateKernels.normalF32(seed, 0, (float) mean, (float) stddev, y, 0, n);
        } else {
          CreateKernels.normalF64(seed, 0, mean, stddev, y, 0, n);
        }
        return wrap(s, y);
      })
      .build();

  // ---------------------------------------------------------------- helpers

  /**
   * The value of a {@code Const} from Java values and a shape: no shape means rank 1; one value
   * fills any shape (as {@code tf.constant(0, shape=[2, 3])}); otherwise the counts must match.
   */
  public static Tensor value(DType t, Object array, long[] shape) {
    if (array == null || shape == null) {
      throw new InvalidArgumentException("Const: expected values and a shape, got null");
    }
    int length = java.lang.reflect.Array.getLength(array);
    long[] dims = shape.length == 0 ? new long[] {length} : shape;
    Shape s;
    try {
      s = Shape.of(dims);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("Const: " + e.getMessage());
    }
    if (length == 1 && s.size() != 1) {
      TensorSpec spec = new TensorSpec(t, s);
      MemorySegment y = Tensors.allocate(spec);
      long n = s.size();
      switch (array) {
        case float[] f -> CreateKernels.fillF32(f[0], y, 0, n);
        case double[] f -> CreateKernels.fillF64(f[0], y, 0, n);
        case int[] f -> CreateKernels.fillI32(f[0], y, 0, n);
        case long[] f -> CreateKernels.fillI64(f[0], y, 0, n);
        case boolean[] f -> CreateKernels.fillI8((byte) (f[0] ? 1 : 0), y, 0, n);
        default -> throw new IllegalArgumentException("not a value array: " + array);
      }
      return wrap(spec, y)[0];
    }
    if (s.size() != length) {
      throw new InvalidArgumentException(
          "Const: " + length + " " + t.numpyName() + " values cannot fill shape " + s + " ("
              + s.size() + " elements); expected exactly " + s.size()
              + " values, or one value to fill the shape");
    }
    return switch (array) {
      case float[] f -> Tensor.of(f, dims);
      case double[] f -> Tensor.of(f, dims);
      case int[] f -> Tensor.of(f, dims);
      case long[] f -> Tensor.of(f, dims);
      case boolean[] f -> Tensor.of(f, dims);
      default -> throw new IllegalArgumentException("not a value array: " + array);
    };
  }

  /** The attributes of a {@code Fill}. */
  public static Attrs fillAttrs(DType t, double value, long[] shape) {
    return Attrs.of("dtype", t, "shape", shape, "value", value);
  }

  /** One output of dtype {@code t} and the shape attribute, validated. */
  static TensorSpec[] spec(OpDef d, Tensor[] in, Attrs a, DType t) {
    long[] dims = a.getLongs("shape");
    for (long x : dims) {
      if (x < 0) {
        throw d.invalid(in, a, "expected a shape of non-negative dimensions, got "
            + Arrays.toString(dims));
      }
    }
    try {
      return new TensorSpec[] {new TensorSpec(t, Shape.of(dims))};
    } catch (InvalidArgumentException e) {
      throw d.invalid(in, a, "expected a shape of at most Long.MAX_VALUE elements, got "
          + Arrays.toString(dims));
    }
  }

  /** Attribute {@code name} as a whole number representable in {@code t}, or invalid. */
  static long integral(OpDef d, Tensor[] in, Attrs a, String name, DType t) {
    Object o = a.getObject(name);
    double lo = switch (t) {
      case INT32 -> Integer.MIN_VALUE;
      case BOOL -> 0;
      default -> -0x1p63;
    };
    double hi = switch (t) {
      case INT32 -> Integer.MAX_VALUE;
      case BOOL -> 1;
      default -> 0x1p63; // exclusive for int64 only
    };
    if (o instanceof Long l) {
      if (t == DType.INT64 || (l >= lo && l <= hi)) {
        return l;
      }
    } else {
      double v = ((Number) o).doubleValue();
      boolean whole = v == Math.rint(v) && v >= lo && (t == DType.INT64 ? v < hi : v <= hi);
      if (whole) {
        return (long) v;
      }
    }
    String range = t == DType.BOOL ? "0 or 1" : t == DType.INT32
        ? "an integer in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]"
        : "an integer in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]";
    throw d.invalid(in, a, "expected " + name + " to be " + range + " for dtype "
        + t.numpyName() + ", got " + o);
  }

  /** Throws unless the dtype attribute {@code t} is one of {@code allowed}. */
  static void requireDType(OpDef d, Tensor[] in, Attrs a, DType t, DType... allowed) {
    if (!Arrays.asList(allowed).contains(t)) {
      StringBuilder sb = new StringBuilder("expected dtype ");
      for (int i = 0; i < allowed.length; i++) {
        sb.append(i == 0 ? "" : i == allowed.length - 1 ? " or " : ", ");
        sb.append(allowed[i].numpyName());
      }
      throw d.invalid(in, a, sb.append(", got ").append(t.numpyName()).toString());
    }
  }

  static Tensor[] wrap(TensorSpec s, MemorySegment y) {
    return new Tensor[] {Tensors.wrap(s.dtype(), s.shape(), y)};
  }
}
