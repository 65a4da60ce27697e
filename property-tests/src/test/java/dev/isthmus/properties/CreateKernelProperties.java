package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.CreateKernels;
import dev.isthmus.kernels.CreateScalar;
import dev.isthmus.kernels.Simd;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The creation kernels against their scalar twins over awkward sizes and offsets, the random
 * streams against their specification ({@link CreateScalar}), and the statistics of the
 * distributions with fixed seeds.
 */
class CreateKernelProperties {
  /** One kernel call: count, output offset, seed, first stream index, two parameters. */
  record Case(int n, int yo, long seed, long first, double a, double b) {}

  private static Gen<Case> cases(int lanes) {
    return in -> {
      Draw d = TensorGens.draw(in);
      int n = (int) Generators.awkwardSize(d, lanes, 5000);
      int yo = d.intBetween(0, 3);
      long seed = d.between(Long.MIN_VALUE, Long.MAX_VALUE);
      long first = d.oneOf(0L, 1L, d.between(0, 1L << 40), Long.MAX_VALUE - 100); // may wrap
      return new Case(n, yo, seed, first, d.doubleBetween(-1e3, 1e3), d.doubleBetween(-10, 10));
    };
  }

  private static final int LONG_LANES = Simd.doubleLanes();
  private static final int INT_LANES = Simd.floatLanes();

  // Outputs start at yo inside a longer array prefilled with a sentinel, so a kernel writing
  // before yo or past n shows up as a difference from the twin's array too.

  @Test
  void fillsMatchScalarTwin() {
    qt().withExamples(150).forAll(cases(INT_LANES)).checkAssert(c -> {
      int len = c.n() + c.yo() + 2;
      float[] f1 = sentinelF(len), f2 = sentinelF(len);
      CreateKernels.fillF32((float) c.a(), seg(f1), c.yo(), c.n());
      CreateScalar.fillF32((float) c.a(), seg(f2), c.yo(), c.n());
      assertArrayEquals(f2, f1);
      double[] d1 = sentinelD(len), d2 = sentinelD(len);
      CreateKernels.fillF64(c.a(), seg(d1), c.yo(), c.n());
      CreateScalar.fillF64(c.a(), seg(d2), c.yo(), c.n());
      assertArrayEquals(d2, d1);
      int[] i1 = new int[len], i2 = new int[len];
      Arrays.fill(i1, -9);
      Arrays.fill(i2, -9);
      CreateKernels.fillI32((int) c.seed(), seg(i1), c.yo(), c.n());
      CreateScalar.fillI32((int) c.seed(), seg(i2), c.yo(), c.n());
      assertArrayEquals(i2, i1);
      long[] l1 = sentinelL(len), l2 = sentinelL(len);
      CreateKernels.fillI64(c.seed(), seg(l1), c.yo(), c.n());
      CreateScalar.fillI64(c.seed(), seg(l2), c.yo(), c.n());
      assertArrayEquals(l2, l1);
      byte[] b1 = new byte[len * 4], b2 = new byte[len * 4]; // byte lanes are 4x float lanes
      Arrays.fill(b1, (byte) 7);
      Arrays.fill(b2, (byte) 7);
      CreateKernels.fillI8((byte) 1, MemorySegment.ofArray(b1), c.yo(), c.n() * 4L);
      CreateScalar.fillI8((byte) 1, MemorySegment.ofArray(b2), c.yo(), c.n() * 4L);
      assertArrayEquals(b2, b1);
    });
  }

  @Test
  void iotasMatchScalarTwin() {
    qt().withExamples(150).forAll(cases(INT_LANES)).checkAssert(c -> {
      int len = c.n() + c.yo() + 2;
      float[] f1 = sentinelF(len), f2 = sentinelF(len);
      CreateKernels.iotaF32((float) c.a(), (float) c.b(), seg(f1), c.yo(), c.n());
      CreateScalar.iotaF32((float) c.a(), (float) c.b(), 0, seg(f2), c.yo(), c.n());
      assertArrayEquals(f2, f1);
      double[] d1 = sentinelD(len), d2 = sentinelD(len);
      CreateKernels.iotaF64(c.a(), c.b(), seg(d1), c.yo(), c.n());
      CreateScalar.iotaF64(c.a(), c.b(), 0, seg(d2), c.yo(), c.n());
      assertArrayEquals(d2, d1);
      int[] i1 = new int[len], i2 = new int[len];
      int start = (int) c.seed(), delta = (int) (c.seed() >>> 40); // wraps: still the same
      CreateKernels.iotaI32(start, delta, seg(i1), c.yo(), c.n());
      CreateScalar.iotaI32(start, delta, 0, seg(i2), c.yo(), c.n());
      assertArrayEquals(i2, i1);
      long[] l1 = sentinelL(len), l2 = sentinelL(len);
      CreateKernels.iotaI64(c.seed(), c.first(), seg(l1), c.yo(), c.n());
      CreateScalar.iotaI64(c.seed(), c.first(), 0, seg(l2), c.yo(), c.n());
      assertArrayEquals(l2, l1);
    });
  }

