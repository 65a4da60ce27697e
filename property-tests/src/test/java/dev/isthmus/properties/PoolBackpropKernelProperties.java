package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.ConvGeometry;
import dev.isthmus.kernels.PoolBackpropKernels;
import dev.isthmus.kernels.PoolBackpropScalar;
import dev.isthmus.kernels.PoolScalar;
import dev.isthmus.properties.ConvKernelProperties.Case;
import dev.isthmus.properties.ConvKernelProperties.Kind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pooling gradient kernels against their scalar twins, bit for bit (the vector loops take the
 * twin's operations in the twin's order), on the shapes of {@link PoolKernelProperties} with
 * values that mix NaN, infinities, signed zeros and ties (a quarter of the inputs are drawn from
 * four values) into [-1, 1); nothing outside the output may be written. The twins are held to
 * the forward twins: AvgPoolGrad is AvgPool's adjoint, MaxPoolGradGrad is MaxPoolGrad's adjoint
 * in its gradient argument, and MaxPoolGrad sends each window's gradient to an element holding
 * the window's maximum.
 */
class PoolBackpropKernelProperties {
  enum Op { MAX_GRAD, MAX_GRAD_GRAD, AVG_GRAD }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void gradientsMatchTheirTwins(Kind kind) {
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(PoolKernelProperties.cases(
        kind.lanes())).checkAssert(c -> {
          for (Op op : Op.values()) {
            check(kind, op, c);
          }
        });
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fixedShapes(Kind kind) {
    int l = kind.lanes();
    Case[] cases = {
      new Case(2, 7, 6, 4 * l + 1, 3, 3, 1, 2, 2, 1, 1, true, 1, 0, 2, false, 1),
      new Case(1, 5, 5, 4 * l - 1, 2, 3, 1, 1, 2, 1, 1, false, 0, 0, 1, true, 2),
      new Case(1, 3, 4, l + 1, 1, 1, 1, 1, 1, 1, 1, true, 3, 0, 0, false, 3),
      new Case(1, 3, 3, 0, 2, 2, 1, 1, 1, 1, 1, true, 0, 0, 0, false, 4),
      new Case(0, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, true, 0, 0, 0, false, 5),
      new Case(1, 2, 2, 2, 3, 3, 1, 1, 1, 1, 1, false, 0, 0, 0, false, 6),
    };
    for (Case c : cases) {
      for (Op op : Op.values()) {
        check(kind, op, c);
      }
    }
  }

  @Test
  void twinsAgreeWithTheForwardTwins() {
    qt().withExamples(ConvKernelProperties.EXAMPLES).forAll(PoolKernelProperties.cases(4))
        .checkAssert(PoolBackpropKernelProperties::forward);
  }

  // ---------------------------------------------------------------- checks

  /** [-1, 1), with NaN, infinities, signed zeros, and ties among a few repeated values. */
  static MemorySegment values(Kind kind, SplittableRandom r, long n) {
    MemorySegment s = PoolKernelProperties.values(kind, r, n);
    for (long i = 0; i < n; i++) {
      if (r.nextInt(4) == 0) {
        ConvKernelProperties.set(kind, s, i, 0.25 * r.nextInt(4));
      }
    }
    return s;
  }

  static void check(Kind kind, Op op, Case c) {
    ConvGeometry g = c.geometry();
    long in = g.inputSize(), pooled = g.outputPixels() * c.c();
    long ySize = op == Op.MAX_GRAD_GRAD ? pooled : in;
    long dSize = op == Op.MAX_GRAD_GRAD ? in : pooled;
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment x = values(kind, r, c.xo() + in + 3);
    MemorySegment d = values(kind, r, c.fo() + dSize + 3);
    long yLen = c.yo() + ySize + 5;
    MemorySegment want = ConvKernelProperties.filled(kind, yLen, ConvKernelProperties.SENTINEL);
    run(kind, op, true, x, c.xo(), d, c.fo(), want, c.yo(), g);
    MemorySegment got;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment kx = x, kd = d;
      MemorySegment ky = ConvKernelProperties.filled(kind, yLen, ConvKernelProperties.SENTINEL);
      if (c.offHeap()) {
        kx = arena.allocate(x.byteSize(), 64).copyFrom(x);
        kd = arena.allocate(d.byteSize(), 64).copyFrom(d);
        ky = arena.allocate(ky.byteSize(), 64).copyFrom(ky);
      }
      run(kind, op, false, kx, c.xo(), kd, c.fo(), ky, c.yo(), g);
      got = ConvKernelProperties.alloc(kind, yLen).copyFrom(ky);
    }
    for (long i = 0; i < yLen; i++) {
      double w = ConvKernelProperties.get(kind, want, i);
      double v = ConvKernelProperties.get(kind, got, i);
      if (Double.doubleToLongBits(w) != Double.doubleToLongBits(v)) {
        boolean inside = i >= c.yo() && i < c.yo() + ySize;
        throw new AssertionError(String.format("%s %s at %s element %d: twin %s, kernel %s: %s",
            kind, op, inside ? "output" : "(outside the output!)", i - c.yo(), w, v, c));
      }
    }
  }

