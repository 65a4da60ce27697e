package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.MoveKernels;
import dev.isthmus.kernels.MoveScalar;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Declarations of the ops that index with a tensor of indices: GatherV2 (rows by index) and
 * OneHot (a scatter of on-values into a filled tensor). Index values are data, so they are
 * checked by the kernels, not the shape rules.
 */
public final class GatherOps {
  private GatherOps() {}

  /** tf.gather: {@code params}, INT32/INT64 {@code indices} of any rank, attr {@code axis}. */
  public static final OpDef GATHER = OpDef.builder("GatherV2")
      .inputs("params", "indices")
      .flags(OpDef.Flag.MOVEMENT)
      .shape((op, in, a) -> {
        Tensor p = in[0], idx = in[1];
        requireIndices(op, in, a, idx);
        if (p.rank() == 0) {
          throw op.invalid(in, a, "expected params of rank >= 1 (a scalar has no axis to gather "
              + "from)");
        }
        int axis = ShapeMath.axis(op, in, a, "axis", a.getInt("axis"), p.rank());
        long[] pd = p.shape().dims();
        long[] id = idx.shape().dims();
        long[] out = new long[pd.length - 1 + id.length];
        System.arraycopy(pd, 0, out, 0, axis);
        System.arraycopy(id, 0, out, axis, id.length);
        System.arraycopy(pd, axis + 1, out, axis + id.length, pd.length - axis - 1);
        return ShapeMath.spec(op, in, a, p.dtype(), out);
      })
      .kernel((in, a, outs) -> {
        Tensor p = in[0], idx = in[1];
        long[] pd = p.shape().dims();
        int axis = a.getInt("axis") < 0 ? a.getInt("axis") + pd.length : a.getInt("axis");
        long outer = ShapeMath.product(pd, 0, axis);
        long inner = ShapeMath.product(pd, axis + 1, pd.length);
        long n = idx.size();
        MemorySegment y = Tensors.allocate(outs[0]);
        if (n > 0 && outer > 0 && inner > 0) { // as TensorFlow: an empty output checks nothing
          int iw = idx.dtype().byteSize();
          MemorySegment ix = Tensors.data(idx);
          for (long k = 0; k < n; k++) {
            long v = MoveScalar.index(ix, k, iw);
            if (v < 0 || v >= pd[axis]) {
              throw GatherOps.GATHER.invalid(in, a, "expected indices in [0, " + pd[axis]
                  + ") (the size of params axis " + axis + "), got indices"
                  + position(idx.shape().dims(), k) + " = " + v);
            }
          }
          MoveKernels.gatherRows(ShapeMath.width(p.dtype()), Tensors.data(p), 0, outer, pd[axis],
              inner, ix, 0, iw, n, y, 0);
        }
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  /**
   * tf.one_hot: INT32/INT64 {@code indices}; attrs {@code depth} (>= 0), {@code onValue},
   * {@code offValue} (doubles exactly representable in {@code dtype}), {@code axis} (-1 or in
   * [0, rank]) and {@code dtype}. Indices outside [0, depth) give all-off rows.
   */
  public static final OpDef ONE_HOT = OpDef.builder("OneHot")
      .inputs("indices")
      .flags(OpDef.Flag.MOVEMENT)
      .shape((op, in, a) -> {
        Tensor idx = in[0];
        requireIndices(op, in, a, idx);
        long depth = a.getLong("depth");
        if (depth < 0) {
          throw op.invalid(in, a, "expected depth >= 0, got " + depth);
        }
        int r = idx.rank();
        int axis = a.getInt("axis");
        if (axis < -1 || axis > r) {
          throw op.invalid(in, a, "expected axis -1 or in [0, " + r + "] for indices of rank " + r
              + ", got " + axis);
        }
        DType t = a.getDType("dtype");
        for (String v : new String[] {"onValue", "offValue"}) {
          if (!ShapeMath.representable(t, a.getDouble(v))) {
            throw op.invalid(in, a, "expected " + v + " to be a " + t.numpyName() + " value, got "
                + a.getDouble(v));
          }
        }
        long[] out = ShapeMath.insert(idx.shape().dims(), axis == -1 ? r : axis, depth);
        return ShapeMath.spec(op, in, a, t, out);
      })
      .kernel((in, a, outs) -> {
        Tensor idx = in[0];
        long[] id = idx.shape().dims();
        int axis = a.getInt("axis") == -1 ? id.length : a.getInt("axis");
        long depth = a.getLong("depth");
        DType t = outs[0].dtype();
        MemorySegment y = Tensors.allocate(outs[0]);
        long off = ShapeMath.bits(t, a.getDouble("offValue"));
        long on = ShapeMath.bits(t, a.getDouble("onValue"));
        long total = outs[0].shape().size();
        if (off != 0) {
          ShapeMath.fill(t, y, 0, total, a.getDouble("offValue"));
        }
        // output [outer, depth, inner]; index (o, i) with value v sets (o, v, i)
        long outer = ShapeMath.product(id, 0, axis);
        long inner = ShapeMath.product(id, axis, id.length);
        int iw = idx.dtype().byteSize();
        MemorySegment ix = Tensors.data(idx);
        for (long o = 0, k = 0; o < outer; o++) {
          for (long i = 0; i < inner; i++, k++) {
            long v = MoveScalar.index(ix, k, iw);
            if (v >= 0 && v < depth) {
              put(t, y, (o * depth + v) * inner + i, on);
            }
          }
        }
        return new Tensor[] {Tensors.wrap(t, outs[0].shape(), y)};
      })
      .build();

  // ---- helpers

  private static void requireIndices(OpDef op, Tensor[] in, Attrs a, Tensor idx) {
    if (idx.dtype() != DType.INT32 && idx.dtype() != DType.INT64) {
      throw op.invalid(in, a, "expected indices of dtype int32 or int64, got "
          + idx.dtype().numpyName());
    }
  }

  /** Flat position {@code k} of {@code dims} as TensorFlow prints it: {@code [1,2]}. */
  private static String position(long[] dims, long k) {
    if (dims.length == 0) {
      return "";
    }
    long[] p = new long[dims.length];
    for (int i = dims.length - 1; i >= 0; i--) {
      p[i] = k % dims[i];
      k /= dims[i];
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < p.length; i++) {
      sb.append(i == 0 ? "" : ",").append(p[i]);
    }
    return sb.append(']').toString();
  }

  /** Writes the element bits {@code v} at element {@code i}. */
  private static void put(DType t, MemorySegment y, long i, long v) {
    switch (t.byteSize()) {
      case 1 -> y.set(ValueLayout.JAVA_BYTE, i, (byte) v);
      case 4 -> y.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, (int) v);
      default -> y.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, v);
    }
  }
}
