package dev.isthmus.internal;

import dev.isthmus.Shape;

/**
 * An iteration plan for 2 or 3 operands broadcast together under numpy's rule, so elementwise
 * kernels run long contiguous loops instead of computing an index per element.
 *
 * <p>The plan drops output axes of size 1, then merges adjacent axes that every operand treats
 * the same way (each operand either spans the axis or is broadcast along it). The last merged
 * axis is the <em>run</em>: along it each operand is either contiguous or one value repeated.
 * The outer axes are walked with an odometer that moves each operand's offset by its stride (0
 * where it is broadcast). So {@code [1000, 1000] + [1000]} is 1000 runs of 1000 with both sides
 * contiguous, {@code [1000, 1] + [1, 1000]} is 1000 runs of 1000 with the first side repeated,
 * and {@code x + scalar} is one run of {@code x.size()}. Runs cover the output in row-major
 * order, so run {@code r} starts at output offset {@code r * inner()}.
 */
public final class Broadcast {
  /** The body of a 2-operand iteration: one run of {@code n} output elements at {@code yo}. */
  @FunctionalInterface
  public interface Runs2 {
    /** One run; {@code aRep} means operand a is the single value at {@code ao}, repeated. */
    void run(long ao, boolean aRep, long bo, boolean bRep, long yo, long n);
  }

  /** The body of a 3-operand iteration. */
  @FunctionalInterface
  public interface Runs3 {
    /** One run; each {@code ...Rep} means that operand is the single value at its offset. */
    void run(long ao, boolean aRep, long bo, boolean bRep, long co, boolean cRep, long yo, long n);
  }

  private final long[] dims; // the merged outer axes
  private final long[][] strides; // [operand][outer axis], in elements; 0 = broadcast
  private final boolean[] repeated; // [operand]: one value along the run
  private final long inner;
  private final long runs;

  private Broadcast(long[] dims, long[][] strides, boolean[] repeated, long inner, long runs) {
    this.dims = dims;
    this.strides = strides;
    this.repeated = repeated;
    this.inner = inner;
    this.runs = runs;
  }

  /**
   * The plan for {@code operands} broadcast to {@code out}, which must be their broadcast shape
   * (the shape rule checked it).
   */
  public static Broadcast plan(Shape out, Shape... operands) {
    int k = operands.length;
    int r = out.rank();
    long[] od = out.dims();
    if (out.size() == 0) {
      return new Broadcast(new long[0], new long[k][0], new boolean[k], 0, 0);
    }
    long[][] opd = new long[k][];
    for (int q = 0; q < k; q++) {
      opd[q] = operands[q].dims();
      assert opd[q].length <= r;
    }
    // Merge axes: md[m] is a merged size, mask[m] has bit q set when operand q spans it.
    long[] md = new long[r];
    int[] mask = new int[r];
    int m = 0;
    for (int j = 0; j < r; j++) {
      if (od[j] == 1) {
        continue;
      }
      int bits = 0;
      for (int q = 0; q < k; q++) {
        int jq = j - (r - opd[q].length);
        long d = jq < 0 ? 1 : opd[q][jq];
        assert d == od[j] || d == 1 : "not broadcastable to " + out;
        if (d == od[j]) {
          bits |= 1 << q;
        }
      }
      if (m > 0 && mask[m - 1] == bits) {
        md[m - 1] *= od[j];
      } else {
        md[m] = od[j];
        mask[m] = bits;
        m++;
      }
    }
    boolean[] rep = new boolean[k];
    if (m == 0) { // every axis has size 1: one run of one element
      return new Broadcast(new long[0], new long[k][0], rep, 1, 1);
    }
    long inner = md[m - 1];
    long[] dims = java.util.Arrays.copyOf(md, m - 1);
    long[][] strides = new long[k][m - 1];
    for (int q = 0; q < k; q++) {
      rep[q] = (mask[m - 1] & (1 << q)) == 0;
      long acc = rep[q] ? 1 : inner;
      for (int j = m - 2; j >= 0; j--) {
        if ((mask[j] & (1 << q)) != 0) {
          strides[q][j] = acc;
          acc *= md[j];
        }
      }
    }
    long runs = 1;
    for (long d : dims) {
      runs *= d;
    }
    return new Broadcast(dims, strides, rep, inner, runs);
  }

  /** Elements per run. */
  public long inner() {
    return inner;
  }

  /** The number of runs. */
  public long runs() {
    return runs;
  }

  /** True if operand {@code q} is one value repeated along each run. */
  public boolean repeated(int q) {
    return repeated[q];
  }

  /** The merged outer axes (for tests and diagnostics). */
  public long[] outerDims() {
    return dims.clone();
  }

  /** Calls {@code body} once per run of {@code a} and {@code b} broadcast to {@code out}. */
  public static void forEach(Shape out, Shape a, Shape b, Runs2 body) {
    if (a.equals(out) && b.equals(out)) {
      body.run(0, false, 0, false, 0, out.size());
      return;
    }
    Broadcast p = plan(out, a, b);
    long[] off = new long[2];
    long[] idx = new long[p.dims.length];
    for (long r = 0; r < p.runs; r++) {
      body.run(off[0], p.repeated[0], off[1], p.repeated[1], r * p.inner, p.inner);
      p.advance(idx, off);
    }
  }

  /** Calls {@code body} once per run of {@code a}, {@code b}, {@code c} broadcast to out. */
  public static void forEach(Shape out, Shape a, Shape b, Shape c, Runs3 body) {
    if (a.equals(out) && b.equals(out) && c.equals(out)) {
      body.run(0, false, 0, false, 0, false, 0, out.size());
      return;
    }
    Broadcast p = plan(out, a, b, c);
    long[] off = new long[3];
    long[] idx = new long[p.dims.length];
    boolean[] rep = p.repeated;
    for (long r = 0; r < p.runs; r++) {
      body.run(off[0], rep[0], off[1], rep[1], off[2], rep[2], r * p.inner, p.inner);
      p.advance(idx, off);
    }
  }

  // The odometer: the next outer index, moving each operand's offset by its strides.
  private void advance(long[] idx, long[] off) {
    for (int j = dims.length - 1; j >= 0; j--) {
      if (++idx[j] < dims[j]) {
        for (int q = 0; q < off.length; q++) {
          off[q] += strides[q][j];
        }
        return;
      }
      idx[j] = 0;
      for (int q = 0; q < off.length; q++) {
        off[q] -= strides[q][j] * (dims[j] - 1);
      }
    }
  }
}
