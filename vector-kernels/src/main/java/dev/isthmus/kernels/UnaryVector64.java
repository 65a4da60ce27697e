package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.HeapArrays.doubles;
import static dev.isthmus.kernels.HeapArrays.index;
import static dev.isthmus.kernels.HeapArrays.ld;
import static dev.isthmus.kernels.HeapArrays.st;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static jdk.incubator.vector.VectorOperators.ATAN;
import static jdk.incubator.vector.VectorOperators.COS;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.SIN;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;

/**
 * The FLOAT64 loops of {@link UnaryVector}, one per operator, with the array fast path of {@link
 * HeapArrays} and int chunks.
 */
final class UnaryVector64 {
  private UnaryVector64() {}

  /** tanh's clamp in float64: tanh rounds to 1 from 19.06 (1 - 2e^-38 > 1 - 2^-54). */
  private static final double TANH_CLAMP = 20;

  static void f64(UnaryOp op, MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    double[] xa = doubles(x);
    double[] ya = doubles(y);
    long xi = index(xa, x, xo);
    long yi = index(ya, y, yo);
    long bound = D.loopBound(n);
    for (long done = 0; done < bound; done += CHUNK) {
      loop(op, xa, x, xi + done, ya, y, yi + done, (int) Math.min(CHUNK, bound - done));
    }
    UnaryScalar.f64(op, x, xo + bound, y, yo + bound, n - bound);
  }

  private static void loop(UnaryOp op,
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    switch (op) {
      case NEG -> negF64(xa, x, xo, ya, y, yo, n);
      case ABS -> absF64(xa, x, xo, ya, y, yo, n);
      case SIGN -> signF64(xa, x, xo, ya, y, yo, n);
      case EXP -> expF64(xa, x, xo, ya, y, yo, n);
      case EXPM1 -> expm1F64(xa, x, xo, ya, y, yo, n);
      case LOG -> logF64(xa, x, xo, ya, y, yo, n);
      case LOG1P -> log1pF64(xa, x, xo, ya, y, yo, n);
      case SQRT -> sqrtF64(xa, x, xo, ya, y, yo, n);
      case RSQRT -> rsqrtF64(xa, x, xo, ya, y, yo, n);
      case SQUARE -> squareF64(xa, x, xo, ya, y, yo, n);
      case RECIPROCAL -> reciprocalF64(xa, x, xo, ya, y, yo, n);
      case SIN -> sinF64(xa, x, xo, ya, y, yo, n);
      case COS -> cosF64(xa, x, xo, ya, y, yo, n);
      case ATAN -> atanF64(xa, x, xo, ya, y, yo, n);
      case TANH -> tanhF64(xa, x, xo, ya, y, yo, n);
      case SIGMOID -> sigmoidF64(xa, x, xo, ya, y, yo, n);
      case RELU -> reluF64(xa, x, xo, ya, y, yo, n);
      case RELU6 -> relu6F64(xa, x, xo, ya, y, yo, n);
      case ELU -> eluF64(xa, x, xo, ya, y, yo, n);
      case GELU -> geluF64(xa, x, xo, ya, y, yo, n);
      case GELU_TANH -> geluTanhF64(xa, x, xo, ya, y, yo, n);
      case SOFTPLUS -> softplusF64(xa, x, xo, ya, y, yo, n);
      case FLOOR -> floorF64(xa, x, xo, ya, y, yo, n);
      case CEIL -> ceilF64(xa, x, xo, ya, y, yo, n);
      case ROUND -> roundF64(xa, x, xo, ya, y, yo, n);
    }
  }

