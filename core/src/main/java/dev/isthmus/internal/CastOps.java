package dev.isthmus.internal;

import static dev.isthmus.internal.BinaryRules.NUMERIC;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CastKernels;
import dev.isthmus.kernels.ClipKernels;
import java.lang.foreign.MemorySegment;

/** Declarations of Cast and ClipByValue. One entry per op. */
public final class CastOps {
  private CastOps() {}

  /** The destination dtype attribute of Cast, as TensorFlow names it. */
  public static final String DST = "DstT";

  /** Cast attributes per destination dtype, made once (Attrs are immutable). */
  private static final Attrs[] CAST_ATTRS = new Attrs[DType.values().length];

  static {
    for (DType t : DType.values()) {
      CAST_ATTRS[t.ordinal()] = Attrs.of(DST, t);
    }
  }

  /**
   * {@code x} converted to the dtype attribute {@value #DST}, elementwise, with Java's cast
   * semantics (see {@link CastKernels}); a cast to {@code x}'s own dtype returns {@code x}.
   */
  public static final OpDef CAST = cast();
  /** {@code max(min(t, clip_value_max), clip_value_min)}; the bounds broadcast to t's shape. */
  public static final OpDef CLIP_BY_VALUE = clipByValue();

  /** The attributes of a cast to {@code t}. */
  public static Attrs castAttrs(DType t) {
    return CAST_ATTRS[t.ordinal()];
  }

