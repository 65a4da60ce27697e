package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The floating sums of {@link ReduceVector}, written to run at memory bandwidth: a run is cut
 * into blocks of {@value #ACCS} x {@value #ROUNDS} vectors, each summed by {@value #ACCS}
 * independent accumulators ({@value #ROUNDS} rounds each) that are then added as a tree; the
 * blocks' vector sums combine pairwise as a binary counter (a stack of one vector per level, in a
 * small array), and the lanes are reduced once at the very end. Heap segments are read through
 * their arrays with int indices ({@link HeapArrays}), where C2 hoists every range check out of
 * the loop; other segments through the segment with long offsets.
 *
 * <p>Full blocks run an inner loop of constant trip count (a variable bound per block measured
 * 10% slower). Measured on AVX-512, 16M float32, one thread, in one process: the same time as a
 * plain eight-accumulator loop over the array with no blocks at all; the former loop (four
 * accumulators over segment reads, pairwise over leaves of 64 vectors, each leaf reduced to a
 * scalar) took 1.5 times as long, and eight accumulators over segment reads 1.15 times.
 *
 * <p><b>Error.</b> An element passes through at most {@code C = ROUNDS + ACCS - 1 = 23} additions
 * in its accumulator (a last, partial block adds its last few vectors to one accumulator), 3 in
 * the accumulators' tree, {@code ceil(log2 P) + 1} in the counter over {@code P <= ceil(n / (8
 * ROUNDS lanes))} blocks, {@code lanes - 1} in the lane reduction (its order is unspecified) and 1
 * for the scalar tail (fewer than the lanes, summed by the twin): at most {@code C + lanes + 4 +
 * ceil(log2 P)}. With {@code ceil(log2 P) <= ceil(log2 n) - log2(8 ROUNDS lanes)} past one block,
 * and a chain of C only once n has over {@code 15 ACCS lanes} elements, this is within {@code
 * D(n) = max(lanes, 16) + 20 + ceil(log2 n)} of {@link ReduceKernels} for every lane count from 4
 * to 16 (16 lanes: {@code 43 + ceil(log2 P) <= 32 + ceil(log2 n)} past one block, and {@code 43
 * <= D(2032) = 47} within it).
 */
final class ReduceSumVector {
  /** Independent vector accumulators per block. */
  static final int ACCS = 8;
  /** Vectors each accumulator adds per block. */
  static final int ROUNDS = 16;

  private ReduceSumVector() {}

  /** The number of stack levels a counter over {@code blocks} blocks needs. */
  private static int levels(long blocks) {
    return 65 - Long.numberOfLeadingZeros(Math.max(1, blocks));
  }

  // ---------------------------------------------------------------- FLOAT32

  static float f32(MemorySegment x, long xo, long n) {
    Objects.checkFromIndexSize(xo, n, x.byteSize() / Float.BYTES);
    long bound = F.loopBound(n);
    float[] a = HeapArrays.floats(x);
    float s;
    if (a != null) {
      s = arrayF32(a, (int) HeapArrays.index(a, x, xo), (int) bound);
    } else {
      s = segmentF32(x, xo * Float.BYTES, bound / F.length());
    }
    return bound == n ? s : s + ReduceScalar.f32(ReduceOp.SUM, x, xo + bound, n - bound);
  }

