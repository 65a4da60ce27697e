package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of {@link CreateVector}, and the specification of isthmus's
 * counter-based random generator: fills, iotas and random streams. Offsets and counts are in
 * elements.
 *
 * <h2>The random generator</h2>
 *
 * <p>Element {@code i} of a stream is {@link #bits(long, long) bits(seed, i)}, a pure function of
 * the seed and the index:
 *
 * <pre>
 *   k0 = mix(seed ^ 0x6A09E667F3BCC909)           k1 = mix(seed ^ 0xBB67AE8584CAA73B)
 *   bits(seed, i) = mix(mix(k0 + i * 0x9E3779B97F4A7C15) ^ k1)
 *   mix(z): z = (z ^ z >>> 30) * 0xBF58476D1CE4E5B9;  z = (z ^ z >>> 27) * 0x94D049BB133111EB;
 *           return z ^ z >>> 31
 * </pre>
 *
 * <p>Properties:
 *
 * <ul>
 *   <li>Only 64-bit wrapping add, multiply, xor and shifts, which the JLS defines exactly: the
 *       same seed gives the same bits on every JVM and machine, whatever the thread count, the
 *       chunking or the vector width (the vector loops compute the same formula lanewise).
 *   <li>For a fixed seed, {@code i -> bits(seed, i)} is a bijection of the 64-bit integers (every
 *       step is invertible: adding a constant, multiplying by an odd constant, {@code z ^ z >>> s},
 *       xor with a key), so a stream never repeats a word within 2^64 elements.
 *   <li>The inner round alone is SplitMix64's output (a Weyl sequence through Stafford's "Mix13"
 *       finaliser, which has full avalanche); the streams of two seeds would then be shifted
 *       copies of one another. The outer keyed round (xor {@code k1}, mix again) makes each
 *       seed's stream a different permutation, in the spirit of the keyed rounds of Philox.
 *   <li>Any element is computable alone, so a slice of a stream costs only its own length.
 *   <li>Not cryptographic: every step is invertible, so outputs reveal a lot about the keys.
 * </ul>
 *
 * <p>Distributions: uniform FLOAT32 from the top 24 bits ({@code (bits >>> 40) * 2^-24}, in
 * {@code [0, 1)}); uniform FLOAT64 from the top 53; normals by Box-Muller on pairs (elements
 * {@code 2p} and {@code 2p+1} share {@code bits(2p)} and {@code bits(2p+1)}) with {@link
 * StrictMath}, so they too are bit-identical everywhere; bounded integers by Lemire's
 * multiply-and-reject, where attempt {@code j} of element {@code i} draws {@code
 * mix(mix(k0 + i * G) ^ (k1 + j * G))} (attempt 0 is {@code bits(seed, i)}).
 */
public final class CreateScalar {
  private CreateScalar() {}

  /** The Weyl increment: 2^64 divided by the golden ratio, rounded to odd. */
  static final long GOLDEN = 0x9E3779B97F4A7C15L;
  /** The first mixing multiplier. */
  static final long M1 = 0xBF58476D1CE4E5B9L;
  /** The second mixing multiplier. */
  static final long M2 = 0x94D049BB133111EBL;
  /** Salts of the two keys (fractional bits of sqrt 2 and sqrt 3). */
  static final long SALT0 = 0x6A09E667F3BCC909L;
  static final long SALT1 = 0xBB67AE8584CAA73BL;
  /** Rejections after which a bounded integer is accepted anyway; reached with p < 2^-64. */
  static final int MAX_ATTEMPTS = 64;

  private static final double TWO_PI = 2 * Math.PI;

  /** The 64-bit finaliser: a bijection with full avalanche. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * M1;
    z = (z ^ (z >>> 27)) * M2;
    return z ^ (z >>> 31);
  }

  /** The first key of {@code seed}. */
  public static long key0(long seed) {
    return mix(seed ^ SALT0);
  }

  /** The second key of {@code seed}. */
  public static long key1(long seed) {
    return mix(seed ^ SALT1);
  }

  /** Word {@code i} of the stream of {@code seed}. */
  public static long bits(long seed, long i) {
    return mix(mix(key0(seed) + i * GOLDEN) ^ key1(seed));
  }

  /** A FLOAT32 in [0, 1) from the top 24 bits of {@code bits}. */
  public static float unitF32(long bits) {
    return (bits >>> 40) * 0x1.0p-24f;
  }

  /** A FLOAT64 in [0, 1) from the top 53 bits of {@code bits}. */
  public static double unitF64(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }

  // ---------------------------------------------------------------- fill