  private static OpDef cast() {
    return OpDef.builder("Cast")
        .inputs("x")
        .flags(OpDef.Flag.ELEMENTWISE)
        // TensorFlow's _CastGrad: between floating dtypes, g cast back; otherwise none
        .gradient(GradientSupport.floating((in, out, up, a) -> new Tensor[] {
            GradientSupport.isFloating(out[0].dtype()) ? Ops.cast(up[0], in[0].dtype()) : null}))
        .shape((d, in, a) -> {
          if (!a.has(DST) || !(a.getObject(DST) instanceof DType)) {
            throw d.invalid(in, a, "expected a DType attribute " + DST);
          }
          return Rules.like(in[0], a.getDType(DST));
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0];
          TensorSpec o = outs[0];
          if (x.dtype() == o.dtype()) {
            return new Tensor[] {x}; // tensors are immutable: the same values are the same tensor
          }
          MemorySegment out = Tensors.allocate(o);
          convert(x.dtype(), Tensors.data(x), o.dtype(), out, x.size());
          return BinaryRules.wrap(o, out);
        })
        .build();
  }

  private static void convert(DType from, MemorySegment x, DType to, MemorySegment y, long n) {
    switch (from) {
      case FLOAT32 -> {
        switch (to) {
          case FLOAT64 -> CastKernels.f32ToF64(x, 0, y, 0, n);
          case INT32 -> CastKernels.f32ToI32(x, 0, y, 0, n);
          case INT64 -> CastKernels.f32ToI64(x, 0, y, 0, n);
          case BOOL -> CastKernels.f32ToBool(x, 0, y, 0, n);
          case FLOAT32 -> throw new AssertionError();
        }
      }
      case FLOAT64 -> {
        switch (to) {
          case FLOAT32 -> CastKernels.f64ToF32(x, 0, y, 0, n);
          case INT32 -> CastKernels.f64ToI32(x, 0, y, 0, n);
          case INT64 -> CastKernels.f64ToI64(x, 0, y, 0, n);
          case BOOL -> CastKernels.f64ToBool(x, 0, y, 0, n);
          case FLOAT64 -> throw new AssertionError();
        }
      }
      case INT32 -> {
        switch (to) {
          case FLOAT32 -> CastKernels.i32ToF32(x, 0, y, 0, n);
          case FLOAT64 -> CastKernels.i32ToF64(x, 0, y, 0, n);
          case INT64 -> CastKernels.i32ToI64(x, 0, y, 0, n);
          case BOOL -> CastKernels.i32ToBool(x, 0, y, 0, n);
          case INT32 -> throw new AssertionError();
        }
      }
      case INT64 -> {
        switch (to) {
          case FLOAT32 -> CastKernels.i64ToF32(x, 0, y, 0, n);
          case FLOAT64 -> CastKernels.i64ToF64(x, 0, y, 0, n);
          case INT32 -> CastKernels.i64ToI32(x, 0, y, 0, n);
          case BOOL -> CastKernels.i64ToBool(x, 0, y, 0, n);
          case INT64 -> throw new AssertionError();
        }
      }
      case BOOL -> {
        switch (to) {
          case FLOAT32 -> CastKernels.boolToF32(x, 0, y, 0, n);
          case FLOAT64 -> CastKernels.boolToF64(x, 0, y, 0, n);
          case INT32 -> CastKernels.boolToI32(x, 0, y, 0, n);
          case INT64 -> CastKernels.boolToI64(x, 0, y, 0, n);
          case BOOL -> throw new AssertionError();
        }
      }
    }
  }

  private static OpDef clipByValue() {
    return OpDef.builder("ClipByValue")
        .inputs("t", "clip_value_min", "clip_value_max")
        .flags(OpDef.Flag.ELEMENTWISE)
        .gradient(GradientSupport.floating(CastOps::clipGrad))
        .shape((d, in, a) -> {
          Tensor x = in[0], lo = in[1], hi = in[2];
          BinaryRules.requireIn(d, in, a, x.dtype(), NUMERIC);
          BinaryRules.requireSame(d, in, a, x, lo);
          BinaryRules.requireSame(d, in, a, x, hi);
          Shape s = x.shape();
          for (Tensor b : new Tensor[] {lo, hi}) {
            if (!Shape.broadcastable(s, b.shape()) || !Shape.broadcast(s, b.shape()).equals(s)) {
              throw d.invalid(in, a, "expected clip_value_min and clip_value_max to broadcast to"
                  + " t's shape " + s + ", but " + b.shape() + " does not");
            }
          }
          return Rules.like(x, x.dtype());
        })
        .kernel((in, a, outs) -> {
          Tensor x = in[0], lo = in[1], hi = in[2];
          TensorSpec o = outs[0];
          MemorySegment out = Tensors.allocate(o);
          MemorySegment xs = Tensors.data(x), los = Tensors.data(lo), his = Tensors.data(hi);
          long n = x.size();
          if (lo.size() == 1 && hi.size() == 1) { // one pass with scalar bounds
            switch (x.dtype()) {
              case FLOAT32 -> ClipKernels.f32(xs, 0, los.get(JAVA_FLOAT, 0),
                  his.get(JAVA_FLOAT, 0), out, 0, n);
              case FLOAT64 -> ClipKernels.f64(xs, 0, los.get(JAVA_DOUBLE, 0),
                  his.get(JAVA_DOUBLE, 0), out, 0, n);
              case INT32 -> ClipKernels.i32(xs, 0, los.get(JAVA_INT, 0), his.get(JAVA_INT, 0),
                  out, 0, n);
              case INT64 -> ClipKernels.i64(xs, 0, los.get(JAVA_LONG, 0), his.get(JAVA_LONG, 0),
                  out, 0, n);
              case BOOL -> throw new AssertionError();
            }
          } else { // per-element bounds: MINIMUM with the upper bound, then MAXIMUM in place
            BinaryOps.compute(BinaryOp.MINIMUM, x.dtype(), xs, x.shape(), his, hi.shape(), out,
                o.shape());
            BinaryOps.compute(BinaryOp.MAXIMUM, x.dtype(), out, o.shape(), los, lo.shape(), out,
                o.shape());
          }
          return BinaryRules.wrap(o, out);
        })
        .build();
  }

  /**
   * TensorFlow's _ClipByValueGrad: g flows to t where it is inside the bounds, to a bound where
   * t is beyond it (summed back to the bound's shape).
   */
  private static Tensor[] clipGrad(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    Tensor x = in[0], g = up[0];
    Tensor below = Ops.less(x, in[1]), above = Ops.greater(x, in[2]);
    return new Tensor[] {GradientSupport.drop(Ops.logicalOr(below, above), g),
        GradientSupport.unbroadcast(GradientSupport.keep(below, g), in[1].shape()),
        GradientSupport.unbroadcast(GradientSupport.keep(above, g), in[2].shape())};
  }
}
