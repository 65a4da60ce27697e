package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.ConvGeometry;
import dev.isthmus.kernels.ConvKernels;
import dev.isthmus.kernels.ConvScalar;
import dev.isthmus.kernels.Simd;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

/**
 * The convolution kernels against their scalar twins (the direct loops): random NHWC shapes
 * (batch 1-2, height and width 1-12, channels 1-20 and around one and four vectors of lanes),
 * windows 1-4 by 1-4, strides 1-3, dilations 1-2 (conv2d: not with strides above 1, as
 * TensorFlow), SAME and VALID padding by TensorFlow's rule, element offsets, heap and off-heap
 * memory; plus fixed cases for each path of conv2d (im2col in one block and in several, a 1x1
 * window, a window covering the image) and empty sizes.
 *
 * <p>Each output must be within the GEMM bound of the twin's ({@code 2 k eps S + 4 tiny}, {@code
 * S} the sum of the magnitudes of its terms, {@code k} its number of terms: {@code kH * kW * C}
 * for conv2d, {@code kH * kW} for depthwise), and nothing outside the output may be written.
 */
class ConvKernelProperties {
  static final int EXAMPLES = 60;
  static final double SENTINEL = -777;

  enum Kind {
    F32, F64;

    int lanes() {
      return this == F32 ? Simd.floatLanes() : Simd.doubleLanes();
    }

    double eps() {
      return this == F32 ? Math.ulp(1f) : Math.ulp(1.0);
    }

    double tiny() {
      return this == F32 ? Float.MIN_VALUE : Double.MIN_VALUE;
    }
  }

