package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.Refusal;
import dev.isthmus.properties.FusedDags.Case;
import dev.isthmus.properties.FusedDags.Options;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Random fused expressions (DAGs of depth up to 8 over broadcast inputs, mixing unary, binary,
 * compare, logic, select and cast nodes, FLOAT32 and FLOAT64 with integers and BOOL, with and
 * without FMA contraction, in every kind of memory): the generated kernel against the same
 * expression run op by op through the per-op kernels, bit for bit, and against the scalar
 * interpreter ({@link dev.isthmus.kernels.fusion.FusedScalar}), bit for bit wherever both compute
 * with the same formula (the scalar tail of every row, and every element when all operators are
 * exact). The generated code runs cold here (interpreted, then C1), which also checks that cold
 * and compiled code agree; operators that call a Vector API stub (EXP, SIN, ...) differ by an
 * ulp between those JIT states, so these DAGs leave them out, and {@link
 * FusedOperatorProperties} covers them.
 */
class FusedKernelProperties {
  static final int EXAMPLES = 150;

  @Test
  void generatedKernelsEqualOpByOpAndTheInterpreter() {
    qt().withExamples(EXAMPLES).forAll(in -> FusedDags.draw(TensorGens.draw(in),
        new Options(true, false, null))).checkAssert(FusedKernelProperties::check);
  }

  @Test
  void refusedOperatorsRunOpByOp() {
    qt().withExamples(40).forAll(in -> FusedDags.draw(TensorGens.draw(in),
        new Options(true, true, null))).checkAssert(FusedKernelProperties::check);
  }

  /** Fills outputs with a guard value, so that writes outside the range show. */
  static MemorySegment[] outputs(Case c) {
    FusedExpr e = c.expr();
    MemorySegment[] out = new MemorySegment[e.outputCount()];
    long n = extent(c);
    for (int m = 0; m < out.length; m++) {
      ElementType t = e.outputType(m);
      out[m] = FusedDags.memory(c.outKinds()[m], t, c.outOff()[m] + n + 2);
      out[m].fill((byte) 0x5a);
    }
    return out;
  }

  static long extent(Case c) {
    FusedExpr e = c.expr();
    if (e.reduction() == null) {
      return c.layout().outer() * c.layout().inner();
    }
    return e.reduction().axes() == dev.isthmus.kernels.fusion.Reduction.Axes.INNER
        ? c.layout().outer() : 1;
  }

  static void check(Case c) {
    FusedExpr e = c.expr();
    CompiledKernel k = FusedKernels.compile(e);
    MemorySegment[] unfused = outputs(c);
    MemorySegment[] interp = outputs(c);
    FusedKernels.runUnfused(e, c.in(), c.inOff(), unfused, c.outOff(), c.layout());
    FusedKernels.interpret(e, c.in(), c.inOff(), interp, c.outOff(), c.layout());
    if (!k.compiled()) {
      assertTrue(!Simd.VECTOR || k.refusal().kind() == Refusal.Kind.UNSUPPORTED
          || k.refusal().kind() == Refusal.Kind.DISABLED, () -> k.refusal() + "\n" + c);
      MemorySegment[] viaRun = outputs(c);
      assertEquals(FusedKernels.Path.UNFUSED,
          FusedKernels.run(e, c.in(), c.inOff(), viaRun, c.outOff(), c.layout()));
      compareAll(c, unfused, viaRun, "run (refused) vs op by op");
      return;
    }
    MemorySegment[] fused = outputs(c);
    k.runCompiled(c.in(), c.inOff(), fused, c.outOff(), c.layout(), 0, c.layout().outer());
    compareAll(c, unfused, fused, "fused vs op by op");
    if (c.exact()) {
      compareAll(c, interp, fused, "fused vs interpreter (exact operators)");
    } else {
      compareTails(c, k.lanes(), interp, fused);
    }
  }

