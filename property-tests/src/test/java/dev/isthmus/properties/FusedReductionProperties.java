package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.Reduction;
import dev.isthmus.properties.FusedDags.Case;
import dev.isthmus.properties.FusedDags.Options;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Reductions at the root of random fused expressions (SUM, MAX, MIN, MEAN over the inner axis or
 * over everything), in the generated kernel and op by op, against a reference computed from the
 * elementwise values (the same expression without its reduction): MAX, MIN and integer sums
 * exactly; floating sums within {@code 32 eps sum|x|} plus half an ulp of the result (leaves of
 * 64 vectors in four accumulators, then a compensated sum of the leaves), means within that over
 * the count plus an ulp.
 */
class FusedReductionProperties {
  static final int EXAMPLES = 120;

  static Case draw(Draw d) {
    Reduction r = new Reduction(d.oneOf(Reduction.Op.values()), d.oneOf(Reduction.Axes.values()));
    return FusedDags.draw(d, new Options(true, false, r));
  }

  @Test
  void reductionsMatchTheirReference() {
    qt().withExamples(EXAMPLES).forAll(in -> draw(TensorGens.draw(in)))
        .checkAssert(FusedReductionProperties::check);
  }

  static void check(Case c) {
    FusedExpr e = c.expr();
    Reduction red = e.reduction();
    ElementType t = e.outputType(0);
    long outer = c.layout().outer();
    long inner = c.layout().inner();
    FusedExpr values = e.withoutReduction();
    MemorySegment[] v = {FusedDags.memory(0, t, outer * inner)};
    FusedKernels.runUnfused(values, c.in(), c.inOff(), v, new long[1], c.layout());
    MemorySegment[] unfused = FusedKernelProperties.outputs(c);
    FusedKernels.runUnfused(e, c.in(), c.inOff(), unfused, c.outOff(), c.layout());
    CompiledKernel k = FusedKernels.compile(e);
    MemorySegment[] fused = FusedKernelProperties.outputs(c);
    if (k.compiled()) {
      k.runCompiled(c.in(), c.inOff(), fused, c.outOff(), c.layout(), 0, outer);
    } else {
      FusedKernels.run(e, c.in(), c.inOff(), fused, c.outOff(), c.layout());
    }
    boolean perRow = red.axes() == Reduction.Axes.INNER;
    long groups = perRow ? outer : 1;
    long size = perRow ? inner : outer * inner;
    for (long g = 0; g < groups; g++) {
      long at = c.outOff()[0] + g;
      for (MemorySegment[] got : new MemorySegment[][] {fused, unfused}) {
        String what = (got == fused ? "fused" : "op by op") + " " + red + " of group " + g;
        if (t.floating()) {
          checkFloat(red.op(), t, v[0], g * size, size, get(t, got[0], at), what, c);
        } else {
          long want = intReference(red.op(), t, v[0], g * size, size);
          long have = t == ElementType.INT32 ? got[0].getAtIndex(JAVA_INT_UNALIGNED, at)
              : got[0].getAtIndex(JAVA_LONG_UNALIGNED, at);
          if (want != have) {
            throw new AssertionError(what + ": want " + want + ", got " + have + "\n" + c);
          }
        }
      }
    }
  }

  private static double get(ElementType t, MemorySegment s, long i) {
    return t == ElementType.FLOAT32 ? s.getAtIndex(JAVA_FLOAT_UNALIGNED, i)
        : s.getAtIndex(JAVA_DOUBLE_UNALIGNED, i);
  }

  private static long intReference(Reduction.Op op, ElementType t, MemorySegment v, long from,
      long n) {
    boolean i32 = t == ElementType.INT32;
    long acc = switch (op) {
      case MAX -> i32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
      case MIN -> i32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
      default -> 0;
    };
    for (long i = from; i < from + n; i++) {
      long x = i32 ? v.getAtIndex(JAVA_INT_UNALIGNED, i) : v.getAtIndex(JAVA_LONG_UNALIGNED, i);
      acc = switch (op) {
        case MAX -> Math.max(acc, x);
        case MIN -> Math.min(acc, x);
        default -> acc + x;
      };
    }
    return i32 ? (int) acc : acc;
  }

  private static void checkFloat(Reduction.Op op, ElementType t, MemorySegment v, long from,
      long n, double got, String what, Case c) {
    boolean f32 = t == ElementType.FLOAT32;
    if (op == Reduction.Op.MAX || op == Reduction.Op.MIN) {
      double want = op == Reduction.Op.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      for (long i = from; i < from + n; i++) {
        double x = get(t, v, i);
        want = op == Reduction.Op.MAX ? Math.max(want, x) : Math.min(want, x);
      }
      if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
        throw new AssertionError(what + ": want " + want + ", got " + got + "\n" + c);
      }
      return;
    }
    BigDecimal exact = BigDecimal.ZERO;
    double abs = 0;
    boolean nan = false;
    int inf = 0;
    for (long i = from; i < from + n; i++) {
      double x = get(t, v, i);
      if (Double.isNaN(x)) {
        nan = true;
      } else if (Double.isInfinite(x)) {
        inf |= x > 0 ? 1 : 2;
      } else {
        exact = exact.add(new BigDecimal(x));
        abs += Math.abs(x);
      }
    }
    boolean mean = op == Reduction.Op.MEAN;
    if (nan || inf == 3 || mean && n == 0) {
      require(Double.isNaN(got), what + ": want NaN, got " + got, c);
      return;
    }
    if (inf != 0) {
      require(got == (inf == 1 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY),
          what + ": want " + (inf == 1 ? "+" : "-") + "inf, got " + got, c);
      return;
    }
    double max = f32 ? Float.MAX_VALUE : Double.MAX_VALUE;
    if (abs > max / 4) {
      return; // a float accumulator may overflow where the exact sum does not
    }
    double eps = f32 ? 0x1p-23 : 0x1p-52;
    double want = exact.doubleValue();
    double bound = 32 * eps * abs;
    if (mean) {
      want /= n;
      bound /= n;
    }
    double ulp = f32 ? Math.ulp((float) want) : Math.ulp(want);
    bound += mean ? 2 * ulp : ulp;
    require(Math.abs(got - want) <= bound, what + ": want " + want + " +- " + bound + ", got "
        + got, c);
  }

  private static void require(boolean ok, String message, Case c) {
    if (!ok) {
      throw new AssertionError(message + "\n" + c);
    }
  }
}
