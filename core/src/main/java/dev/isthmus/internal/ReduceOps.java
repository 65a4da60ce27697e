package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.ReduceOp;
import java.util.Arrays;
import java.util.Objects;

/**
 * Declarations of the reduction family: Sum, Mean, Max, Min, Prod, All, Any (over any set of
 * axes), ArgMax and ArgMin (over one axis), Softmax and LogSoftmax (over one axis). One entry
 * per op; the kernels live in {@link ReducePlan}.
 *
 * <p>Attributes: reductions carry {@code axes} (int[], non-negative and sorted once valid) and
 * {@code keep_dims}; ArgMax and ArgMin carry {@code axis} and {@code output_type} (INT64, TF's
 * default); Softmax and LogSoftmax carry {@code axis}. A bad axis (out of range, or named twice,
 * which TensorFlow also rejects) is left as given and reported by the shape rule.
 */
public final class ReduceOps {
  private ReduceOps() {}

  private static final DType[] NUMERIC = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64};
  private static final DType[] BOOL = {DType.BOOL};
  private static final DType[] FLOATING = {DType.FLOAT32, DType.FLOAT64};

  /** Sum (integers wrap); empty: 0. */
  public static final OpDef SUM = reduction("Sum", ReducePlan.Kind.SUM, NUMERIC);
  /** Mean (integers: INT64 sum, truncating division); empty: NaN, or 0 for integers. */
  public static final OpDef MEAN = reduction("Mean", ReducePlan.Kind.MEAN, NUMERIC);
  /** Maximum, NaN-propagating; empty: -inf or the integer minimum. */
  public static final OpDef MAX = reduction("Max", ReducePlan.Kind.MAX, NUMERIC);
  /** Minimum, NaN-propagating; empty: +inf or the integer maximum. */
  public static final OpDef MIN = reduction("Min", ReducePlan.Kind.MIN, NUMERIC);
  /** Product (integers wrap); empty: 1. */
  public static final OpDef PROD = reduction("Prod", ReducePlan.Kind.PROD, NUMERIC);
  /** Logical and; empty: true. */
  public static final OpDef ALL = reduction("All", ReducePlan.Kind.ALL, BOOL);
  /** Logical or; empty: false. */
  public static final OpDef ANY = reduction("Any", ReducePlan.Kind.ANY, BOOL);
  /** Index of the first maximum along {@code axis}, INT64. */
  public static final OpDef ARG_MAX = arg("ArgMax", ReduceOp.MAX);
  /** Index of the first minimum along {@code axis}, INT64. */
  public static final OpDef ARG_MIN = arg("ArgMin", ReduceOp.MIN);
  /** {@code exp(x - max) / sum exp(x - max)} along {@code axis}. */
  public static final OpDef SOFTMAX = softmax("Softmax", false);
  /** {@code (x - max) - log sum exp(x - max)} along {@code axis}. */
  public static final OpDef LOG_SOFTMAX = softmax("LogSoftmax", true);

  // ---------------------------------------------------------------- attributes (for Ops)

  /**
   * The attributes of a reduction of {@code x} over {@code axes}: no axes means every axis (TF's
   * {@code axis=None}); valid axes are normalised to non-negative and sorted.
   */
  public static Attrs reduceAttrs(Tensor x, boolean keepDims, int... axes) {
    Objects.requireNonNull(axes, "axes");
    int[] ax = axes.clone();
    if (x != null && axes.length == 0) {
      ax = new int[x.rank()];
      Arrays.setAll(ax, i -> i);
    } else if (x != null && problem(x.rank(), axes) == null) {
      for (int i = 0; i < ax.length; i++) {
        ax[i] = ax[i] < 0 ? ax[i] + x.rank() : ax[i];
      }
      Arrays.sort(ax);
    }
    return Attrs.of("axes", ax, "keep_dims", keepDims);
  }

  /** The attributes of ArgMax or ArgMin of {@code x} along {@code axis} (normalised if valid). */
  public static Attrs argAttrs(Tensor x, int axis) {
    return Attrs.of("axis", normalised(x, axis), "output_type", DType.INT64);
  }

  /** The attributes of Softmax or LogSoftmax along {@code axis} (normalised if valid). */
  public static Attrs softmaxAttrs(Tensor logits, int axis) {
    return Attrs.of("axis", normalised(logits, axis));
  }

  private static int normalised(Tensor x, int axis) {
    return x != null && axis < 0 && axis >= -x.rank() ? axis + x.rank() : axis;
  }

  /** What is wrong with {@code axes} for rank {@code rank}, or null if they are valid. */
  private static String problem(int rank, int[] axes) {
    boolean[] seen = new boolean[rank];
    for (int a : axes) {
      if (a < -rank || a >= rank) {
        return "axis " + a + " is out of range";
      }
      int n = a < 0 ? a + rank : a;
      if (seen[n]) {
        return "axis " + n + " is named twice (TensorFlow: \"Axes contains duplicate dimension\")";
      }
      seen[n] = true;
    }
    return null;
  }

  private static String range(int rank) {
    return rank == 0 ? "no axis (the input is a scalar)" : "axes in [" + -rank + ", " + rank + ")";
  }

  // ---------------------------------------------------------------- declarations

  private static OpDef reduction(String name, ReducePlan.Kind kind, DType[] dtypes) {
    return OpDef.builder(name)
        .inputs("x")
        .flags(OpDef.Flag.REDUCTION)
        .shape((d, in, a) -> {
          Tensor x = in[0];
          Rules.requireDType(d, in, a, x, dtypes);
          int[] axes = a.getInts("axes");
          String p = problem(x.rank(), axes);
          if (p != null) {
            throw d.invalid(in, a, "expected distinct " + range(x.rank()) + "; " + p);
          }
          boolean[] reduced = mask(x.rank(), axes);
          boolean keep = a.getBool("keep_dims");
          long[] dims = x.shape().dims();
          long[] out = new long[dims.length];
          int n = 0;
          for (int i = 0; i < dims.length; i++) {
            if (!reduced[i]) {
              out[n++] = dims[i];
            } else if (keep) {
              out[n++] = 1;
            }
          }
          return new TensorSpec[] {new TensorSpec(x.dtype(), Shape.of(Arrays.copyOf(out, n)))};
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0];
          boolean[] reduced = mask(x.rank(), a.getInts("axes"));
          var y = ReducePlan.reduce(kind, x.dtype(), Tensors.data(x), x.shape().dims(), reduced);
          return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
        })
        .build();
  }

  private static boolean[] mask(int rank, int[] axes) {
    boolean[] m = new boolean[rank];
    for (int a : axes) {
      m[a < 0 ? a + rank : a] = true;
    }
    return m;
  }

  private static int checkedAxis(OpDef d, Tensor[] in, Attrs a) {
    int rank = in[0].rank();
    int axis = a.getInt("axis");
    if (axis < -rank || axis >= rank) {
      throw d.invalid(in, a, "expected " + (rank == 0 ? "an input of rank >= 1"
          : "an axis in [" + -rank + ", " + rank + "); axis " + axis + " is out of range"));
    }
    return axis < 0 ? axis + rank : axis;
  }

  private static OpDef arg(String name, ReduceOp op) {
    return OpDef.builder(name)
        .inputs("x")
        .flags(OpDef.Flag.REDUCTION)
        .shape((d, in, a) -> {
          Tensor x = in[0];
          Rules.requireDType(d, in, a, x,
              DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL);
          if (a.getDType("output_type") != DType.INT64) {
            throw d.invalid(in, a, "expected output_type int64");
          }
          int axis = checkedAxis(d, in, a);
          if (x.shape().dim(axis) == 0) {
            throw d.invalid(in, a, "expected a non-empty axis; reduction axis " + axis
                + " is empty in shape " + x.shape());
          }
          long[] dims = x.shape().dims();
          long[] out = new long[dims.length - 1];
          for (int i = 0, n = 0; i < dims.length; i++) {
            if (i != axis) {
              out[n++] = dims[i];
            }
          }
          return new TensorSpec[] {new TensorSpec(DType.INT64, Shape.of(out))};
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0];
          int axis = a.getInt("axis");
          var y = ReducePlan.arg(op, x.dtype(), Tensors.data(x), x.shape().dims(),
              axis < 0 ? axis + x.rank() : axis);
          return new Tensor[] {Tensors.wrap(DType.INT64, outs[0].shape(), y)};
        })
        .build();
  }

  private static OpDef softmax(String name, boolean log) {
    return OpDef.builder(name)
        .inputs("logits")
        .flags(OpDef.Flag.REDUCTION)
        .shape((d, in, a) -> {
          Rules.requireDType(d, in, a, in[0], FLOATING);
          checkedAxis(d, in, a);
          return Rules.like(in[0], in[0].dtype());
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0];
          int axis = a.getInt("axis");
          var y = ReducePlan.softmax(log, x.dtype(), Tensors.data(x), x.shape().dims(),
              axis < 0 ? axis + x.rank() : axis);
          return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
        })
        .build();
  }
}
