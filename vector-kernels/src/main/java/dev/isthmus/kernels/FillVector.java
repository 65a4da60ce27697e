package dev.isthmus.kernels;

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
 * Floating fills arrive here as raw bits (see {@link FillKernels}).
 */
final class FillVector {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;

  private FillVector() {}

  static void i32(MemorySegment dst, long off, long n, int v) {
    IntVector b = IntVector.broadcast(I, v);
    long bound = I.loopBound(n);
    long base = off * 4, step = I.vectorByteSize();
    for (long i = 0, p = base; i < bound; i += I.length(), p += step) {
      b.intoMemorySegment(dst, p, NATIVE);
    }
    FillScalar.i32(dst, off + bound, n - bound, v);
  }

  static void i64(MemorySegment dst, long off, long n, long v) {
    LongVector b = LongVector.broadcast(L, v);
    long bound = L.loopBound(n);
    long base = off * 8, step = L.vectorByteSize();
    for (long i = 0, p = base; i < bound; i += L.length(), p += step) {
      b.intoMemorySegment(dst, p, NATIVE);
    }
    FillScalar.i64(dst, off + bound, n - bound, v);
  }

  static void i8(MemorySegment dst, long off, long n, byte v) {
    ByteVector b = ByteVector.broadcast(B, v);
    long bound = B.loopBound(n);
    for (long i = 0; i < bound; i += B.length()) {
      b.intoMemorySegment(dst, off + i, NATIVE);
    }
    FillScalar.i8(dst, off + bound, n - bound, v);
  }
}
