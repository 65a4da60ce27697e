package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static jdk.incubator.vector.VectorOperators.COS;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.SIN;
import static jdk.incubator.vector.VectorOperators.TANH;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;

/** The FLOAT64 loops of {@link UnaryVector}: one per operator, each returning how many it did. */
final class UnaryVector64 {
  private UnaryVector64() {}

  static long f64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    return switch (op) {
      case NEG -> negF64(x, xo, y, yo, n);
      case ABS -> absF64(x, xo, y, yo, n);
      case SIGN -> signF64(x, xo, y, yo, n);
      case EXP -> expF64(x, xo, y, yo, n);
      case EXPM1 -> expm1F64(x, xo, y, yo, n);
      case LOG -> logF64(x, xo, y, yo, n);
      case LOG1P -> log1pF64(x, xo, y, yo, n);
      case SQRT -> sqrtF64(x, xo, y, yo, n);
      case RSQRT -> rsqrtF64(x, xo, y, yo, n);
      case SQUARE -> squareF64(x, xo, y, yo, n);
      case RECIPROCAL -> reciprocalF64(x, xo, y, yo, n);
      case SIN -> sinF64(x, xo, y, yo, n);
      case COS -> cosF64(x, xo, y, yo, n);
      case TANH -> tanhF64(x, xo, y, yo, n);
      case SIGMOID -> sigmoidF64(x, xo, y, yo, n);
      case RELU -> reluF64(x, xo, y, yo, n);
      case RELU6 -> relu6F64(x, xo, y, yo, n);
      case ELU -> eluF64(x, xo, y, yo, n);
      case GELU -> geluF64(x, xo, y, yo, n);
      case GELU_TANH -> geluTanhF64(x, xo, y, yo, n);
      case SOFTPLUS -> softplusF64(x, xo, y, yo, n);
      case FLOOR -> floorF64(x, xo, y, yo, n);
      case CEIL -> ceilF64(x, xo, y, yo, n);
      case ROUND -> roundF64(x, xo, y, yo, n);
    };
  }

  private static DoubleVector ld(MemorySegment s, long i) {
    return DoubleVector.fromMemorySegment(D, s, i * JAVA_DOUBLE.byteSize(), NATIVE);
  }

  private static void st(DoubleVector v, MemorySegment s, long i) {
    v.intoMemorySegment(s, i * JAVA_DOUBLE.byteSize(), NATIVE);
  }

  private static long negF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.neg(), y, yo + i);
    }
    return bound;
  }

  private static long absF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.abs(), y, yo + i);
    }
    return bound;
  }

  private static long signF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(UnaryVectorMath.sign(v), y, yo + i);
    }
    return bound;
  }

  private static long expF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.lanewise(EXP), y, yo + i);
    }
    return bound;
  }

  private static long expm1F64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.lanewise(EXPM1), y, yo + i);
    }
    return bound;
  }

  private static long logF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.lanewise(LOG), y, yo + i);
    }
    return bound;
  }

  private static long log1pF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.lanewise(LOG1P), y, yo + i);
    }
    return bound;
  }

  private static long sqrtF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.sqrt(), y, yo + i);
    }
    return bound;
  }

  private static long rsqrtF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(DoubleVector.broadcast(D, 1.0).div(v.sqrt()), y, yo + i);
    }
    return bound;
  }

  private static long squareF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.mul(v), y, yo + i);
    }
    return bound;
  }

  private static long reciprocalF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(DoubleVector.broadcast(D, 1.0).div(v), y, yo + i);
    }
    return bound;
  }

  private static long sinF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.lanewise(SIN), y, yo + i);
    }
    return bound;
  }

  private static long cosF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.lanewise(COS), y, yo + i);
    }
    return bound;
  }

  private static long tanhF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.lanewise(TANH), y, yo + i);
    }
    return bound;
  }

  private static long reluF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.max(0), y, yo + i);
    }
    return bound;
  }

  private static long relu6F64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.max(0).min(6), y, yo + i);
    }
    return bound;
  }

  private static long eluF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.blend(v.lanewise(EXPM1), v.compare(LT, 0)), y, yo + i);
    }
    return bound;
  }

  private static long softplusF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(v.max(0).add(v.abs().neg().lanewise(EXP).lanewise(LOG1P)), y, yo + i);
    }
    return bound;
  }

  private static long floorF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(UnaryVectorMath.floor(v), y, yo + i);
    }
    return bound;
  }

  private static long ceilF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(UnaryVectorMath.ceil(v), y, yo + i);
    }
    return bound;
  }

  private static long roundF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      st(UnaryVectorMath.rint(v), y, yo + i);
    }
    return bound;
  }

  /** One EXP and one division: e = exp(-|x|), 1/(1+e) for x >= 0, e/(1+e) below. */
  private static long sigmoidF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    for (long i = 0; i < bound; i += D.length()) {
      DoubleVector v = ld(x, xo + i);
      DoubleVector e = v.abs().neg().lanewise(EXP);
      DoubleVector r = one.div(e.add(one));
      st(r.blend(e.mul(r), v.compare(LT, 0.0)), y, yo + i);
    }
    return bound;
  }

  private static long geluF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      st(UnaryVectorMath.gelu(ld(x, xo + i)), y, yo + i);
    }
    return bound;
  }

  private static long geluTanhF64(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      st(UnaryVectorMath.geluTanh(ld(x, xo + i)), y, yo + i);
    }
    return bound;
  }
}
