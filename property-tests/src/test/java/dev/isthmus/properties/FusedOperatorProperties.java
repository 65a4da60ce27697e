package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.BinaryScalar;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.UnaryScalar;
import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.FusedLayout;
import dev.isthmus.kernels.fusion.Pattern;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every unary and binary operator alone in a generated kernel, in FLOAT32 and FLOAT64, against
 * its scalar twin within the tolerance the per-op kernel documents ({@link UnaryOp}; 4 ulps for
 * POW and ATAN2, exact for the rest), with the second operand of a binary operator in each
 * broadcast pattern: this covers the operators that call Vector API stubs (EXP, LOG, SIN, POW,
 * ...), which the random DAGs of {@link FusedKernelProperties} leave out, in any JIT state.
 */
class FusedOperatorProperties {
  static final int EXAMPLES = 25;

  record Run(ElementType t, long outer, long inner, double[] a, double[] b, Pattern pb) {}

  static Run run(Draw d, boolean binary) {
    ElementType t = d.between(0, 1) == 0 ? ElementType.FLOAT32 : ElementType.FLOAT64;
    long outer = d.oneOf(1L, 2L, 3L);
    long inner = d.oneOf(1L, 7L, 8L, 9L, 15L, 16L, 17L, 33L, 100L, 257L);
    Pattern pb = binary ? d.oneOf(Pattern.ELEMENTWISE, Pattern.SCALAR, Pattern.ROW,
        Pattern.COLUMN) : Pattern.ELEMENTWISE;
    double[] a = new double[(int) (outer * inner)];
    for (int i = 0; i < a.length; i++) {
      a[i] = UnaryKernelProperties.mixed(d, t == ElementType.FLOAT32);
    }
    int nb = (int) switch (pb) {
      case SCALAR -> 1;
      case ROW -> inner;
      case COLUMN -> outer;
      default -> outer * inner;
    };
    double[] b = new double[nb];
    for (int i = 0; i < nb; i++) {
      b[i] = UnaryKernelProperties.mixed(d, t == ElementType.FLOAT32);
    }
    return new Run(t, outer, inner, a, b, pb);
  }

  private static MemorySegment segment(ElementType t, double[] v) {
    if (t == ElementType.FLOAT32) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      return MemorySegment.ofArray(f);
    }
    return MemorySegment.ofArray(v.clone());
  }

  private static double get(ElementType t, MemorySegment s, long i) {
    return t == ElementType.FLOAT32 ? s.getAtIndex(JAVA_FLOAT_UNALIGNED, i)
        : s.getAtIndex(JAVA_DOUBLE_UNALIGNED, i);
  }

  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void unaryOperatorsMatchTheirTwins(UnaryOp op) {
    qt().withExamples(EXAMPLES).forAll(in -> run(TensorGens.draw(in), false)).checkAssert(r -> {
      FusedExpr.Builder b = FusedExpr.builder();
      b.output(b.unary(op, b.input(0, r.t(), Pattern.ELEMENTWISE)));
      FusedExpr e = b.build();
      MemorySegment a = segment(r.t(), r.a());
      MemorySegment out = segment(r.t(), new double[r.a().length]);
      CompiledKernel k = FusedKernels.compile(e);
      k.runCompiled(new MemorySegment[] {a}, new long[1], new MemorySegment[] {out},
          new long[1], FusedLayout.of(r.outer(), r.inner()), 0, r.outer());
      boolean f32 = r.t() == ElementType.FLOAT32;
      long ulps = UnaryKernelProperties.exact(op) ? 0
          : f32 ? UnaryKernelProperties.ulps32(op) : UnaryKernelProperties.ulps64(op);
      for (int i = 0; i < r.a().length; i++) {
        double x = get(r.t(), a, i);
        double want = f32 ? UnaryScalar.apply(op, (float) x) : UnaryScalar.apply(op, x);
        check(f32, want, get(r.t(), out, i), ulps, op + "(" + x + ") at " + i);
      }
    });
  }

  @ParameterizedTest
  @EnumSource(value = BinaryOp.class, names = "FLOOR_MOD", mode = EnumSource.Mode.EXCLUDE)
  void binaryOperatorsMatchTheirTwins(BinaryOp op) {
    qt().withExamples(EXAMPLES).forAll(in -> run(TensorGens.draw(in), true)).checkAssert(r -> {
      FusedExpr.Builder b = FusedExpr.builder();
      b.output(b.binary(op, b.input(0, r.t(), Pattern.ELEMENTWISE), b.input(1, r.t(), r.pb())));
      FusedExpr e = b.build();
      MemorySegment a = segment(r.t(), r.a());
      MemorySegment bs = segment(r.t(), r.b());
      MemorySegment out = segment(r.t(), new double[r.a().length]);
      CompiledKernel k = FusedKernels.compile(e);
      k.runCompiled(new MemorySegment[] {a, bs}, new long[2], new MemorySegment[] {out},
          new long[1], FusedLayout.of(r.outer(), r.inner()), 0, r.outer());
      boolean f32 = r.t() == ElementType.FLOAT32;
      long ulps = op == BinaryOp.POW || op == BinaryOp.ATAN2 ? 4 : 0;
      for (int row = 0; row < r.outer(); row++) {
        for (int j = 0; j < r.inner(); j++) {
          int i = (int) (row * r.inner() + j);
          int bi = switch (r.pb()) {
            case SCALAR -> 0;
            case ROW -> j;
            case COLUMN -> row;
            default -> i;
          };
          double x = get(r.t(), a, i);
          double y = get(r.t(), bs, bi);
          double want = f32 ? BinaryScalar.apply(op, (float) x, (float) y)
              : BinaryScalar.apply(op, x, y);
          check(f32, want, get(r.t(), out, i), ulps, op + "(" + x + ", " + y + ") at " + i
              + " with b " + r.pb());
        }
      }
    });
  }

  private static void check(boolean f32, double want, double got, long ulps, String what) {
    boolean ok = f32 ? Tolerance.ulps(ulps).accepts((float) want, (float) got)
        : Tolerance.ulps(ulps).accepts(want, got);
    boolean sameZero = want != 0 || ulps > 0
        || Double.doubleToRawLongBits(want) == Double.doubleToRawLongBits(got);
    if (!ok || !sameZero) {
      throw new AssertionError(what + ": want " + want + ", got " + got + " (" + ulps
          + " ulps allowed)");
    }
  }
}