  /** The sum of the {@code n} floats (a multiple of the lanes) of {@code a} from {@code o}. */
  private static float arrayF32(float[] a, int o, int n) {
    int w = F.length(), block = ACCS * ROUNDS * w, full = n / block;
    int blocks = full + (n % block == 0 ? 0 : 1);
    float[] stack = new float[levels(blocks) * w];
    int i = o;
    for (int b = 0; b < full; b++) { // full blocks: a loop of constant trip count
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      FloatVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (int k = 0; k < ROUNDS; k++, i += ACCS * w) {
        a0 = a0.add(FloatVector.fromArray(F, a, i));
        a1 = a1.add(FloatVector.fromArray(F, a, i + w));
        a2 = a2.add(FloatVector.fromArray(F, a, i + 2 * w));
        a3 = a3.add(FloatVector.fromArray(F, a, i + 3 * w));
        a4 = a4.add(FloatVector.fromArray(F, a, i + 4 * w));
        a5 = a5.add(FloatVector.fromArray(F, a, i + 5 * w));
        a6 = a6.add(FloatVector.fromArray(F, a, i + 6 * w));
        a7 = a7.add(FloatVector.fromArray(F, a, i + 7 * w));
      }
      pushF32(stack, b, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    if (full < blocks) { // the last, partial block
      int end = o + n;
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      FloatVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (; i <= end - ACCS * w; i += ACCS * w) {
        a0 = a0.add(FloatVector.fromArray(F, a, i));
        a1 = a1.add(FloatVector.fromArray(F, a, i + w));
        a2 = a2.add(FloatVector.fromArray(F, a, i + 2 * w));
        a3 = a3.add(FloatVector.fromArray(F, a, i + 3 * w));
        a4 = a4.add(FloatVector.fromArray(F, a, i + 4 * w));
        a5 = a5.add(FloatVector.fromArray(F, a, i + 5 * w));
        a6 = a6.add(FloatVector.fromArray(F, a, i + 6 * w));
        a7 = a7.add(FloatVector.fromArray(F, a, i + 7 * w));
      }
      for (; i < end; i += w) {
        a0 = a0.add(FloatVector.fromArray(F, a, i));
      }
      pushF32(stack, full, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    return blocks == 0 ? 0f : LaneSums.sum(popF32(stack, blocks));
  }

  /** The sum of {@code nv} vectors of floats from byte offset {@code o} of {@code x}. */
  private static float segmentF32(MemorySegment x, long o, long nv) {
    int w = F.length();
    long vb = F.vectorByteSize(), full = nv / (ACCS * ROUNDS);
    long blocks = full + (nv % (ACCS * ROUNDS) == 0 ? 0 : 1);
    float[] stack = new float[levels(blocks) * w];
    long i = o;
    for (long b = 0; b < full; b++) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      FloatVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (int k = 0; k < ROUNDS; k++, i += ACCS * vb) {
        a0 = a0.add(FloatVector.fromMemorySegment(F, x, i, NATIVE));
        a1 = a1.add(FloatVector.fromMemorySegment(F, x, i + vb, NATIVE));
        a2 = a2.add(FloatVector.fromMemorySegment(F, x, i + 2 * vb, NATIVE));
        a3 = a3.add(FloatVector.fromMemorySegment(F, x, i + 3 * vb, NATIVE));
        a4 = a4.add(FloatVector.fromMemorySegment(F, x, i + 4 * vb, NATIVE));
        a5 = a5.add(FloatVector.fromMemorySegment(F, x, i + 5 * vb, NATIVE));
        a6 = a6.add(FloatVector.fromMemorySegment(F, x, i + 6 * vb, NATIVE));
        a7 = a7.add(FloatVector.fromMemorySegment(F, x, i + 7 * vb, NATIVE));
      }
      pushF32(stack, b, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    if (full < blocks) {
      long end = o + nv * vb;
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      FloatVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (; i <= end - ACCS * vb; i += ACCS * vb) {
        a0 = a0.add(FloatVector.fromMemorySegment(F, x, i, NATIVE));
        a1 = a1.add(FloatVector.fromMemorySegment(F, x, i + vb, NATIVE));
        a2 = a2.add(FloatVector.fromMemorySegment(F, x, i + 2 * vb, NATIVE));
        a3 = a3.add(FloatVector.fromMemorySegment(F, x, i + 3 * vb, NATIVE));
        a4 = a4.add(FloatVector.fromMemorySegment(F, x, i + 4 * vb, NATIVE));
        a5 = a5.add(FloatVector.fromMemorySegment(F, x, i + 5 * vb, NATIVE));
        a6 = a6.add(FloatVector.fromMemorySegment(F, x, i + 6 * vb, NATIVE));
        a7 = a7.add(FloatVector.fromMemorySegment(F, x, i + 7 * vb, NATIVE));
      }
      for (; i < end; i += vb) {
        a0 = a0.add(FloatVector.fromMemorySegment(F, x, i, NATIVE));
      }
      pushF32(stack, full, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    return blocks == 0 ? 0f : LaneSums.sum(popF32(stack, blocks));
  }

  /**
   * Adds block {@code b}'s sum {@code v} to the counter: merges it with the full levels below
   * (those of the set low bits of b, each holding 2^level earlier blocks), then stores it.
   */
  private static void pushF32(float[] stack, long b, FloatVector v) {
    int w = F.length(), level = 0;
    for (long c = b; (c & 1) != 0; c >>>= 1, level++) {
      v = FloatVector.fromArray(F, stack, level * w).add(v);
    }
    v.intoArray(stack, level * w);
  }

  /** The sum of the levels left after {@code blocks} pushes, the smallest (latest) first. */
  private static FloatVector popF32(float[] stack, long blocks) {
    int w = F.length();
    FloatVector s = null;
    for (int level = 0; (blocks >>> level) != 0; level++) {
      if ((blocks >>> level & 1) != 0) {
        FloatVector v = FloatVector.fromArray(F, stack, level * w);
        s = s == null ? v : v.add(s);
      }
    }
    return s;
  }

  // ---------------------------------------------------------------- FLOAT64

  static double f64(MemorySegment x, long xo, long n) {
    Objects.checkFromIndexSize(xo, n, x.byteSize() / Double.BYTES);
    long bound = D.loopBound(n);
    double[] a = HeapArrays.doubles(x);
    double s;
    if (a != null) {
      s = arrayF64(a, (int) HeapArrays.index(a, x, xo), (int) bound);
    } else {
      s = segmentF64(x, xo * Double.BYTES, bound / D.length());
    }
    return bound == n ? s : s + ReduceScalar.f64(ReduceOp.SUM, x, xo + bound, n - bound);
  }

  /** The sum of the {@code n} doubles (a multiple of the lanes) of {@code a} from {@code o}. */
  private static double arrayF64(double[] a, int o, int n) {
    int w = D.length(), block = ACCS * ROUNDS * w, full = n / block;
    int blocks = full + (n % block == 0 ? 0 : 1);
    double[] stack = new double[levels(blocks) * w];
    int i = o;
    for (int b = 0; b < full; b++) { // full blocks: a loop of constant trip count
      DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
      DoubleVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (int k = 0; k < ROUNDS; k++, i += ACCS * w) {
        a0 = a0.add(DoubleVector.fromArray(D, a, i));
        a1 = a1.add(DoubleVector.fromArray(D, a, i + w));
        a2 = a2.add(DoubleVector.fromArray(D, a, i + 2 * w));
        a3 = a3.add(DoubleVector.fromArray(D, a, i + 3 * w));
        a4 = a4.add(DoubleVector.fromArray(D, a, i + 4 * w));
        a5 = a5.add(DoubleVector.fromArray(D, a, i + 5 * w));
        a6 = a6.add(DoubleVector.fromArray(D, a, i + 6 * w));
        a7 = a7.add(DoubleVector.fromArray(D, a, i + 7 * w));
      }
      pushF64(stack, b, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    if (full < blocks) { // the last, partial block
      int end = o + n;
      DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
      DoubleVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (; i <= end - ACCS * w; i += ACCS * w) {
        a0 = a0.add(DoubleVector.fromArray(D, a, i));
        a1 = a1.add(DoubleVector.fromArray(D, a, i + w));
        a2 = a2.add(DoubleVector.fromArray(D, a, i + 2 * w));
        a3 = a3.add(DoubleVector.fromArray(D, a, i + 3 * w));
        a4 = a4.add(DoubleVector.fromArray(D, a, i + 4 * w));
        a5 = a5.add(DoubleVector.fromArray(D, a, i + 5 * w));
        a6 = a6.add(DoubleVector.fromArray(D, a, i + 6 * w));
        a7 = a7.add(DoubleVector.fromArray(D, a, i + 7 * w));
      }
      for (; i < end; i += w) {
        a0 = a0.add(DoubleVector.fromArray(D, a, i));
      }
      pushF64(stack, full, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    return blocks == 0 ? 0.0 : LaneSums.sum(popF64(stack, blocks));
  }

  /** The sum of {@code nv} vectors of doubles from byte offset {@code o} of {@code x}. */
  private static double segmentF64(MemorySegment x, long o, long nv) {
    int w = D.length();
    long vb = D.vectorByteSize(), full = nv / (ACCS * ROUNDS);
    long blocks = full + (nv % (ACCS * ROUNDS) == 0 ? 0 : 1);
    double[] stack = new double[levels(blocks) * w];
    long i = o;
    for (long b = 0; b < full; b++) {
      DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
      DoubleVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (int k = 0; k < ROUNDS; k++, i += ACCS * vb) {
        a0 = a0.add(DoubleVector.fromMemorySegment(D, x, i, NATIVE));
        a1 = a1.add(DoubleVector.fromMemorySegment(D, x, i + vb, NATIVE));
        a2 = a2.add(DoubleVector.fromMemorySegment(D, x, i + 2 * vb, NATIVE));
        a3 = a3.add(DoubleVector.fromMemorySegment(D, x, i + 3 * vb, NATIVE));
        a4 = a4.add(DoubleVector.fromMemorySegment(D, x, i + 4 * vb, NATIVE));
        a5 = a5.add(DoubleVector.fromMemorySegment(D, x, i + 5 * vb, NATIVE));
        a6 = a6.add(DoubleVector.fromMemorySegment(D, x, i + 6 * vb, NATIVE));
        a7 = a7.add(DoubleVector.fromMemorySegment(D, x, i + 7 * vb, NATIVE));
      }
      pushF64(stack, b, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    if (full < blocks) {
      long end = o + nv * vb;
      DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
      DoubleVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (; i <= end - ACCS * vb; i += ACCS * vb) {
        a0 = a0.add(DoubleVector.fromMemorySegment(D, x, i, NATIVE));
        a1 = a1.add(DoubleVector.fromMemorySegment(D, x, i + vb, NATIVE));
        a2 = a2.add(DoubleVector.fromMemorySegment(D, x, i + 2 * vb, NATIVE));
        a3 = a3.add(DoubleVector.fromMemorySegment(D, x, i + 3 * vb, NATIVE));
        a4 = a4.add(DoubleVector.fromMemorySegment(D, x, i + 4 * vb, NATIVE));
        a5 = a5.add(DoubleVector.fromMemorySegment(D, x, i + 5 * vb, NATIVE));
        a6 = a6.add(DoubleVector.fromMemorySegment(D, x, i + 6 * vb, NATIVE));
        a7 = a7.add(DoubleVector.fromMemorySegment(D, x, i + 7 * vb, NATIVE));
      }
      for (; i < end; i += vb) {
        a0 = a0.add(DoubleVector.fromMemorySegment(D, x, i, NATIVE));
      }
      pushF64(stack, full, a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
    return blocks == 0 ? 0.0 : LaneSums.sum(popF64(stack, blocks));
  }

  private static void pushF64(double[] stack, long b, DoubleVector v) {
    int w = D.length(), level = 0;
    for (long c = b; (c & 1) != 0; c >>>= 1, level++) {
      v = DoubleVector.fromArray(D, stack, level * w).add(v);
    }
    v.intoArray(stack, level * w);
  }

  private static DoubleVector popF64(double[] stack, long blocks) {
    int w = D.length();
    DoubleVector s = null;
    for (int level = 0; (blocks >>> level) != 0; level++) {
      if ((blocks >>> level & 1) != 0) {
        DoubleVector v = DoubleVector.fromArray(D, stack, level * w);
        s = s == null ? v : v.add(s);
      }
    }
    return s;
  }
}
