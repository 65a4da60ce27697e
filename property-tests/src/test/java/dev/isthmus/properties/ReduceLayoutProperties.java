package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.SoftmaxKernels;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reduction kernels' results do not depend on how their data are laid out or split: a float
 * sum gives the same bits over a heap array, a slice of a larger one and native memory (the vector
 * path reads arrays and other segments by different loops, with the same order of additions), and
 * the outer forms give the same bits for a block's columns whether computed in one call or in
 * column ranges split at multiples of 64 (what intra-op parallelism does).
 */
class ReduceLayoutProperties {
  private static final int FL = Simd.floatLanes();

  @Test
  void floatSumsAreTheSameOverArraysSlicesAndNativeMemory() {
    qt().withExamples(60).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      SplittableRandom r = new SplittableRandom(seed);
      int n = (int) Generators.awkwardSize(d, FL, 40_000);
      int off = d.intBetween(0, 5);
      float[] f = new float[off + n + 3];
      double[] g = new double[off + n + 3];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) r.nextDouble(-1, 1);
        g[i] = r.nextDouble(-1, 1);
      }
      // slices: the same values 7 elements into larger arrays
      float[] fb = new float[f.length + 7];
      double[] gb = new double[g.length + 7];
      System.arraycopy(f, 0, fb, 7, f.length);
      System.arraycopy(g, 0, gb, 7, g.length);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment fh = MemorySegment.ofArray(f);
        MemorySegment fn = arena.allocate((long) f.length * Float.BYTES, 64).copyFrom(fh);
        MemorySegment fs = MemorySegment.ofArray(fb).asSlice(7L * Float.BYTES);
        MemorySegment gh = MemorySegment.ofArray(g);
        MemorySegment gn = arena.allocate((long) g.length * Double.BYTES, 64).copyFrom(gh);
        MemorySegment gs = MemorySegment.ofArray(gb).asSlice(7L * Double.BYTES);
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX}) {
          int want = Float.floatToRawIntBits(ReduceKernels.f32(op, fh, off, n));
          assertEquals(want, Float.floatToRawIntBits(ReduceKernels.f32(op, fn, off, n)),
              op + " n=" + n + ": native memory");
          assertEquals(want, Float.floatToRawIntBits(ReduceKernels.f32(op, fs, off, n)),
              op + " n=" + n + ": slice");
          long wantD = Double.doubleToRawLongBits(ReduceKernels.f64(op, gh, off, n));
          assertEquals(wantD, Double.doubleToRawLongBits(ReduceKernels.f64(op, gn, off, n)),
              op + " n=" + n + ": float64 native memory");
          assertEquals(wantD, Double.doubleToRawLongBits(ReduceKernels.f64(op, gs, off, n)),
              op + " n=" + n + ": float64 slice");
        }
      }
    });
  }

  @Test
  void aSumPastItsSegmentThrowsInsteadOfReadingTheArrayBeyond() {
    // A slice of a larger array: the array path must not read past the slice.
    float[] big = new float[1000];
    MemorySegment slice = MemorySegment.ofArray(big).asSlice(0, 100L * Float.BYTES);
    assertThrows(IndexOutOfBoundsException.class,
        () -> ReduceKernels.f32(ReduceOp.SUM, slice, 50, 51));
    double[] bigD = new double[1000];
    MemorySegment sliceD = MemorySegment.ofArray(bigD).asSlice(0, 100L * Double.BYTES);
    assertThrows(IndexOutOfBoundsException.class,
        () -> ReduceKernels.f64(ReduceOp.SUM, sliceD, 0, 101));
  }

  /** Columns [0, cols) computed in ranges split at random multiples of 64. */
  private interface Columns {
    void run(MemorySegment x, long xo, long r, long stride, long cols, MemorySegment y, long yo);
  }

  private static void inRanges(Draw d, Columns k, MemorySegment x, long r, long cols,
      MemorySegment y) {
    long j = 0;
    while (j < cols) {
      long len = Math.min(cols - j, 64 * d.between(1, 3));
      k.run(x, j, r, cols, len, y, j);
      j += len;
    }
  }

  @Test
  void outerFormsGiveTheSameBitsWhenTheirColumnsAreSplit() {
    qt().withExamples(80).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      SplittableRandom v = new SplittableRandom(seed);
      long r = d.oneOf(0L, 1L, 3L, 64L, 65L, 130L, d.between(0, 300));
      long cols = d.between(1, 400);
      int n = (int) (r * cols);
      float[] f = new float[n];
      double[] g = new double[n];
      int[] i = new int[n];
      long[] l = new long[n];
      for (int e = 0; e < n; e++) {
        f[e] = (float) v.nextDouble(-1, 1);
        g[e] = v.nextDouble(-1, 1);
        i[e] = v.nextInt();
        l[e] = v.nextLong();
      }
      MemorySegment xf = MemorySegment.ofArray(f), xg = MemorySegment.ofArray(g);
      MemorySegment xi = MemorySegment.ofArray(i), xl = MemorySegment.ofArray(l);
      String what = "r=" + r + " cols=" + cols;
      for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MAX,
          ReduceOp.MIN}) {
        float[] wf = new float[(int) cols], gf = new float[(int) cols];
        ReduceKernels.f32Outer(op, xf, 0, r, cols, MemorySegment.ofArray(wf), 0);
        inRanges(d, (x, xo, rr, s, c, y, yo) -> ReduceKernels.f32OuterColumns(op, x, xo, rr, s,
            c, y, yo), xf, r, cols, MemorySegment.ofArray(gf));
        assertArrayEquals(wf, gf, op + " float32 " + what);
        double[] wg = new double[(int) cols], gg = new double[(int) cols];
        ReduceKernels.f64Outer(op, xg, 0, r, cols, MemorySegment.ofArray(wg), 0);
        inRanges(d, (x, xo, rr, s, c, y, yo) -> ReduceKernels.f64OuterColumns(op, x, xo, rr, s,
            c, y, yo), xg, r, cols, MemorySegment.ofArray(gg));
        assertArrayEquals(wg, gg, op + " float64 " + what);
        int[] wi = new int[(int) cols], gi = new int[(int) cols];
        ReduceKernels.i32Outer(op, xi, 0, r, cols, MemorySegment.ofArray(wi), 0);
        inRanges(d, (x, xo, rr, s, c, y, yo) -> ReduceKernels.i32OuterColumns(op, x, xo, rr, s,
            c, y, yo), xi, r, cols, MemorySegment.ofArray(gi));
        assertArrayEquals(wi, gi, op + " int32 " + what);
        long[] wl = new long[(int) cols], gl = new long[(int) cols];
        ReduceKernels.i64Outer(op, xl, 0, r, cols, MemorySegment.ofArray(wl), 0);
        inRanges(d, (x, xo, rr, s, c, y, yo) -> ReduceKernels.i64OuterColumns(op, x, xo, rr, s,
            c, y, yo), xl, r, cols, MemorySegment.ofArray(gl));
        assertArrayEquals(wl, gl, op + " int64 " + what);
      }
      long[] ww = new long[(int) cols], gw = new long[(int) cols];
      ReduceKernels.i32WideOuter(xi, 0, r, cols, MemorySegment.ofArray(ww), 0);
      inRanges(d, (x, xo, rr, s, c, y, yo) -> ReduceKernels.i32WideOuterColumns(x, xo, rr, s, c,
          y, yo), xi, r, cols, MemorySegment.ofArray(gw));
      assertArrayEquals(ww, gw, "wide int32 " + what);
      byte[] b = new byte[n];
      for (int e = 0; e < n; e++) {
        b[e] = (byte) (v.nextInt(8) == 0 ? 0 : 1);
      }
      MemorySegment xb = MemorySegment.ofArray(b);
      for (ReduceOp op : new ReduceOp[] {ReduceOp.ALL, ReduceOp.ANY}) {
        byte[] wb = new byte[(int) cols], gb = new byte[(int) cols];
        ReduceKernels.boolOuter(op, xb, 0, r, cols, MemorySegment.ofArray(wb), 0);
        inRanges(d, (x, xo, rr, s, c, y, yo) -> ReduceKernels.boolOuterColumns(op, x, xo, rr, s,
            c, y, yo), xb, r, cols, MemorySegment.ofArray(gb));
        assertArrayEquals(wb, gb, op + " bool " + what);
      }
    });
  }

  @Test
  void softmaxOverColumnsGivesTheSameValuesWhenTheColumnsAreSplit() {
    qt().withExamples(40).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
      Draw d = Draw.of(new SplittableRandom(seed));
      SplittableRandom v = new SplittableRandom(seed);
      long r = d.oneOf(0L, 1L, 3L, 64L, d.between(0, 200));
      long cols = d.between(1, 300);
      int n = (int) (r * cols);
      float[] f = new float[n];
      double[] g = new double[n];
      for (int e = 0; e < n; e++) {
        f[e] = (float) v.nextDouble(-20, 20);
        g[e] = v.nextDouble(-20, 20);
      }
      MemorySegment xf = MemorySegment.ofArray(f), xg = MemorySegment.ofArray(g);
      String what = "r=" + r + " cols=" + cols;
      for (boolean log : new boolean[] {false, true}) {
        float[] wf = new float[n], gf = new float[n];
        double[] wg = new double[n], gg = new double[n];
        if (log) {
          SoftmaxKernels.logSoftmaxF32Outer(xf, 0, r, cols, MemorySegment.ofArray(wf), 0);
          inRanges(d, SoftmaxKernels::logSoftmaxF32OuterColumns, xf, r, cols,
              MemorySegment.ofArray(gf));
          SoftmaxKernels.logSoftmaxF64Outer(xg, 0, r, cols, MemorySegment.ofArray(wg), 0);
          inRanges(d, SoftmaxKernels::logSoftmaxF64OuterColumns, xg, r, cols,
              MemorySegment.ofArray(gg));
        } else {
          SoftmaxKernels.softmaxF32Outer(xf, 0, r, cols, MemorySegment.ofArray(wf), 0);
          inRanges(d, SoftmaxKernels::softmaxF32OuterColumns, xf, r, cols,
              MemorySegment.ofArray(gf));
          SoftmaxKernels.softmaxF64Outer(xg, 0, r, cols, MemorySegment.ofArray(wg), 0);
          inRanges(d, SoftmaxKernels::softmaxF64OuterColumns, xg, r, cols,
              MemorySegment.ofArray(gg));
        }
        // within 4 ulps: EXP may round differently in separately compiled code (not the split)
        TensorAssert.assertClose(wf, gf, Tolerance.ulps(4));
        TensorAssert.assertClose(wg, gg, Tolerance.ulps(4));
      }
    });
  }

  @Test
  void softmaxColumnRangesCheckTheirBounds() {
    MemorySegment x = MemorySegment.ofArray(new float[3 * 10]);
    MemorySegment y = MemorySegment.ofArray(new float[3 * 10]);
    // columns [0, 4) of the block at 6: the last row ends at 6 + 2 * 10 + 4 = 30, in place
    SoftmaxKernels.softmaxF32OuterColumns(x, 6, 3, 10, 4, y, 6);
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.softmaxF32OuterColumns(x, 7, 3, 10, 4, y, 7));
    assertThrows(IndexOutOfBoundsException.class,
        () -> SoftmaxKernels.softmaxF32OuterColumns(x, 0, 3, 10, 11, y, 0));
  }
}
