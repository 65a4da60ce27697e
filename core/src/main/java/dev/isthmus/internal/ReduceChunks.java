package dev.isthmus.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.DType;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import java.lang.foreign.MemorySegment;

/**
 * Reductions of a long contiguous run to one value, in fixed chunks of {@link
 * IntraOp#FULL_REDUCTION_GRAIN} elements (possibly in parallel) whose partial results are
 * combined in a fixed order: a balanced pairwise tree over the chunks in chunk order, the same
 * whatever the thread count.
 *
 * <p><b>Float sum bound.</b> Each chunk's sum is one kernel call, so its elements pass through
 * at most {@code D(c)} rounded additions ({@code c = 2^20}, {@link ReduceKernels}); the tree over
 * {@code P = ceil(n / c)} partials adds {@code ceil(log2 P)} more. As {@code c} is a power of two
 * and {@code c (P - 1) < n <= c P}, {@code log2 c + ceil(log2 P) = ceil(log2 n)}, so every element
 * passes through at most {@code D(n)} additions: the kernels' bound {@code |s - sum x| <= D(n) *
 * eps * sum |x|} holds unchanged for the chunked sum.
 *
 * <p>ArgMax/ArgMin take each chunk's first best index, then the first best among those
 * candidates (with the kernels' own rule, so ties and NaN resolve exactly as in one call).
 */
final class ReduceChunks {
  private ReduceChunks() {}

  private static final long GRAIN = IntraOp.FULL_REDUCTION_GRAIN;

  /**
   * {@code y[0] = op over x[0, r)}; {@code y} has dtype {@code t}, or INT64 when {@code wide}
   * (INT32 mean's sum).
   */
  static void full(ReduceOp op, DType t, boolean wide, MemorySegment x, long r, MemorySegment y) {
    int p = Math.toIntExact(IntraOp.chunks(r, GRAIN));
    switch (t) {
      case FLOAT32 -> {
        float[] part = new float[p];
        IntraOp.forEachChunk(r, GRAIN,
            (s, e) -> part[(int) (s / GRAIN)] = ReduceKernels.f32(op, x, s, e - s));
        y.setAtIndex(JAVA_FLOAT, 0, (float) treeF32(op, part, 0, p));
      }
      case FLOAT64 -> {
        double[] part = new double[p];
        IntraOp.forEachChunk(r, GRAIN,
            (s, e) -> part[(int) (s / GRAIN)] = ReduceKernels.f64(op, x, s, e - s));
        y.setAtIndex(JAVA_DOUBLE, 0, treeF64(op, part, 0, p));
      }
      case INT32 -> {
        long[] part = new long[p];
        IntraOp.forEachChunk(r, GRAIN, (s, e) -> part[(int) (s / GRAIN)] = wide
            ? ReduceKernels.i32Wide(x, s, e - s)
            : ReduceKernels.i32(op, x, s, e - s));
        long v = treeLong(wide ? ReduceOp.SUM : op, part, 0, p);
        if (wide) {
          y.setAtIndex(JAVA_LONG, 0, v);
        } else {
          y.setAtIndex(JAVA_INT, 0, (int) v); // int wrap-around commutes with the narrowing
        }
      }
      case INT64 -> {
        long[] part = new long[p];
        IntraOp.forEachChunk(r, GRAIN,
            (s, e) -> part[(int) (s / GRAIN)] = ReduceKernels.i64(op, x, s, e - s));
        y.setAtIndex(JAVA_LONG, 0, treeLong(op, part, 0, p));
      }
      case BOOL -> {
        boolean[] part = new boolean[p];
        IntraOp.forEachChunk(r, GRAIN,
            (s, e) -> part[(int) (s / GRAIN)] = ReduceKernels.bool(op, x, s, e - s));
        boolean v = op == ReduceOp.ALL;
        for (boolean b : part) {
          v = op == ReduceOp.ALL ? v && b : v || b;
        }
        y.set(JAVA_BYTE, 0, (byte) (v ? 1 : 0));
      }
    }
  }

  // Balanced pairwise trees over part[lo, hi), left half the larger: depth ceil(log2 (hi - lo)).

  private static float treeF32(ReduceOp op, float[] part, int lo, int hi) {
    if (hi - lo == 1) {
      return part[lo];
    }
    int mid = lo + (hi - lo + 1) / 2;
    float a = treeF32(op, part, lo, mid), b = treeF32(op, part, mid, hi);
    return switch (op) {
      case SUM -> a + b;
      case PROD -> a * b;
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
      default -> throw new AssertionError(op + " on float32");
    };
  }

  private static double treeF64(ReduceOp op, double[] part, int lo, int hi) {
    if (hi - lo == 1) {
      return part[lo];
    }
    int mid = lo + (hi - lo + 1) / 2;
    double a = treeF64(op, part, lo, mid), b = treeF64(op, part, mid, hi);
    return switch (op) {
      case SUM -> a + b;
      case PROD -> a * b;
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
      default -> throw new AssertionError(op + " on float64");
    };
  }

  // Integers: exact (wrapping) in any order; INT32 partials widened to long wrap the same mod 2^32.
  private static long treeLong(ReduceOp op, long[] part, int lo, int hi) {
    long v = part[lo];
    for (int i = lo + 1; i < hi; i++) {
      long b = part[i];
      v = switch (op) {
        case SUM -> v + b;
        case PROD -> v * b;
        case MAX -> Math.max(v, b);
        case MIN -> Math.min(v, b);
        default -> throw new AssertionError(op + " on integers");
      };
    }
    return v;
  }

  /** ArgMax (MAX) or ArgMin (MIN) of {@code x[0, r)}, r &gt; 0, in fixed chunks. */
  static long fullArg(ReduceOp op, DType t, MemorySegment x, long r) {
    int p = Math.toIntExact(IntraOp.chunks(r, GRAIN));
    long[] best = new long[p];
    IntraOp.forEachChunk(r, GRAIN, (s, e) -> best[(int) (s / GRAIN)] = s + arg(op, t, x, s, e - s));
    // The candidates' values, in chunk order; the first best of them is the first best overall.
    long bs = t.byteSize();
    MemorySegment vals = Buffers.allocate(t, p);
    for (int c = 0; c < p; c++) {
      MemorySegment.copy(x, best[c] * bs, vals, c * bs, bs);
    }
    return best[(int) arg(op, t, vals, 0, p)];
  }

  private static long arg(ReduceOp op, DType t, MemorySegment x, long xo, long n) {
    return switch (t) {
      case FLOAT32 -> ReduceKernels.argF32(op, x, xo, n);
      case FLOAT64 -> ReduceKernels.argF64(op, x, xo, n);
      case INT32 -> ReduceKernels.argI32(op, x, xo, n);
      case INT64 -> ReduceKernels.argI64(op, x, xo, n);
      case BOOL -> ReduceKernels.argBool(op, x, xo, n);
    };
  }
}
