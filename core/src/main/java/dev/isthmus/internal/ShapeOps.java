package dev.isthmus.internal;

import static dev.isthmus.internal.ShapeMath.str;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import java.util.Arrays;

/**
 * Declarations of the ops that change a tensor's shape without changing its elements' order
 * (Reshape, ExpandDims, Squeeze: zero-copy views) and of the ops that rearrange or repeat
 * elements (Transpose, Tile, BroadcastTo: one strided copy, or a view when that copy would be
 * the identity). The sibling families are {@link ConcatOps}, {@link SliceOps},
 * {@link GatherOps} and {@link PadOps}; the index math they share is {@link ShapeMath}.
 */
public final class ShapeOps {
  private ShapeOps() {}

  /** tf.reshape: attr {@code shape} (long[]; one -1 is inferred). */
  public static final OpDef RESHAPE = OpDef.builder("Reshape")
      .inputs("tensor")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ShapeOps::reshapeBack))
      .shape((op, in, a) -> ShapeMath.spec(op, in, a, in[0].dtype(), reshaped(op, in, a)))
      .kernel((in, a, outs) -> new Tensor[] {ShapeMath.view(in[0], outs[0])})
      .build();

  /** tf.expand_dims: attr {@code axis} (int, in [-rank-1, rank]). */
  public static final OpDef EXPAND_DIMS = OpDef.builder("ExpandDims")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ShapeOps::reshapeBack))
      .shape((op, in, a) -> {
        int r = in[0].rank();
        int axis = a.getInt("axis");
        if (axis < -r - 1 || axis > r) {
          throw op.invalid(in, a, "expected axis in [" + (-r - 1) + ", " + r + "] for an input of "
              + "rank " + r + ", got " + axis);
        }
        int at = axis < 0 ? axis + r + 1 : axis;
        long[] out = ShapeMath.insert(in[0].shape().dims(), at, 1);
        return ShapeMath.spec(op, in, a, in[0].dtype(), out);
      })
      .kernel((in, a, outs) -> new Tensor[] {ShapeMath.view(in[0], outs[0])})
      .build();

  /** tf.squeeze: attr {@code axis} (int[]; empty: every size-1 axis). */
  public static final OpDef SQUEEZE = OpDef.builder("Squeeze")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ShapeOps::reshapeBack))
      .shape((op, in, a) -> {
        long[] dims = in[0].shape().dims();
        int r = dims.length;
        int[] axes = a.getInts("axis");
        boolean[] drop = new boolean[r];
        for (int ax : axes) {
          int i = ShapeMath.axis(op, in, a, "every squeeze axis", ax, r);
          if (dims[i] != 1) {
            throw op.invalid(in, a, "expected axis " + ax + " to have size 1 to squeeze it, but it "
                + "has size " + dims[i]);
          }
          drop[i] = true;
        }
        long[] out = new long[r];
        int m = 0;
        for (int i = 0; i < r; i++) {
          if (axes.length == 0 ? dims[i] != 1 : !drop[i]) {
            out[m++] = dims[i];
          }
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), Arrays.copyOf(out, m));
      })
      .kernel((in, a, outs) -> new Tensor[] {ShapeMath.view(in[0], outs[0])})
      .build();

  /** tf.transpose: attr {@code perm} (int[], a permutation of the axes; negatives count back). */
  public static final OpDef TRANSPOSE = OpDef.builder("Transpose")
      .inputs("x")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          Ops.transpose(up[0], GradientSupport.invertPermutation(a.getInts("perm")))}))
      .shape((op, in, a) -> {
        long[] dims = in[0].shape().dims();
        int[] p = perm(op, in, a);
        long[] out = new long[p.length];
        for (int i = 0; i < p.length; i++) {
          out[i] = dims[p[i]];
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), out);
      })
      .kernel((in, a, outs) -> {
        Tensor x = in[0];
        int[] p = perm(null, in, a);
        long[] xs = x.shape().strides();
        long[] dims = outs[0].shape().dims();
        long[] strides = new long[p.length];
        for (int i = 0; i < p.length; i++) {
          strides[i] = xs[p[i]];
        }
        return new Tensor[] {ShapeMath.materialize(x, 0, dims, strides, outs[0])};
      })
      .build();

  /** tf.tile: attr {@code multiples} (long[], one per axis, each >= 0). */
  public static final OpDef TILE = OpDef.builder("Tile")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ShapeOps::tileGrad))
      .shape((op, in, a) -> {
        long[] dims = in[0].shape().dims();
        long[] m = a.getLongs("multiples");
        if (m.length != dims.length) {
          throw op.invalid(in, a, "expected " + dims.length + " multiples (one per axis of the "
              + "input), got " + m.length);
        }
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
          if (m[i] < 0) {
            throw op.invalid(in, a, "expected multiples >= 0, got multiples[" + i + "] = " + m[i]);
          }
          try {
            out[i] = Math.multiplyExact(dims[i], m[i]);
          } catch (ArithmeticException e) {
            throw op.invalid(in, a, "expected output dimensions below 2^63, got " + dims[i]
                + " * " + m[i] + " at axis " + i);
          }
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), out);
      })
      .kernel((in, a, outs) -> {
        // [d0, d1] tiled by [m0, m1] is the view [m0, d0, m1, d1] with strides [0, s0, 0, s1].
        Tensor x = in[0];
        long[] dims = x.shape().dims();
        long[] xs = x.shape().strides();
        long[] m = a.getLongs("multiples");
        long[] vd = new long[2 * dims.length];
        long[] vs = new long[2 * dims.length];
        for (int i = 0; i < dims.length; i++) {
          vd[2 * i] = m[i];
          vd[2 * i + 1] = dims[i];
          vs[2 * i + 1] = xs[i];
        }
        return new Tensor[] {ShapeMath.materialize(x, 0, vd, vs, outs[0])};
      })
      .build();

  /** tf.broadcast_to: attr {@code shape} (long[]), numpy's broadcasting rule. */
  public static final OpDef BROADCAST_TO = OpDef.builder("BroadcastTo")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating((in, out, up, a) ->
          new Tensor[] {GradientSupport.unbroadcast(up[0], in[0].shape())}))
      .shape((op, in, a) -> {
        long[] dims = in[0].shape().dims();
        long[] target = a.getLongs("shape");
        for (int i = 0; i < target.length; i++) {
          if (target[i] < 0) {
            throw op.invalid(in, a, "expected a shape of dimensions >= 0, got " + str(target));
          }
        }
        int lead = target.length - dims.length;
        if (lead < 0) {
          throw op.invalid(in, a, "expected a shape of rank >= " + dims.length + " (the input's "
              + "rank), got " + str(target));
        }
        for (int i = 0; i < dims.length; i++) {
          if (dims[i] != 1 && dims[i] != target[lead + i]) {
            throw op.invalid(in, a, "expected a shape the input broadcasts to (each input dimension"
                + " 1 or equal to the target's), but " + in[0].shape() + " does not broadcast to "
                + str(target) + " at axis " + (lead + i));
          }
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), target);
      })
      .kernel((in, a, outs) -> {
        Tensor x = in[0];
        long[] dims = x.shape().dims();
        long[] xs = x.shape().strides();
        long[] target = outs[0].shape().dims();
        int lead = target.length - dims.length;
        long[] strides = new long[target.length];
        for (int i = 0; i < dims.length; i++) {
          strides[lead + i] = dims[i] == 1 ? 0 : xs[i];
        }
        return new Tensor[] {ShapeMath.materialize(x, 0, target, strides, outs[0])};
      })
      .build();

  // ---- gradients (TensorFlow's array_grad.py)

  /** Reshape, ExpandDims, Squeeze: the gradient takes the input's shape back. */
  private static Tensor[] reshapeBack(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    return new Tensor[] {Ops.reshape(up[0], in[0].shape().dims())};
  }

  /**
   * TensorFlow's _TileGrad: the gradient {@code [m0 * d0, m1 * d1, ...]} viewed as {@code [m0,
   * d0, m1, d1, ...]} and summed over the multiples' axes.
   */
  private static Tensor[] tileGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    long[] d = in[0].shape().dims(), m = a.getLongs("multiples");
    if (d.length == 0) {
      return new Tensor[] {up[0]};
    }
    long[] split = new long[2 * d.length];
    int[] axes = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      split[2 * i] = m[i];
      split[2 * i + 1] = d[i];
      axes[i] = 2 * i;
    }
    return new Tensor[] {Ops.reduceSum(Ops.reshape(up[0], split), false, axes)};
  }

  // ---- helpers

  /** Reshape's output dimensions, as TensorFlow's kernel infers them. */
  private static long[] reshaped(OpDef op, Tensor[] in, Attrs a) {
    long[] req = a.getLongs("shape");
    int unknown = -1;
    long product = 1;
    boolean sizesZero = false;
    for (int d = 0; d < req.length; d++) {
      if (req[d] == -1) {
        if (unknown != -1) {
          throw op.invalid(in, a, "expected at most one -1 in shape, got -1 at both index "
              + unknown + " and index " + d);
        }
        unknown = d;
      } else if (req[d] < 0) {
        throw op.invalid(in, a, "expected shape entries >= 0 (or one -1), got shape[" + d + "] = "
            + req[d]);
      } else if (req[d] == 0) {
        sizesZero = true; // zeros stay out of the product, so other sizes can still be inferred
      } else {
        try {
          product = Math.multiplyExact(product, req[d]);
        } catch (ArithmeticException e) {
          throw op.invalid(in, a, "expected a shape with at most Long.MAX_VALUE elements, got "
              + str(req));
        }
      }
    }
    long[] dims = req.clone();
    long n = in[0].size();
    if (unknown >= 0) {
      long known = 1;
      boolean inputZero = false;
      for (long d : in[0].shape().dims()) {
        if (d > 0 || !sizesZero) {
          try {
            known = Math.multiplyExact(known, d);
          } catch (ArithmeticException e) {
            throw op.invalid(in, a, "expected the input's non-zero dimensions to multiply to at "
                + "most Long.MAX_VALUE when inferring -1");
          }
        } else {
          inputZero = true;
        }
      }
      long missing = known / product;
      if (!inputZero && missing * product != known) {
        throw op.invalid(in, a, "expected a shape whose known dimensions divide the input's "
            + known + " elements, but " + str(req) + " requires a multiple of " + product);
      }
      dims[unknown] = missing;
    }
    long m = ShapeMath.size(op, in, a, dims);
    if (m != n) {
      throw op.invalid(in, a, "expected a shape with " + n + " elements (as the input), but "
          + str(dims) + " has " + m);
    }
    return dims;
  }

  /** The normalised permutation; {@code op} null: already validated by the shape rule. */
  private static int[] perm(OpDef op, Tensor[] in, Attrs a) {
    int[] p = a.getInts("perm");
    int r = in[0].rank();
    if (op == null) {
      for (int i = 0; i < p.length; i++) {
        p[i] = p[i] < 0 ? p[i] + r : p[i];
      }
      return p;
    }
    if (p.length != r) {
      throw op.invalid(in, a, "expected perm to be a permutation of the input's " + r + " axes, "
          + "got " + p.length + " entries " + str(p));
    }
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      int d = p[i] < 0 ? p[i] + r : p[i];
      if (d < 0 || d >= r) {
        throw op.invalid(in, a, "expected perm to be a permutation of [0, " + r + "), but perm["
            + i + "] = " + p[i] + " is out of range [" + (-r) + ", " + r + ")");
      }
      if (seen[d]) {
        throw op.invalid(in, a, "expected perm to be a permutation of [0, " + r + "), but axis "
            + d + " appears twice in " + str(p));
      }
      seen[d] = true;
      p[i] = d;
    }
    return p;
  }

  /**
   * The number of elements, computed when the op runs (tf.size): attr {@code dtype} INT32 or
   * INT64. Unlike {@code x.size()} on a graph tensor, it is right for shapes known only at run
   * time (a dataset's last partial batch).
   */
  public static final OpDef SIZE = OpDef.builder("Size")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.NOT_DIFFERENTIABLE)
      .shape((d, in, a) -> {
        DType t = a.has("dtype") ? a.getDType("dtype") : DType.INT32;
        if (t != DType.INT32 && t != DType.INT64) {
          throw d.invalid(in, a, "expected out type int32 or int64");
        }
        return new TensorSpec[] {new TensorSpec(t, Shape.scalar())};
      })
      .kernel((in, a, outs) -> {
        long n = in[0].size();
        if (outs[0].dtype() == DType.INT32) {
          if (n > Integer.MAX_VALUE) {
            throw new dev.isthmus.InvalidArgumentException("Size: " + in[0].describe()
                + " has " + n + " elements, more than int32 holds; expected dtype int64");
          }
          return new Tensor[] {Tensor.scalar((int) n)};
        }
        return new Tensor[] {Tensor.scalar(n)};
      })
      .build();
}
