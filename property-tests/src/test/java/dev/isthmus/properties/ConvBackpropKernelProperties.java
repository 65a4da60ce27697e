package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.ConvBackpropKernels;
import dev.isthmus.kernels.ConvBackpropScalar;
import dev.isthmus.kernels.ConvGeometry;
import dev.isthmus.kernels.ConvScalar;
import dev.isthmus.properties.ConvKernelProperties.Case;
import dev.isthmus.properties.ConvKernelProperties.Kind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The convolution gradient kernels against their scalar twins, on the shapes of {@link
 * ConvKernelProperties} (random NHWC inputs and windows, strides, dilations, SAME and VALID,
 * offsets, heap and off-heap memory) plus fixed cases for each conv2d path (col2im in one block
 * and in several, a 1x1 window, a window covering the image, empty sizes). Each output element
 * must be within the GEMM bound of the twin's ({@code 2 k eps S + 4 tiny}, {@code S} the sum of
 * the magnitudes of its terms, {@code k} their number: the window's taps times the output
 * channels or multiplier for an input gradient, the output pixels for a filter gradient), and
 * nothing outside the output may be written.
 *
 * <p>The twins themselves are held to the forward convolution's twin as its adjoints, in
 * FLOAT64: {@code <conv(x, f), dy> = <x, inputGrad(dy, f)> = <f, filterGrad(x, dy)>}.
 */
