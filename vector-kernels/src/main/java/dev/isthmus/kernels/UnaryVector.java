package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static jdk.incubator.vector.VectorOperators.COS;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.SIN;
import static jdk.incubator.vector.VectorOperators.TANH;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector API implementations of the unary operators: the dispatch for every dtype, and the
 * FLOAT32 loops ({@link UnaryVector64} has the FLOAT64 ones, {@link UnaryVectorInt} the integer
 * ones). One loop per operator, because the operator must be a compile-time constant at each
 * {@code lanewise} call for C2 to intrinsify it: a loop shared through a parameter would not be.
 * Each loop: species loop bound, then the scalar twin for the tail.
 */
final class UnaryVector {
  private UnaryVector() {}

  /** The upper half of F's lanes: where the second of two widened halves goes back. */
  private static final VectorMask<Float> UPPER = F.indexInRange(-D.length(), D.length());

  static void f32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = switch (op) {
      case NEG -> negF32(x, xo, y, yo, n);
      case ABS -> absF32(x, xo, y, yo, n);
      case SIGN -> signF32(x, xo, y, yo, n);
      case EXP -> expF32(x, xo, y, yo, n);
      case EXPM1 -> expm1F32(x, xo, y, yo, n);
      case LOG -> logF32(x, xo, y, yo, n);
      case LOG1P -> log1pF32(x, xo, y, yo, n);
      case SQRT -> sqrtF32(x, xo, y, yo, n);
      case RSQRT -> rsqrtF32(x, xo, y, yo, n);
      case SQUARE -> squareF32(x, xo, y, yo, n);
      case RECIPROCAL -> reciprocalF32(x, xo, y, yo, n);
      case SIN -> sinF32(x, xo, y, yo, n);
      case COS -> cosF32(x, xo, y, yo, n);
      case TANH -> tanhF32(x, xo, y, yo, n);
      case SIGMOID -> sigmoidF32(x, xo, y, yo, n);
      case RELU -> reluF32(x, xo, y, yo, n);
      case RELU6 -> relu6F32(x, xo, y, yo, n);
      case ELU -> eluF32(x, xo, y, yo, n);
      case GELU -> geluF32(x, xo, y, yo, n);
      case GELU_TANH -> geluTanhF32(x, xo, y, yo, n);
      case SOFTPLUS -> softplusF32(x, xo, y, yo, n);
      case FLOOR -> floorF32(x, xo, y, yo, n);
      case CEIL -> ceilF32(x, xo, y, yo, n);
      case ROUND -> roundF32(x, xo, y, yo, n);
    };
    UnaryScalar.f32(op, x, xo + done, y, yo + done, n - done);
  }

  static void f64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = UnaryVector64.f64(op, x, xo, y, yo, n);
    UnaryScalar.f64(op, x, xo + done, y, yo + done, n - done);
  }

  static void i32(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = UnaryVectorInt.i32(op, x, xo, y, yo, n);
    UnaryScalar.i32(op, x, xo + done, y, yo + done, n - done);
  }

  static void i64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long done = UnaryVectorInt.i64(op, x, xo, y, yo, n);
    UnaryScalar.i64(op, x, xo + done, y, yo + done, n - done);
  }

  private static FloatVector ld(MemorySegment s, long i) {
    return FloatVector.fromMemorySegment(F, s, i * JAVA_FLOAT.byteSize(), NATIVE);
  }

  private static void st(FloatVector v, MemorySegment s, long i) {
    v.intoMemorySegment(s, i * JAVA_FLOAT.byteSize(), NATIVE);
  }

  // Each loop returns how many elements it did; the caller's scalar twin does the tail.

  private static long negF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.neg(), y, yo + i);
    }
    return bound;
  }

  private static long absF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.abs(), y, yo + i);
    }
    return bound;
  }

  private static long signF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(UnaryVectorMath.sign(v), y, yo + i);
    }
    return bound;
  }

  private static long expF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.lanewise(EXP), y, yo + i);
    }
    return bound;
  }

  private static long expm1F32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.lanewise(EXPM1), y, yo + i);
    }
    return bound;
  }

  private static long logF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.lanewise(LOG), y, yo + i);
    }
    return bound;
  }

  private static long log1pF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.lanewise(LOG1P), y, yo + i);
    }
    return bound;
  }

  private static long sqrtF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.sqrt(), y, yo + i);
    }
    return bound;
  }

  private static long rsqrtF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(FloatVector.broadcast(F, 1f).div(v.sqrt()), y, yo + i);
    }
    return bound;
  }

  private static long squareF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.mul(v), y, yo + i);
    }
    return bound;
  }

  private static long reciprocalF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(FloatVector.broadcast(F, 1f).div(v), y, yo + i);
    }
    return bound;
  }

  private static long sinF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.lanewise(SIN), y, yo + i);
    }
    return bound;
  }

  private static long cosF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.lanewise(COS), y, yo + i);
    }
    return bound;
  }

  private static long tanhF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.lanewise(TANH), y, yo + i);
    }
    return bound;
  }

  private static long reluF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.max(0f), y, yo + i);
    }
    return bound;
  }

  private static long relu6F32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.max(0f).min(6f), y, yo + i);
    }
    return bound;
  }

  private static long eluF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.blend(v.lanewise(EXPM1), v.compare(LT, 0f)), y, yo + i);
    }
    return bound;
  }

  private static long softplusF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(v.max(0f).add(v.abs().neg().lanewise(EXP).lanewise(LOG1P)), y, yo + i);
    }
    return bound;
  }

  private static long floorF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(UnaryVectorMath.floor(v), y, yo + i);
    }
    return bound;
  }

  private static long ceilF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(UnaryVectorMath.ceil(v), y, yo + i);
    }
    return bound;
  }

  private static long roundF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      st(UnaryVectorMath.rint(v), y, yo + i);
    }
    return bound;
  }

  /** One EXP and one division: e = exp(-|x|), 1/(1+e) for x >= 0, e/(1+e) below. */
  private static long sigmoidF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector one = FloatVector.broadcast(F, 1f);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      FloatVector e = v.abs().neg().lanewise(EXP);
      FloatVector r = one.div(e.add(one));
      st(r.blend(e.mul(r), v.compare(LT, 0f)), y, yo + i);
    }
    return bound;
  }

  // GELU in FLOAT32 runs in double lanes: each half of a float vector is widened, computed as in
  // FLOAT64 and narrowed back, so the result is the twin's (computed in double, rounded once).

  private static long geluF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      DoubleVector lo = UnaryVectorMath.gelu((DoubleVector) v.convertShape(F2D, D, 0));
      DoubleVector hi = UnaryVectorMath.gelu((DoubleVector) v.convertShape(F2D, D, 1));
      st(narrow(lo, hi), y, yo + i);
    }
    return bound;
  }

  private static long geluTanhF32(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      FloatVector v = ld(x, xo + i);
      DoubleVector lo = UnaryVectorMath.geluTanh((DoubleVector) v.convertShape(F2D, D, 0));
      DoubleVector hi = UnaryVectorMath.geluTanh((DoubleVector) v.convertShape(F2D, D, 1));
      st(narrow(lo, hi), y, yo + i);
    }
    return bound;
  }

  private static FloatVector narrow(DoubleVector lo, DoubleVector hi) {
    FloatVector a = (FloatVector) lo.convertShape(D2F, F, 0);
    FloatVector b = (FloatVector) hi.convertShape(D2F, F, -1);
    return a.blend(b, UPPER);
  }
}
