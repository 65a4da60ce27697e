package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.IntraOp;
import dev.isthmus.internal.Tensors;
import dev.isthmus.kernels.ReduceKernels;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Intra-op parallelism: the setting, the chunked loop, and results independent of threads. */
class IntraOpTest {
  @AfterEach
  void restoreDefault() {
    Context.setIntraOpParallelism(0);
  }

  /**
   * Runs {@code op} with parallelism 1, 2, 3 and the default; all must agree bit for bit. Tried
   * up to 20 rounds: the Vector API's transcendental operators (EXP in exp, softmax, ...) can
   * differ by an ulp between interpreted and C2-compiled code, whatever the thread count, while
   * the JIT warms up. A partitioning bug would differ in every round.
   */
  private static Tensor same(String what, Supplier<Tensor> op) {
    AssertionError last = null;
    for (int round = 0; round < 20; round++) {
      try {
        return sameOnce(what, op);
      } catch (AssertionError e) {
        last = e;
      } finally {
        Context.setIntraOpParallelism(0);
      }
    }
    throw last;
  }

  private static Tensor sameOnce(String what, Supplier<Tensor> op) {
    Context.setIntraOpParallelism(1);
    Tensor one = op.get();
    for (int p : new int[] {2, 0, 3}) {
      Context.setIntraOpParallelism(p);
      Tensor other = op.get();
      assertEquals(one.dtype(), other.dtype(), what);
      assertEquals(one.shape(), other.shape(), what);
      assertEquals(-1, Tensors.data(one).mismatch(Tensors.data(other)),
          what + ": parallelism " + p + " differs from 1");
    }
    return one;
  }

  private static Tensor normal(long seed, long... shape) {
    return Ops.randomNormal(seed, DType.FLOAT32, shape);
  }

  @Test
  void settingIsValidatedAndReadBack() {
    assertEquals(0, Context.intraOpParallelism());
    Context.setIntraOpParallelism(2);
    assertEquals(2, Context.intraOpParallelism());
    Context.setIntraOpParallelism(1);
    assertEquals(1, Context.intraOpParallelism());
    var e = assertThrows(InvalidArgumentException.class, () -> Context.setIntraOpParallelism(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertEquals(1, Context.intraOpParallelism());
  }

  @Test
  void everyIndexRunsExactlyOnceInFixedChunks() {
    Context.setIntraOpParallelism(2);
    int n = 100_003;
    AtomicIntegerArray hits = new AtomicIntegerArray(n);
    IntraOp.forEachChunk(n, 1000, (s, e) -> {
      assertEquals(0, s % 1000);
      assertEquals(Math.min(n, s + 1000), e);
      for (long i = s; i < e; i++) {
        hits.incrementAndGet((int) i);
      }
    });
    for (int i = 0; i < n; i++) {
      assertEquals(1, hits.get(i), "index " + i);
    }
    assertEquals(101, IntraOp.chunks(n, 1000));
    assertEquals(0, IntraOp.chunks(0, 1000));
  }

  static final class ChunkFailure extends RuntimeException {
    ChunkFailure(String m) {
      super(m);
    }
  }

  @Test
  void anExceptionInAChunkSurfacesOnTheCallerWithItsType() {
    for (int p : new int[] {1, 2, 0}) {
      Context.setIntraOpParallelism(p);
      var e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
          ChunkFailure.class, () -> IntraOp.forEachChunk(10_000, 10, (s, end) -> {
            if (s == 5_000) {
              throw new ChunkFailure("chunk at " + s);
            }
          })));
      assertEquals("chunk at 5000", e.getMessage());
      // The pool is still usable afterwards.
      AtomicIntegerArray hits = new AtomicIntegerArray(1);
      IntraOp.forEachChunk(100, 1, (s, end) -> hits.incrementAndGet(0));
      assertEquals(100, hits.get(0));
    }
    Context.setIntraOpParallelism(2);
    assertThrows(AssertionError.class, () -> IntraOp.forEachChunk(64, 1, (s, e) -> {
      throw new AssertionError("error " + s);
    }));
  }

