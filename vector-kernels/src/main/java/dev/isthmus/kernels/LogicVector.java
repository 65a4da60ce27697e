package dev.isthmus.kernels;

import static dev.isthmus.kernels.BoolLanes.B;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;

/**
 * Vector API logical kernels on BOOL bytes: bitwise operations on 0/1 bytes are the logical ones
 * (NOT is XOR 1). One loop per operator and form; the scalar twin does the tail.
 */
final class LogicVector {
  private static final byte ONE = 1;

  private LogicVector() {}

  static void vv(LogicOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long done = switch (op) {
      case AND -> andVV(a, ao, b, bo, y, yo, n);
      case OR -> orVV(a, ao, b, bo, y, yo, n);
      case XOR -> xorVV(a, ao, b, bo, y, yo, n);
      case XNOR -> xnorVV(a, ao, b, bo, y, yo, n);
      case NOT -> throw new IllegalArgumentException("NOT is unary");
    };
    LogicScalar.vv(op, a, ao + done, b, bo + done, y, yo + done, n - done);
  }

  static void vs(LogicOp op, MemorySegment a, long ao, boolean b,
      MemorySegment y, long yo, long n) {
    long done = switch (op) {
      case AND -> andVS(a, ao, b, y, yo, n);
      case OR -> orVS(a, ao, b, y, yo, n);
      case XOR -> xorVS(a, ao, b, y, yo, n);
      case XNOR -> xnorVS(a, ao, b, y, yo, n);
      case NOT -> throw new IllegalArgumentException("NOT is unary");
    };
    LogicScalar.vs(op, a, ao + done, b, y, yo + done, n - done);
  }

  static void not(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ByteVector.fromMemorySegment(B, x, xo + i, NATIVE).lanewise(XOR, ONE), y, yo + i);
    }
    LogicScalar.not(x, xo + bound, y, yo + bound, n - bound);
  }

  private static ByteVector ld(MemorySegment s, long e) {
    return ByteVector.fromMemorySegment(B, s, e, NATIVE);
  }

  private static long andVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).and(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long orVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).or(ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long xorVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).lanewise(XOR, ld(b, bo + i)), y, yo + i);
    }
    return bound;
  }

  private static long xnorVV(MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).lanewise(XOR, ld(b, bo + i)).lanewise(XOR, ONE), y, yo + i);
    }
    return bound;
  }

  private static long andVS(MemorySegment a, long ao, boolean b,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    ByteVector bv = ByteVector.broadcast(B, b ? (byte) 1 : (byte) 0);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).and(bv), y, yo + i);
    }
    return bound;
  }

  private static long orVS(MemorySegment a, long ao, boolean b,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    ByteVector bv = ByteVector.broadcast(B, b ? (byte) 1 : (byte) 0);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).or(bv), y, yo + i);
    }
    return bound;
  }

  private static long xorVS(MemorySegment a, long ao, boolean b,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    ByteVector bv = ByteVector.broadcast(B, b ? (byte) 1 : (byte) 0);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).lanewise(XOR, bv), y, yo + i);
    }
    return bound;
  }

  private static long xnorVS(MemorySegment a, long ao, boolean b,
      MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    ByteVector bv = ByteVector.broadcast(B, b ? (byte) 1 : (byte) 0);
    for (long i = 0; i < bound; i += B.length()) {
      Stores.at(ld(a, ao + i).lanewise(XOR, bv).lanewise(XOR, ONE), y, yo + i);
    }
    return bound;
  }
}
