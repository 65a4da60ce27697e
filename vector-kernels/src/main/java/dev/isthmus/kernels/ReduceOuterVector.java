package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Vector API "outer" reductions over the columns {@code [0, cols)} of an {@code [r, stride]}
 * block: {@code y[j] = op over k of x[k * stride + j]}, vectorised along the contiguous {@code
 * j} (a column range, so that intra-op parallelism can split the columns). Each vector of columns
 * keeps four accumulators, one per row modulo 4; the columns past the species loop bound go to
 * the scalar twin. Floating sums are pairwise over leaves of {@value #ROW_LEAF} rows (the partial
 * sums wait in a small scratch array, so no vector escapes a call). One loop per operator and
 * dtype; the INT32, INT64 and BOOL loops are in {@link ReduceOuterIntVector}.
 */
final class ReduceOuterVector {
  /** Rows per leaf of the pairwise column sums. */
  static final long ROW_LEAF = 64;

  private ReduceOuterVector() {}

  static void f32(ReduceOp op, MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long done = switch (op) {
      case SUM -> sumF32(x, xo, r, stride, cols, y, yo);
      case PROD -> prodF32(x, xo, r, stride, cols, y, yo);
      case MAX -> maxF32(x, xo, r, stride, cols, y, yo);
      case MIN -> minF32(x, xo, r, stride, cols, y, yo);
      default -> throw new IllegalArgumentException(op + " is not a float32 reduction");
    };
    ReduceScalar.f32Columns(op, x, xo, r, stride, done, cols, y, yo);
  }

  static void f64(ReduceOp op, MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long done = switch (op) {
      case SUM -> sumF64(x, xo, r, stride, cols, y, yo);
      case PROD -> prodF64(x, xo, r, stride, cols, y, yo);
      case MAX -> maxF64(x, xo, r, stride, cols, y, yo);
      case MIN -> minF64(x, xo, r, stride, cols, y, yo);
      default -> throw new IllegalArgumentException(op + " is not a float64 reduction");
    };
    ReduceScalar.f64Columns(op, x, xo, r, stride, done, cols, y, yo);
  }




  /** The scratch slots a pairwise column sum of {@code r} rows needs: tree height + 1. */
  static int slots(long r) {
    long leaves = Math.max(1, (r + ROW_LEAF - 1) / ROW_LEAF);
    return 65 - Long.numberOfLeadingZeros(leaves - 1);
  }

  private static FloatVector f(MemorySegment x, long o) {
    return FloatVector.fromMemorySegment(F, x, o, NATIVE);
  }

  private static DoubleVector d(MemorySegment x, long o) {
    return DoubleVector.fromMemorySegment(D, x, o, NATIVE);
  }

  // ---------------------------------------------------------------- FLOAT32