  static void compareAll(Case c, MemorySegment[] want, MemorySegment[] got, String what) {
    FusedExpr e = c.expr();
    long n = extent(c);
    for (int m = 0; m < want.length; m++) {
      ElementType t = e.outputType(m);
      long end = c.outOff()[m] + n + 2;
      for (long i = 0; i < end; i++) {
        if (!same(t, want[m], got[m], i)) {
          throw new AssertionError(what + ": output " + m + " element " + (i - c.outOff()[m])
              + ": want " + text(t, want[m], i) + ", got " + text(t, got[m], i) + "\n" + c);
        }
      }
    }
  }

  /** The scalar tail of each row (of the one flattened row for flat expressions). */
  static void compareTails(Case c, int lanes, MemorySegment[] want, MemorySegment[] got) {
    FusedExpr e = c.expr();
    if (e.reduction() != null) {
      return;
    }
    long outer = c.layout().outer();
    long inner = c.layout().inner();
    if (e.flat()) {
      inner *= outer;
      outer = outer > 0 ? 1 : 0;
    }
    long bound = inner - inner % lanes;
    for (int m = 0; m < want.length; m++) {
      ElementType t = e.outputType(m);
      for (long r = 0; r < outer; r++) {
        for (long j = bound; j < inner; j++) {
          long i = c.outOff()[m] + r * inner + j;
          if (!same(t, want[m], got[m], i)) {
            throw new AssertionError("tail: output " + m + " row " + r + " column " + j
                + ": interpreter " + text(t, want[m], i) + ", fused " + text(t, got[m], i)
                + "\n" + c);
          }
        }
      }
    }
  }

  /** Equal bits, all NaNs being one. */
  static boolean same(ElementType t, MemorySegment a, MemorySegment b, long i) {
    return switch (t) {
      case FLOAT32 -> Float.floatToIntBits(a.getAtIndex(JAVA_FLOAT_UNALIGNED, i))
          == Float.floatToIntBits(b.getAtIndex(JAVA_FLOAT_UNALIGNED, i));
      case FLOAT64 -> Double.doubleToLongBits(a.getAtIndex(JAVA_DOUBLE_UNALIGNED, i))
          == Double.doubleToLongBits(b.getAtIndex(JAVA_DOUBLE_UNALIGNED, i));
      case INT32 -> a.getAtIndex(JAVA_INT_UNALIGNED, i) == b.getAtIndex(JAVA_INT_UNALIGNED, i);
      case INT64 -> a.getAtIndex(JAVA_LONG_UNALIGNED, i) == b.getAtIndex(JAVA_LONG_UNALIGNED, i);
      case BOOL -> a.get(JAVA_BYTE, i) == b.get(JAVA_BYTE, i);
    };
  }

  static String text(ElementType t, MemorySegment s, long i) {
    return switch (t) {
      case FLOAT32 -> Float.toString(s.getAtIndex(JAVA_FLOAT_UNALIGNED, i));
      case FLOAT64 -> Double.toString(s.getAtIndex(JAVA_DOUBLE_UNALIGNED, i));
      case INT32 -> Integer.toString(s.getAtIndex(JAVA_INT_UNALIGNED, i));
      case INT64 -> Long.toString(s.getAtIndex(JAVA_LONG_UNALIGNED, i));
      case BOOL -> Byte.toString(s.get(JAVA_BYTE, i));
    };
  }

  @Test
  void theGeneratorReachesEveryPattern() {
    java.util.EnumSet<dev.isthmus.kernels.fusion.Pattern> seen =
        java.util.EnumSet.noneOf(dev.isthmus.kernels.fusion.Pattern.class);
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < 400; i++) {
      Case c = FusedDags.draw(dev.isthmus.testkit.Draw.of(r), new Options(true, false, null));
      for (int k = 0; k < c.expr().inputCount(); k++) {
        seen.add(c.expr().input(k).pattern());
      }
      assertNotNull(c.expr());
    }
    assertEquals(java.util.EnumSet.allOf(dev.isthmus.kernels.fusion.Pattern.class), seen);
  }
}
