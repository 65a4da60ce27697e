package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.floats;
import static dev.isthmus.kernels.HeapArrays.index;
import static dev.isthmus.kernels.VectorShapes.F;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * FLOAT32 softmax and log-softmax of a block of consecutive rows shorter than {@link
 * SoftmaxRowsF32#ONLINE_MIN}, in one call: the constants, array lookups and range checks are set
 * up once per block instead of once per row, and every loop runs over the heap arrays with int
 * indices. Per row, three passes whose re-reads hit L1 (a row of x and of y is at most 32 KB
 * each): the max; {@code e = exp(x - m) 2^24} and its sum (e stored in y by softmax); then
 * softmax scales y by {@code 2^-24 / s}, log-softmax writes {@code (x - m) - log s}. Memory other
 * than float arrays goes row by row through per-thread scratch arrays.
 *
 * <p>The exp is {@link UnaryVectorMath}'s (within 1 ulp), written out in the loop, times 2^24 so
 * that 2^k stays normal down to the clamp t = -104 (see {@link SoftmaxRowsF32}), with the bias of
 * 2^k folded into the rounding constant. A row whose max is not finite (all -inf, or holding +inf
 * or NaN) goes to the scalar twin, which makes it NaN as TensorFlow does. The scalar tail (fewer
 * than the lanes) uses {@link Math#exp}, as the twin.
 */
final class SoftmaxRowBlockF32 {
  private SoftmaxRowBlockF32() {}

  private static final float EXP_MIN = -104f;

  /**
   * {@link UnaryVectorMath#ROUNDER} plus 151 = 127 + 24: z = t log2(e) + this is the integer
   * {@code ROUNDER + 151 + k}, whose bits are those of ROUNDER plus {@code 151 + k}; shifted left
   * by 23 they are exactly the float 2^(k + 24) (ROUNDER's own bits leave the int, and 1 <= 151 +
   * k <= 151 as -150 <= k <= 0 here), which saves the usual integer add of the bias.
   */
  private static final float ROUNDER_BIASED = UnaryVectorMath.ROUNDER + 151f;

  /** Per thread: one row of x and one of y, for memory that is not a float array. */
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  /** Rows {@code [0, rows)} of n elements at xo into yo; n below the online threshold. */
  static void run(boolean log, MemorySegment x, long xo, MemorySegment y, long yo, long rows,
      int n) {
    float[] xa = floats(x), ya = floats(y);
    if (xa != null && ya != null) {
      rows(log, xa, (int) index(xa, x, xo), ya, (int) index(ya, y, yo), (int) rows, n);
      return;
    }
    float[] sc = SCRATCH.get();
    if (sc.length < 2 * n) {
      sc = new float[2 * n];
      SCRATCH.set(sc);
    }
    for (long r = 0; r < rows; r++) {
      long o = r * n;
      if (xa == null) {
        MemorySegment.copy(x, JAVA_FLOAT_UNALIGNED, (xo + o) * Float.BYTES, sc, 0, n);
      }
      rows(log, xa == null ? sc : xa, xa == null ? 0 : (int) index(xa, x, xo + o),
          ya == null ? sc : ya, ya == null ? n : (int) index(ya, y, yo + o), 1, n);
      if (ya == null) {
        MemorySegment.copy(sc, n, y, JAVA_FLOAT_UNALIGNED, (yo + o) * Float.BYTES, n);
      }
    }
  }

  private static void rows(boolean log, float[] xa, int xi, float[] ya, int yi, int rows, int n) {
    int w = F.length(), bound = F.loopBound(n);
    FloatVector log2e = FloatVector.broadcast(F, UnaryVectorMath.LOG2E);
    FloatVector rounder = FloatVector.broadcast(F, ROUNDER_BIASED);
    FloatVector ln2hi = FloatVector.broadcast(F, -UnaryVectorMath.LN2_HI);
    FloatVector ln2lo = FloatVector.broadcast(F, -UnaryVectorMath.LN2_LO);
    FloatVector c6 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C6);
    FloatVector c5 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C5);
    FloatVector c4 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C4);
    FloatVector c3 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C3);
    FloatVector c2 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C2);
    FloatVector c1 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C1);
    FloatVector c0 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C0);
    FloatVector lo = FloatVector.broadcast(F, EXP_MIN);
    for (int row = 0; row < rows; row++, xi += n, yi += n) {
      // the max: four accumulators, then the tail
      FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0;
      FloatVector m3 = m0;
      int i = 0;
      for (; i <= bound - 4 * w; i += 4 * w) {
        m0 = m0.max(FloatVector.fromArray(F, xa, xi + i));
        m1 = m1.max(FloatVector.fromArray(F, xa, xi + i + w));
        m2 = m2.max(FloatVector.fromArray(F, xa, xi + i + 2 * w));
        m3 = m3.max(FloatVector.fromArray(F, xa, xi + i + 3 * w));
      }
      for (; i < bound; i += w) {
        m0 = m0.max(FloatVector.fromArray(F, xa, xi + i));
      }
      float m = m0.max(m1).max(m2.max(m3)).reduceLanes(MAX);
      for (i = bound; i < n; i++) {
        m = Math.max(m, xa[xi + i]);
      }
      if (!(m > Float.NEGATIVE_INFINITY && m < Float.POSITIVE_INFINITY)) {
        twin(log, xa, xi, ya, yi, n);
        continue;
      }
      // e = exp(x - m) 2^24, summed (and stored by softmax)
      FloatVector vm = FloatVector.broadcast(F, m), acc = FloatVector.zero(F);
      for (i = 0; i < bound; i += w) {
        FloatVector t = FloatVector.fromArray(F, xa, xi + i).sub(vm);
        t = t.blend(lo, t.compare(LT, lo));
        FloatVector z = t.fma(log2e, rounder);
        FloatVector k = z.sub(rounder);
        FloatVector r = k.fma(ln2lo, k.fma(ln2hi, t));
        FloatVector e = c6.fma(r, c5).fma(r, c4).fma(r, c3).fma(r, c2).fma(r, c1).fma(r, c0)
            .mul(z.viewAsIntegralLanes().lanewise(LSHL, 23).viewAsFloatingLanes());
        if (!log) {
          e.intoArray(ya, yi + i);
        }
        acc = acc.add(e);
      }
      // times 2^-24: exact, as the sum holds the max's 2^24 unless the max is in the tail
      float s = LaneSums.sum(acc) * 0x1p-24f;
      for (i = bound; i < n; i++) {
        float e = (float) Math.exp(xa[xi + i] - m);
        if (!log) {
          ya[yi + i] = e;
        }
        s += e;
      }
      if (log) {
        float ls = (float) Math.log(s);
        FloatVector vls = FloatVector.broadcast(F, ls);
        for (i = 0; i < bound; i += w) {
          FloatVector.fromArray(F, xa, xi + i).sub(vm).sub(vls).intoArray(ya, yi + i);
        }
        for (; i < n; i++) {
          ya[yi + i] = (xa[xi + i] - m) - ls;
        }
      } else {
        float c = 1f / s;
        FloatVector vc = FloatVector.broadcast(F, c * 0x1p-24f);
        for (i = 0; i < bound; i += w) {
          FloatVector.fromArray(F, ya, yi + i).mul(vc).intoArray(ya, yi + i);
        }
        for (; i < n; i++) {
          ya[yi + i] *= c;
        }
      }
    }
  }

  private static void twin(boolean log, float[] xa, int xi, float[] ya, int yi, int n) {
    MemorySegment x = MemorySegment.ofArray(xa), y = MemorySegment.ofArray(ya);
    if (log) {
      SoftmaxScalar.logSoftmaxF32(x, xi, y, yi, n);
    } else {
      SoftmaxScalar.softmaxF32(x, xi, y, yi, n);
    }
  }
}