  @Test
  void randomBitsMatchScalarTwinAndSpec() {
    qt().withExamples(150).forAll(cases(LONG_LANES)).checkAssert(c -> {
      int len = c.n() + c.yo() + 2;
      long[] v = sentinelL(len), s = sentinelL(len);
      CreateKernels.randomBits(c.seed(), c.first(), seg(v), c.yo(), c.n());
      CreateScalar.randomBits(c.seed(), c.first(), seg(s), c.yo(), c.n());
      assertArrayEquals(s, v);
      for (int i = 0; i < c.n(); i += 1 + i / 8) {
        assertEquals(CreateScalar.bits(c.seed(), c.first() + i), v[c.yo() + i]);
      }
    });
  }

  @Test
  void uniformsMatchScalarTwin() {
    qt().withExamples(150).forAll(cases(LONG_LANES)).checkAssert(c -> {
      int len = c.n() + c.yo() + 2;
      float lo = (float) c.a(), range = (float) Math.abs(c.b());
      float[] f1 = sentinelF(len), f2 = sentinelF(len);
      CreateKernels.uniformF32(c.seed(), c.first(), lo, range, seg(f1), c.yo(), c.n());
      CreateScalar.uniformF32(c.seed(), c.first(), lo, range, seg(f2), c.yo(), c.n());
      assertArrayEquals(f2, f1);
      double[] d1 = sentinelD(len), d2 = sentinelD(len);
      CreateKernels.uniformF64(c.seed(), c.first(), c.a(), c.b(), seg(d1), c.yo(), c.n());
      CreateScalar.uniformF64(c.seed(), c.first(), c.a(), c.b(), seg(d2), c.yo(), c.n());
      assertArrayEquals(d2, d1);
      for (int i = 0; i < c.n(); i += 1 + i / 8) {
        assertEquals(CreateScalar.unitF32(CreateScalar.bits(c.seed(), c.first() + i)) * range + lo,
            f1[c.yo() + i]);
      }
    });
  }

  @Test
  void aChunkOfAStreamIsThatSliceOfTheWhole() {
    qt().withExamples(100).forAll(cases(LONG_LANES)).checkAssert(c -> {
      int k = c.n() / 3;
      float[] whole = new float[c.n()], parts = new float[c.n()];
      CreateKernels.uniformF32(c.seed(), c.first(), 0, 1, seg(whole), 0, c.n());
      CreateKernels.uniformF32(c.seed(), c.first(), 0, 1, seg(parts), 0, k);
      CreateKernels.uniformF32(c.seed(), c.first() + k, 0, 1, seg(parts), k, c.n() - k);
      assertArrayEquals(whole, parts);
      double[] nw = new double[c.n()], np = new double[c.n()];
      CreateKernels.normalF64(c.seed(), c.first(), 0, 1, seg(nw), 0, c.n());
      CreateKernels.normalF64(c.seed(), c.first(), 0, 1, seg(np), 0, k); // k may be odd
      CreateKernels.normalF64(c.seed(), c.first() + k, 0, 1, seg(np), k, c.n() - k);
      assertArrayEquals(nw, np);
      for (int i = 0; i < c.n(); i += 1 + i / 4) {
        assertEquals(CreateScalar.standardNormal(c.seed(), c.first() + i), nw[i]);
      }
    });
  }

  @Test
  void boundedIntegersStayInRangeAndFollowTheSpec() {
    qt().withExamples(100).forAll(cases(LONG_LANES)).checkAssert(c -> {
      long lo = (long) (c.a() * 1e6);
      long range = 1 + (Math.abs(c.seed()) >>> (int) Math.abs(c.b() * 6)); // 1 to 2^63
      long[] y = new long[c.n()];
      CreateKernels.uniformIntI64(c.seed(), c.first(), lo, range, seg(y), 0, c.n());
      for (int i = 0; i < c.n(); i++) {
        assertTrue(Long.compareUnsigned(y[i] - lo, range) < 0, "out of range at " + i);
        assertEquals(CreateScalar.boundedLong(c.seed(), c.first() + i, lo, range), y[i]);
      }
      int[] z = new int[c.n()];
      long r32 = 1 + (range & 0xFFFF_FFFEL);
      CreateKernels.uniformIntI32(c.seed(), c.first(), (int) lo, r32, seg(z), 0, c.n());
      for (int i = 0; i < c.n(); i++) {
        assertTrue(((z[i] - (int) lo) & 0xFFFF_FFFFL) < r32, "out of range at " + i);
      }
    });
  }

