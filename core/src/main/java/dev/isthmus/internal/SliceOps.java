package dev.isthmus.internal;

import static dev.isthmus.internal.ShapeMath.str;

import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Declarations of Slice and StridedSlice. Both resolve to a view of the input (an offset, the
 * slice's dimensions, and the input's strides scaled by the slice's strides), materialised by
 * {@link ShapeMath#materialize}: a zero-copy slice when the view is contiguous, else one
 * strided copy.
 */
public final class SliceOps {
  private SliceOps() {}

  /** tf.slice: attrs {@code begin} and {@code size} (long[], one per axis; size -1: to the end). */
  public static final OpDef SLICE = OpDef.builder("Slice")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(SliceOps::sliceGrad))
      .shape((op, in, a) -> {
        long[] d = in[0].shape().dims();
        long[] b = a.getLongs("begin");
        long[] s = a.getLongs("size");
        if (b.length != d.length || s.length != d.length) {
          throw op.invalid(in, a, "expected begin and size with one entry per axis of the input ("
              + d.length + "), got " + b.length + " and " + s.length + " entries");
        }
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
          if (b[i] < 0 || b[i] > d[i]) {
            throw op.invalid(in, a, "expected begin[" + i + "] in [0, " + d[i] + "], got " + b[i]);
          }
          out[i] = s[i] == -1 ? d[i] - b[i] : s[i];
          if (out[i] < 0 || out[i] > d[i] - b[i]) {
            throw op.invalid(in, a, "expected size[" + i + "] in [0, " + (d[i] - b[i]) + "] (or -1"
                + " for the rest of axis " + i + "), got " + s[i]);
          }
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), out);
      })
      .kernel((in, a, outs) -> {
        Tensor x = in[0];
        long[] b = a.getLongs("begin");
        long[] xs = x.shape().strides();
        long off = 0;
        for (int i = 0; i < b.length; i++) {
          off += b[i] * xs[i];
        }
        long[] dims = outs[0].shape().dims();
        return new Tensor[] {ShapeMath.materialize(x, off, dims, xs, outs[0])};
      })
      .build();

  /**
   * tf.strided_slice: attrs {@code begin}, {@code end}, {@code strides} (long[], equal lengths)
   * and the int bit masks {@code beginMask}, {@code endMask}, {@code ellipsisMask},
   * {@code newAxisMask}, {@code shrinkAxisMask}, with TensorFlow's semantics.
   */
  public static final OpDef STRIDED_SLICE = OpDef.builder("StridedSlice")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      // TensorFlow's _StridedSliceGrad: the StridedSliceGrad op with the input's shape
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          Dispatch.run1(SliceOps.STRIDED_SLICE_GRAD,
              GradientSupport.with(a, "shape", in[0].shape().dims()), up[0])}))
      .shape((op, in, a) ->
          ShapeMath.spec(op, in, a, in[0].dtype(), resolve(op, in, a, in[0].shape().dims()).out))
      .kernel((in, a, outs) -> {
        Tensor x = in[0];
        Dense r = resolve(SliceOps.STRIDED_SLICE, in, a, x.shape().dims());
        long[] xs = x.shape().strides();
        long off = 0;
        long[] strides = new long[xs.length];
        for (int i = 0; i < xs.length; i++) {
          off += r.begin[i] * xs[i];
          // a size-1 axis never steps, and its stride may be huge: keep it out of the math
          strides[i] = r.size[i] > 1 ? r.stride[i] * xs[i] : 0;
        }
        return new Tensor[] {ShapeMath.materialize(x, off, r.size, strides, outs[0])};
      })
      .build();

  /**
   * The adjoint of StridedSlice (TensorFlow's StridedSliceGrad): a tensor of attr {@code shape}
   * (long[]), zero except where StridedSlice with the same attributes would read, which holds
   * {@code dy} (of that slice's shape). The strided view of the forward kernel, written instead
   * of read: one strided copy into zeros.
   */
  public static final OpDef STRIDED_SLICE_GRAD = OpDef.builder("StridedSliceGrad")
      .inputs("dy")
      .flags(OpDef.Flag.MOVEMENT)
      // TensorFlow's _StridedSliceGradGrad: the gradient sliced by the same spec
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          Dispatch.run1(SliceOps.STRIDED_SLICE, GradientSupport.without(a, "shape"), up[0])}))
      .shape((op, in, a) -> {
        long[] dims = a.getLongs("shape");
        for (long d : dims) {
          if (d < 0) {
            throw op.invalid(in, a, "expected a shape of dimensions >= 0, got " + str(dims));
          }
        }
        long[] want = resolve(op, in, a, dims).out;
        if (!Arrays.equals(want, in[0].shape().dims())) {
          throw op.invalid(in, a, "expected dy of the slice's shape " + str(want));
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), dims);
      })
      .kernel((in, a, outs) -> {
        Tensor dy = in[0];
        long[] dims = a.getLongs("shape");
        Dense r = resolve(SliceOps.STRIDED_SLICE_GRAD, in, a, dims);
        long[] xs = outs[0].shape().strides();
        long off = 0;
        long[] strides = new long[xs.length];
        for (int i = 0; i < xs.length; i++) {
          off += r.begin[i] * xs[i];
          strides[i] = r.size[i] > 1 ? r.stride[i] * xs[i] : 0;
        }
        MemorySegment y = Tensors.allocate(outs[0]);
        if (dy.size() > 0) { // dy viewed with one dimension per input axis, then scattered
          ShapeMath.copy(dy, 0, r.size, Shape.of(r.size).strides(), y, off, strides);
        }
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  /** TensorFlow's _SliceGrad: the gradient padded with zeros back to the input's shape. */
  private static Tensor[] sliceGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    long[] d = in[0].shape().dims(), b = a.getLongs("begin"), size = out[0].shape().dims();
    long[] p = new long[2 * d.length];
    for (int i = 0; i < d.length; i++) {
      p[2 * i] = b[i];
      p[2 * i + 1] = d[i] - b[i] - size[i];
    }
    return new Tensor[] {
        Dispatch.run1(PadOps.PAD, Attrs.of("paddings", p, "constantValue", 0.0), up[0])};
  }

  /** Per input axis: the first index, the step and the count; then the output dimensions. */
  private record Dense(long[] begin, long[] stride, long[] size, long[] out) {}

  private static final int NEW_AXIS = -2;
  private static final int SHRINK = -1;

  private static boolean bit(int mask, int i) {
    return (mask & (1 << i)) != 0;
  }

  /**
   * Resolves a sparse strided-slice spec against the input's shape, as TensorFlow's
   * ValidateStridedSliceOp: expand the ellipsis (implicit at the end when absent) into full
   * ranges, skip new axes, then canonicalise each axis's begin and end (negatives count from
   * the end; masks mean "from the start" or "to the end"; values clamp as Python's slicing).
   */
  private static Dense resolve(OpDef op, Tensor[] in, Attrs a, long[] dims) {
    long[] b = a.getLongs("begin");
    long[] e = a.getLongs("end");
    long[] st = a.getLongs("strides");
    int beginMask = a.getInt("beginMask");
    int endMask = a.getInt("endMask");
    int ellipsisMask = a.getInt("ellipsisMask");
    int newAxisMask = a.getInt("newAxisMask");
    int shrinkMask = a.getInt("shrinkAxisMask");
    if (b.length != e.length || b.length != st.length) {
      throw op.invalid(in, a, "expected begin, end and strides of equal length, got lengths "
          + b.length + ", " + e.length + " and " + st.length);
    }
    if (b.length >= 32) {
      throw op.invalid(in, a, "expected at most 31 entries in begin, end and strides (the masks "
          + "are 32-bit), got " + b.length);
    }
    if ((ellipsisMask & (ellipsisMask - 1)) != 0) {
      throw op.invalid(in, a, "expected at most one ellipsis, but ellipsisMask "
          + Integer.toBinaryString(ellipsisMask) + " has several bits set");
    }
    // Step 1: count the new axes after the ellipsis; add an implicit ellipsis at the end.
    int sparse = b.length;
    boolean seen = false;
    int newAfterEllipsis = 0;
    for (int i = 0; i < sparse; i++) {
      if (seen && bit(newAxisMask, i)) {
        newAfterEllipsis++;
      }
      seen |= bit(ellipsisMask, i);
    }
    if (!seen) {
      ellipsisMask |= 1 << sparse;
      sparse++;
    }
    // Step 2: the dense spec, one entry per input axis.
    int r = dims.length;
    long[] db = new long[r], de = new long[r], ds = new long[r];
    boolean[] dbm = new boolean[r], dem = new boolean[r], dshrink = new boolean[r];
    List<Integer> gather = new ArrayList<>(); // per output axis: a dense axis, NEW_AXIS or SHRINK
    int full = 0;
    for (int i = 0; i < sparse; i++) {
      if (bit(ellipsisMask, i)) {
        int next = Math.min(r - (sparse - i) + 1 + newAfterEllipsis, r);
        for (; full < next; full++) {
          ds[full] = 1;
          dbm[full] = dem[full] = true;
          gather.add(full);
        }
      } else if (bit(newAxisMask, i)) {
        gather.add(NEW_AXIS);
      } else {
        if (full == r) {
          throw op.invalid(in, a, r == 0
              ? "expected no indexing entries for a scalar input (a scalar cannot be sliced)"
              : "expected at most " + r + " indexing entries (one per axis of the input, not "
                  + "counting new axes and the ellipsis), but entry " + i + " has no axis left");
        }
        db[full] = b[i];
        de[full] = e[i];
        ds[full] = st[i];
        dbm[full] = bit(beginMask, i);
        dem[full] = bit(endMask, i);
        dshrink[full] = bit(shrinkMask, i);
        gather.add(dshrink[full] ? SHRINK : full);
        full++;
      }
    }
    // Step 3: canonical begin and end, and the count along each axis.
    long[] size = new long[r];
    for (int i = 0; i < r; i++) {
      long dim = dims[i], s = ds[i];
      if (s == 0) {
        throw op.invalid(in, a, "expected non-zero strides, but the stride for axis " + i
            + " is 0");
      }
      if (dshrink[i]) {
        if (s < 0) {
          throw op.invalid(in, a, "expected a positive stride for shrunk axis " + i + " (an index,"
              + " not a range), got " + s);
        }
        long fwd = db[i] < 0 ? dim + db[i] : db[i]; // the begin mask does not apply to an index
        if (fwd < 0 || fwd >= dim) {
          throw op.invalid(in, a, "expected index " + db[i] + " for shrunk axis " + i
              + " in [" + (-dim) + ", " + dim + ")");
        }
        db[i] = fwd;
        de[i] = fwd + 1;
      } else {
        db[i] = canonical(db[i], dbm[i], true, s, dim);
        de[i] = canonical(de[i], dem[i], false, s, dim);
      }
      long len = de[i] - db[i];
      if (len == 0 || (len < 0) != (s < 0)) {
        size[i] = 0;
      } else {
        size[i] = len / s + (len % s != 0 ? 1 : 0);
      }
    }
    // Step 4: the output shape: new axes add 1s, shrunk axes go.
    long[] out = new long[gather.size()];
    int m = 0;
    for (int g : gather) {
      if (g >= 0) {
        out[m++] = size[g];
      } else if (g == NEW_AXIS) {
        out[m++] = 1;
      }
    }
    return new Dense(db, ds, size, Arrays.copyOf(out, m));
  }

  /**
   * A begin ({@code isBegin}) or end index made absolute: a masked one is the start or end of
   * the walk, a negative one counts from the end, and either clamps to [0, dim] walking forward
   * or to [-1, dim - 1] walking backward.
   */
  private static long canonical(long x, boolean masked, boolean isBegin, long stride, long dim) {
    long lo = stride > 0 ? 0 : -1;
    long hi = stride > 0 ? dim : dim - 1;
    if (masked) {
      return (stride > 0) == isBegin ? lo : hi;
    }
    long fwd = x < 0 ? dim + x : x;
    return Math.max(lo, Math.min(hi, fwd));
  }
}
