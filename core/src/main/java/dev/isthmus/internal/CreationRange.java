package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Tensor;

/**
 * The length of a {@code Range}, with TensorFlow's checks and messages: {@code delta != 0},
 * {@code start <= limit} for a positive delta ({@code >=} for a negative one), and the length
 * {@code ceil(|limit - start| / |delta|)} computed in the dtype, at most {@code Long.MAX_VALUE}.
 */
final class CreationRange {
  private CreationRange() {}

  private static final String TOO_LONG =
      "Requires ((limit - start) / delta) <= " + Long.MAX_VALUE;

  /** The number of elements of the range the attributes describe, or invalid. */
  static long of(OpDef d, Tensor[] in, Attrs a, DType t) {
    return t.isInteger() ? integer(d, in, a, t) : floating(d, in, a, t);
  }

  /** A whole-number attribute already validated by the shape rule. */
  static long whole(Attrs a, String name) {
    return a.getObject(name) instanceof Long l ? l : (long) a.getDouble(name);
  }

  private static long integer(OpDef d, Tensor[] in, Attrs a, DType t) {
    long start = CreationOps.integral(d, in, a, "start", t);
    long limit = CreationOps.integral(d, in, a, "limit", t);
    long delta = CreationOps.integral(d, in, a, "delta", t);
    if (delta == 0) {
      throw d.invalid(in, a, "Requires delta != 0: 0");
    }
    if (delta > 0 && start > limit) {
      throw d.invalid(in, a, "Requires start <= limit when delta > 0: " + start + "/" + limit);
    }
    if (delta < 0 && start < limit) {
      throw d.invalid(in, a, "Requires start >= limit when delta < 0: " + start + "/" + limit);
    }
    // |limit - start| and |delta| as unsigned longs: exact even across the whole long range.
    long span = delta > 0 ? limit - start : start - limit;
    long step = delta > 0 ? delta : -delta;
    long size = Long.divideUnsigned(span, step) + (Long.remainderUnsigned(span, step) != 0 ? 1 : 0);
    if (size < 0) { // 2^63 or more
      throw d.invalid(in, a, TOO_LONG);
    }
    return size;
  }

  private static long floating(OpDef d, Tensor[] in, Attrs a, DType t) {
    double start = a.getDouble("start"), limit = a.getDouble("limit"), delta = a.getDouble("delta");
    if (t == DType.FLOAT32) { // the values are float32 tensors in TensorFlow
      start = (float) start;
      limit = (float) limit;
      delta = (float) delta;
    }
    if (Double.isNaN(start) || Double.isNaN(limit) || Double.isNaN(delta)) {
      throw d.invalid(in, a, "expected start, limit and delta that are not NaN");
    }
    if (delta == 0) {
      throw d.invalid(in, a, "Requires delta != 0: " + num(delta));
    }
    if (delta > 0 && start > limit) {
      throw d.invalid(in, a,
          "Requires start <= limit when delta > 0: " + num(start) + "/" + num(limit));
    }
    if (delta < 0 && start < limit) {
      throw d.invalid(in, a,
          "Requires start >= limit when delta < 0: " + num(start) + "/" + num(limit));
    }
    double q = t == DType.FLOAT32
        ? Math.abs(((float) limit - (float) start) / (float) delta)
        : Math.abs((limit - start) / delta);
    double size = Math.ceil(q);
    if (!(size < 0x1p63)) { // also infinite or NaN (infinite start and limit)
      throw d.invalid(in, a, TOO_LONG);
    }
    return (long) size;
  }

  /** A number as TensorFlow's messages print it: whole numbers without a fraction. */
  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
