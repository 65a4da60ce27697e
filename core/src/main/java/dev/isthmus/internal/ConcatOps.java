package dev.isthmus.internal;

import static dev.isthmus.internal.ShapeMath.str;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Declarations of the ops that join tensors (ConcatV2, Pack) and split them (Split, SplitV).
 * Both views see a tensor as {@code [outer, chunk]} around the axis: joining copies each
 * input's chunks into its column band of the output; splitting views a column band of the
 * input (zero-copy when {@code outer} is 1, as for splits along axis 0).
 */
public final class ConcatOps {
  private ConcatOps() {}

  /** tf.concat: variadic {@code values}, attr {@code axis}. */
  public static final OpDef CONCAT = OpDef.builder("ConcatV2")
      .variadicInputs("values")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ConcatOps::concatGrad))
      .shape((op, in, a) -> {
        DType t = sameDType(op, in, a, "concatenate");
        int r = in[0].rank();
        if (r == 0) {
          throw op.invalid(in, a, "expected values of rank >= 1 (scalars cannot be concatenated; "
              + "stack them instead)");
        }
        int axis = ShapeMath.axis(op, in, a, "axis", a.getInt("axis"), r);
        long[] out = in[0].shape().dims();
        for (int i = 1; i < in.length; i++) {
          long[] d = in[i].shape().dims();
          if (d.length != r) {
            throw op.invalid(in, a, "expected every value to have rank " + r + " (as values[0]), "
                + "but values[" + i + "] has rank " + d.length);
          }
          for (int j = 0; j < r; j++) {
            if (j != axis && d[j] != out[j]) {
              throw op.invalid(in, a, "expected every value to have values[0]'s shape "
                  + in[0].shape() + " except at axis " + axis + ", but values[" + i + "] has "
                  + "shape " + in[i].shape());
            }
          }
          try {
            out[axis] = Math.addExact(out[axis], d[axis]);
          } catch (ArithmeticException e) {
            throw op.invalid(in, a, "expected the concatenated axis to have at most "
                + "Long.MAX_VALUE elements");
          }
        }
        return ShapeMath.spec(op, in, a, t, out);
      })
      .kernel((in, a, outs) -> {
        if (in.length == 1) {
          return new Tensor[] {ShapeMath.view(in[0], outs[0])};
        }
        long[] od = outs[0].shape().dims();
        int axis = norm(a.getInt("axis"), od.length);
        long inner = ShapeMath.product(od, axis + 1, od.length);
        long[] chunks = new long[in.length];
        for (int i = 0; i < in.length; i++) {
          chunks[i] = in[i].shape().dim(axis) * inner;
        }
        return new Tensor[] {join(in, ShapeMath.product(od, 0, axis), chunks, outs[0])};
      })
      .build();

  /** tf.stack: variadic {@code values} of one shape, attr {@code axis} (in [-rank-1, rank]). */
  public static final OpDef PACK = OpDef.builder("Pack")
      .variadicInputs("values")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ConcatOps::packGrad))
      .shape((op, in, a) -> {
        DType t = sameDType(op, in, a, "stack");
        Shape s = in[0].shape();
        for (int i = 1; i < in.length; i++) {
          if (!in[i].shape().equals(s)) {
            throw op.invalid(in, a, "expected every value to have values[0]'s shape " + s
                + ", but values[" + i + "] has shape " + in[i].shape());
          }
        }
        int axis = ShapeMath.axis(op, in, a, "axis", a.getInt("axis"), s.rank() + 1);
        return ShapeMath.spec(op, in, a, t, ShapeMath.insert(s.dims(), axis, in.length));
      })
      .kernel((in, a, outs) -> {
        // stack = concat of expandDims(axis): each value is one chunk of every output row
        long[] d = in[0].shape().dims();
        int axis = norm(a.getInt("axis"), d.length + 1);
        long inner = ShapeMath.product(d, axis, d.length);
        long[] chunks = new long[in.length];
        Arrays.fill(chunks, inner);
        return new Tensor[] {join(in, ShapeMath.product(d, 0, axis), chunks, outs[0])};
      })
      .build();

  /** tf.split into equal parts: attrs {@code numSplit} (>= 1, dividing the axis), {@code axis}. */
  public static final OpDef SPLIT = OpDef.builder("Split")
      .inputs("value")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ConcatOps::splitGrad))
      .shape((op, in, a) -> {
        long[] d = in[0].shape().dims();
        int axis = splitAxis(op, in, a);
        int n = a.getInt("numSplit");
        if (n < 1) {
          throw op.invalid(in, a, "expected numSplit >= 1, got " + n);
        }
        if (d[axis] % n != 0) {
          throw op.invalid(in, a, "expected numSplit to divide the split axis evenly, but axis "
              + axis + " has size " + d[axis] + " and numSplit is " + n);
        }
        long[] part = d.clone();
        part[axis] = d[axis] / n;
        TensorSpec[] outs = new TensorSpec[n];
        Arrays.fill(outs, new TensorSpec(in[0].dtype(), Shape.of(part)));
        return outs;
      })
      .kernel((in, a, outs) -> {
        long[] sizes = new long[outs.length];
        int axis = norm(a.getInt("axis"), in[0].rank());
        Arrays.fill(sizes, outs[0].shape().dim(axis));
        return split(in[0], axis, sizes, outs);
      })
      .build();

  /** tf.split by sizes: attrs {@code sizeSplits} (long[], one -1 inferred) and {@code axis}. */
  public static final OpDef SPLIT_V = OpDef.builder("SplitV")
      .inputs("value")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(ConcatOps::splitGrad))
      .shape((op, in, a) -> {
        long[] d = in[0].shape().dims();
        int axis = splitAxis(op, in, a);
        long[] sizes = a.getLongs("sizeSplits");
        if (sizes.length == 0) {
          throw op.invalid(in, a, "expected at least one split size");
        }
        int unknown = -1;
        long known = 0;
        boolean over = false; // the known sizes already exceed the axis
        for (int i = 0; i < sizes.length; i++) {
          if (sizes[i] == -1) {
            if (unknown != -1) {
              throw op.invalid(in, a, "expected at most one -1 in sizeSplits, got -1 at both "
                  + "index " + unknown + " and index " + i);
            }
            unknown = i;
          } else if (sizes[i] < 0) {
            throw op.invalid(in, a, "expected split sizes >= 0 (or one -1), got sizeSplits[" + i
                + "] = " + sizes[i]);
          } else {
            over |= sizes[i] > d[axis] - known;
            known = over ? known : known + sizes[i];
          }
        }
        if (over || (unknown == -1 && known != d[axis])) {
          throw op.invalid(in, a, "expected split sizes that sum to the size of axis " + axis
              + " (" + d[axis] + ")" + (unknown == -1 ? "" : ", or less with a -1 to infer")
              + ", got " + str(sizes));
        }
        TensorSpec[] outs = new TensorSpec[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
          long[] part = d.clone();
          part[axis] = i == unknown ? d[axis] - known : sizes[i];
          outs[i] = new TensorSpec(in[0].dtype(), Shape.of(part));
        }
        return outs;
      })
      .kernel((in, a, outs) -> {
        int axis = norm(a.getInt("axis"), in[0].rank());
        long[] sizes = new long[outs.length];
        for (int i = 0; i < outs.length; i++) {
          sizes[i] = outs[i].shape().dim(axis);
        }
        return split(in[0], axis, sizes, outs);
      })
      .build();

  // ---- gradients (TensorFlow's array_grad.py)

  /** TensorFlow's _ConcatGradV2: the gradient cut back into the inputs' extents (one SplitV). */
  private static Tensor[] concatGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    if (in.length == 1) {
      return new Tensor[] {up[0]};
    }
    int axis = norm(a.getInt("axis"), in[0].rank());
    long[] sizes = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      sizes[i] = in[i].shape().dim(axis);
    }
    return Dispatch.run(SPLIT_V, Attrs.of("sizeSplits", sizes, "axis", axis), up[0]);
  }

  /** TensorFlow's _PackGrad (an unstack): Split along the new axis, each part reshaped. */
  private static Tensor[] packGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    int axis = norm(a.getInt("axis"), in[0].rank() + 1);
    Tensor[] parts = Dispatch.run(SPLIT, Attrs.of("numSplit", in.length, "axis", axis), up[0]);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = Ops.reshape(parts[i], in[0].shape().dims());
    }
    return parts;
  }

  /** TensorFlow's _SplitGrad: the parts' gradients joined (zeros for parts no target uses). */
  private static Tensor[] splitGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    Tensor[] parts = new Tensor[out.length];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = GradientSupport.orZeros(up[i], out[i]);
    }
    return new Tensor[] {Ops.concat(norm(a.getInt("axis"), in[0].rank()), parts)};
  }

  // ---- helpers

  private static int norm(int axis, int n) {
    return axis < 0 ? axis + n : axis;
  }

  private static DType sameDType(OpDef op, Tensor[] in, Attrs a, String verb) {
    if (in.length == 0) {
      throw op.invalid(in, a, "expected at least one tensor to " + verb);
    }
    DType t = in[0].dtype();
    for (int i = 1; i < in.length; i++) {
      if (in[i].dtype() != t) {
        throw op.invalid(in, a, "expected every value to have values[0]'s dtype "
            + t.numpyName() + ", but values[" + i + "] is " + in[i].dtype().numpyName());
      }
    }
    return t;
  }

  private static int splitAxis(OpDef op, Tensor[] in, Attrs a) {
    if (in[0].rank() == 0) {
      throw op.invalid(in, a, "expected an input of rank >= 1 (a scalar cannot be split)");
    }
    return ShapeMath.axis(op, in, a, "axis", a.getInt("axis"), in[0].rank());
  }

  /**
   * Joins the parts along the output's rows: each output row (there are {@code outer}) is the
   * concatenation of one chunk of each part, part i's chunks being {@code chunks[i]} long.
   */
  private static Tensor join(Tensor[] parts, long outer, long[] chunks, TensorSpec out) {
    MemorySegment y = Tensors.allocate(out);
    long row = 0;
    for (long c : chunks) {
      row += c;
    }
    long col = 0;
    for (int i = 0; i < parts.length; i++) {
      long c = chunks[i];
      if (c > 0 && outer > 0) {
        ShapeMath.copy(parts[i], 0, new long[] {outer, c}, new long[] {c, 1}, y, col,
            new long[] {row, 1});
      }
      col += c;
    }
    return Tensors.wrap(out.dtype(), out.shape(), y);
  }

  /** The parts of {@code x} along {@code axis}, part i being {@code sizes[i]} long. */
  private static Tensor[] split(Tensor x, int axis, long[] sizes, TensorSpec[] outs) {
    long[] d = x.shape().dims();
    long outer = ShapeMath.product(d, 0, axis);
    long inner = ShapeMath.product(d, axis + 1, d.length);
    long row = d[axis] * inner;
    Tensor[] parts = new Tensor[sizes.length];
    long col = 0;
    for (int i = 0; i < sizes.length; i++) {
      long c = sizes[i] * inner;
      parts[i] = ShapeMath.materialize(x, col, new long[] {outer, c}, new long[] {row, 1}, outs[i]);
      col += c;
    }
    return parts;
  }
}
