package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.MoveKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Declarations of the ops that fill: PadV2 (constant padding: a fill, then the input copied
 * into the interior), MirrorPad (the interior, then each axis's borders copied, mirrored, from
 * the part already written), ZerosLike and OnesLike.
 */
public final class PadOps {
  private PadOps() {}

  /**
   * tf.pad in CONSTANT mode: attrs {@code paddings} (long[] of [before, after] pairs, one per
   * axis, flattened) and {@code constantValue} (a double exactly representable in the dtype).
   */
  public static final OpDef PAD = OpDef.builder("PadV2")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(PadOps::padGrad))
      .shape((op, in, a) -> {
        double v = a.getDouble("constantValue");
        if (!ShapeMath.representable(in[0].dtype(), v)) {
          throw op.invalid(in, a, "expected constantValue to be a " + in[0].dtype().numpyName()
              + " value, got " + v);
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), padded(op, in, a, null));
      })
      .kernel((in, a, outs) -> {
        Tensor x = in[0];
        long[] p = a.getLongs("paddings");
        if (allZero(p)) {
          return new Tensor[] {ShapeMath.view(x, outs[0])};
        }
        MemorySegment y = Tensors.allocate(outs[0]);
        double v = a.getDouble("constantValue");
        if (ShapeMath.bits(x.dtype(), v) != 0) { // fresh buffers are zeroed already
          ShapeMath.fill(x.dtype(), y, 0, outs[0].shape().size(), v);
        }
        copyInterior(x, p, outs[0], y);
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  /**
   * tf.pad in REFLECT or SYMMETRIC mode: attrs {@code paddings} (as {@link #PAD}) and
   * {@code mode}. REFLECT needs each padding below its axis's size, SYMMETRIC at most equal.
   */
  public static final OpDef MIRROR_PAD = OpDef.builder("MirrorPad")
      .inputs("input")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.floating(PadOps::mirrorPadGrad))
      .shape((op, in, a) -> {
        String mode = a.getString("mode");
        if (!mode.equals("REFLECT") && !mode.equals("SYMMETRIC")) {
          throw op.invalid(in, a, "expected mode REFLECT or SYMMETRIC, got " + mode);
        }
        return ShapeMath.spec(op, in, a, in[0].dtype(), padded(op, in, a, mode));
      })
      .kernel((in, a, outs) -> {
        Tensor x = in[0];
        long[] p = a.getLongs("paddings");
        if (allZero(p)) {
          return new Tensor[] {ShapeMath.view(x, outs[0])};
        }
        MemorySegment y = Tensors.allocate(outs[0]);
        if (outs[0].shape().size() > 0) {
          copyInterior(x, p, outs[0], y);
          mirror(x, p, a.getString("mode").equals("REFLECT") ? 1 : 0, outs[0], y);
        }
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  /** tf.zeros_like: a tensor of zeros (false) of the input's dtype and shape. */
  public static final OpDef ZEROS_LIKE = OpDef.builder("ZerosLike")
      .inputs("x")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.NOT_DIFFERENTIABLE) // TensorFlow: ops.NotDifferentiable
      .shape((op, in, a) -> Rules.like(in[0], in[0].dtype()))
      .kernel((in, a, outs) -> {
        // fresh buffers are zero-filled (by the JVM or the arena): no fill to run
        MemorySegment y = Tensors.allocate(outs[0]);
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  /** tf.ones_like: a tensor of ones (true) of the input's dtype and shape. */
  public static final OpDef ONES_LIKE = OpDef.builder("OnesLike")
      .inputs("x")
      .flags(OpDef.Flag.MOVEMENT)
      .gradient(GradientSupport.NOT_DIFFERENTIABLE) // TensorFlow: ops.NotDifferentiable
      .shape((op, in, a) -> Rules.like(in[0], in[0].dtype()))
      .kernel((in, a, outs) -> {
        MemorySegment y = Tensors.allocate(outs[0]);
        ShapeMath.fill(outs[0].dtype(), y, 0, outs[0].shape().size(), 1);
        return new Tensor[] {Tensors.wrap(outs[0].dtype(), outs[0].shape(), y)};
      })
      .build();

  /**
   * Flattens {@code [[before, after], ...]} for the {@code paddings} attribute; a row that is not
   * a pair is an error of {@code op} (the pairs' count is checked by the shape rule).
   */
  public static long[] flatten(OpDef op, Tensor x, long[][] paddings) {
    long[] flat = new long[2 * paddings.length];
    for (int i = 0; i < paddings.length; i++) {
      if (paddings[i] == null || paddings[i].length != 2) {
        throw op.invalid(new Tensor[] {x}, Attrs.EMPTY, "expected paddings of shape ["
            + x.rank() + ", 2] (a [before, after] pair per axis), but row " + i + " is "
            + (paddings[i] == null ? "null" : Arrays.toString(paddings[i])));
      }
      flat[2 * i] = paddings[i][0];
      flat[2 * i + 1] = paddings[i][1];
    }
    return flat;
  }

  // ---- gradients (TensorFlow's array_grad.py)

  /** TensorFlow's _PadGrad: the interior of the gradient; the padding value gets none. */
  private static Tensor[] padGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    long[] p = a.getLongs("paddings"), d = in[0].shape().dims();
    long[] begin = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      begin[i] = p[2 * i];
    }
    return new Tensor[] {Ops.slice(up[0], begin, d)};
  }

  /**
   * TensorFlow's MirrorPadGrad, composed (MirrorPad is rare and its borders small): axis by
   * axis, the interior of the gradient plus each border reversed and added where it was
   * mirrored from ({@code e} = 1 for REFLECT, which skips the edge, 0 for SYMMETRIC).
   */
  private static Tensor[] mirrorPadGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    long[] p = a.getLongs("paddings"), d = in[0].shape().dims();
    long e = a.getString("mode").equals("REFLECT") ? 1 : 0;
    Tensor g = up[0];
    for (int ax = 0; ax < d.length; ax++) {
      long before = p[2 * ax], after = p[2 * ax + 1], n = d[ax];
      if (before == 0 && after == 0) {
        continue;
      }
      Tensor sum = sliceAxis(g, ax, before, n);
      if (before > 0) { // padded position q < before mirrors input index before - 1 - q + e
        Tensor left = reverseAxis(sliceAxis(g, ax, 0, before), ax);
        sum = Ops.add(sum, padAxis(left, ax, e, n - before - e));
      }
      if (after > 0) { // padded position before + n + q mirrors input index n - 1 - q - e
        Tensor right = reverseAxis(sliceAxis(g, ax, before + n, after), ax);
        sum = Ops.add(sum, padAxis(right, ax, n - after - e, e));
      }
      g = sum;
    }
    return new Tensor[] {g};
  }

  private static Tensor sliceAxis(Tensor t, int ax, long begin, long size) {
    long[] b = new long[t.rank()], s = new long[t.rank()];
    Arrays.fill(s, -1);
    b[ax] = begin;
    s[ax] = size;
    return Ops.slice(t, b, s);
  }

  private static Tensor reverseAxis(Tensor t, int ax) {
    int r = t.rank(), all = (1 << r) - 1;
    long[] strides = new long[r];
    Arrays.fill(strides, 1);
    strides[ax] = -1;
    return Ops.stridedSlice(t, new long[r], new long[r], strides, all, all, 0, 0, 0);
  }

  private static Tensor padAxis(Tensor t, int ax, long before, long after) {
    long[] p = new long[2 * t.rank()];
    p[2 * ax] = before;
    p[2 * ax + 1] = after;
    return Dispatch.run1(PAD, Attrs.of("paddings", p, "constantValue", 0.0), t);
  }

  // ---- helpers

  /** The padded dimensions; {@code mode} null for CONSTANT, else REFLECT or SYMMETRIC. */
  private static long[] padded(OpDef op, Tensor[] in, Attrs a, String mode) {
    long[] d = in[0].shape().dims();
    long[] p = a.getLongs("paddings");
    if (p.length != 2 * d.length) {
      throw op.invalid(in, a, "expected paddings of shape [" + d.length + ", 2] (a [before, after]"
          + " pair per axis), got " + p.length / 2 + " pairs");
    }
    long[] out = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      long before = p[2 * i], after = p[2 * i + 1];
      if (before < 0 || after < 0) {
        throw op.invalid(in, a, "expected paddings >= 0, got [" + before + ", " + after
            + "] for axis " + i);
      }
      if ("REFLECT".equals(mode) && (before >= d[i] || after >= d[i])) {
        throw op.invalid(in, a, "expected REFLECT paddings less than the axis size, got ["
            + before + ", " + after + "] for axis " + i + " of size " + d[i]);
      }
      if ("SYMMETRIC".equals(mode) && (before > d[i] || after > d[i])) {
        throw op.invalid(in, a, "expected SYMMETRIC paddings no greater than the axis size, got ["
            + before + ", " + after + "] for axis " + i + " of size " + d[i]);
      }
      try {
        out[i] = Math.addExact(Math.addExact(d[i], before), after);
      } catch (ArithmeticException e) {
        throw op.invalid(in, a, "expected padded dimensions below 2^63, got " + d[i] + " + "
            + before + " + " + after + " at axis " + i);
      }
    }
    return out;
  }

  private static boolean allZero(long[] p) {
    for (long v : p) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  /** Copies {@code x} into the interior of the padded output {@code y}. */
  private static void copyInterior(Tensor x, long[] p, TensorSpec out, MemorySegment y) {
    if (x.size() == 0) {
      return;
    }
    long[] ys = out.shape().strides();
    long off = 0;
    for (int i = 0; i < ys.length; i++) {
      off += p[2 * i] * ys[i];
    }
    ShapeMath.copy(x, 0, x.shape().dims(), x.shape().strides(), y, off, ys);
  }

  /**
   * Fills the borders of {@code y} axis by axis: along axis a, each border is a mirrored copy
   * of the interior next to it ({@code e} 1 skips the edge element: REFLECT; 0 repeats it:
   * SYMMETRIC), over the full extent of the axes before a (already padded) and the interior of
   * the axes after it. Borders and their sources never overlap.
   */
  private static void mirror(Tensor x, long[] p, int e, TensorSpec out, MemorySegment y) {
    long[] xd = x.shape().dims();
    long[] od = out.shape().dims();
    long[] ys = out.shape().strides();
    int w = ShapeMath.width(out.dtype());
    int r = od.length;
    for (int ax = 0; ax < r; ax++) {
      long before = p[2 * ax], after = p[2 * ax + 1];
      long[] region = new long[r];
      long base = 0; // element offset of the region's origin, axis ax excluded
      for (int i = 0; i < r; i++) {
        region[i] = i < ax ? od[i] : xd[i];
        base += i < ax ? 0 : p[2 * i] * ys[i];
      }
      base -= before * ys[ax];
      long[] srcStrides = ys.clone();
      srcStrides[ax] = -ys[ax];
      if (before > 0) {
        region[ax] = before;
        long src = base + (2 * before - 1 + e) * ys[ax];
        MoveKernels.copyStrided(w, region, y, src, srcStrides, y, base, ys);
      }
      if (after > 0) {
        region[ax] = after;
        long dst = base + (before + xd[ax]) * ys[ax];
        long src = base + (before + xd[ax] - 1 - e) * ys[ax];
        MoveKernels.copyStrided(w, region, y, src, srcStrides, y, dst, ys);
      }
    }
  }
}
