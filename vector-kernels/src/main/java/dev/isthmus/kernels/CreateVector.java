package dev.isthmus.kernels;

import static dev.isthmus.kernels.CreateScalar.GOLDEN;
import static dev.isthmus.kernels.CreateScalar.M1;
import static dev.isthmus.kernels.CreateScalar.M2;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementations of the creation kernels. Each loop returns how many elements it
 * did; the facade's scalar twin does the tail. Every loop computes exactly its twin's formula
 * lanewise (same operations, same rounding), so the results are bit-identical.
 *
 * <p>Normals and bounded integers have no loop here: Box-Muller must use {@link StrictMath} to be
 * bit-identical everywhere (the Vector API's transcendentals are not), and Lemire's method needs
 * an unsigned 64x64 high product, which the Vector API lacks.
 */
final class CreateVector {
  private CreateVector() {}

  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
  /** Floats as many as the long lanes, for the 24-bit uniforms made from 64-bit words. */
  private static final VectorSpecies<Float> FL =
      VectorSpecies.of(float.class, VectorShape.forBitSize(L.vectorBitSize() / 2));

  // ---------------------------------------------------------------- fill

  static long fillF32(float v, MemorySegment y, long yo, long n) {
    long bound = F.loopBound(n);
    FloatVector b = FloatVector.broadcast(F, v);
    long yb = yo * JAVA_FLOAT.byteSize(), step = F.vectorByteSize();
    for (long i = 0; i < bound; i += F.length(), yb += step) {
      Stores.at(b, y, yb);
    }
    return bound;
  }

  static long fillF64(double v, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector b = DoubleVector.broadcast(D, v);
    long yb = yo * JAVA_DOUBLE.byteSize(), step = D.vectorByteSize();
    for (long i = 0; i < bound; i += D.length(), yb += step) {
      Stores.at(b, y, yb);
    }
    return bound;
  }

  static long fillI32(int v, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector b = IntVector.broadcast(I, v);
    long yb = yo * JAVA_INT.byteSize(), step = I.vectorByteSize();
    for (long i = 0; i < bound; i += I.length(), yb += step) {
      Stores.at(b, y, yb);
    }
    return bound;
  }

  static long fillI64(long v, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector b = LongVector.broadcast(L, v);
    long yb = yo * JAVA_LONG.byteSize(), step = L.vectorByteSize();
    for (long i = 0; i < bound; i += L.length(), yb += step) {
      Stores.at(b, y, yb);
    }
    return bound;
  }

  static long fillI8(byte v, MemorySegment y, long yo, long n) {
    long bound = B.loopBound(n);
    ByteVector b = ByteVector.broadcast(B, v);
    long yb = yo, step = B.vectorByteSize();
    for (long i = 0; i < bound; i += B.length(), yb += step) {
      Stores.at(b, y, yb);
    }
    return bound;
  }

  // ---------------------------------------------------------------- iota

  // The float index comes from an int lane converted with I2F, exactly as the scalar (float) i;
  // so the loop stops before the int index could overflow and the twin does any rest.
  static long iotaF32(float start, float delta, MemorySegment y, long yo, long n) {
    if (I.length() != F.length()) {
      return 0;
    }
    long bound = Math.min(F.loopBound(n), F.loopBound(Integer.MAX_VALUE));
    IntVector idx = IntVector.zero(I).addIndex(1);
    IntVector stepI = IntVector.broadcast(I, I.length());
    FloatVector s = FloatVector.broadcast(F, start), d = FloatVector.broadcast(F, delta);
    long yb = yo * JAVA_FLOAT.byteSize(), step = F.vectorByteSize();
    for (long i = 0; i < bound; i += F.length(), yb += step) {
      FloatVector fi = (FloatVector) idx.convert(VectorOperators.I2F, 0);
      Stores.at(fi.mul(d).add(s), y, yb);
      idx = idx.add(stepI);
    }
    return bound;
  }

  // Doubles hold every index below 2^53 exactly, so a double index counts up by the lane count.
  static long iotaF64(double start, double delta, MemorySegment y, long yo, long n) {
    long bound = D.loopBound(n);
    DoubleVector idx = DoubleVector.zero(D).addIndex(1);
    DoubleVector stepD = DoubleVector.broadcast(D, D.length());
    DoubleVector s = DoubleVector.broadcast(D, start), d = DoubleVector.broadcast(D, delta);
    long yb = yo * JAVA_DOUBLE.byteSize(), step = D.vectorByteSize();
    for (long i = 0; i < bound; i += D.length(), yb += step) {
      Stores.at(idx.mul(d).add(s), y, yb);
      idx = idx.add(stepD);
    }
    return bound;
  }

  // Wrapping arithmetic: start + i * delta equals the running sum modulo 2^32.
  static long iotaI32(int start, int delta, MemorySegment y, long yo, long n) {
    long bound = I.loopBound(n);
    IntVector v = IntVector.zero(I).addIndex(1).mul(delta).add(start);
    IntVector inc = IntVector.broadcast(I, I.length() * delta);
    long yb = yo * JAVA_INT.byteSize(), step = I.vectorByteSize();
    for (long i = 0; i < bound; i += I.length(), yb += step) {
      Stores.at(v, y, yb);
      v = v.add(inc);
    }
    return bound;
  }

  static long iotaI64(long start, long delta, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    LongVector v = LongVector.zero(L).addIndex(1).mul(delta).add(start);
    LongVector inc = LongVector.broadcast(L, L.length() * delta);
    long yb = yo * JAVA_LONG.byteSize(), step = L.vectorByteSize();
    for (long i = 0; i < bound; i += L.length(), yb += step) {
      Stores.at(v, y, yb);
      v = v.add(inc);
    }
    return bound;
  }

  // ---------------------------------------------------------------- random

  /** The mixer of {@link CreateScalar#mix}, lanewise. */
  private static LongVector mix(LongVector z) {
    z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(M1);
    z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(M2);
    return z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
  }

  /** The Weyl counters {@code k0 + (first + lane) * G} of the first vector. */
  private static LongVector counters(long k0, long first) {
    return LongVector.zero(L).addIndex(1).add(first).mul(GOLDEN).add(k0);
  }

  static long randomBits(long seed, long first, MemorySegment y, long yo, long n) {
    long bound = L.loopBound(n);
    long k1 = CreateScalar.key1(seed);
    LongVector c = counters(CreateScalar.key0(seed), first);
    LongVector inc = LongVector.broadcast(L, L.length() * GOLDEN);
    long yb = yo * JAVA_LONG.byteSize(), step = L.vectorByteSize();
    for (long i = 0; i < bound; i += L.length(), yb += step) {
      Stores.at(mix(mix(c).lanewise(VectorOperators.XOR, k1)), y, yb);
      c = c.add(inc);
    }
    return bound;
  }

  // Words are made L lanes at a time; the top 24 bits convert exactly to floats of a species with
  // as many lanes (half the bit size).
  static long uniformF32(
      long seed, long first, float lo, float range, MemorySegment y, long yo, long n) {
    if (FL.length() != L.length()) {
      return 0;
    }
    long bound = FL.loopBound(n);
    long k1 = CreateScalar.key1(seed);
    LongVector c = counters(CreateScalar.key0(seed), first);
    LongVector inc = LongVector.broadcast(L, L.length() * GOLDEN);
    FloatVector r = FloatVector.broadcast(FL, range), l = FloatVector.broadcast(FL, lo);
    FloatVector scale = FloatVector.broadcast(FL, 0x1.0p-24f);
    long yb = yo * JAVA_FLOAT.byteSize(), step = FL.vectorByteSize();
    for (long i = 0; i < bound; i += FL.length(), yb += step) {
      LongVector top = mix(mix(c).lanewise(VectorOperators.XOR, k1))
          .lanewise(VectorOperators.LSHR, 40);
      FloatVector u = (FloatVector) top.convertShape(VectorOperators.L2F, FL, 0);
      Stores.at(u.mul(scale).mul(r).add(l), y, yb);
      c = c.add(inc);
    }
    return bound;
  }

  static long uniformF64(
      long seed, long first, double lo, double range, MemorySegment y, long yo, long n) {
    if (D.length() != L.length()) {
      return 0;
    }
    long bound = D.loopBound(n);
    long k1 = CreateScalar.key1(seed);
    LongVector c = counters(CreateScalar.key0(seed), first);
    LongVector inc = LongVector.broadcast(L, L.length() * GOLDEN);
    DoubleVector r = DoubleVector.broadcast(D, range), l = DoubleVector.broadcast(D, lo);
    DoubleVector scale = DoubleVector.broadcast(D, 0x1.0p-53);
    long yb = yo * JAVA_DOUBLE.byteSize(), step = D.vectorByteSize();
    for (long i = 0; i < bound; i += D.length(), yb += step) {
      LongVector top = mix(mix(c).lanewise(VectorOperators.XOR, k1))
          .lanewise(VectorOperators.LSHR, 11);
      DoubleVector u = (DoubleVector) top.convert(VectorOperators.L2D, 0);
      Stores.at(u.mul(scale).mul(r).add(l), y, yb);
      c = c.add(inc);
    }
    return bound;
  }
}