  @Test
  void sameSeedSameTensorOnEveryShape() {
    qt().withExamples(60).forAll(in -> {
      Draw d = TensorGens.draw(in);
      return new Object[] {d.between(Long.MIN_VALUE, Long.MAX_VALUE),
          Generators.shape(d, 3, 40)};
    }).checkAssert(o -> {
      long seed = (Long) o[0];
      long[] dims = ((Shape) o[1]).dims();
      Tensor a = Ops.randomUniform(seed, DType.FLOAT64, dims);
      Tensor b = Ops.randomUniform(seed, DType.FLOAT64, dims);
      assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
      Tensor flat = Ops.randomUniform(seed, DType.FLOAT64, a.size());
      assertArrayEquals(flat.toDoubleArray(), a.toDoubleArray()); // shape-independent
      Tensor n1 = Ops.randomNormal(seed, DType.FLOAT32, dims);
      assertArrayEquals(n1.toFloatArray(), Ops.randomNormal(seed, DType.FLOAT32, dims)
          .toFloatArray());
    });
  }

  // ---------------------------------------------------------------- statistics (fixed seeds)

  private static final int N = 100_000;
  /** Kolmogorov-Smirnov critical value at alpha = 0.001 for N samples. */
  private static final double KS_CRITICAL = 1.9495 / Math.sqrt(N);

  @Test
  void uniformMomentsAndKolmogorovSmirnov() {
    for (long seed : new long[] {0, 42, -7, Long.MIN_VALUE}) {
      double[] u = Ops.randomUniform(seed, DType.FLOAT64, N).toDoubleArray();
      float[] uf = Ops.randomUniform(seed, DType.FLOAT32, N).toFloatArray();
      double[] ud = new double[N];
      for (int i = 0; i < N; i++) {
        ud[i] = uf[i];
      }
      for (double[] x : new double[][] {u, ud}) {
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (N - 1);
        // 4.5 standard errors: sd(mean) = sqrt(1/12/N), sd(var) = sqrt((1/80 - 1/144)/N)
        assertEquals(0.5, mean, 4.5 * Math.sqrt(1.0 / 12 / N), "mean, seed " + seed);
        assertEquals(1.0 / 12, var, 4.5 * Math.sqrt((1.0 / 80 - 1.0 / 144) / N), "var " + seed);
        double d = ks(x, v -> Math.min(1, Math.max(0, v)));
        assertTrue(d < KS_CRITICAL, "KS " + d + " >= " + KS_CRITICAL + ", seed " + seed);
      }
    }
  }

  @Test
  void normalMomentsAndKolmogorovSmirnov() {
    for (long seed : new long[] {1, 42, -123456789}) {
      double[] z = Ops.randomNormal(seed, DType.FLOAT64, N).toDoubleArray();
      double mean = Arrays.stream(z).average().orElseThrow();
      double var = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / (N - 1);
      assertEquals(0, mean, 4.5 / Math.sqrt(N), "mean, seed " + seed);
      assertEquals(1, var, 4.5 * Math.sqrt(2.0 / N), "var, seed " + seed);
      double d = ks(z, CreateKernelProperties::phi);
      assertTrue(d < KS_CRITICAL, "KS " + d + " >= " + KS_CRITICAL + ", seed " + seed);
    }
  }

  @Test
  void boundedIntegersAreUniformChiSquare() {
    int k = 10;
    for (long seed : new long[] {3, 42}) {
      long[] counts = new long[k];
      for (int v : Ops.randomUniform(seed, DType.INT32, Shape.of(N), -3.0, 7.0).toIntArray()) {
        counts[v + 3]++;
      }
      double chi2 = 0, expected = (double) N / k;
      for (long c : counts) {
        chi2 += (c - expected) * (c - expected) / expected;
      }
      assertTrue(chi2 < 27.88, "chi-square " + chi2 + " (9 dof, alpha 0.001), seed " + seed);
    }
  }

  @Test
  void everyBitIsBalanced() {
    long[] w = new long[N];
    CreateKernels.randomBits(42, 0, seg(w), 0, N);
    for (int bit = 0; bit < 64; bit++) {
      int ones = 0;
      for (long x : w) {
        ones += (int) (x >>> bit) & 1;
      }
      assertEquals(N / 2.0, ones, 4.5 * Math.sqrt(N / 4.0), "bit " + bit);
    }
  }