  private static long sumF32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    int w = F.length();
    long bound = F.loopBound(cols), rb = stride * Float.BYTES;
    float[] s = bound == 0 ? null : new float[slots(r) * w];
    for (long j = 0; j < bound; j += w) {
      pairSumF32(x, (xo + j) * Float.BYTES, r, rb, s, 0);
      Stores.at(FloatVector.fromArray(F, s, 0), y, (yo + j) * Float.BYTES);
    }
    return bound;
  }

  // Rows [0, r) from byte offset b, row stride rb, summed into slot `slot` of s.
  private static void pairSumF32(MemorySegment x, long b, long r, long rb, float[] s, int slot) {
    int w = F.length();
    if (r > ROW_LEAF) {
      long h = ((r + ROW_LEAF - 1) / ROW_LEAF / 2) * ROW_LEAF;
      pairSumF32(x, b, h, rb, s, slot);
      pairSumF32(x, b + h * rb, r - h, rb, s, slot + 1);
      FloatVector.fromArray(F, s, slot * w).add(FloatVector.fromArray(F, s, (slot + 1) * w))
          .intoArray(s, slot * w);
      return;
    }
    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
    long k = 0;
    for (; k + 4 <= r; k += 4) {
      long o = b + k * rb;
      a0 = a0.add(f(x, o));
      a1 = a1.add(f(x, o + rb));
      a2 = a2.add(f(x, o + 2 * rb));
      a3 = a3.add(f(x, o + 3 * rb));
    }
    for (; k < r; k++) {
      a0 = a0.add(f(x, b + k * rb));
    }
    a0.add(a1).add(a2.add(a3)).intoArray(s, slot * w);
  }

  private static long prodF32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = F.loopBound(cols), rb = stride * Float.BYTES;
    for (long j = 0; j < bound; j += F.length()) {
      long b = (xo + j) * Float.BYTES;
      FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0;
      long k = 0;
      for (; k + 4 <= r; k += 4) {
        long o = b + k * rb;
        a0 = a0.mul(f(x, o));
        a1 = a1.mul(f(x, o + rb));
        a2 = a2.mul(f(x, o + 2 * rb));
        a3 = a3.mul(f(x, o + 3 * rb));
      }
      for (; k < r; k++) {
        a0 = a0.mul(f(x, b + k * rb));
      }
      Stores.at(a0.mul(a1).mul(a2.mul(a3)), y, (yo + j) * Float.BYTES);
    }
    return bound;
  }

  private static long maxF32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = F.loopBound(cols), rb = stride * Float.BYTES;
    for (long j = 0; j < bound; j += F.length()) {
      long b = (xo + j) * Float.BYTES;
      FloatVector a0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
      long k = 0;
      for (; k + 4 <= r; k += 4) {
        long o = b + k * rb;
        a0 = a0.max(f(x, o));
        a1 = a1.max(f(x, o + rb));
        a2 = a2.max(f(x, o + 2 * rb));
        a3 = a3.max(f(x, o + 3 * rb));
      }
      for (; k < r; k++) {
        a0 = a0.max(f(x, b + k * rb));
      }
      Stores.at(a0.max(a1).max(a2.max(a3)), y, (yo + j) * Float.BYTES);
    }
    return bound;
  }

  private static long minF32(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = F.loopBound(cols), rb = stride * Float.BYTES;
    for (long j = 0; j < bound; j += F.length()) {
      long b = (xo + j) * Float.BYTES;
      FloatVector a0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
      long k = 0;
      for (; k + 4 <= r; k += 4) {
        long o = b + k * rb;
        a0 = a0.min(f(x, o));
        a1 = a1.min(f(x, o + rb));
        a2 = a2.min(f(x, o + 2 * rb));
        a3 = a3.min(f(x, o + 3 * rb));
      }
      for (; k < r; k++) {
        a0 = a0.min(f(x, b + k * rb));
      }
      Stores.at(a0.min(a1).min(a2.min(a3)), y, (yo + j) * Float.BYTES);
    }
    return bound;
  }

  // ---------------------------------------------------------------- FLOAT64

  private static long sumF64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    int w = D.length();
    long bound = D.loopBound(cols), rb = stride * Double.BYTES;
    double[] s = bound == 0 ? null : new double[slots(r) * w];
    for (long j = 0; j < bound; j += w) {
      pairSumF64(x, (xo + j) * Double.BYTES, r, rb, s, 0);
      Stores.at(DoubleVector.fromArray(D, s, 0), y, (yo + j) * Double.BYTES);
    }
    return bound;
  }

  private static void pairSumF64(MemorySegment x, long b, long r, long rb, double[] s, int slot) {
    int w = D.length();
    if (r > ROW_LEAF) {
      long h = ((r + ROW_LEAF - 1) / ROW_LEAF / 2) * ROW_LEAF;
      pairSumF64(x, b, h, rb, s, slot);
      pairSumF64(x, b + h * rb, r - h, rb, s, slot + 1);
      DoubleVector.fromArray(D, s, slot * w).add(DoubleVector.fromArray(D, s, (slot + 1) * w))
          .intoArray(s, slot * w);
      return;
    }
    DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
    long k = 0;
    for (; k + 4 <= r; k += 4) {
      long o = b + k * rb;
      a0 = a0.add(d(x, o));
      a1 = a1.add(d(x, o + rb));
      a2 = a2.add(d(x, o + 2 * rb));
      a3 = a3.add(d(x, o + 3 * rb));
    }
    for (; k < r; k++) {
      a0 = a0.add(d(x, b + k * rb));
    }
    a0.add(a1).add(a2.add(a3)).intoArray(s, slot * w);
  }

  private static long prodF64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = D.loopBound(cols), rb = stride * Double.BYTES;
    for (long j = 0; j < bound; j += D.length()) {
      long b = (xo + j) * Double.BYTES;
      DoubleVector a0 = DoubleVector.broadcast(D, 1.0), a1 = a0, a2 = a0, a3 = a0;
      long k = 0;
      for (; k + 4 <= r; k += 4) {
        long o = b + k * rb;
        a0 = a0.mul(d(x, o));
        a1 = a1.mul(d(x, o + rb));
        a2 = a2.mul(d(x, o + 2 * rb));
        a3 = a3.mul(d(x, o + 3 * rb));
      }
      for (; k < r; k++) {
        a0 = a0.mul(d(x, b + k * rb));
      }
      Stores.at(a0.mul(a1).mul(a2.mul(a3)), y, (yo + j) * Double.BYTES);
    }
    return bound;
  }

  private static long maxF64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = D.loopBound(cols), rb = stride * Double.BYTES;
    for (long j = 0; j < bound; j += D.length()) {
      long b = (xo + j) * Double.BYTES;
      DoubleVector a0 = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
      DoubleVector a1 = a0, a2 = a0, a3 = a0;
      long k = 0;
      for (; k + 4 <= r; k += 4) {
        long o = b + k * rb;
        a0 = a0.max(d(x, o));
        a1 = a1.max(d(x, o + rb));
        a2 = a2.max(d(x, o + 2 * rb));
        a3 = a3.max(d(x, o + 3 * rb));
      }
      for (; k < r; k++) {
        a0 = a0.max(d(x, b + k * rb));
      }
      Stores.at(a0.max(a1).max(a2.max(a3)), y, (yo + j) * Double.BYTES);
    }
    return bound;
  }

  private static long minF64(MemorySegment x, long xo, long r, long stride, long cols,
      MemorySegment y, long yo) {
    long bound = D.loopBound(cols), rb = stride * Double.BYTES;
    for (long j = 0; j < bound; j += D.length()) {
      long b = (xo + j) * Double.BYTES;
      DoubleVector a0 = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
      DoubleVector a1 = a0, a2 = a0, a3 = a0;
      long k = 0;
      for (; k + 4 <= r; k += 4) {
        long o = b + k * rb;
        a0 = a0.min(d(x, o));
        a1 = a1.min(d(x, o + rb));
        a2 = a2.min(d(x, o + 2 * rb));
        a3 = a3.min(d(x, o + 3 * rb));
      }
      for (; k < r; k++) {
        a0 = a0.min(d(x, b + k * rb));
      }
      Stores.at(a0.min(a1).min(a2.min(a3)), y, (yo + j) * Double.BYTES);
    }
    return bound;
  }

}
