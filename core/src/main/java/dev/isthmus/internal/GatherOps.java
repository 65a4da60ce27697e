package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.MoveKernels;
import dev.isthmus.kernels.MoveScalar;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

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
      .gradient(GradientSupport.floating(GatherOps::gatherGrad))
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
      .gradient(GradientSupport.NOT_DIFFERENTIABLE) // TensorFlow: ops.NotDifferentiable
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

  /**
   * tf.math.unsorted_segment_sum: {@code output[s, ...] = sum of data[k..., ...]} over the
   * positions k of INT32/INT64 {@code segment_ids} (whose shape is a prefix of data's) holding
   * s; attr {@code num_segments} (>= 0) is the output's first dimension, the rest is data's
   * after the ids' axes. Negative ids are dropped, as TensorFlow; an id >= num_segments is an
   * error. Gather's gradient (a scatter-add): each row is added with the vector add kernel, in
   * order of k.
   */
  public static final OpDef UNSORTED_SEGMENT_SUM = OpDef.builder("UnsortedSegmentSum")
      .inputs("data", "segment_ids")
      .flags(OpDef.Flag.MOVEMENT)
      // TensorFlow's _UnsortedSegmentSumGrad: g gathered at the ids, 0 where an id is negative
      .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
          out[0].shape().dim(0) == 0 ? Ops.zerosLike(in[0]) // no segments: every id is negative
              : gatherDropNegatives(up[0], in[1]), null}))
      .shape((op, in, a) -> {
        Tensor data = in[0], ids = in[1];
        Rules.requireDType(op, in, a, data, DType.FLOAT32, DType.FLOAT64, DType.INT32,
            DType.INT64);
        requireIndices(op, in, a, ids);
        long num = a.getLong("num_segments");
        if (num < 0) {
          throw op.invalid(in, a, "expected num_segments >= 0, got " + num);
        }
        long[] dd = data.shape().dims(), id = ids.shape().dims();
        if (id.length > dd.length || !Arrays.equals(id, Arrays.copyOf(dd, id.length))) {
          throw op.invalid(in, a, "expected segment_ids' shape to be a prefix of data's shape");
        }
        long[] out = new long[dd.length - id.length + 1];
        out[0] = num;
        System.arraycopy(dd, id.length, out, 1, dd.length - id.length);
        return ShapeMath.spec(op, in, a, data.dtype(), out);
      })
      .kernel((in, a, outs) -> {
        Tensor data = in[0], ids = in[1];
        long num = a.getLong("num_segments");
        long n = ids.size();
        long[] dd = data.shape().dims();
        long inner = ShapeMath.product(dd, ids.rank(), dd.length);
        int iw = ids.dtype().byteSize();
        MemorySegment ix = Tensors.data(ids);
        for (long k = 0; k < n; k++) {
          long v = MoveScalar.index(ix, k, iw);
          if (v >= num) {
            throw GatherOps.UNSORTED_SEGMENT_SUM.invalid(in, a, "expected segment ids below "
                + "num_segments " + num + ", got segment_ids" + position(ids.shape().dims(), k)
                + " = " + v);
          }
        }
        MemorySegment y = Tensors.allocate(outs[0]);
        MemorySegment x = Tensors.data(data);
        for (long k = 0; inner > 0 && k < n; k++) {
          long v = MoveScalar.index(ix, k, iw);
          if (v >= 0) { // y row v += data row k, in place
            long yo = v * inner, xo = k * inner;
            switch (data.dtype()) {
              case FLOAT32 -> BinaryKernels.f32vv(BinaryOp.ADD, y, yo, x, xo, y, yo, inner);
              case FLOAT64 -> BinaryKernels.f64vv(BinaryOp.ADD, y, yo, x, xo, y, yo, inner);
              case INT32 -> BinaryKernels.i32vv(BinaryOp.ADD, y, yo, x, xo, y, yo, inner);
              case INT64 -> BinaryKernels.i64vv(BinaryOp.ADD, y, yo, x, xo, y, yo, inner);
              case BOOL -> throw new AssertionError("rejected by the shape rule");
            }
          }
        }
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  // ---- gradients (TensorFlow's array_grad.py and math_grad.py)

  /**
   * TensorFlow's _GatherV2Grad: the gradient's rows added back where they were gathered from
   * (UnsortedSegmentSum over the indices), with the gathered axes moved to the front and back.
   */
  private static Tensor[] gatherGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    Tensor p = in[0], idx = in[1], g = up[0];
    int r = p.rank(), ir = idx.rank();
    int axis = a.getInt("axis") < 0 ? a.getInt("axis") + r : a.getInt("axis");
    long rows = p.shape().dim(axis);
    if (axis == 0) {
      return new Tensor[] {segmentSum(g, idx, rows), null};
    }
    int[] front = new int[g.rank()]; // [outer, indices, inner] -> [indices, outer, inner]
    int k = 0;
    for (int i = axis; i < axis + ir; i++) {
      front[k++] = i;
    }
    for (int i = 0; i < axis; i++) {
      front[k++] = i;
    }
    for (int i = axis + ir; i < g.rank(); i++) {
      front[k++] = i;
    }
    int[] back = new int[r]; // [rows, outer, inner] -> [outer, rows, inner]
    for (int i = 0; i < r; i++) {
      back[i] = i < axis ? i + 1 : i == axis ? 0 : i;
    }
    Tensor summed = segmentSum(Ops.transpose(g, front), idx, rows);
    return new Tensor[] {Ops.transpose(summed, back), null};
  }

  private static Tensor segmentSum(Tensor data, Tensor ids, long num) {
    return Dispatch.run1(UNSORTED_SEGMENT_SUM, Attrs.of("num_segments", num), data, ids);
  }

  /** TensorFlow's _GatherDropNegatives: rows of g at the ids, zeros where an id is negative. */
  private static Tensor gatherDropNegatives(Tensor g, Tensor ids) {
    Tensor zero = ids.dtype() == DType.INT32 ? Tensor.scalar(0) : Tensor.scalar(0L);
    Tensor gathered = Ops.gather(g, Ops.maximum(ids, zero), 0);
    long[] mask = Arrays.copyOf(ids.shape().dims(), gathered.rank());
    Arrays.fill(mask, ids.rank(), mask.length, 1);
    Tensor valid = Ops.reshape(Ops.greaterEqual(ids, zero), mask);
    return GradientSupport.keep(valid, gathered);
  }

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
