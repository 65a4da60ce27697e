package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.floats;
import static dev.isthmus.kernels.HeapArrays.index;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * The long FLOAT32 rows of {@link SoftmaxVector}. Rows shorter than {@link #ONLINE_MIN} take
 * three passes in {@link SoftmaxRowBlockF32} (max, exp-sum, scale or shift), whose re-reads of x
 * and y hit L1, many rows per call; longer rows read x from memory once: an online max and
 * exp-sum pass over blocks, then one pass that scales (softmax) or shifts (log-softmax).
 * Measured: online rows were 1.3 to 1.5x faster from 8192 elements up, and slower below 4096 (up
 * to 2x on rows of 16, where the per-row work of the blocks dominates).
 *
 * <p>Online: the row's vector part is cut into blocks of {@link #BLOCK} vectors (more in rows so
 * long that they would have over {@link #MAX_BLOCKS}). Per block: the running lane-wise max {@code
 * m_b} (that of the blocks before and of this one's lanes), then {@code e = exp(x - m_b) 2^24} for
 * each element (stored in y by softmax), summed per lane into {@code s_b}: the block's loads come
 * from memory once, and the exp re-reads them from L1. {@code (m_b, s_b)} go to a per-thread
 * scratch. Then {@code M} = the max of the last {@code m_b} (the running max only grows), {@code
 * f_b = exp(m_b - M)} and {@code S = sum s_b f_b}; softmax scales block b by {@code f_b / S},
 * log-softmax writes {@code (x - M) - log S}. The scalar tail (fewer than the lanes) is max-ed
 * first, as the floor of the running max, so that its exps (by the twin, last) use M too. One exp
 * per element as in the three passes, plus one per block (an eighth more), for one read of x fewer.
 *
 * <p>The exp is {@link UnaryVectorMath}'s, written out in the loop (which calls only Vector API
 * methods, for the reason given at {@code UnaryVector.tanhF32}), times 2^24 so that 2^k stays
 * normal down to the clamp t = -104, below which e^t rounds to 0 in float (e^-104 2^24 times the
 * final factor, at most 2^-24, still does): each result is rounded once, by the final product. The
 * online running max starts at {@code -Float.MAX_VALUE}, so that a lane of -inf logits gives e = 0
 * rather than NaN. Either way, a row whose max is not finite (all -inf, or holding +inf or NaN)
 * goes to the twin, which makes it NaN as TensorFlow does (the online way sends a row whose max is
 * -MAX_VALUE there too).
 */
final class SoftmaxRowsF32 {
  private SoftmaxRowsF32() {}

  /** Rows from this many elements go online (x and y rows of 64 KB: past L1). */
  static final int ONLINE_MIN = 8192;
  /** Vectors per block, at least. */
  static final int BLOCK = 8;
  /** Blocks per row, at most (so the scratch stays small). */
  static final int MAX_BLOCKS = 256;

  /** The exp's clamp: e^t rounds to 0 in float below it (e^-104 < 2^-150). */
  private static final float EXP_MIN = -104f;
  private static final float FLOOR = -Float.MAX_VALUE;

  /** Per thread: vectors of maxima, sums and factors; used within one call. */
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private static float[] scratch(int size) {
    float[] s = SCRATCH.get();
    if (s.length < size) {
      s = new float[size];
      SCRATCH.set(s);
    }
    return s;
  }

  static void softmax(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    if (n < ONLINE_MIN) {
      SoftmaxRowBlockF32.run(false, x, xo, y, yo, 1, (int) n);
    } else {
      online(false, x, xo, y, yo, n);
    }
  }

  static void logSoftmax(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    if (n < ONLINE_MIN) {
      SoftmaxRowBlockF32.run(true, x, xo, y, yo, 1, (int) n);
    } else {
      online(true, x, xo, y, yo, n);
    }
  }

  private static void twin(boolean log, MemorySegment x, long xo, MemorySegment y, long yo,
      long n) {
    if (log) {
      SoftmaxScalar.logSoftmaxF32(x, xo, y, yo, n);
    } else {
      SoftmaxScalar.softmaxF32(x, xo, y, yo, n);
    }
  }

  /** The online max and exp-sum over blocks, then scale or shift. */
  private static void online(boolean log, MemorySegment x, long xo, MemorySegment y, long yo,
      long n) {
    int w = F.length();
    long bound = F.loopBound(n);
    long bv = Math.max(BLOCK, (bound / w + MAX_BLOCKS - 1) / MAX_BLOCKS); // vectors per block
    int nb = (int) ((bound / w + bv - 1) / bv);
    float[] sc = scratch((2 * nb + 1) * w);
    float[] xa = floats(x), ya = floats(y);
    long xi = index(xa, x, xo), yi = index(ya, y, yo);
    float m = Math.max(FLOOR, ReduceScalar.f32(ReduceOp.MAX, x, xo + bound, n - bound, 1));
    FloatVector.broadcast(F, m).intoArray(sc, 0);
    for (int b = 0; b < nb; b++) {
      long o = b * bv * w;
      int len = (int) Math.min(bv * w, bound - o);
      int at = (2 * b + 1) * w;
      blockMax(xa, x, xi + o, len, sc, b == 0 ? 0 : at - 2 * w, at);
      expSum(!log, xa, x, xi + o, ya, y, yi + o, len, sc, at);
    }
    m = nb == 0 ? m : FloatVector.fromArray(F, sc, (2 * nb - 1) * w).reduceLanes(MAX);
    if (!(m > FLOOR && m < Float.POSITIVE_INFINITY)) {
      twin(log, x, xo, y, yo, n);
      return;
    }
    // the factors' sum times 2^-24: exact, as the sum holds the max's 2^24 (its factor is 1)
    finish(log, x, xo, y, yo, n, xa, xi, ya, yi, m, factors(sc, nb, m) * 0x1p-24f, sc, bv, nb);
  }

  /**
   * The last pass, given m and s, the sum of the vector part's e^(x - m) (with e at y for
   * softmax, times 2^24 and block b's factor at {@code sc[(2b + 1) w]}): the tail by the twin,
   * then softmax scales e, log-softmax writes {@code (x - m) - log S}.
   */
  private static void finish(boolean log, MemorySegment x, long xo, MemorySegment y, long yo,
      long n, float[] xa, long xi, float[] ya, long yi, float m, float s, float[] sc, long bv,
      int nb) {
    long bound = F.loopBound(n);
    int w = F.length();
    if (log) {
      float ls = (float) Math.log(s + SoftmaxScalar.sumExpF32(x, xo + bound, n - bound, 1, m));
      for (long done = 0; done < bound; done += HeapArrays.CHUNK) {
        shift(xa, x, xi + done, ya, y, yi + done, (int) Math.min(HeapArrays.CHUNK, bound - done),
            m, ls);
      }
      SoftmaxScalar.shiftF32(x, xo + bound, y, yo + bound, n - bound, 1, m, ls);
      return;
    }
    float c = 1f / (s + SoftmaxScalar.expShiftF32(x, xo + bound, y, yo + bound, n - bound, 1, m));
    for (int b = 0; b < nb; b++) {
      long o = b * bv * w;
      scale(ya, y, yi + o, (int) Math.min(bv * w, bound - o), c * 0x1p-24f, sc, (2 * b + 1) * w);
    }
    SoftmaxScalar.scaleF32(y, yo + bound, n - bound, 1, c);
  }

  /**
   * The running max of one block of n elements (a multiple of the lanes) at xo: the lane-wise
   * max of the vector at {@code sc[in]} and the block's vectors, stored at {@code sc[out]}.
   */
  private static void blockMax(float[] xa, MemorySegment x, long xo, int n, float[] sc, int in,
      int out) {
    int w = F.length();
    FloatVector a0 = FloatVector.fromArray(F, sc, in), a1 = a0;
    int i = 0;
    for (; i + 2 * w <= n; i += 2 * w) {
      a0 = a0.max(xa != null ? FloatVector.fromArray(F, xa, (int) xo + i)
          : FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE));
      a1 = a1.max(xa != null ? FloatVector.fromArray(F, xa, (int) xo + i + w)
          : FloatVector.fromMemorySegment(F, x, (xo + i + w) * Float.BYTES, NATIVE));
    }
    if (i < n) {
      a0 = a0.max(xa != null ? FloatVector.fromArray(F, xa, (int) xo + i)
          : FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE));
    }
    a0.max(a1).intoArray(sc, out);
  }

  /**
   * {@code e = exp(x - m) 2^24} over n elements (a multiple of the lanes) at xo, stored at yo if
   * {@code store}; m is the vector at {@code sc[at]}, and the lanes' sums go to {@code sc[at +
   * w]}.
   */
  private static void expSum(boolean store, float[] xa, MemorySegment x, long xo, float[] ya,
      MemorySegment y, long yo, int n, float[] sc, int at) {
    int w = F.length();
    FloatVector vm = FloatVector.fromArray(F, sc, at);
    FloatVector log2e = FloatVector.broadcast(F, UnaryVectorMath.LOG2E);
    FloatVector rounder = FloatVector.broadcast(F, UnaryVectorMath.ROUNDER);
    FloatVector ln2hi = FloatVector.broadcast(F, -UnaryVectorMath.LN2_HI);
    FloatVector ln2lo = FloatVector.broadcast(F, -UnaryVectorMath.LN2_LO);
    FloatVector c6 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C6);
    FloatVector c5 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C5);
    FloatVector c4 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C4);
    FloatVector c3 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C3);
    FloatVector c2 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C2);
    FloatVector c1 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C1);
    FloatVector c0 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C0);
    int bias = 127 + 24 - UnaryVectorMath.ROUNDER_BITS;
    FloatVector acc = FloatVector.zero(F);
    for (int i = 0; i < n; i += w) {
      FloatVector v = xa != null ? FloatVector.fromArray(F, xa, (int) xo + i)
          : FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE);
      FloatVector t = v.sub(vm);
      t = t.blend(EXP_MIN, t.compare(LT, EXP_MIN)); // x = -inf too (m is finite here)
      FloatVector z = t.fma(log2e, rounder);
      FloatVector k = z.sub(rounder);
      FloatVector r = k.fma(ln2lo, k.fma(ln2hi, t));
      FloatVector e = c6.fma(r, c5).fma(r, c4).fma(r, c3).fma(r, c2).fma(r, c1).fma(r, c0)
          .mul(z.viewAsIntegralLanes().add(bias).lanewise(LSHL, 23).viewAsFloatingLanes());
      if (store && ya != null) {
        e.intoArray(ya, (int) yo + i);
      } else if (store) {
        Stores.at(e, y, (yo + i) * Float.BYTES);
      }
      acc = acc.add(e);
    }
    acc.intoArray(sc, at + w);
  }

  /** Replaces each block's max m_b by {@code f_b = exp(m_b - m)}; returns {@code sum s_b f_b}. */
  private static float factors(float[] sc, int nb, float m) {
    int w = F.length();
    FloatVector vm = FloatVector.broadcast(F, m), acc = FloatVector.zero(F);
    for (int b = 0; b < nb; b++) {
      int at = (2 * b + 1) * w;
      FloatVector f = FloatVector.fromArray(F, sc, at).sub(vm).lanewise(EXP);
      f.intoArray(sc, at);
      acc = acc.add(FloatVector.fromArray(F, sc, at + w).mul(f));
    }
    return LaneSums.sum(acc);
  }

  /** {@code y *= c} over n elements, times the vector at {@code sc[at]}. */
  private static void scale(float[] ya, MemorySegment y, long yo, int n, float c, float[] sc,
      int at) {
    FloatVector f = FloatVector.fromArray(F, sc, at).mul(c);
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ya != null ? FloatVector.fromArray(F, ya, (int) yo + i)
          : FloatVector.fromMemorySegment(F, y, (yo + i) * Float.BYTES, NATIVE);
      v = v.mul(f);
      if (ya != null) {
        v.intoArray(ya, (int) yo + i);
      } else {
        Stores.at(v, y, (yo + i) * Float.BYTES);
      }
    }
  }

  /** {@code y = (x - m) - ls} over n elements. */
  private static void shift(float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y,
      long yo, int n, float m, float ls) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = xa != null ? FloatVector.fromArray(F, xa, (int) xo + i)
          : FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE);
      v = v.sub(m).sub(ls);
      if (ya != null) {
        v.intoArray(ya, (int) yo + i);
      } else {
        Stores.at(v, y, (yo + i) * Float.BYTES);
      }
    }
  }
}
