package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Vector API binary kernels: dispatches to the per-dtype loop classes ({@code BinaryVectorF32},
 * ...), which hold one loop per operator and form because the operator must be a compile-time
 * constant at each {@code lanewise} call for C2 to intrinsify it. The scalar twin does the tail,
 * and all of an operator that has no loop.
 */
final class BinaryVector {
  private BinaryVector() {}

  static void f32vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorF32.vv(op, a, ao, b, bo, y, yo, n);
    BinaryScalar.f32vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void f32vs(BinaryOp op, MemorySegment a, long ao, float b,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorF32.vs(op, a, ao, b, y, yo, n);
    BinaryScalar.f32vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void f32sv(BinaryOp op, float a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorF32.sv(op, a, b, bo, y, yo, n);
    BinaryScalar.f32sv(op, a, b, bo + done, y, yo + done, n - done);
  }

  static void f64vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorF64.vv(op, a, ao, b, bo, y, yo, n);
    BinaryScalar.f64vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void f64vs(BinaryOp op, MemorySegment a, long ao, double b,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorF64.vs(op, a, ao, b, y, yo, n);
    BinaryScalar.f64vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void f64sv(BinaryOp op, double a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorF64.sv(op, a, b, bo, y, yo, n);
    BinaryScalar.f64sv(op, a, b, bo + done, y, yo + done, n - done);
  }

  static void i32vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorI32.vv(op, a, ao, b, bo, y, yo, n);
    BinaryScalar.i32vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void i32vs(BinaryOp op, MemorySegment a, long ao, int b,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorI32.vs(op, a, ao, b, y, yo, n);
    BinaryScalar.i32vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void i32sv(BinaryOp op, int a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorI32.sv(op, a, b, bo, y, yo, n);
    BinaryScalar.i32sv(op, a, b, bo + done, y, yo + done, n - done);
  }

  static void i64vv(BinaryOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorI64.vv(op, a, ao, b, bo, y, yo, n);
    BinaryScalar.i64vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void i64vs(BinaryOp op, MemorySegment a, long ao, long b,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorI64.vs(op, a, ao, b, y, yo, n);
    BinaryScalar.i64vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void i64sv(BinaryOp op, long a, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = BinaryVectorI64.sv(op, a, b, bo, y, yo, n);
    BinaryScalar.i64sv(op, a, b, bo + done, y, yo + done, n - done);
  }
}