  @Test
  void differentSeedsGiveDifferentStreams() {
    // 100 seeds (neighbouring ones included) x 1000 words: any shared word would mean
    // overlapping or shifted streams (chance of a collision by luck: about 3e-10).
    Set<Long> seen = new HashSet<>();
    long[] w = new long[1000];
    for (long seed = -50; seed < 50; seed++) {
      CreateKernels.randomBits(seed, 0, seg(w), 0, w.length);
      for (long x : w) {
        assertTrue(seen.add(x), "a word repeats across seeds, seed " + seed);
      }
    }
    assertFalse(Arrays.equals(Ops.randomNormal(1, DType.FLOAT64, 8).toDoubleArray(),
        Ops.randomNormal(2, DType.FLOAT64, 8).toDoubleArray()));
  }

  @Test
  void seed42IsPinned() {
    // A change to the generator changes these: that breaks every user's seeded results, so it
    // must be deliberate (update the pins and say so).
    long[] w = new long[4];
    CreateKernels.randomBits(42, 0, seg(w), 0, 4);
    assertArrayEquals(new long[] {PIN_BITS_0, PIN_BITS_1, PIN_BITS_2, PIN_BITS_3}, w);
    assertArrayEquals(new float[] {PIN_F32_0, PIN_F32_1, PIN_F32_2},
        Ops.randomUniform(42, DType.FLOAT32, 3).toFloatArray());
    assertArrayEquals(new double[] {PIN_N64_0, PIN_N64_1},
        Ops.randomNormal(42, DType.FLOAT64, 2).toDoubleArray());
    assertArrayEquals(new int[] {PIN_I32_0, PIN_I32_1, PIN_I32_2},
        Ops.randomUniform(42, DType.INT32, Shape.of(3), 0.0, 100.0).toIntArray());
  }

  private static final long PIN_BITS_0 = 0x9C2F2CBEE6A4114DL;
  private static final long PIN_BITS_1 = 0x98B183D66DBDEE89L;
  private static final long PIN_BITS_2 = 0x1C41604D28D549D3L;
  private static final long PIN_BITS_3 = 0xEC6870D4C977D31EL;
  private static final float PIN_F32_0 = 0x1.385e58p-1f; // 0.6100948
  private static final float PIN_F32_1 = 0x1.316306p-1f; // 0.5964586
  private static final float PIN_F32_2 = 0x1.c416p-4f; // 0.11037254
  private static final double PIN_N64_0 = -0x1.20c6d9fcb9077p0; // -1.1280342332838964
  private static final double PIN_N64_1 = -0x1.904aafa945d25p-1; // -0.7818198103076709
  private static final int PIN_I32_0 = 61;
  private static final int PIN_I32_1 = 59;
  private static final int PIN_I32_2 = 11;

  // ---------------------------------------------------------------- helpers

  /** The Kolmogorov-Smirnov statistic of the samples (sorted in place) against {@code cdf}. */
  private static double ks(double[] x, java.util.function.DoubleUnaryOperator cdf) {
    double[] s = x.clone();
    Arrays.sort(s);
    double d = 0;
    for (int i = 0; i < s.length; i++) {
      double f = cdf.applyAsDouble(s[i]);
      d = Math.max(d, Math.max((i + 1.0) / s.length - f, f - (double) i / s.length));
    }
    return d;
  }

  /** The standard normal CDF (Abramowitz and Stegun 26.2.17, error below 7.5e-8). */
  private static double phi(double x) {
    double t = 1 / (1 + 0.2316419 * Math.abs(x));
    double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937
        + t * (-1.821255978 + t * 1.330274429))));
    double tail = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) * poly;
    return x >= 0 ? 1 - tail : tail;
  }

  private static MemorySegment seg(float[] a) {
    return MemorySegment.ofArray(a);
  }

  private static MemorySegment seg(double[] a) {
    return MemorySegment.ofArray(a);
  }

  private static MemorySegment seg(int[] a) {
    return MemorySegment.ofArray(a);
  }

  private static MemorySegment seg(long[] a) {
    return MemorySegment.ofArray(a);
  }

  private static float[] sentinelF(int n) {
    float[] a = new float[n];
    Arrays.fill(a, -12345f);
    return a;
  }

  private static double[] sentinelD(int n) {
    double[] a = new double[n];
    Arrays.fill(a, -12345);
    return a;
  }

  private static long[] sentinelL(int n) {
    long[] a = new long[n];
    Arrays.fill(a, 0x5EED5EED5EEDL);
    return a;
  }
}