  @Test
  void changingTheSettingDoesNotLeakThreads() {
    Tensor x = normal(1, 300_000);
    for (int i = 0; i < 20; i++) {
      Context.setIntraOpParallelism(new int[] {2, 1, 0, 4, 3}[i % 5]);
      x.add(x);
    }
    long live = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("isthmus-intra-op")).count();
    int cpus = Runtime.getRuntime().availableProcessors();
    assertTrue(live <= cpus, live + " intra-op threads for " + cpus + " processors");
  }

  @Test
  void smallOpsStayOnTheCallerAndLargeOnesFork() {
    Context.setIntraOpParallelism(2);
    Tensor small = normal(2, 256, 255); // 65280 elements: one chunk
    Tensor m = normal(3, 60, 60);
    long before = IntraOp.forkedJobs();
    small.exp();
    small.add(small);
    Ops.reduceSum(small);
    Ops.reduceSum(small, 1);
    Ops.softmax(small);
    Ops.argMax(small, 0);
    m.matmul(m);
    assertEquals(before, IntraOp.forkedJobs(), "a small op forked");
    normal(4, 1 << 17).exp();
    assertEquals(before + 1, IntraOp.forkedJobs(), "a large op ran on the caller alone");
    Context.setIntraOpParallelism(1);
    normal(4, 1 << 17).exp();
    assertEquals(before + 1, IntraOp.forkedJobs(), "parallelism 1 forked");
  }

  @Test
  void elementwiseIsIdenticalForAnyThreadCount() {
    Tensor x = normal(5, 3, 100_003);
    Tensor y = normal(6, 3, 100_003);
    same("exp", x::exp);
    same("tanh", x::tanh);
    same("gelu", () -> x.gelu(true));
    same("add", () -> x.add(y));
    same("div", () -> x.div(y));
    same("pow", () -> Ops.pow(x, y));
    Tensor xi = Ops.cast(x.mul(Tensor.scalar(1000f)), DType.INT32);
    same("abs int32", xi::abs);
    same("mul int32", () -> xi.mul(xi));
    Tensor xd = Ops.cast(x, DType.FLOAT64);
    same("sin float64", xd::sin);
    same("squared difference float64", () -> Ops.squaredDifference(xd, xd.exp()));
  }

  @Test
  void reductionsAreIdenticalForAnyThreadCount() {
    Tensor x = normal(7, 37, 61, 59);
    for (int[] axes : new int[][] {{}, {0}, {1}, {2}, {0, 2}, {1, 2}, {0, 1}}) {
      String a = java.util.Arrays.toString(axes);
      same("sum " + a, () -> Ops.reduceSum(x, axes));
      same("mean " + a, () -> Ops.reduceMean(x, axes));
      same("max " + a, () -> Ops.reduceMax(x, axes));
      same("min " + a, () -> Ops.reduceMin(x, axes));
      same("prod " + a, () -> Ops.reduceProd(x, axes));
      same("any " + a, () -> Ops.reduceAny(Ops.greater(x, Tensor.scalar(3.5f)), axes));
      same("all " + a, () -> Ops.reduceAll(Ops.greater(x, Tensor.scalar(-4f)), axes));
    }
    for (int axis = 0; axis < 3; axis++) {
      int ax = axis;
      same("argMax " + ax, () -> Ops.argMax(x, ax));
      same("argMin " + ax, () -> Ops.argMin(x, ax));
      same("softmax " + ax, () -> Ops.softmax(x, ax));
      same("logSoftmax " + ax, () -> Ops.logSoftmax(x, ax));
    }
  }

  @Test
  void fullReductionsInChunksAreIdenticalAndWithinTheSumBound() {
    int n = 2_600_001; // three chunks, the last one short
    Tensor x = normal(8, n);
    Tensor s = same("sum", () -> Ops.reduceSum(x));
    same("mean", () -> Ops.reduceMean(x));
    same("max", () -> Ops.reduceMax(x));
    same("min", () -> Ops.reduceMin(x));
    same("prod", () -> Ops.reduceProd(Ops.add(Ops.mul(x, Tensor.scalar(1e-3f)), Tensor.scalar(1f))));
    same("all", () -> Ops.reduceAll(Ops.greater(x, Tensor.scalar(-5f))));
    same("any", () -> Ops.reduceAny(Ops.greater(x, Tensor.scalar(5f))));
    Tensor xi = Ops.cast(Ops.mul(x, Tensor.scalar(1e4f)), DType.INT32);
    Tensor si = same("int32 sum", () -> Ops.reduceSum(xi));
    same("int32 mean", () -> Ops.reduceMean(xi));
    same("int32 max", () -> Ops.reduceMax(xi));
    Tensor xl = Ops.cast(xi, DType.INT64);
    same("int64 sum", () -> Ops.reduceSum(xl));
    same("float64 sum", () -> Ops.reduceSum(Ops.cast(x, DType.FLOAT64)));
    // Exact integer sum, wrapped to int32.
    long exact = 0;
    for (int v : xi.toIntArray()) {
      exact += v;
    }
    assertEquals((int) exact, si.toIntArray()[0]);
    // The float sum bound D(n) * eps * sum |x| holds for the chunked sum.
    double ref = 0, abs = 0;
    for (float v : x.toFloatArray()) {
      ref += v;
      abs += Math.abs(v);
    }
    double err = Math.abs(s.toFloatArray()[0] - ref);
    double bound = ReduceKernels.sumErrorFactorF32(n) * Math.ulp(1f) * abs;
    assertTrue(err <= bound, "error " + err + " above bound " + bound);
  }

  @Test
  void fullArgReductionsFindTheFirstBestAcrossChunks() {
    int n = 3_000_000;
    float[] v = new float[n];
    v[1_500_000] = 7f;
    v[2_900_000] = 7f; // a tie in a later chunk: the first wins
    v[100] = -3f;
    v[2_100_000] = -3f;
    Tensor x = Tensor.of(v, n);
    assertEquals(1_500_000L, same("argMax", () -> Ops.argMax(x, 0)).toLongArray()[0]);
    assertEquals(100L, same("argMin", () -> Ops.argMin(x, 0)).toLongArray()[0]);
    v[2_500_000] = Float.NaN; // NaN beyond every number; the first NaN wins
    v[2_600_000] = Float.NaN;
    Tensor y = Tensor.of(v, n);
    assertEquals(2_500_000L, same("argMax NaN", () -> Ops.argMax(y, 0)).toLongArray()[0]);
    assertEquals(2_500_000L, same("argMin NaN", () -> Ops.argMin(y, 0)).toLongArray()[0]);
    Tensor big = normal(9, n);
    same("argMax random", () -> Ops.argMax(big, 0));
  }

  @Test
  void matmulIsIdenticalForAnyThreadCount() {
    Tensor a = normal(10, 203, 70), b = normal(11, 70, 90);
    same("matmul", () -> a.matmul(b));
    Tensor at = normal(12, 70, 203), bt = normal(13, 90, 70);
    same("matmul transposes", () -> Ops.matmul(at, bt, true, true));
    Tensor x = normal(14, 3, 1, 130, 40), y = normal(15, 2, 40, 90);
    same("batched matmul", () -> x.matmul(y));
    Tensor xd = Ops.cast(x, DType.FLOAT64), yd = Ops.cast(y, DType.FLOAT64);
    same("batched float64", () -> xd.matmul(yd));
    Tensor xi = Ops.cast(Ops.mul(x, Tensor.scalar(10f)), DType.INT32);
    Tensor yi = Ops.cast(Ops.mul(y, Tensor.scalar(10f)), DType.INT32);
    same("batched int32", () -> xi.matmul(yi));
  }

  @Test
  void rowBlockedMatmulMatchesOneCallPerMatrixForIntegers() {
    // Integer products are exact, so the blocked path must equal a plain triple loop.
    Tensor x = Ops.cast(Ops.mul(normal(16, 150, 80), Tensor.scalar(10f)), DType.INT32);
    Tensor y = Ops.cast(Ops.mul(normal(17, 80, 70), Tensor.scalar(10f)), DType.INT32);
    int[] a = x.toIntArray(), b = y.toIntArray(), c = x.matmul(y).toIntArray();
    for (int i = 0; i < 150; i++) {
      for (int j = 0; j < 70; j++) {
        int s = 0;
        for (int k = 0; k < 80; k++) {
          s += a[i * 80 + k] * b[k * 70 + j];
        }
        assertEquals(s, c[i * 70 + j], "c[" + i + ", " + j + "]");
      }
    }
  }
}