  /**
   * The twins against the forward twins (FLOAT64, finite values with ties), without dilation
   * (which pooling ops never have, and which can leave a SAME window with no tap inside).
   */
  static void forward(Case p) {
    Case c = new Case(p.n(), p.h(), p.w(), p.c(), p.kh(), p.kw(), p.out(), p.sh(), p.sw(), 1, 1,
        p.same(), 0, 0, 0, false, p.seed());
    ConvGeometry g = c.geometry();
    long in = g.inputSize(), pooled = g.outputPixels() * c.c();
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment x = ConvKernelProperties.alloc(Kind.F64, in);
    for (long i = 0; i < in; i++) {
      x.setAtIndex(JAVA_DOUBLE, i, r.nextInt(3) == 0 ? 0.5 : r.nextDouble(-1, 1));
    }
    MemorySegment dy = ConvKernelProperties.random(Kind.F64, r, pooled);
    MemorySegment gg = ConvKernelProperties.random(Kind.F64, r, in);
    MemorySegment dx = ConvKernelProperties.alloc(Kind.F64, in);
    MemorySegment y = ConvKernelProperties.alloc(Kind.F64, pooled);
    MemorySegment yy = ConvKernelProperties.alloc(Kind.F64, pooled);
    // avg: <avgPool(gg), dy> = <gg, avgPoolGrad(dy)>
    PoolScalar.avgPoolF64(gg, 0, y, 0, g);
    PoolBackpropScalar.avgPoolGradF64(dy, 0, dx, 0, g);
    close(ConvBackpropKernelProperties.dot(y, dy, pooled),
        ConvBackpropKernelProperties.dot(gg, dx, in), "AvgPoolGrad is AvgPool's adjoint", c);
    // max: <maxPoolGrad(x, dy), gg> = <dy, maxPoolGradGrad(x, gg)>
    PoolBackpropScalar.maxPoolGradF64(x, 0, dy, 0, dx, 0, g);
    PoolBackpropScalar.maxPoolGradGradF64(x, 0, gg, 0, yy, 0, g);
    close(ConvBackpropKernelProperties.dot(dx, gg, in),
        ConvBackpropKernelProperties.dot(dy, yy, pooled), "MaxPoolGradGrad is the adjoint", c);
    // MaxPoolGradGrad of x itself reads each window's maximum: it is MaxPool
    PoolScalar.maxPoolF64(x, 0, y, 0, g);
    PoolBackpropScalar.maxPoolGradGradF64(x, 0, x, 0, yy, 0, g);
    for (long i = 0; i < pooled; i++) {
      if (y.getAtIndex(JAVA_DOUBLE, i) != yy.getAtIndex(JAVA_DOUBLE, i)) {
        throw new AssertionError("MaxPoolGrad's choice at pooled element " + i + " holds "
            + yy.getAtIndex(JAVA_DOUBLE, i) + ", not the maximum " + y.getAtIndex(JAVA_DOUBLE, i)
            + ": " + c);
      }
    }
  }

  private static void close(double a, double b, String what, Case c) {
    if (!(Math.abs(a - b) <= 1e-12 * (1 + Math.abs(a)) * 1000)) {
      throw new AssertionError(what + ": " + a + " vs " + b + ": " + c);
    }
  }

  /** MAX_GRAD: d = dy, y = dx; MAX_GRAD_GRAD: d = gg, y pooled; AVG_GRAD: d = dy, y = dx. */
  static void run(Kind kind, Op op, boolean scalar, MemorySegment x, long xo, MemorySegment d,
      long dofs, MemorySegment y, long yo, ConvGeometry g) {
    boolean f32 = kind == Kind.F32;
    switch (op) {
      case MAX_GRAD -> {
        if (scalar) {
          if (f32) {
            PoolBackpropScalar.maxPoolGradF32(x, xo, d, dofs, y, yo, g);
          } else {
            PoolBackpropScalar.maxPoolGradF64(x, xo, d, dofs, y, yo, g);
          }
        } else if (f32) {
          PoolBackpropKernels.maxPoolGradF32(x, xo, d, dofs, y, yo, g);
        } else {
          PoolBackpropKernels.maxPoolGradF64(x, xo, d, dofs, y, yo, g);
        }
      }
      case MAX_GRAD_GRAD -> {
        if (scalar) {
          if (f32) {
            PoolBackpropScalar.maxPoolGradGradF32(x, xo, d, dofs, y, yo, g);
          } else {
            PoolBackpropScalar.maxPoolGradGradF64(x, xo, d, dofs, y, yo, g);
          }
        } else if (f32) {
          PoolBackpropKernels.maxPoolGradGradF32(x, xo, d, dofs, y, yo, g);
        } else {
          PoolBackpropKernels.maxPoolGradGradF64(x, xo, d, dofs, y, yo, g);
        }
      }
      case AVG_GRAD -> {
        if (scalar) {
          if (f32) {
            PoolBackpropScalar.avgPoolGradF32(d, dofs, y, yo, g);
          } else {
            PoolBackpropScalar.avgPoolGradF64(d, dofs, y, yo, g);
          }
        } else if (f32) {
          PoolBackpropKernels.avgPoolGradF32(d, dofs, y, yo, g);
        } else {
          PoolBackpropKernels.avgPoolGradF64(d, dofs, y, yo, g);
        }
      }
    }
  }
}
