package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Ops;
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
  public static final OpDef SUM =
      reduction("Sum", ReducePlan.Kind.SUM, NUMERIC, ReduceOps::sumGrad);
  /** Mean (integers: INT64 sum, truncating division); empty: NaN, or 0 for integers. */
  public static final OpDef MEAN =
      reduction("Mean", ReducePlan.Kind.MEAN, NUMERIC, ReduceOps::meanGrad);
  /** Maximum, NaN-propagating; empty: -inf or the integer minimum. */
  public static final OpDef MAX =
      reduction("Max", ReducePlan.Kind.MAX, NUMERIC, ReduceOps::minOrMaxGrad);
  /** Minimum, NaN-propagating; empty: +inf or the integer maximum. */
  public static final OpDef MIN =
      reduction("Min", ReducePlan.Kind.MIN, NUMERIC, ReduceOps::minOrMaxGrad);
  /** Product (integers wrap); empty: 1. */
  public static final OpDef PROD =
      reduction("Prod", ReducePlan.Kind.PROD, NUMERIC, ReduceOps::prodGrad);
  /** Logical and; empty: true. */
  public static final OpDef ALL = reduction("All", ReducePlan.Kind.ALL, BOOL, null);
  /** Logical or; empty: false. */
  public static final OpDef ANY = reduction("Any", ReducePlan.Kind.ANY, BOOL, null);
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

  private static OpDef reduction(String name, ReducePlan.Kind kind, DType[] dtypes,
      OpDef.GradientRule grad) {
    return OpDef.builder(name)
        .inputs("x")
        .flags(OpDef.Flag.REDUCTION)
        // All and Any take bool: nothing to differentiate (TensorFlow registers no gradient)
        .gradient(grad == null ? GradientSupport.NOT_DIFFERENTIABLE
            : GradientSupport.floating(grad))
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
        .gradient(GradientSupport.NOT_DIFFERENTIABLE) // TensorFlow's _ArgMaxGrad: None
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
        .gradient(GradientSupport.floating(
            log ? ReduceOps::logSoftmaxGrad : ReduceOps::softmaxGrad))
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

  // ---------------------------------------------------------------- gradients (math_grad.py)

  /** A Sum over {@code axes} keeping them, with the axes as given (not "every axis" if none). */
  private static Tensor sumKept(Tensor t, int... axes) {
    return Dispatch.run1(SUM, Attrs.of("axes", axes, "keep_dims", true), t);
  }

  /** The upstream gradient of a reduction, reshaped to the kept dims and broadcast to x. */
  private static Tensor spread(Tensor x, Tensor g, Attrs a) {
    long[] kept = GradientSupport.keptShape(x.shape(), a.getInts("axes"));
    Tensor k = Ops.reshape(g, kept);
    return Shape.of(kept).equals(x.shape()) ? k : Ops.broadcastTo(k, x.shape().dims());
  }

  private static Tensor[] sumGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    return new Tensor[] {spread(in[0], up[0], a)};
  }

  private static Tensor[] meanGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    long factor = in[0].size() / Math.max(out[0].size(), 1);
    return new Tensor[] {Ops.div(spread(in[0], up[0], a), (double) factor)};
  }

  /** TensorFlow's _MinOrMaxGrad: g shared equally by the elements equal to the result. */
  private static Tensor[] minOrMaxGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    Tensor x = in[0];
    int[] axes = a.getInts("axes");
    long[] kept = GradientSupport.keptShape(x.shape(), axes);
    Tensor y = Ops.reshape(out[0], kept), g = Ops.reshape(up[0], kept);
    Tensor hit = Ops.cast(Ops.equal(y, x), x.dtype());
    return new Tensor[] {Ops.mul(Ops.div(hit, sumKept(hit, axes)), g)};
  }

  /**
   * The product of the other elements of each group, times g. TensorFlow multiplies two
   * exclusive cumulative products (isthmus has no Cumprod op); this uses the zeros of x
   * instead, in a form whose own gradient is right too (second derivatives): at an element
   * that is not 0, {@code prod(x) / x}, 0 when another element is; at a zero, {@code prod of
   * the non-zeros} when it is the group's only zero, else 0 — written as {@code prod(safe) *
   * ([one zero] + [two zeros] * (sum of the zero elements - x))}, which has that value (the
   * zero elements are 0) and the right derivative: with exactly two zeros, moving the other
   * one changes this element's gradient by the product of the non-zeros. No division by zero,
   * linear cost. (Unlike the cumprod form, a product that underflows or overflows as a whole
   * makes {@code prod / x} lose what the partial products kept.)
   */
  private static Tensor[] prodGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    Tensor x = in[0];
    int[] axes = a.getInts("axes");
    Attrs kept = Attrs.of("axes", axes, "keep_dims", true);
    Tensor zero = Ops.equal(x, GradientSupport.scalar(x, 0));
    Tensor safe = Ops.where(zero, GradientSupport.scalar(x, 1), x);
    Tensor atNonZero = Ops.div(Dispatch.run1(PROD, kept, x), safe);
    Tensor zeros = sumKept(Ops.cast(zero, x.dtype()), axes);
    Tensor one = Ops.cast(Ops.equal(zeros, GradientSupport.scalar(x, 1)), x.dtype());
    Tensor two = Ops.cast(Ops.equal(zeros, GradientSupport.scalar(x, 2)), x.dtype());
    Tensor zeroSum = sumKept(GradientSupport.keep(zero, x), axes);
    Tensor atZero = Ops.mul(Dispatch.run1(PROD, kept, safe),
        Ops.add(one, Ops.mul(two, Ops.sub(zeroSum, x))));
    Tensor others = Ops.where(zero, atZero, atNonZero);
    return new Tensor[] {Ops.mul(spread(x, up[0], a), others)};
  }

  /** TensorFlow's _SoftmaxGrad: {@code (g - sum(g y)) y} along the axis. */
  private static Tensor[] softmaxGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    Tensor y = out[0], g = up[0];
    int axis = normalised(in[0], a.getInt("axis"));
    return new Tensor[] {Ops.mul(Ops.sub(g, sumKept(Ops.mul(g, y), axis)), y)};
  }

  /** TensorFlow's _LogSoftmaxGrad: {@code g - sum(g) exp(y)} along the axis. */
  private static Tensor[] logSoftmaxGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    Tensor y = out[0], g = up[0];
    int axis = normalised(in[0], a.getInt("axis"));
    return new Tensor[] {Ops.sub(g, Ops.mul(sumKept(g, axis), Ops.exp(y)))};
  }
}
