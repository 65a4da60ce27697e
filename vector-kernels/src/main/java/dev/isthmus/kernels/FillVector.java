package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API fills: broadcast once, store whole vectors, then the scalar twin does the tail.
 * Floating fills arrive here as raw bits (see {@link FillKernels}). A heap segment is filled
 * through its array (see {@link HeapArrays}), as floats or doubles when it is a {@code float[]}
 * or {@code double[]} (the bits broadcast as ints or longs, then reinterpreted: bit-exact).
 */
final class FillVector {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;

  private FillVector() {}

  static void i32(MemorySegment dst, long off, long n, int v) {
    IntVector b = IntVector.broadcast(I, v);
    long bound = I.loopBound(n);
    float[] fa = HeapArrays.floats(dst);
    int[] ia = fa == null ? HeapArrays.ints(dst) : null;
    if (fa != null) {
      var fb = b.reinterpretAsFloats();
      for (long i = 0, p = HeapArrays.index(fa, dst, off, 4); i < bound; i += F.length()) {
        fb.intoArray(fa, (int) (p + i));
      }
    } else if (ia != null) {
      for (long i = 0, p = HeapArrays.index(ia, dst, off, 4); i < bound; i += I.length()) {
        b.intoArray(ia, (int) (p + i));
      }
    } else {
      for (long i = 0, p = off * 4; i < bound; i += I.length(), p += I.vectorByteSize()) {
        Stores.at(b, dst, p);
      }
    }
    FillScalar.i32(dst, off + bound, n - bound, v);
  }

  static void i64(MemorySegment dst, long off, long n, long v) {
    LongVector b = LongVector.broadcast(L, v);
    long bound = L.loopBound(n);
    double[] da = HeapArrays.doubles(dst);
    long[] la = da == null ? HeapArrays.longs(dst) : null;
    if (da != null) {
      var db = b.reinterpretAsDoubles();
      for (long i = 0, p = HeapArrays.index(da, dst, off, 8); i < bound; i += D.length()) {
        db.intoArray(da, (int) (p + i));
      }
    } else if (la != null) {
      for (long i = 0, p = HeapArrays.index(la, dst, off, 8); i < bound; i += L.length()) {
        b.intoArray(la, (int) (p + i));
      }
    } else {
      for (long i = 0, p = off * 8; i < bound; i += L.length(), p += L.vectorByteSize()) {
        Stores.at(b, dst, p);
      }
    }
    FillScalar.i64(dst, off + bound, n - bound, v);
  }

  static void i8(MemorySegment dst, long off, long n, byte v) {
    ByteVector b = ByteVector.broadcast(B, v);
    long bound = B.loopBound(n);
    byte[] a = HeapArrays.bytes(dst);
    if (a != null) {
      for (long i = 0, p = HeapArrays.index(a, dst, off, 1); i < bound; i += B.length()) {
        b.intoArray(a, (int) (p + i));
      }
    } else {
      for (long i = 0; i < bound; i += B.length()) {
        Stores.at(b, dst, off + i);
      }
    }
    FillScalar.i8(dst, off + bound, n - bound, v);
  }
}
