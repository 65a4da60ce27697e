package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;

/**
 * Vector API comparisons: dispatches to {@link CompareVectorFloat} and {@link CompareVectorInt}
 * (one loop per operator), then the scalar twin does the tail. {@code sv} runs as {@code vs}
 * with the mirrored operator ({@code s < b[i]} is {@code b[i] > s}).
 */
final class CompareVector {
  private CompareVector() {}

  static void f32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorFloat.f32vv(op, a, ao, b, bo, y, yo, n);
    CompareScalar.f32vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void f32vs(CompareOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorFloat.f32vs(op, a, ao, b, y, yo, n);
    CompareScalar.f32vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void f32sv(CompareOp op, float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    f32vs(op.mirror(), b, bo, a, y, yo, n);
  }

  static void f64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorFloat.f64vv(op, a, ao, b, bo, y, yo, n);
    CompareScalar.f64vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void f64vs(CompareOp op, MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorFloat.f64vs(op, a, ao, b, y, yo, n);
    CompareScalar.f64vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void f64sv(CompareOp op, double a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    f64vs(op.mirror(), b, bo, a, y, yo, n);
  }

  static void i32vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorInt.i32vv(op, a, ao, b, bo, y, yo, n);
    CompareScalar.i32vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void i32vs(CompareOp op, MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorInt.i32vs(op, a, ao, b, y, yo, n);
    CompareScalar.i32vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void i32sv(CompareOp op, int a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    i32vs(op.mirror(), b, bo, a, y, yo, n);
  }

  static void i64vv(CompareOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorInt.i64vv(op, a, ao, b, bo, y, yo, n);
    CompareScalar.i64vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void i64vs(CompareOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long done = CompareVectorInt.i64vs(op, a, ao, b, y, yo, n);
    CompareScalar.i64vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void i64sv(CompareOp op, long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    i64vs(op.mirror(), b, bo, a, y, yo, n);
  }

  // EQUAL (zero divisors) and LESS (negative exponents) have loops; others run scalar.
  static boolean anyI32(CompareOp op, MemorySegment x, long xo, int v, long n) {
    long bound = op == CompareOp.EQUAL || op == CompareOp.LESS ? I.loopBound(n) : 0;
    IntVector vv = IntVector.broadcast(I, v);
    long step = I.vectorByteSize();
    long xb = xo * Integer.BYTES;
    if (op == CompareOp.EQUAL) {
      for (long i = 0; i < bound; i += I.length(), xb += step) {
        if (IntVector.fromMemorySegment(I, x, xb, NATIVE).compare(EQ, vv).anyTrue()) {
          return true;
        }
      }
    } else {
      for (long i = 0; i < bound; i += I.length(), xb += step) {
        if (IntVector.fromMemorySegment(I, x, xb, NATIVE).compare(LT, vv).anyTrue()) {
          return true;
        }
      }
    }
    return CompareScalar.anyI32(op, x, xo + bound, v, n - bound);
  }

  // EQUAL (zero divisors) and LESS (negative exponents) have loops; others run scalar.
  static boolean anyI64(CompareOp op, MemorySegment x, long xo, long v, long n) {
    long bound = op == CompareOp.EQUAL || op == CompareOp.LESS ? L.loopBound(n) : 0;
    LongVector vv = LongVector.broadcast(L, v);
    long step = L.vectorByteSize();
    long xb = xo * Long.BYTES;
    if (op == CompareOp.EQUAL) {
      for (long i = 0; i < bound; i += L.length(), xb += step) {
        if (LongVector.fromMemorySegment(L, x, xb, NATIVE).compare(EQ, vv).anyTrue()) {
          return true;
        }
      }
    } else {
      for (long i = 0; i < bound; i += L.length(), xb += step) {
        if (LongVector.fromMemorySegment(L, x, xb, NATIVE).compare(LT, vv).anyTrue()) {
          return true;
        }
      }
    }
    return CompareScalar.anyI64(op, x, xo + bound, v, n - bound);
  }
}
