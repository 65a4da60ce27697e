package dev.isthmus.kernels;

import static dev.isthmus.kernels.BoolLanes.B;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;

/**
 * Vector API select loops for a contiguous condition: one loop per width, per form of x and y
 * (vv, vs, sv, ss) and, for 4- and 8-byte elements, per vector type, each a blend under a mask
 * made from the condition bytes ({@link BoolLanes}). The elements are raw bits, but heap
 * segments are read and written through their arrays (see {@link HeapArrays} for why), so 4-byte
 * selects run as floats when a {@code float[]} is involved and as ints otherwise, 8-byte ones as
 * doubles or longs. Each operand is passed as its array (null when off-heap) beside its segment
 * and a position: the array index of its first element, or the element offset in the segment.
 * A repeated value is broadcast as bits and reinterpreted, so NaN payloads pass unchanged. The
 * scalar twin does the tail.
 */
final class SelectVector {
  private SelectVector() {}

  // ---- 8-bit lanes (BOOL)

  static void select8(MemorySegment c, long co, MemorySegment x, long xo, boolean xRep,
      MemorySegment y, long yo, boolean yRep, MemorySegment out, long oo, long n) {
    byte[] ca = HeapArrays.bytes(c), xa = HeapArrays.bytes(x), ya = HeapArrays.bytes(y);
    byte[] oa = HeapArrays.bytes(out);
    long ci = HeapArrays.index(ca, c, co, 1), xi = HeapArrays.index(xa, x, xo, 1);
    long yi = HeapArrays.index(ya, y, yo, 1), oi = HeapArrays.index(oa, out, oo, 1);
    ByteVector xs = xRep ? ByteVector.broadcast(B, x.get(JAVA_BYTE, xo)) : null;
    ByteVector ys = yRep ? ByteVector.broadcast(B, y.get(JAVA_BYTE, yo)) : null;
    long done;
    if (xRep && yRep) {
      done = ss8(ca, c, ci, xs, ys, oa, out, oi, n);
    } else if (xRep) {
      done = sv8(ca, c, ci, xs, ya, y, yi, oa, out, oi, n);
    } else if (yRep) {
      done = vs8(ca, c, ci, xa, x, xi, ys, oa, out, oi, n);
    } else {
      done = vv8(ca, c, ci, xa, x, xi, ya, y, yi, oa, out, oi, n);
    }
    SelectScalar.select8(c, co + done, false, x, xRep ? xo : xo + done, xRep,
        y, yRep ? yo : yo + done, yRep, out, oo + done, n - done);
  }

  static void fill8(byte v, MemorySegment out, long oo, long n) {
    FillVector.i8(out, oo, n, v);
  }

  private static ByteVector ld8(byte[] a, MemorySegment s, long o) {
    return a != null ? ByteVector.fromArray(B, a, (int) o)
        : ByteVector.fromMemorySegment(B, s, o, NATIVE);
  }

  private static void st8(ByteVector v, byte[] a, MemorySegment s, long o) {
    if (a != null) {
      v.intoArray(a, (int) o);
    } else {
      Stores.at(v, s, o);
    }
  }

