package dev.isthmus.kernels;

import static dev.isthmus.kernels.BoolLanes.B;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jdk.incubator.vector.VectorOperators.NE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;

/**
 * Vector API select loops for a contiguous condition: one loop per width and per form of x and
 * y (vv, vs, sv, ss), each a blend under a mask made from the condition bytes ({@link
 * BoolLanes#load} for 32- and 64-bit lanes, a byte compare for BOOL). The scalar twin does the
 * tail.
 */
final class SelectVector {
  private SelectVector() {}

  static void select8(MemorySegment c, long co, MemorySegment x, long xo, boolean xRep,
      MemorySegment y, long yo, boolean yRep, MemorySegment out, long oo, long n) {
    long done;
    if (xRep) {
      byte xs = x.get(JAVA_BYTE, xo);
      done = yRep
          ? ss8(c, co, xs, y.get(JAVA_BYTE, yo), out, oo, n)
          : sv8(c, co, xs, y, yo, out, oo, n);
    } else {
      done = yRep
          ? vs8(c, co, x, xo, y.get(JAVA_BYTE, yo), out, oo, n)
          : vv8(c, co, x, xo, y, yo, out, oo, n);
    }
    SelectScalar.select8(c, co + done, false, x, xRep ? xo : xo + done, xRep,
        y, yRep ? yo : yo + done, yRep, out, oo + done, n - done);
  }

  static void fill8(byte v, MemorySegment out, long oo, long n) {
    long bound = B.loopBound(n);
    ByteVector vv = ByteVector.broadcast(B, v);
    for (long i = 0; i < bound; i += B.length()) {
      st8(vv, out, oo + i);
    }
    SelectScalar.fill8(v, out, oo + bound, n - bound);
  }

  private static ByteVector ld8(MemorySegment s, long e) {
    return ByteVector.fromMemorySegment(B, s, e, NATIVE);
  }

  private static void st8(ByteVector v, MemorySegment s, long e) {
    v.intoMemorySegment(s, e, NATIVE);
  }

  private static VectorMask<Byte> mask8(MemorySegment c, long e) {
    return ld8(c, e).compare(NE, (byte) 0);
  }