  /**
   * One convolution: NHWC input, window, output channels (conv2d) or multiplier (depthwise),
   * strides, dilations, padding rule, element offsets, memory kind, and a seed for the values.
   */
  record Case(int n, int h, int w, int c, int kh, int kw, int out, int sh, int sw, int dh, int dw,
      boolean same, int xo, int fo, int yo, boolean offHeap, long seed) {

    /** TensorFlow's output size and padding, with an output that would be negative as empty. */
    ConvGeometry geometry() {
      int eh = (kh - 1) * dh + 1, ew = (kw - 1) * dw + 1;
      int oh = same ? (h + sh - 1) / sh : Math.max(0, (h - eh + sh) / sh);
      int ow = same ? (w + sw - 1) / sw : Math.max(0, (w - ew + sw) / sw);
      int pt = same ? Math.max((oh - 1) * sh + eh - h, 0) / 2 : 0;
      int pl = same ? Math.max((ow - 1) * sw + ew - w, 0) / 2 : 0;
      return new ConvGeometry(n, h, w, c, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void conv2dMatchesItsTwin(Kind kind) {
    qt().withExamples(EXAMPLES).forAll(cases(kind.lanes(), false))
        .checkAssert(c -> check(kind, false, c));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void depthwiseMatchesItsTwin(Kind kind) {
    qt().withExamples(EXAMPLES).forAll(cases(kind.lanes(), true))
        .checkAssert(c -> check(kind, true, c));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void conv2dPaths(Kind kind) {
    // a 1x1 window with stride 1 (SAME and VALID are the same): the input is the GEMM's A
    check(kind, false, new Case(2, 5, 7, 9, 1, 1, 6, 1, 1, 1, 1, true, 3, 2, 1, false, 1));
    check(kind, false, new Case(1, 4, 4, 1, 1, 1, 1, 1, 1, 2, 2, false, 0, 0, 0, true, 2));
    // the window covers the image: one output pixel per image, A is [batch, H * W * C]
    check(kind, false, new Case(3, 4, 5, 3, 4, 5, 7, 1, 1, 1, 1, false, 5, 1, 2, false, 3));
    check(kind, false, new Case(2, 3, 3, 2, 3, 3, 4, 3, 3, 1, 1, true, 0, 4, 0, true, 4));
    // a 1x1 window with stride 2 needs im2col; so does a dilated one
    check(kind, false, new Case(1, 7, 6, 5, 1, 1, 3, 2, 2, 1, 1, true, 1, 1, 1, false, 5));
    // im2col in several blocks: 4096 rows of 144, and (past MIN_ROWS) 81 rows of 9600
    check(kind, false, new Case(1, 64, 64, 16, 3, 3, 4, 1, 1, 1, 1, true, 2, 0, 3, false, 6));
    check(kind, false, new Case(1, 9, 9, 600, 4, 4, 2, 1, 1, 1, 1, true, 0, 3, 1, true, 7));
    // empty: no output channels, no input channels (zeros), no batch, a window larger than the
    // input (VALID: no output)
    check(kind, false, new Case(1, 3, 3, 2, 2, 2, 0, 1, 1, 1, 1, true, 0, 0, 0, false, 8));
    check(kind, false, new Case(1, 3, 3, 0, 2, 2, 3, 1, 1, 1, 1, true, 0, 0, 0, false, 9));
    check(kind, false, new Case(0, 3, 3, 2, 2, 2, 3, 1, 1, 1, 1, true, 0, 0, 0, false, 10));
    check(kind, false, new Case(1, 2, 2, 2, 3, 3, 3, 1, 1, 1, 1, false, 0, 0, 0, false, 11));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void depthwisePaths(Kind kind) {
    int l = kind.lanes();
    // four vectors of channels at once, one, and the scalar tail; multipliers 1 and above
    check(kind, true, new Case(2, 6, 5, 4 * l + 1, 3, 3, 1, 1, 1, 1, 1, true, 1, 2, 3, false, 1));
    check(kind, true, new Case(1, 5, 6, 4 * l - 1, 2, 3, 2, 2, 2, 1, 1, true, 0, 1, 0, true, 2));
    check(kind, true, new Case(1, 4, 4, 1, 3, 3, l + 1, 1, 1, 2, 2, true, 0, 0, 0, false, 3));
    // empty: no channels, a zero multiplier, no batch
    check(kind, true, new Case(1, 3, 3, 0, 2, 2, 2, 1, 1, 1, 1, true, 0, 0, 0, false, 4));
    check(kind, true, new Case(1, 3, 3, 2, 2, 2, 0, 1, 1, 1, 1, true, 0, 0, 0, false, 5));
    check(kind, true, new Case(0, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, false, 0, 0, 0, false, 6));
  }

  /** A non-finite weight facing padding gives NaN on both paths, as 0 * inf does. */
  @Test
  void paddingTimesInfinityIsNaNOnBothPaths() {
    Case c = new Case(1, 2, 2, 3, 3, 3, 2, 1, 1, 1, 1, true, 0, 0, 0, false, 1);
    for (boolean depthwise : new boolean[] {false, true}) {
      ConvGeometry g = c.geometry();
      long fSize = 9L * 3 * 2;
      MemorySegment x = MemorySegment.ofArray(new float[12]);
      MemorySegment f = MemorySegment.ofArray(new float[(int) fSize]);
      f.setAtIndex(JAVA_FLOAT, 0, Float.POSITIVE_INFINITY); // tap (0, 0): padding at pixel (0, 0)
      MemorySegment want = MemorySegment.ofArray(new float[4 * 6]);
      MemorySegment got = MemorySegment.ofArray(new float[4 * 6]);
      run(Kind.F32, depthwise, true, x, f, want, c, g);
      run(Kind.F32, depthwise, false, x, f, got, c, g);
      if (!Float.isNaN(want.getAtIndex(JAVA_FLOAT, 0)) || !Float.isNaN(got.getAtIndex(JAVA_FLOAT,
          0))) {
        throw new AssertionError("expected NaN, got " + want.getAtIndex(JAVA_FLOAT, 0) + " and "
            + got.getAtIndex(JAVA_FLOAT, 0));
      }
    }
  }

  static Gen<Case> cases(int lanes, boolean depthwise) {
    return in -> {
      Draw d = TensorGens.draw(in);
      int c = channels(d, lanes);
      int sh = d.intBetween(1, 3), sw = depthwise ? sh : d.intBetween(1, 3);
      boolean strided = sh > 1 || sw > 1;
      int dh = strided && !depthwise ? 1 : d.intBetween(1, 2);
      int dw = strided && !depthwise ? 1 : d.intBetween(1, 2);
      int out = depthwise
          ? d.oneOf(1, 1, 1, 2, 3, lanes + 1)
          : d.oneOf(1, 2, 3, 5, 8, lanes - 1, lanes + 1, d.intBetween(1, 12));
      return new Case(d.intBetween(1, 2), d.intBetween(1, 12), d.intBetween(1, 12), c,
          d.intBetween(1, 4), d.intBetween(1, 4), Math.max(1, out), sh, sw, dh, dw,
          d.between(0, 1) == 0, d.intBetween(0, 9), d.intBetween(0, 9), d.intBetween(0, 9),
          d.between(0, 3) == 0, d.between(0, 1L << 48));
    };
  }

  /** Channels 1-20, often 1 or around a vector of lanes, sometimes around four vectors. */
  static int channels(Draw d, int lanes) {
    int[] picks = {1, 2, 3, lanes - 1, lanes, lanes + 1, 2 * lanes + 1, 4 * lanes - 1,
        4 * lanes + 1};
    int i = d.intBetween(0, picks.length + 3); // the last 4 choices: anything in 1-20
    int v = i >= picks.length ? d.intBetween(1, 20) : picks[i];
    return Math.max(1, v);
  }

  static void check(Kind kind, boolean depthwise, Case c) {
    ConvGeometry g = c.geometry();
    long fSize = (long) c.kh() * c.kw() * c.c() * c.out();
    long outC = depthwise ? (long) c.c() * c.out() : c.out();
    long ySize = g.outputPixels() * outC;
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment x = random(kind, r, c.xo() + g.inputSize() + 3);
    MemorySegment f = random(kind, r, c.fo() + fSize + 3);
    long yLen = c.yo() + ySize + 5;
    MemorySegment want = filled(kind, yLen, SENTINEL);
    run(kind, depthwise, true, x, f, want, c, g);
    MemorySegment got;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment kx = x, kf = f, ky = filled(kind, yLen, SENTINEL);
      if (c.offHeap()) {
        kx = arena.allocate(x.byteSize(), 64).copyFrom(x);
        kf = arena.allocate(f.byteSize(), 64).copyFrom(f);
        ky = arena.allocate(ky.byteSize(), 64).copyFrom(ky);
      }
      run(kind, depthwise, false, kx, kf, ky, c, g);
      got = alloc(kind, yLen).copyFrom(ky);
    }
    // S: the same convolution of the magnitudes, in double
    MemorySegment s = alloc(Kind.F64, yLen);
    MemorySegment ax = abs(kind, x), af = abs(kind, f);
    if (depthwise) {
      ConvScalar.depthwiseConv2dF64(ax, c.xo(), af, c.fo(), s, c.yo(), g, c.out());
    } else {
      ConvScalar.conv2dF64(ax, c.xo(), af, c.fo(), s, c.yo(), g, c.out());
    }
    long k = depthwise ? g.taps() : g.taps() * c.c();
    for (long i = 0; i < yLen; i++) {
      double wv = get(kind, want, i), gv = get(kind, got, i);
      boolean inside = i >= c.yo() && i < c.yo() + ySize;
      if (!inside) {
        if (gv != SENTINEL) {
          throw new AssertionError("kernel wrote outside the output at element " + i + ": " + c);
        }
        continue;
      }
      double lim = 2.0 * Math.max(k, 1) * kind.eps() * s.getAtIndex(JAVA_DOUBLE, i)
          + 4 * kind.tiny();
      if (Double.compare(wv, gv) != 0 && !(Math.abs(wv - gv) <= lim)) {
        throw new AssertionError(String.format("%s %s at output element %d: twin %s, kernel %s"
            + " (|diff| %.3g > bound %.3g, k=%d): %s", kind, depthwise ? "depthwise" : "conv2d",
            i - c.yo(), wv, gv, Math.abs(wv - gv), lim, k, c));
      }
    }
  }

  static void run(Kind kind, boolean depthwise, boolean scalar, MemorySegment x, MemorySegment f,
      MemorySegment y, Case c, ConvGeometry g) {
    int xo = c.xo(), fo = c.fo(), yo = c.yo(), m = c.out();
    if (kind == Kind.F32) {
      if (depthwise) {
        if (scalar) {
          ConvScalar.depthwiseConv2dF32(x, xo, f, fo, y, yo, g, m);
        } else {
          ConvKernels.depthwiseConv2dF32(x, xo, f, fo, y, yo, g, m);
        }
      } else if (scalar) {
        ConvScalar.conv2dF32(x, xo, f, fo, y, yo, g, m);
      } else {
        ConvKernels.conv2dF32(x, xo, f, fo, y, yo, g, m);
      }
    } else if (depthwise) {
      if (scalar) {
        ConvScalar.depthwiseConv2dF64(x, xo, f, fo, y, yo, g, m);
      } else {
        ConvKernels.depthwiseConv2dF64(x, xo, f, fo, y, yo, g, m);
      }
    } else if (scalar) {
      ConvScalar.conv2dF64(x, xo, f, fo, y, yo, g, m);
    } else {
      ConvKernels.conv2dF64(x, xo, f, fo, y, yo, g, m);
    }
  }

  // ---------------------------------------------------------------- memory helpers

  static MemorySegment alloc(Kind kind, long n) {
    return kind == Kind.F32 ? MemorySegment.ofArray(new float[(int) n])
        : MemorySegment.ofArray(new double[(int) n]);
  }

  static double get(Kind kind, MemorySegment s, long i) {
    return kind == Kind.F32 ? s.getAtIndex(JAVA_FLOAT, i) : s.getAtIndex(JAVA_DOUBLE, i);
  }

  static void set(Kind kind, MemorySegment s, long i, double v) {
    if (kind == Kind.F32) {
      s.setAtIndex(JAVA_FLOAT, i, (float) v);
    } else {
      s.setAtIndex(JAVA_DOUBLE, i, v);
    }
  }

  /** Values in [-1, 1). */
  static MemorySegment random(Kind kind, SplittableRandom r, long n) {
    MemorySegment s = alloc(kind, n);
    for (long i = 0; i < n; i++) {
      set(kind, s, i, r.nextDouble(-1, 1));
    }
    return s;
  }

  static MemorySegment filled(Kind kind, long n, double v) {
    MemorySegment s = alloc(kind, n);
    for (long i = 0; i < n; i++) {
      set(kind, s, i, v);
    }
    return s;
  }

  /** The magnitudes of {@code s}, as doubles. */
  static MemorySegment abs(Kind kind, MemorySegment s) {
    long n = s.byteSize() / (kind == Kind.F32 ? Float.BYTES : Double.BYTES);
    MemorySegment a = alloc(Kind.F64, n);
    for (long i = 0; i < n; i++) {
      a.setAtIndex(JAVA_DOUBLE, i, Math.abs(get(kind, s, i)));
    }
    return a;
  }
}
