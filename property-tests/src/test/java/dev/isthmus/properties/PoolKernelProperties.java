package dev.isthmus.properties;

import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.ConvGeometry;
import dev.isthmus.kernels.PoolKernels;
import dev.isthmus.kernels.PoolScalar;
import dev.isthmus.properties.ConvKernelProperties.Case;
import dev.isthmus.properties.ConvKernelProperties.Kind;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

/**
 * The pooling kernels against their scalar twins, bit for bit (the vector loops take the twin's
 * operations in the twin's order): the shapes of {@link ConvKernelProperties} (windows 1-4,
 * strides 1-3, dilations 1-2, SAME and VALID, channels 1-20 and around one and four vectors),
 * offsets, heap and off-heap memory, and values that mix NaN, infinities and signed zeros into
 * [-1, 1). Nothing outside the output may be written.
 */
class PoolKernelProperties {
  enum Pool { MAX, AVG }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void maxPoolMatchesItsTwin(Kind kind) {
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(cases(kind.lanes()))
        .checkAssert(c -> check(kind, Pool.MAX, c));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void avgPoolMatchesItsTwin(Kind kind) {
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(cases(kind.lanes()))
        .checkAssert(c -> check(kind, Pool.AVG, c));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fixedShapes(Kind kind) {
    int l = kind.lanes();
    for (Pool p : Pool.values()) {
      // four vectors of channels, one, and the tail; a 1x1 window; empty sizes
      check(kind, p, new Case(2, 7, 6, 4 * l + 1, 3, 3, 1, 2, 2, 1, 1, true, 1, 0, 2, false, 1));
      check(kind, p, new Case(1, 5, 5, 4 * l - 1, 2, 3, 1, 1, 2, 1, 1, false, 0, 0, 1, true, 2));
      check(kind, p, new Case(1, 3, 4, l + 1, 1, 1, 1, 1, 1, 1, 1, true, 3, 0, 0, false, 3));
      check(kind, p, new Case(1, 3, 3, 0, 2, 2, 1, 1, 1, 1, 1, true, 0, 0, 0, false, 4));
      check(kind, p, new Case(0, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, true, 0, 0, 0, false, 5));
      check(kind, p, new Case(1, 2, 2, 2, 3, 3, 1, 1, 1, 1, 1, false, 0, 0, 0, false, 6));
    }
  }

  static Gen<Case> cases(int lanes) {
    return in -> {
      Draw d = TensorGens.draw(in);
      return new Case(d.intBetween(1, 2), d.intBetween(1, 12), d.intBetween(1, 12),
          ConvKernelProperties.channels(d, lanes), d.intBetween(1, 4), d.intBetween(1, 4), 1,
          d.intBetween(1, 3), d.intBetween(1, 3), d.intBetween(1, 2), d.intBetween(1, 2),
          d.between(0, 1) == 0, d.intBetween(0, 9), 0, d.intBetween(0, 9), d.between(0, 3) == 0,
          d.between(0, 1L << 48));
    };
  }

  static void check(Kind kind, Pool pool, Case c) {
    ConvGeometry g = c.geometry();
    long ySize = g.outputPixels() * c.c(), yLen = c.yo() + ySize + 5;
    MemorySegment x = values(kind, new SplittableRandom(c.seed()), c.xo() + g.inputSize() + 3);
    MemorySegment want = ConvKernelProperties.filled(kind, yLen, ConvKernelProperties.SENTINEL);
    run(kind, pool, true, x, want, c, g);
    MemorySegment got;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment kx = x;
      MemorySegment ky = ConvKernelProperties.filled(kind, yLen, ConvKernelProperties.SENTINEL);
      if (c.offHeap()) {
        kx = arena.allocate(x.byteSize(), 64).copyFrom(x);
        ky = arena.allocate(ky.byteSize(), 64).copyFrom(ky);
      }
      run(kind, pool, false, kx, ky, c, g);
      got = ConvKernelProperties.alloc(kind, yLen).copyFrom(ky);
    }
    for (long i = 0; i < yLen; i++) {
      double w = ConvKernelProperties.get(kind, want, i);
      double v = ConvKernelProperties.get(kind, got, i);
      // bit for bit: signed zeros count, NaN equals NaN
      if (Double.doubleToLongBits(w) != Double.doubleToLongBits(v)) {
        boolean inside = i >= c.yo() && i < c.yo() + ySize;
        throw new AssertionError(String.format("%s %s at %s element %d: twin %s, kernel %s: %s",
            kind, pool, inside ? "output" : "(outside the output!)", i - c.yo(), w, v, c));
      }
    }
  }

  /** Mostly [-1, 1), one in eight a NaN, an infinity or a signed zero. */
  static MemorySegment values(Kind kind, SplittableRandom r, long n) {
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
        -0.0};
    MemorySegment s = ConvKernelProperties.alloc(kind, n);
    for (long i = 0; i < n; i++) {
      double v = r.nextInt(8) == 0 ? specials[r.nextInt(specials.length)] : r.nextDouble(-1, 1);
      ConvKernelProperties.set(kind, s, i, v);
    }
    return s;
  }

  static void run(Kind kind, Pool pool, boolean scalar, MemorySegment x, MemorySegment y, Case c,
      ConvGeometry g) {
    int xo = c.xo(), yo = c.yo();
    boolean f32 = kind == Kind.F32;
    if (pool == Pool.MAX) {
      if (scalar) {
        if (f32) {
          PoolScalar.maxPoolF32(x, xo, y, yo, g);
        } else {
          PoolScalar.maxPoolF64(x, xo, y, yo, g);
        }
      } else if (f32) {
        PoolKernels.maxPoolF32(x, xo, y, yo, g);
      } else {
        PoolKernels.maxPoolF64(x, xo, y, yo, g);
      }
    } else if (scalar) {
      if (f32) {
        PoolScalar.avgPoolF32(x, xo, y, yo, g);
      } else {
        PoolScalar.avgPoolF64(x, xo, y, yo, g);
      }
    } else if (f32) {
      PoolKernels.avgPoolF32(x, xo, y, yo, g);
    } else {
      PoolKernels.avgPoolF64(x, xo, y, yo, g);
    }
  }
}
