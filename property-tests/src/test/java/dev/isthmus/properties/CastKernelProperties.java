package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.kernels.CastKernels;
import dev.isthmus.kernels.CastScalar;
import dev.isthmus.kernels.ClipKernels;
import dev.isthmus.kernels.ClipScalar;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Every conversion kernel (all 20 pairs of distinct dtypes) and the clip kernels against their
 * scalar twins, over awkward sizes, offsets and values (NaN, infinities, out-of-range floats).
 */
class CastKernelProperties {
  record Case(int n, int xo, int yo, MemorySegment x) {}

  static Gen<Case> cases(DType t) {
    return in -> {
      Draw d = TensorGens.draw(in);
      int n = BinaryTestData.size(d, t);
      int xo = d.intBetween(0, 3), yo = d.intBetween(0, 3);
      return new Case(n, xo, yo, BinaryTestData.random(d, t, xo, Math.max(n, 1)));
    };
  }

  private static String key(DType t) {
    return switch (t) {
      case FLOAT32 -> "f32";
      case FLOAT64 -> "f64";
      case INT32 -> "i32";
      case INT64 -> "i64";
      case BOOL -> "bool";
    };
  }

  // CastKernels.f32ToI64 and its twin CastScalar.f32ToI64, found by name so no pair is missed.
  private static Method kernel(Class<?> c, DType from, DType to) throws NoSuchMethodException {
    String k = key(to);
    String name = key(from) + "To" + k.substring(0, 1).toUpperCase(Locale.ROOT) + k.substring(1);
    return c.getMethod(name, MemorySegment.class, long.class, MemorySegment.class, long.class,
        long.class);
  }

  @Test
  void everyConversionMatchesItsScalarTwin() throws Exception {
    int pairs = 0;
    for (DType from : DType.values()) {
      for (DType to : DType.values()) {
        if (from == to) {
          continue;
        }
        Method vec = kernel(CastKernels.class, from, to), twin = kernel(CastScalar.class, from, to);
        pairs++;
        qt().withExamples(60).forAll(cases(from)).checkAssert(c -> {
          MemorySegment want = BinaryTestData.zeros(to, c.yo() + c.n());
          MemorySegment got = BinaryTestData.zeros(to, c.yo() + c.n());
          try {
            twin.invoke(null, c.x(), c.xo(), want, c.yo(), c.n());
            vec.invoke(null, c.x(), c.xo(), got, c.yo(), c.n());
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
          BinaryTestData.assertSame(to, want, got, c.yo() + c.n(), 0,
              from + " to " + to + " n=" + c.n());
        });
      }
    }
    if (pairs != 20) {
      throw new AssertionError(pairs + " pairs");
    }
  }

  @Test
  void clipMatchesScalarTwin() {
    DType[] types = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64};
    for (DType t : types) {
      qt().withExamples(80).forAll(cases(t), cases(t)).checkAssert((c, bounds) -> {
        MemorySegment want = BinaryTestData.zeros(t, c.yo() + c.n());
        MemorySegment got = BinaryTestData.zeros(t, c.yo() + c.n());
        MemorySegment x = c.x(), b = bounds.x();
        int xo = c.xo(), yo = c.yo(), n = c.n(), bo = bounds.xo();
        switch (t) {
          case FLOAT32 -> {
            float lo = b.getAtIndex(JAVA_FLOAT, bo), hi = lo + Math.abs(b.getAtIndex(JAVA_FLOAT, 0));
            ClipScalar.f32(x, xo, lo, hi, want, yo, n);
            ClipKernels.f32(x, xo, lo, hi, got, yo, n);
          }
          case FLOAT64 -> {
            double lo = b.getAtIndex(JAVA_DOUBLE, bo), hi = b.getAtIndex(JAVA_DOUBLE, 0);
            ClipScalar.f64(x, xo, lo, hi, want, yo, n);
            ClipKernels.f64(x, xo, lo, hi, got, yo, n);
          }
          case INT32 -> {
            int lo = b.getAtIndex(JAVA_INT, bo), hi = b.getAtIndex(JAVA_INT, 0);
            ClipScalar.i32(x, xo, Math.min(lo, hi), Math.max(lo, hi), want, yo, n);
            ClipKernels.i32(x, xo, Math.min(lo, hi), Math.max(lo, hi), got, yo, n);
          }
          default -> {
            long lo = b.getAtIndex(JAVA_LONG, bo), hi = b.getAtIndex(JAVA_LONG, 0);
            ClipScalar.i64(x, xo, lo, hi, want, yo, n);
            ClipKernels.i64(x, xo, lo, hi, got, yo, n);
          }
        }
        BinaryTestData.assertSame(t, want, got, c.yo() + c.n(), 0, "clip " + t + " n=" + n);
      });
    }
  }
}