  private static long vv8(byte[] ca, MemorySegment c, long ci, byte[] xa, MemorySegment x,
      long xi, byte[] ya, MemorySegment y, long yi, byte[] oa, MemorySegment out, long oi,
      long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      st8(ld8(ya, y, yi + i).blend(ld8(xa, x, xi + i), BoolLanes.mask8(ca, c, ci + i)),
          oa, out, oi + i);
    }
    return bound;
  }

  private static long vs8(byte[] ca, MemorySegment c, long ci, byte[] xa, MemorySegment x,
      long xi, ByteVector yv, byte[] oa, MemorySegment out, long oi, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      st8(yv.blend(ld8(xa, x, xi + i), BoolLanes.mask8(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long sv8(byte[] ca, MemorySegment c, long ci, ByteVector xv, byte[] ya,
      MemorySegment y, long yi, byte[] oa, MemorySegment out, long oi, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      st8(ld8(ya, y, yi + i).blend(xv, BoolLanes.mask8(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long ss8(byte[] ca, MemorySegment c, long ci, ByteVector xv, ByteVector yv,
      byte[] oa, MemorySegment out, long oi, long n) {
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      st8(yv.blend(xv, BoolLanes.mask8(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  // ---- 32-bit lanes (FLOAT32 and INT32 bits)

  static void select32(MemorySegment c, long co, MemorySegment x, long xo, boolean xRep,
      MemorySegment y, long yo, boolean yRep, MemorySegment out, long oo, long n) {
    byte[] ca = HeapArrays.bytes(c);
    long ci = HeapArrays.index(ca, c, co, 1);
    IntVector xs = xRep ? IntVector.broadcast(I, x.getAtIndex(JAVA_INT_UNALIGNED, xo)) : null;
    IntVector ys = yRep ? IntVector.broadcast(I, y.getAtIndex(JAVA_INT_UNALIGNED, yo)) : null;
    float[] xf = HeapArrays.floats(x), yf = HeapArrays.floats(y), of = HeapArrays.floats(out);
    long done;
    if (xf != null || yf != null || of != null) {
      long xi = HeapArrays.index(xf, x, xo, 4), yi = HeapArrays.index(yf, y, yo, 4);
      long oi = HeapArrays.index(of, out, oo, 4);
      if (xRep && yRep) {
        done = ss32f(ca, c, ci, xs.reinterpretAsFloats(), ys.reinterpretAsFloats(), of, out, oi,
            n);
      } else if (xRep) {
        done = sv32f(ca, c, ci, xs.reinterpretAsFloats(), yf, y, yi, of, out, oi, n);
      } else if (yRep) {
        done = vs32f(ca, c, ci, xf, x, xi, ys.reinterpretAsFloats(), of, out, oi, n);
      } else {
        done = vv32f(ca, c, ci, xf, x, xi, yf, y, yi, of, out, oi, n);
      }
    } else {
      int[] xa = HeapArrays.ints(x), ya = HeapArrays.ints(y), oa = HeapArrays.ints(out);
      long xi = HeapArrays.index(xa, x, xo, 4), yi = HeapArrays.index(ya, y, yo, 4);
      long oi = HeapArrays.index(oa, out, oo, 4);
      if (xRep && yRep) {
        done = ss32i(ca, c, ci, xs, ys, oa, out, oi, n);
      } else if (xRep) {
        done = sv32i(ca, c, ci, xs, ya, y, yi, oa, out, oi, n);
      } else if (yRep) {
        done = vs32i(ca, c, ci, xa, x, xi, ys, oa, out, oi, n);
      } else {
        done = vv32i(ca, c, ci, xa, x, xi, ya, y, yi, oa, out, oi, n);
      }
    }
    SelectScalar.select32(c, co + done, false, x, xRep ? xo : xo + done, xRep,
        y, yRep ? yo : yo + done, yRep, out, oo + done, n - done);
  }

  static void fill32(int v, MemorySegment out, long oo, long n) {
    FillVector.i32(out, oo, n, v);
  }

  private static FloatVector ld32f(float[] a, MemorySegment s, long o) {
    return a != null ? FloatVector.fromArray(F, a, (int) o)
        : FloatVector.fromMemorySegment(F, s, o * 4, NATIVE);
  }

  private static void st32f(FloatVector v, float[] a, MemorySegment s, long o) {
    if (a != null) {
      v.intoArray(a, (int) o);
    } else {
      Stores.at(v, s, o * 4);
    }
  }

  private static long vv32f(byte[] ca, MemorySegment c, long ci, float[] xa, MemorySegment x,
      long xi, float[] ya, MemorySegment y, long yi, float[] oa, MemorySegment out, long oi,
      long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      st32f(ld32f(ya, y, yi + i).blend(ld32f(xa, x, xi + i), BoolLanes.maskF(ca, c, ci + i)),
          oa, out, oi + i);
    }
    return bound;
  }

  private static long vs32f(byte[] ca, MemorySegment c, long ci, float[] xa, MemorySegment x,
      long xi, FloatVector yv, float[] oa, MemorySegment out, long oi, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      st32f(yv.blend(ld32f(xa, x, xi + i), BoolLanes.maskF(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long sv32f(byte[] ca, MemorySegment c, long ci, FloatVector xv, float[] ya,
      MemorySegment y, long yi, float[] oa, MemorySegment out, long oi, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      st32f(ld32f(ya, y, yi + i).blend(xv, BoolLanes.maskF(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long ss32f(byte[] ca, MemorySegment c, long ci, FloatVector xv, FloatVector yv,
      float[] oa, MemorySegment out, long oi, long n) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      st32f(yv.blend(xv, BoolLanes.maskF(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static IntVector ld32i(int[] a, MemorySegment s, long o) {
    return a != null ? IntVector.fromArray(I, a, (int) o)
        : IntVector.fromMemorySegment(I, s, o * 4, NATIVE);
  }

  private static void st32i(IntVector v, int[] a, MemorySegment s, long o) {
    if (a != null) {
      v.intoArray(a, (int) o);
    } else {
      Stores.at(v, s, o * 4);
    }
  }

  private static long vv32i(byte[] ca, MemorySegment c, long ci, int[] xa, MemorySegment x,
      long xi, int[] ya, MemorySegment y, long yi, int[] oa, MemorySegment out, long oi,
      long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st32i(ld32i(ya, y, yi + i).blend(ld32i(xa, x, xi + i), BoolLanes.maskI(ca, c, ci + i)),
          oa, out, oi + i);
    }
    return bound;
  }

  private static long vs32i(byte[] ca, MemorySegment c, long ci, int[] xa, MemorySegment x,
      long xi, IntVector yv, int[] oa, MemorySegment out, long oi, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st32i(yv.blend(ld32i(xa, x, xi + i), BoolLanes.maskI(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long sv32i(byte[] ca, MemorySegment c, long ci, IntVector xv, int[] ya,
      MemorySegment y, long yi, int[] oa, MemorySegment out, long oi, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st32i(ld32i(ya, y, yi + i).blend(xv, BoolLanes.maskI(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long ss32i(byte[] ca, MemorySegment c, long ci, IntVector xv, IntVector yv,
      int[] oa, MemorySegment out, long oi, long n) {
    long bound = I.loopBound(n);
    for (long i = 0; i < bound; i += I.length()) {
      st32i(yv.blend(xv, BoolLanes.maskI(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  // ---- 64-bit lanes (FLOAT64 and INT64 bits)

  static void select64(MemorySegment c, long co, MemorySegment x, long xo, boolean xRep,
      MemorySegment y, long yo, boolean yRep, MemorySegment out, long oo, long n) {
    byte[] ca = HeapArrays.bytes(c);
    long ci = HeapArrays.index(ca, c, co, 1);
    LongVector xs = xRep ? LongVector.broadcast(L, x.getAtIndex(JAVA_LONG_UNALIGNED, xo)) : null;
    LongVector ys = yRep ? LongVector.broadcast(L, y.getAtIndex(JAVA_LONG_UNALIGNED, yo)) : null;
    double[] xf = HeapArrays.doubles(x), yf = HeapArrays.doubles(y), of = HeapArrays.doubles(out);
    long done;
    if (xf != null || yf != null || of != null) {
      long xi = HeapArrays.index(xf, x, xo, 8), yi = HeapArrays.index(yf, y, yo, 8);
      long oi = HeapArrays.index(of, out, oo, 8);
      if (xRep && yRep) {
        done = ss64f(ca, c, ci, xs.reinterpretAsDoubles(), ys.reinterpretAsDoubles(), of, out, oi,
            n);
      } else if (xRep) {
        done = sv64f(ca, c, ci, xs.reinterpretAsDoubles(), yf, y, yi, of, out, oi, n);
      } else if (yRep) {
        done = vs64f(ca, c, ci, xf, x, xi, ys.reinterpretAsDoubles(), of, out, oi, n);
      } else {
        done = vv64f(ca, c, ci, xf, x, xi, yf, y, yi, of, out, oi, n);
      }
    } else {
      long[] xa = HeapArrays.longs(x), ya = HeapArrays.longs(y), oa = HeapArrays.longs(out);
      long xi = HeapArrays.index(xa, x, xo, 8), yi = HeapArrays.index(ya, y, yo, 8);
      long oi = HeapArrays.index(oa, out, oo, 8);
      if (xRep && yRep) {
        done = ss64i(ca, c, ci, xs, ys, oa, out, oi, n);
      } else if (xRep) {
        done = sv64i(ca, c, ci, xs, ya, y, yi, oa, out, oi, n);
      } else if (yRep) {
        done = vs64i(ca, c, ci, xa, x, xi, ys, oa, out, oi, n);
      } else {
        done = vv64i(ca, c, ci, xa, x, xi, ya, y, yi, oa, out, oi, n);
      }
    }
    SelectScalar.select64(c, co + done, false, x, xRep ? xo : xo + done, xRep,
        y, yRep ? yo : yo + done, yRep, out, oo + done, n - done);
  }

  static void fill64(long v, MemorySegment out, long oo, long n) {
    FillVector.i64(out, oo, n, v);
  }

  private static DoubleVector ld64f(double[] a, MemorySegment s, long o) {
    return a != null ? DoubleVector.fromArray(D, a, (int) o)
        : DoubleVector.fromMemorySegment(D, s, o * 8, NATIVE);
  }

  private static void st64f(DoubleVector v, double[] a, MemorySegment s, long o) {
    if (a != null) {
      v.intoArray(a, (int) o);
    } else {
      Stores.at(v, s, o * 8);
    }
  }

  private static long vv64f(byte[] ca, MemorySegment c, long ci, double[] xa, MemorySegment x,
      long xi, double[] ya, MemorySegment y, long yi, double[] oa, MemorySegment out, long oi,
      long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      st64f(ld64f(ya, y, yi + i).blend(ld64f(xa, x, xi + i), BoolLanes.maskD(ca, c, ci + i)),
          oa, out, oi + i);
    }
    return bound;
  }

  private static long vs64f(byte[] ca, MemorySegment c, long ci, double[] xa, MemorySegment x,
      long xi, DoubleVector yv, double[] oa, MemorySegment out, long oi, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      st64f(yv.blend(ld64f(xa, x, xi + i), BoolLanes.maskD(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long sv64f(byte[] ca, MemorySegment c, long ci, DoubleVector xv, double[] ya,
      MemorySegment y, long yi, double[] oa, MemorySegment out, long oi, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      st64f(ld64f(ya, y, yi + i).blend(xv, BoolLanes.maskD(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long ss64f(byte[] ca, MemorySegment c, long ci, DoubleVector xv, DoubleVector yv,
      double[] oa, MemorySegment out, long oi, long n) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      st64f(yv.blend(xv, BoolLanes.maskD(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static LongVector ld64i(long[] a, MemorySegment s, long o) {
    return a != null ? LongVector.fromArray(L, a, (int) o)
        : LongVector.fromMemorySegment(L, s, o * 8, NATIVE);
  }

  private static void st64i(LongVector v, long[] a, MemorySegment s, long o) {
    if (a != null) {
      v.intoArray(a, (int) o);
    } else {
      Stores.at(v, s, o * 8);
    }
  }

  private static long vv64i(byte[] ca, MemorySegment c, long ci, long[] xa, MemorySegment x,
      long xi, long[] ya, MemorySegment y, long yi, long[] oa, MemorySegment out, long oi,
      long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st64i(ld64i(ya, y, yi + i).blend(ld64i(xa, x, xi + i), BoolLanes.maskL(ca, c, ci + i)),
          oa, out, oi + i);
    }
    return bound;
  }

  private static long vs64i(byte[] ca, MemorySegment c, long ci, long[] xa, MemorySegment x,
      long xi, LongVector yv, long[] oa, MemorySegment out, long oi, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st64i(yv.blend(ld64i(xa, x, xi + i), BoolLanes.maskL(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long sv64i(byte[] ca, MemorySegment c, long ci, LongVector xv, long[] ya,
      MemorySegment y, long yi, long[] oa, MemorySegment out, long oi, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st64i(ld64i(ya, y, yi + i).blend(xv, BoolLanes.maskL(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }

  private static long ss64i(byte[] ca, MemorySegment c, long ci, LongVector xv, LongVector yv,
      long[] oa, MemorySegment out, long oi, long n) {
    long bound = L.loopBound(n);
    for (long i = 0; i < bound; i += L.length()) {
      st64i(yv.blend(xv, BoolLanes.maskL(ca, c, ci + i)), oa, out, oi + i);
    }
    return bound;
  }
}