  /** {@code y[i] = v}. */
  public static void fillF32(float v, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i, v);
    }
  }

  /** {@code y[i] = v}. */
  public static void fillF64(double v, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i, v);
    }
  }

  /** {@code y[i] = v}. */
  public static void fillI32(int v, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i, v);
    }
  }

  /** {@code y[i] = v}. */
  public static void fillI64(long v, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, v);
    }
  }

  /** {@code y[i] = v}, one byte per element (BOOL). */
  public static void fillI8(byte v, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.set(JAVA_BYTE, yo + i, v);
    }
  }

  // ---------------------------------------------------------------- iota
  // Element i of a sequence is a function of its index (first + i), never a running sum, so a
  // tail or a chunk continues the sequence exactly.

  /** {@code y[i] = start + (float) (first + i) * delta}, rounded after the product and the sum. */
  public static void iotaF32(
      float start, float delta, long first, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_FLOAT, yo + i, start + (float) (first + i) * delta);
    }
  }

  /** {@code y[i] = start + (double) (first + i) * delta}. */
  public static void iotaF64(
      double start, double delta, long first, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_DOUBLE, yo + i, start + (double) (first + i) * delta);
    }
  }

  /** {@code y[i] = start + (first + i) * delta} in wrapping int arithmetic. */
  public static void iotaI32(int start, int delta, long first, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i, start + (int) (first + i) * delta);
    }
  }

  /** {@code y[i] = start + (first + i) * delta} in wrapping long arithmetic. */
  public static void iotaI64(
      long start, long delta, long first, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, start + (first + i) * delta);
    }
  }

  // ---------------------------------------------------------------- random

  /** {@code y[i] = bits(seed, first + i)}. */
  public static void randomBits(long seed, long first, MemorySegment y, long yo, long n) {
    long k0 = key0(seed), k1 = key1(seed);
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, mix(mix(k0 + (first + i) * GOLDEN) ^ k1));
    }
  }

  /** {@code y[i] = unitF32(bits(seed, first + i)) * range + lo}, in FLOAT32 arithmetic. */
  public static void uniformF32(
      long seed, long first, float lo, float range, MemorySegment y, long yo, long n) {
    long k0 = key0(seed), k1 = key1(seed);
    for (long i = 0; i < n; i++) {
      float u = unitF32(mix(mix(k0 + (first + i) * GOLDEN) ^ k1));
      y.setAtIndex(JAVA_FLOAT, yo + i, u * range + lo);
    }
  }

  /** {@code y[i] = unitF64(bits(seed, first + i)) * range + lo}. */
  public static void uniformF64(
      long seed, long first, double lo, double range, MemorySegment y, long yo, long n) {
    long k0 = key0(seed), k1 = key1(seed);
    for (long i = 0; i < n; i++) {
      double u = unitF64(mix(mix(k0 + (first + i) * GOLDEN) ^ k1));
      y.setAtIndex(JAVA_DOUBLE, yo + i, u * range + lo);
    }
  }

  /**
   * The standard normal of element {@code i}: Box-Muller on {@code u1 = 1 - unitF64(bits(2p))}
   * (in (0, 1]) and {@code u2 = unitF64(bits(2p + 1))} where {@code p = i / 2}; even elements
   * take the cosine, odd ones the sine. {@link StrictMath} throughout, so bit-identical
   * everywhere.
   */
  public static double standardNormal(long seed, long i) {
    long p = i >>> 1;
    double u1 = 1.0 - unitF64(bits(seed, 2 * p));
    double u2 = unitF64(bits(seed, 2 * p + 1));
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double t = TWO_PI * u2;
    return (i & 1) == 0 ? r * StrictMath.cos(t) : r * StrictMath.sin(t);
  }

  /**
   * {@code y[i] = (float) standardNormal(seed, first + i) * stddev + mean}, in FLOAT32
   * arithmetic after the conversion.
   */
  public static void normalF32(
      long seed, long first, float mean, float stddev, MemorySegment y, long yo, long n) {
    normal(seed, first, n, (i, z) -> y.setAtIndex(JAVA_FLOAT, yo + i, (float) z * stddev + mean));
  }

  /** {@code y[i] = standardNormal(seed, first + i) * stddev + mean}. */
  public static void normalF64(
      long seed, long first, double mean, double stddev, MemorySegment y, long yo, long n) {
    normal(seed, first, n, (i, z) -> y.setAtIndex(JAVA_DOUBLE, yo + i, z * stddev + mean));
  }

  @FunctionalInterface
  private interface Sink {
    void put(long i, double z);
  }

  // One logarithm and square root per pair; the ends of an odd-aligned range go alone.
  private static void normal(long seed, long first, long n, Sink out) {
    long k0 = key0(seed), k1 = key1(seed);
    long i = 0;
    if (n > 0 && (first & 1) == 1) {
      out.put(0, standardNormal(seed, first));
      i = 1;
    }
    for (; i + 1 < n; i += 2) {
      long c = first + i; // even
      double u1 = 1.0 - unitF64(mix(mix(k0 + c * GOLDEN) ^ k1));
      double u2 = unitF64(mix(mix(k0 + (c + 1) * GOLDEN) ^ k1));
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double t = TWO_PI * u2;
      out.put(i, r * StrictMath.cos(t));
      out.put(i + 1, r * StrictMath.sin(t));
    }
    if (i < n) {
      out.put(i, standardNormal(seed, first + i));
    }
  }

  /**
   * The integer in {@code [lo, lo + range)} of element {@code i}, {@code range} read as unsigned
   * (1 to 2^64 - 1): Lemire's multiply-shift, rejecting the {@code 2^64 mod range} low products
   * that would bias it. Attempt {@code j} draws {@code mix(mix(k0 + i * G) ^ (k1 + j * G))}.
   */
  public static long boundedLong(long seed, long i, long lo, long range) {
    long inner = mix(key0(seed) + i * GOLDEN);
    long k1 = key1(seed);
    long x = mix(inner ^ k1);
    long low = x * range;
    if (Long.compareUnsigned(low, range) < 0) {
      long threshold = Long.remainderUnsigned(-range, range);
      for (int j = 1; j < MAX_ATTEMPTS && Long.compareUnsigned(low, threshold) < 0; j++) {
        x = mix(inner ^ (k1 + j * GOLDEN));
        low = x * range;
      }
    }
    return lo + Math.unsignedMultiplyHigh(x, range);
  }

  /** {@code y[i] = (int) boundedLong(seed, first + i, lo, range)}; {@code range} up to 2^32 - 1. */
  public static void uniformIntI32(
      long seed, long first, int lo, long range, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_INT, yo + i, (int) boundedLong(seed, first + i, lo, range));
    }
  }

  /** {@code y[i] = boundedLong(seed, first + i, lo, range)}. */
  public static void uniformIntI64(
      long seed, long first, long lo, long range, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.setAtIndex(JAVA_LONG, yo + i, boundedLong(seed, first + i, lo, range));
    }
  }
}
