package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Creation kernels: fills, iotas ({@code start + i * delta}) and the counter-based random
 * streams specified in {@link CreateScalar}. They write {@code n} elements of {@code y} from
 * element offset {@code yo}; random kernels take the stream index of their first element ({@code
 * first}), so any slice of a stream can be made alone and chunks agree with the whole.
 *
 * <p>Dispatches once per call to {@link CreateVector} (then the scalar twin for the tail) or to
 * the scalar twin {@link CreateScalar}. Normals and bounded integers run the scalar twin only:
 * see {@link CreateVector} for why.
 */
public final class CreateKernels {
  private CreateKernels() {}

  /** FLOAT32 {@code y[i] = v}. */
  public static void fillF32(float v, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.fillF32(v, y, yo, n) : 0;
    CreateScalar.fillF32(v, y, yo + done, n - done);
  }

  /** FLOAT64 {@code y[i] = v}. */
  public static void fillF64(double v, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.fillF64(v, y, yo, n) : 0;
    CreateScalar.fillF64(v, y, yo + done, n - done);
  }

  /** INT32 {@code y[i] = v}. */
  public static void fillI32(int v, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.fillI32(v, y, yo, n) : 0;
    CreateScalar.fillI32(v, y, yo + done, n - done);
  }

  /** INT64 {@code y[i] = v}. */
  public static void fillI64(long v, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.fillI64(v, y, yo, n) : 0;
    CreateScalar.fillI64(v, y, yo + done, n - done);
  }

  /** One-byte {@code y[i] = v} (BOOL). */
  public static void fillI8(byte v, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.fillI8(v, y, yo, n) : 0;
    CreateScalar.fillI8(v, y, yo + done, n - done);
  }

  /** FLOAT32 {@code y[i] = start + (float) i * delta}. */
  public static void iotaF32(float start, float delta, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.iotaF32(start, delta, y, yo, n) : 0;
    CreateScalar.iotaF32(start, delta, done, y, yo + done, n - done);
  }

  /** FLOAT64 {@code y[i] = start + (double) i * delta}. */
  public static void iotaF64(double start, double delta, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.iotaF64(start, delta, y, yo, n) : 0;
    CreateScalar.iotaF64(start, delta, done, y, yo + done, n - done);
  }

  /** INT32 {@code y[i] = start + i * delta}, wrapping. */
  public static void iotaI32(int start, int delta, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.iotaI32(start, delta, y, yo, n) : 0;
    CreateScalar.iotaI32(start, delta, done, y, yo + done, n - done);
  }

  /** INT64 {@code y[i] = start + i * delta}, wrapping. */
  public static void iotaI64(long start, long delta, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.iotaI64(start, delta, y, yo, n) : 0;
    CreateScalar.iotaI64(start, delta, done, y, yo + done, n - done);
  }

  /** INT64 {@code y[i] = bits(seed, first + i)}: the raw stream. */
  public static void randomBits(long seed, long first, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.randomBits(seed, first, y, yo, n) : 0;
    CreateScalar.randomBits(seed, first + done, y, yo + done, n - done);
  }

  /** FLOAT32 {@code y[i] = u * range + lo}, {@code u} uniform in [0, 1) from 24 bits. */
  public static void uniformF32(
      long seed, long first, float lo, float range, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.uniformF32(seed, first, lo, range, y, yo, n) : 0;
    CreateScalar.uniformF32(seed, first + done, lo, range, y, yo + done, n - done);
  }

  /** FLOAT64 {@code y[i] = u * range + lo}, {@code u} uniform in [0, 1) from 53 bits. */
  public static void uniformF64(
      long seed, long first, double lo, double range, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    long done = Simd.VECTOR ? CreateVector.uniformF64(seed, first, lo, range, y, yo, n) : 0;
    CreateScalar.uniformF64(seed, first + done, lo, range, y, yo + done, n - done);
  }

  /** FLOAT32 normals {@code z * stddev + mean} (scalar twin only). */
  public static void normalF32(
      long seed, long first, float mean, float stddev, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    CreateScalar.normalF32(seed, first, mean, stddev, y, yo, n);
  }

  /** FLOAT64 normals {@code z * stddev + mean} (scalar twin only). */
  public static void normalF64(
      long seed, long first, double mean, double stddev, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0;
    CreateScalar.normalF64(seed, first, mean, stddev, y, yo, n);
  }

  /** INT32 uniform in {@code [lo, lo + range)}, range unsigned in [1, 2^32) (scalar twin only). */
  public static void uniformIntI32(
      long seed, long first, int lo, long range, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0 && range > 0 && range <= 0xFFFF_FFFFL;
    CreateScalar.uniformIntI32(seed, first, lo, range, y, yo, n);
  }

  /** INT64 uniform in {@code [lo, lo + range)}, range unsigned and nonzero (scalar twin only). */
  public static void uniformIntI64(
      long seed, long first, long lo, long range, MemorySegment y, long yo, long n) {
    assert n >= 0 && yo >= 0 && range != 0;
    CreateScalar.uniformIntI64(seed, first, lo, range, y, yo, n);
  }
}
