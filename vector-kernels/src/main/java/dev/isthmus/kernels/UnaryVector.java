package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.HeapArrays.floats;
import static dev.isthmus.kernels.HeapArrays.index;
import static dev.isthmus.kernels.HeapArrays.ld;
import static dev.isthmus.kernels.HeapArrays.st;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
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

  private static void tanhF32(
      float[] xa, MemorySegment x, long xo, float[] ya, MemorySegment y, long yo, int n) {
    for (int i = 0; i < n; i += F.length()) {
      FloatVector v = ld(xa, x, xo, i);
      st(v.lanewise(TANH), ya, y, yo, i);
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
