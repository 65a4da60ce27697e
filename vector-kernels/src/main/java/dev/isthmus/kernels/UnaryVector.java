package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.HeapArrays.floats;
import static dev.isthmus.kernels.HeapArrays.index;
import static dev.isthmus.kernels.HeapArrays.ld;
import static dev.isthmus.kernels.HeapArrays.st;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static jdk.incubator.vector.VectorOperators.ATAN;
import static jdk.incubator.vector.VectorOperators.COS;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.SIN;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector API implementations of the unary operators: the dispatch for every dtype, and the
 * FLOAT32 loops ({@link UnaryVector64} has the FLOAT64 ones, {@link UnaryVectorInt} the integer
 * ones). One loop per operator, because the operator must be a compile-time constant at each
 * {@code lanewise} call for C2 to intrinsify it: a loop shared through a parameter would not be.
 * The dispatch runs the loop over the species loop bound, then the scalar twin does the tail.
 *
 * <p>Segments over a {@code float[]} (every heap tensor) are read and written through the array,
 * with {@link HeapArrays}: in a loop that calls an intrinsic (EXP, TANH, ...), C2 re-checks a
 * segment's bounds and liveness after every call, while an array's checks are hoisted, which
 * measured about 2.5x faster for EXP. The loops therefore take the array (or null, for other
 * segments) beside the segment, and count in int over chunks of at most {@link
 * HeapArrays#CHUNK} elements.
 */
final class UnaryVector {
  private UnaryVector() {}

  /** The upper half of F's lanes: where the second of two widened halves goes back. */
  private static final VectorMask<Float> UPPER = F.indexInRange(-D.length(), D.length());

  static void f32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    float[] xa = floats(x);
    float[] ya = floats(y);
    long xi = index(xa, x, xo);
    long yi = index(ya, y, yo);
    long bound = F.loopBound(n);
    for (long done = 0; done < bound; done += CHUNK) {
      loop(op, xa, x, xi + done, ya, y, yi + done, (int) Math.min(CHUNK, bound - done));
    }
    UnaryScalar.f32(op, x, xo + bound, y, yo + bound, n - bound);
  }

  private static void loop(UnaryOp op,
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    switch (op) {
      case NEG -> negF32(xa, x, xo, ya, y, yo, n);
      case ABS -> absF32(xa, x, xo, ya, y, yo, n);
      case SIGN -> signF32(xa, x, xo, ya, y, yo, n);
      case EXP -> expF32(xa, x, xo, ya, y, yo, n);
      case EXPM1 -> expm1F32(xa, x, xo, ya, y, yo, n);
      case LOG -> logF32(xa, x, xo, ya, y, yo, n);
      case LOG1P -> log1pF32(xa, x, xo, ya, y, yo, n);
      case SQRT -> sqrtF32(xa, x, xo, ya, y, yo, n);
      case RSQRT -> rsqrtF32(xa, x, xo, ya, y, yo, n);
      case SQUARE -> squareF32(xa, x, xo, ya, y, yo, n);
      case RECIPROCAL -> reciprocalF32(xa, x, xo, ya, y, yo, n);
      case SIN -> sinF32(xa, x, xo, ya, y, yo, n);
      case COS -> cosF32(xa, x, xo, ya, y, yo, n);
      case ATAN -> atanF32(xa, x, xo, ya, y, yo, n);
      case TANH -> tanhF32(xa, x, xo, ya, y, yo, n);
      case SIGMOID -> sigmoidF32(xa, x, xo, ya, y, yo, n);
      case RELU -> reluF32(xa, x, xo, ya, y, yo, n);
      case RELU6 -> relu6F32(xa, x, xo, ya, y, yo, n);
      case ELU -> eluF32(xa, x, xo, ya, y, yo, n);
      case GELU -> geluF32(xa, x, xo, ya, y, yo, n);
      case GELU_TANH -> geluTanhF32(xa, x, xo, ya, y, yo, n);
      case SOFTPLUS -> softplusF32(xa, x, xo, ya, y, yo, n);
      case FLOOR -> floorF32(xa, x, xo, ya, y, yo, n);
      case CEIL -> ceilF32(xa, x, xo, ya, y, yo, n);
      case ROUND -> roundF32(xa, x, xo, ya, y, yo, n);
    }
  }

  static void f64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    UnaryVector64.f64(op, x, xo, y, yo, n);
  }

  static void i32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = UnaryVectorInt.i32(op, x, xo, y, yo, n);
    UnaryScalar.i32(op, x, xo + done, y, yo + done, n - done);
  }

  static void i64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = UnaryVectorInt.i64(op, x, xo, y, yo, n);
    UnaryScalar.i64(op, x, xo + done, y, yo + done, n - done);
  }

  // Each loop does n elements, n a multiple of the lanes.

  private static void negF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.neg(), ya, y, yo, i);
    }
  }

  private static void absF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.abs(), ya, y, yo, i);
    }
  }

  private static void signF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.sign(v), ya, y, yo, i);
    }
  }

  private static void expF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(EXP), ya, y, yo, i);
    }
  }

  private static void expm1F32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(EXPM1), ya, y, yo, i);
    }
  }

  private static void logF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(LOG), ya, y, yo, i);
    }
  }

  private static void log1pF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(LOG1P), ya, y, yo, i);
    }
  }

  private static void sqrtF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.sqrt(), ya, y, yo, i);
    }
  }

  private static void rsqrtF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(FloatVector.broadcast(F, 1f).div(v.sqrt()), ya, y, yo, i);
    }
  }

  private static void squareF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.mul(v), ya, y, yo, i);
    }
  }

  private static void reciprocalF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(FloatVector.broadcast(F, 1f).div(v), ya, y, yo, i);
    }
  }

  private static void sinF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(SIN), ya, y, yo, i);
    }
  }

  private static void cosF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(COS), ya, y, yo, i);
    }
  }

  private static void atanF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(ATAN), ya, y, yo, i);
    }
  }

  /**
   * tanh without a stub call: the Vector API's TANH is a call into SVML, about 1.8x slower than
   * this (see {@link UnaryVectorMath} for the method and its accuracy).
   *
   * <p>Self-contained on purpose: every call in the loop is a Vector API method, which C2 always
   * inlines. A helper of ours (ld, st, a math function) is inlined only while the compilation
   * has nodes to spare (NodeCountInliningCutoff), and {@link #loop} inlines every hot operator's
   * loop: past that budget, a helper called in the middle of this loop stayed a call, its vectors
   * were boxed, and the loop ran 6 to 40 times slower. The constants are broadcast once, before
   * the loop.
   */
  private static void tanhF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    int w = F.length();
    FloatVector one = FloatVector.broadcast(F, 1f);
    FloatVector log2e = FloatVector.broadcast(F, UnaryVectorMath.LOG2E);
    FloatVector rounder = FloatVector.broadcast(F, UnaryVectorMath.ROUNDER);
    FloatVector ln2hi = FloatVector.broadcast(F, -UnaryVectorMath.LN2_HI);
    FloatVector ln2lo = FloatVector.broadcast(F, -UnaryVectorMath.LN2_LO);
    FloatVector c6 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C6);
    FloatVector c5 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C5);
    FloatVector c4 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C4);
    FloatVector c3 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C3);
    FloatVector c2 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C2);
    FloatVector c1 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C1);
    FloatVector c0 = FloatVector.broadcast(F, UnaryVectorMath.EXP_C0);
    FloatVector p4 = FloatVector.broadcast(F, UnaryVectorMath.TANH_P4);
    FloatVector p3 = FloatVector.broadcast(F, UnaryVectorMath.TANH_P3);
    FloatVector p2 = FloatVector.broadcast(F, UnaryVectorMath.TANH_P2);
    FloatVector p1 = FloatVector.broadcast(F, UnaryVectorMath.TANH_P1);
    FloatVector p0 = FloatVector.broadcast(F, UnaryVectorMath.TANH_P0);
    int bias = 127 - UnaryVectorMath.ROUNDER_BITS;
    for (int i = 0; i < n; i += w) {
      FloatVector v = xa != null ? FloatVector.fromArray(F, xa, (int) xo + i)
          : FloatVector.fromMemorySegment(F, x, (xo + i) * Float.BYTES, NATIVE);
      FloatVector a = v.abs();
      // a >= TANH_SMALL: (1 - e)/(1 + e), e = exp(t), t = -2 min(a, TANH_CLAMP) (NaN stays)
      FloatVector t = a.blend(UnaryVectorMath.TANH_CLAMP, a.compare(GT, UnaryVectorMath.TANH_CLAMP))
          .mul(-2f);
      FloatVector z = t.fma(log2e, rounder);
      FloatVector k = z.sub(rounder);
      FloatVector r = k.fma(ln2lo, k.fma(ln2hi, t));
      FloatVector e = c6.fma(r, c5).fma(r, c4).fma(r, c3).fma(r, c2).fma(r, c1).fma(r, c0)
          .mul(z.viewAsIntegralLanes().add(bias).lanewise(LSHL, 23).viewAsFloatingLanes());
      FloatVector big = one.sub(e).div(one.add(e));
      // a < TANH_SMALL: a + a^3 P(a^2)
      FloatVector s = a.mul(a);
      FloatVector small = p4.fma(s, p3).fma(s, p2).fma(s, p1).fma(s, p0).fma(a.mul(s), a);
      FloatVector m = big.blend(small, a.compare(LT, UnaryVectorMath.TANH_SMALL));
      FloatVector out = m.viewAsIntegralLanes()
          .or(v.viewAsIntegralLanes().and(Integer.MIN_VALUE)).viewAsFloatingLanes();
      if (ya != null) {
        out.intoArray(ya, (int) yo + i);
      } else {
        out.intoMemorySegment(y, (yo + i) * Float.BYTES, NATIVE);
      }
    }
  }

  private static void reluF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.max(0f), ya, y, yo, i);
    }
  }

  private static void relu6F32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.max(0f).min(6f), ya, y, yo, i);
    }
  }

  private static void eluF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.blend(v.lanewise(EXPM1), v.compare(LT, 0f)), ya, y, yo, i);
    }
  }

  private static void softplusF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.max(0f).add(v.abs().neg().lanewise(EXP).lanewise(LOG1P)), ya, y, yo, i);
    }
  }

  private static void floorF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.floor(v), ya, y, yo, i);
    }
  }

  private static void ceilF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.ceil(v), ya, y, yo, i);
    }
  }

  private static void roundF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.rint(v), ya, y, yo, i);
    }
  }

  /** One EXP and one division: e = exp(-|x|), 1/(1+e) for x >= 0, e/(1+e) below. */
  private static void sigmoidF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    FloatVector one = FloatVector.broadcast(F, 1f);
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      FloatVector e = v.abs().neg().lanewise(EXP);
      FloatVector r = one.div(e.add(one));
      st(r.blend(e.mul(r), v.compare(LT, 0f)), ya, y, yo, i);
    }
  }

  // GELU in FLOAT32 runs in double lanes: each half of a float vector is widened, computed as in
  // FLOAT64 and narrowed back, so the result is the twin's (computed in double, rounded once).

  private static void geluF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      DoubleVector lo = UnaryVectorMath.gelu((DoubleVector) v.convertShape(F2D, D, 0));
      DoubleVector hi = UnaryVectorMath.gelu((DoubleVector) v.convertShape(F2D, D, 1));
      st(narrow(lo, hi), ya, y, yo, i);
    }
  }

  private static void geluTanhF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      DoubleVector lo = UnaryVectorMath.geluTanh((DoubleVector) v.convertShape(F2D, D, 0));
      DoubleVector hi = UnaryVectorMath.geluTanh((DoubleVector) v.convertShape(F2D, D, 1));
      st(narrow(lo, hi), ya, y, yo, i);
    }
  }

  private static FloatVector narrow(DoubleVector lo, DoubleVector hi) {
    FloatVector a = (FloatVector) lo.convertShape(D2F, F, 0);
    FloatVector b = (FloatVector) hi.convertShape(D2F, F, -1);
    return a.blend(b, UPPER);
  }
}