  private static void negF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.neg(), ya, y, yo, i);
    }
  }

  private static void absF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.abs(), ya, y, yo, i);
    }
  }

  private static void signF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.sign(v), ya, y, yo, i);
    }
  }

  private static void expF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.lanewise(EXP), ya, y, yo, i);
    }
  }

  private static void expm1F64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.lanewise(EXPM1), ya, y, yo, i);
    }
  }

  private static void logF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.lanewise(LOG), ya, y, yo, i);
    }
  }

  private static void log1pF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.lanewise(LOG1P), ya, y, yo, i);
    }
  }

  private static void sqrtF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.sqrt(), ya, y, yo, i);
    }
  }

  private static void rsqrtF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(DoubleVector.broadcast(D, 1.0).div(v.sqrt()), ya, y, yo, i);
    }
  }

  private static void squareF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.mul(v), ya, y, yo, i);
    }
  }

  private static void reciprocalF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(DoubleVector.broadcast(D, 1.0).div(v), ya, y, yo, i);
    }
  }

  private static void sinF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.lanewise(SIN), ya, y, yo, i);
    }
  }

  private static void cosF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.lanewise(COS), ya, y, yo, i);
    }
  }

  private static void atanF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.lanewise(ATAN), ya, y, yo, i);
    }
  }

  /**
   * tanh as {@code em/(em + 2)}, {@code em = expm1(2 min(|x|, 20))} with the Vector API's EXPM1,
   * and x's sign: accurate from subnormals up (em's relative error passes on damped, by {@code
   * 2/(em + 2) <= 1}), and tanh rounds to 1 from 19.1. The Vector API's TANH costs 2.5 EXPM1s in
   * float64. Self-contained, for the reason given at {@code UnaryVector.tanhF32}.
   */
  private static void tanhF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    int w = D.length();
    for (int i = 0; i < n; i += w) {
      DoubleVector v = xa != null ? DoubleVector.fromArray(D, xa, (int) xo + i)
          : DoubleVector.fromMemorySegment(D, x, (xo + i) * Double.BYTES, NATIVE);
      DoubleVector a = v.abs();
      DoubleVector em = a.blend(TANH_CLAMP, a.compare(GT, TANH_CLAMP)).mul(2.0).lanewise(EXPM1);
      DoubleVector t = em.div(em.add(2.0)); // NaN stays
      DoubleVector out = t.viewAsIntegralLanes()
          .or(v.viewAsIntegralLanes().and(Long.MIN_VALUE)).viewAsFloatingLanes();
      if (ya != null) {
        out.intoArray(ya, (int) yo + i);
      } else {
        out.intoMemorySegment(y, (yo + i) * Double.BYTES, NATIVE);
      }
    }
  }

  private static void reluF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.max(0), ya, y, yo, i);
    }
  }

  private static void relu6F64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.max(0).min(6), ya, y, yo, i);
    }
  }

  private static void eluF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.blend(v.lanewise(EXPM1), v.compare(LT, 0)), ya, y, yo, i);
    }
  }

  private static void softplusF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(v.max(0).add(v.abs().neg().lanewise(EXP).lanewise(LOG1P)), ya, y, yo, i);
    }
  }

  private static void floorF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.floor(v), ya, y, yo, i);
    }
  }

  private static void ceilF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.ceil(v), ya, y, yo, i);
    }
  }

  private static void roundF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      st(UnaryVectorMath.rint(v), ya, y, yo, i);
    }
  }

  /** One EXP and one division: e = exp(-|x|), 1/(1+e) for x >= 0, e/(1+e) below. */
  private static void sigmoidF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    for (int i = 0; i < n; i += D.length()) {
      DoubleVector v = ld(xa, x, xo, i);
      DoubleVector e = v.abs().neg().lanewise(EXP);
      DoubleVector r = one.div(e.add(one));
      st(r.blend(e.mul(r), v.compare(LT, 0.0)), ya, y, yo, i);
    }
  }

  private static void geluF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      st(UnaryVectorMath.gelu(ld(xa, x, xo, i)), ya, y, yo, i);
    }
  }

  private static void geluTanhF64(
      double[] xa, MemorySegment x, long xo, double[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += D.length()) {
      st(UnaryVectorMath.geluTanh(ld(xa, x, xo, i)), ya, y, yo, i);
    }
  }
}