class ConvBackpropKernelProperties {
  enum Grad { INPUT, FILTER }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void conv2dGradientsMatchTheirTwins(Kind kind) {
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(ConvKernelProperties.cases(
        kind.lanes(), false)).checkAssert(c -> {
          check(kind, false, Grad.INPUT, c);
          check(kind, false, Grad.FILTER, c);
        });
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void depthwiseGradientsMatchTheirTwins(Kind kind) {
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(ConvKernelProperties.cases(
        kind.lanes(), true)).checkAssert(c -> {
          check(kind, true, Grad.INPUT, c);
          check(kind, true, Grad.FILTER, c);
        });
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void conv2dPaths(Kind kind) {
    Case[] cases = {
      // a 1x1 window with stride 1, and a window covering the image: no im2col/col2im
      new Case(2, 5, 7, 9, 1, 1, 6, 1, 1, 1, 1, true, 3, 2, 1, false, 1),
      new Case(3, 4, 5, 3, 4, 5, 7, 1, 1, 1, 1, false, 5, 1, 2, false, 3),
      // strided 1x1 and dilated windows need them
      new Case(1, 7, 6, 5, 1, 1, 3, 2, 2, 1, 1, true, 1, 1, 1, false, 5),
      new Case(1, 8, 7, 3, 3, 2, 4, 1, 1, 2, 2, true, 0, 2, 1, true, 6),
      // several blocks: 4096 rows of 144, and 81 rows of 9600
      new Case(1, 64, 64, 16, 3, 3, 4, 1, 1, 1, 1, true, 2, 0, 3, false, 7),
      new Case(1, 9, 9, 600, 4, 4, 2, 1, 1, 1, 1, true, 0, 3, 1, true, 8),
      // empty: no batch, a window larger than the input (VALID: no output), no input channels
      new Case(0, 3, 3, 2, 2, 2, 3, 1, 1, 1, 1, true, 0, 0, 0, false, 9),
      new Case(1, 2, 2, 2, 3, 3, 3, 1, 1, 1, 1, false, 0, 0, 0, false, 10),
      new Case(1, 3, 3, 0, 2, 2, 3, 1, 1, 1, 1, true, 0, 0, 0, false, 11),
    };
    for (Case c : cases) {
      for (Grad grad : Grad.values()) {
        check(kind, false, grad, c);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Grad.class)
  void twinsAreTheForwardTwinsAdjoints(Grad grad) {
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(ConvKernelProperties.cases(4, false))
        .checkAssert(c -> adjoint(false, grad, c));
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(ConvKernelProperties.cases(4, true))
        .checkAssert(c -> adjoint(true, grad, c));
  }

  // ---------------------------------------------------------------- checks

  /** Operand and output sizes of one gradient: {a, b, y} in elements. */
  static long[] sizes(boolean depthwise, Grad grad, Case c, ConvGeometry g) {
    long fSize = (long) c.kh() * c.kw() * c.c() * c.out();
    long outC = depthwise ? (long) c.c() * c.out() : c.out();
    long dySize = g.outputPixels() * outC;
    return grad == Grad.INPUT ? new long[] {dySize, fSize, g.inputSize()}
        : new long[] {g.inputSize(), dySize, fSize};
  }

  static void check(Kind kind, boolean depthwise, Grad grad, Case c) {
    ConvGeometry g = c.geometry();
    long[] n = sizes(depthwise, grad, c, g);
    int ao = grad == Grad.INPUT ? c.yo() : c.xo(), bo = grad == Grad.INPUT ? c.fo() : c.yo();
    int yo = grad == Grad.INPUT ? c.xo() : c.fo();
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment a = ConvKernelProperties.random(kind, r, ao + n[0] + 3);
    MemorySegment b = ConvKernelProperties.random(kind, r, bo + n[1] + 3);
    long yLen = yo + n[2] + 5;
    MemorySegment want = ConvKernelProperties.filled(kind, yLen, ConvKernelProperties.SENTINEL);
    run(kind, depthwise, grad, true, a, ao, b, bo, want, yo, g, c.out());
    MemorySegment got;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ka = a, kb = b;
      MemorySegment ky = ConvKernelProperties.filled(kind, yLen, ConvKernelProperties.SENTINEL);
      if (c.offHeap()) {
        ka = arena.allocate(a.byteSize(), 64).copyFrom(a);
        kb = arena.allocate(b.byteSize(), 64).copyFrom(b);
        ky = arena.allocate(ky.byteSize(), 64).copyFrom(ky);
      }
      run(kind, depthwise, grad, false, ka, ao, kb, bo, ky, yo, g, c.out());
      got = ConvKernelProperties.alloc(kind, yLen).copyFrom(ky);
    }
    MemorySegment s = ConvKernelProperties.alloc(Kind.F64, yLen); // S: the twin on magnitudes
    run(Kind.F64, depthwise, grad, true, ConvKernelProperties.abs(kind, a), ao,
        ConvKernelProperties.abs(kind, b), bo, s, yo, g, c.out());
    long k = grad == Grad.INPUT ? g.taps() * c.out() : g.outputPixels();
    for (long i = 0; i < yLen; i++) {
      double wv = ConvKernelProperties.get(kind, want, i);
      double gv = ConvKernelProperties.get(kind, got, i);
      if (i < yo || i >= yo + n[2]) {
        if (gv != ConvKernelProperties.SENTINEL) {
          throw new AssertionError("kernel wrote outside the output at element " + i + ": " + c);
        }
        continue;
      }
      double lim = 2.0 * Math.max(k, 1) * kind.eps() * s.getAtIndex(JAVA_DOUBLE, i)
          + 4 * kind.tiny();
      if (Double.compare(wv, gv) != 0 && !(Math.abs(wv - gv) <= lim)) {
        throw new AssertionError(String.format("%s %s %s gradient at element %d: twin %s, kernel"
            + " %s (|diff| %.3g > bound %.3g, k=%d): %s", kind, depthwise ? "depthwise" : "conv2d",
            grad, i - yo, wv, gv, Math.abs(wv - gv), lim, k, c));
      }
    }
  }

  /** {@code <conv(x, f), dy> = <x, inputGrad(dy, f)> = <f, filterGrad(x, dy)>}, in FLOAT64. */
  static void adjoint(boolean depthwise, Grad grad, Case c) {
    ConvGeometry g = c.geometry();
    long fSize = (long) c.kh() * c.kw() * c.c() * c.out();
    long outC = depthwise ? (long) c.c() * c.out() : c.out();
    long ySize = g.outputPixels() * outC;
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment x = ConvKernelProperties.random(Kind.F64, r, g.inputSize());
    MemorySegment f = ConvKernelProperties.random(Kind.F64, r, fSize);
    MemorySegment dy = ConvKernelProperties.random(Kind.F64, r, ySize);
    MemorySegment y = ConvKernelProperties.alloc(Kind.F64, ySize);
    if (depthwise) {
      ConvScalar.depthwiseConv2dF64(x, 0, f, 0, y, 0, g, c.out());
    } else {
      ConvScalar.conv2dF64(x, 0, f, 0, y, 0, g, c.out());
    }
    double want = dot(y, dy, ySize);
    double have;
    if (grad == Grad.INPUT) {
      MemorySegment dx = ConvKernelProperties.alloc(Kind.F64, g.inputSize());
      run(Kind.F64, depthwise, grad, true, dy, 0, f, 0, dx, 0, g, c.out());
      have = dot(x, dx, g.inputSize());
    } else {
      MemorySegment df = ConvKernelProperties.alloc(Kind.F64, fSize);
      run(Kind.F64, depthwise, grad, true, x, 0, dy, 0, df, 0, g, c.out());
      have = dot(f, df, fSize);
    }
    double scale = 1 + Math.sqrt((double) ySize) * g.taps() * Math.max(c.c(), c.out());
    if (!(Math.abs(want - have) <= 1e-12 * scale)) {
      throw new AssertionError(String.format("%s %s twin is not the adjoint: <conv, dy> %s,"
          + " <., grad> %s: %s", depthwise ? "depthwise" : "conv2d", grad, want, have, c));
    }
  }

  static double dot(MemorySegment a, MemorySegment b, long n) {
    double s = 0;
    for (long i = 0; i < n; i++) {
      s += a.getAtIndex(JAVA_DOUBLE, i) * b.getAtIndex(JAVA_DOUBLE, i);
    }
    return s;
  }

  /** Input gradient: a = dy, b = f, y = dx; filter gradient: a = x, b = dy, y = df. */
  static void run(Kind kind, boolean depthwise, Grad grad, boolean scalar, MemorySegment a,
      long ao, MemorySegment b, long bo, MemorySegment y, long yo, ConvGeometry g, long m) {
    boolean f32 = kind == Kind.F32;
    if (grad == Grad.INPUT) {
      if (depthwise) {
        if (scalar) {
          if (f32) {
            ConvBackpropScalar.depthwiseInputF32(a, ao, b, bo, y, yo, g, m);
          } else {
            ConvBackpropScalar.depthwiseInputF64(a, ao, b, bo, y, yo, g, m);
          }
        } else if (f32) {
          ConvBackpropKernels.depthwiseInputF32(a, ao, b, bo, y, yo, g, m);
        } else {
          ConvBackpropKernels.depthwiseInputF64(a, ao, b, bo, y, yo, g, m);
        }
      } else if (scalar) {
        if (f32) {
          ConvBackpropScalar.conv2dInputF32(a, ao, b, bo, y, yo, g, m);
        } else {
          ConvBackpropScalar.conv2dInputF64(a, ao, b, bo, y, yo, g, m);
        }
      } else if (f32) {
        ConvBackpropKernels.conv2dInputF32(a, ao, b, bo, y, yo, g, m);
      } else {
        ConvBackpropKernels.conv2dInputF64(a, ao, b, bo, y, yo, g, m);
      }
    } else if (depthwise) {
      if (scalar) {
        if (f32) {
          ConvBackpropScalar.depthwiseFilterF32(a, ao, b, bo, y, yo, g, m);
        } else {
          ConvBackpropScalar.depthwiseFilterF64(a, ao, b, bo, y, yo, g, m);
        }
      } else if (f32) {
        ConvBackpropKernels.depthwiseFilterF32(a, ao, b, bo, y, yo, g, m);
      } else {
        ConvBackpropKernels.depthwiseFilterF64(a, ao, b, bo, y, yo, g, m);
      }
    } else if (scalar) {
      if (f32) {
        ConvBackpropScalar.conv2dFilterF32(a, ao, b, bo, y, yo, g, m);
      } else {
        ConvBackpropScalar.conv2dFilterF64(a, ao, b, bo, y, yo, g, m);
      }
    } else if (f32) {
      ConvBackpropKernels.conv2dFilterF32(a, ao, b, bo, y, yo, g, m);
    } else {
      ConvBackpropKernels.conv2dFilterF64(a, ao, b, bo, y, yo, g, m);
    }
  }
}