  private static long vv8(MemorySegment c, long co, MemorySegment x, long xo,
      MemorySegment y, long yo, MemorySegment out, long oo, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      st8(ld8(y, yo + i).blend(ld8(x, xo + i), mask8(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long vs8(MemorySegment c, long co, MemorySegment x, long xo, byte y,
      MemorySegment out, long oo, long n) {
    long bound = B.loopBound(n);
    ByteVector yv = ByteVector.broadcast(B, y);
    for (long i = 0; i < bound; i += B.length()) {
      st8(yv.blend(ld8(x, xo + i), mask8(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long sv8(MemorySegment c, long co, byte x, MemorySegment y, long yo,
      MemorySegment out, long oo, long n) {
    long bound = B.loopBound(n);
    ByteVector xv = ByteVector.broadcast(B, x);
    for (long i = 0; i < bound; i += B.length()) {
      st8(ld8(y, yo + i).blend(xv, mask8(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long ss8(MemorySegment c, long co, byte x, byte y,
      MemorySegment out, long oo, long n) {
    long bound = B.loopBound(n);
    ByteVector xv = ByteVector.broadcast(B, x);
    ByteVector yv = ByteVector.broadcast(B, y);
    for (long i = 0; i < bound; i += B.length()) {
      st8(yv.blend(xv, mask8(c, co + i)), out, oo + i);
    }
    return bound;
  }

  static void select32(MemorySegment c, long co, MemorySegment x, long xo, boolean xRep,
      MemorySegment y, long yo, boolean yRep, MemorySegment out, long oo, long n) {
    long done;
    if (xRep) {
      int xs = x.getAtIndex(JAVA_INT, xo);
      done = yRep
          ? ss32(c, co, xs, y.getAtIndex(JAVA_INT, yo), out, oo, n)
          : sv32(c, co, xs, y, yo, out, oo, n);
    } else {
      done = yRep
          ? vs32(c, co, x, xo, y.getAtIndex(JAVA_INT, yo), out, oo, n)
          : vv32(c, co, x, xo, y, yo, out, oo, n);
    }
    SelectScalar.select32(c, co + done, false, x, xRep ? xo : xo + done, xRep,
        y, yRep ? yo : yo + done, yRep, out, oo + done, n - done);
  }

  static void fill32(int v, MemorySegment out, long oo, long n) {
    long bound = I.loopBound(n);
    IntVector vv = IntVector.broadcast(I, v);
    for (long i = 0; i < bound; i += I.length()) {
      st32(vv, out, oo + i);
    }
    SelectScalar.fill32(v, out, oo + bound, n - bound);
  }

  private static IntVector ld32(MemorySegment s, long e) {
    return IntVector.fromMemorySegment(I, s, e * 4, NATIVE);
  }

  private static void st32(IntVector v, MemorySegment s, long e) {
    v.intoMemorySegment(s, e * 4, NATIVE);
  }

  private static VectorMask<Integer> mask32(MemorySegment c, long e) {
    return VectorMask.fromLong(I, BoolLanes.load(c, e, I.length()));
  }

  private static long vv32(MemorySegment c, long co, MemorySegment x, long xo,
      MemorySegment y, long yo, MemorySegment out, long oo, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st32(ld32(y, yo + i).blend(ld32(x, xo + i), mask32(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long vs32(MemorySegment c, long co, MemorySegment x, long xo, int y,
      MemorySegment out, long oo, long n) {
    long bound = I.loopBound(n);
    IntVector yv = IntVector.broadcast(I, y);
    for (long i = 0; i < bound; i += I.length()) {
      st32(yv.blend(ld32(x, xo + i), mask32(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long sv32(MemorySegment c, long co, int x, MemorySegment y, long yo,
      MemorySegment out, long oo, long n) {
    long bound = I.loopBound(n);
    IntVector xv = IntVector.broadcast(I, x);
    for (long i = 0; i < bound; i += I.length()) {
      st32(ld32(y, yo + i).blend(xv, mask32(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long ss32(MemorySegment c, long co, int x, int y,
      MemorySegment out, long oo, long n) {
    long bound = I.loopBound(n);
    IntVector xv = IntVector.broadcast(I, x);
    IntVector yv = IntVector.broadcast(I, y);
    for (long i = 0; i < bound; i += I.length()) {
      st32(yv.blend(xv, mask32(c, co + i)), out, oo + i);
    }
    return bound;
  }

  static void select64(MemorySegment c, long co, MemorySegment x, long xo, boolean xRep,
      MemorySegment y, long yo, boolean yRep, MemorySegment out, long oo, long n) {
    long done;
    if (xRep) {
      long xs = x.getAtIndex(JAVA_LONG, xo);
      done = yRep
          ? ss64(c, co, xs, y.getAtIndex(JAVA_LONG, yo), out, oo, n)
          : sv64(c, co, xs, y, yo, out, oo, n);
    } else {
      done = yRep
          ? vs64(c, co, x, xo, y.getAtIndex(JAVA_LONG, yo), out, oo, n)
          : vv64(c, co, x, xo, y, yo, out, oo, n);
    }
    SelectScalar.select64(c, co + done, false, x, xRep ? xo : xo + done, xRep,
        y, yRep ? yo : yo + done, yRep, out, oo + done, n - done);
  }

  static void fill64(long v, MemorySegment out, long oo, long n) {
    long bound = L.loopBound(n);
    LongVector vv = LongVector.broadcast(L, v);
    for (long i = 0; i < bound; i += L.length()) {
      st64(vv, out, oo + i);
    }
    SelectScalar.fill64(v, out, oo + bound, n - bound);
  }

  private static LongVector ld64(MemorySegment s, long e) {
    return LongVector.fromMemorySegment(L, s, e * 8, NATIVE);
  }

  private static void st64(LongVector v, MemorySegment s, long e) {
    v.intoMemorySegment(s, e * 8, NATIVE);
  }

  private static VectorMask<Long> mask64(MemorySegment c, long e) {
    return VectorMask.fromLong(L, BoolLanes.load(c, e, L.length()));
  }

  private static long vv64(MemorySegment c, long co, MemorySegment x, long xo,
      MemorySegment y, long yo, MemorySegment out, long oo, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st64(ld64(y, yo + i).blend(ld64(x, xo + i), mask64(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long vs64(MemorySegment c, long co, MemorySegment x, long xo, long y,
      MemorySegment out, long oo, long n) {
    long bound = L.loopBound(n);
    LongVector yv = LongVector.broadcast(L, y);
    for (long i = 0; i < bound; i += L.length()) {
      st64(yv.blend(ld64(x, xo + i), mask64(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long sv64(MemorySegment c, long co, long x, MemorySegment y, long yo,
      MemorySegment out, long oo, long n) {
    long bound = L.loopBound(n);
    LongVector xv = LongVector.broadcast(L, x);
    for (long i = 0; i < bound; i += L.length()) {
      st64(ld64(y, yo + i).blend(xv, mask64(c, co + i)), out, oo + i);
    }
    return bound;
  }

  private static long ss64(MemorySegment c, long co, long x, long y,
      MemorySegment out, long oo, long n) {
    long bound = L.loopBound(n);
    LongVector xv = LongVector.broadcast(L, x);
    LongVector yv = LongVector.broadcast(L, y);
    for (long i = 0; i < bound; i += L.length()) {
      st64(yv.blend(xv, mask64(c, co + i)), out, oo + i);
    }
    return bound;
  }
}
