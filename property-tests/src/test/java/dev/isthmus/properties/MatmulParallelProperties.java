package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.Epilogue;
import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.MatmulTasks;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

/**
 * The GEMM on several threads: the kernels given a {@link MatmulTasks} runner (two threads, or
 * the tasks in a scrambled order on one) must produce C bit for bit equal to the one-thread
 * result, for all transposes, epilogues, offsets and padded leading dimensions, heap and off-heap,
 * over shapes large enough to be split (so the packed kernel's parts share a panel of B between
 * threads) with the edge-tile sizes of m, n and k around MR, NR, MC, KC and the panel's slivers.
 * A product must also still match the scalar twin. And {@code Ops.matmul} with intra-op
 * parallelism 1 and 2 gives the same tensors, batched too.
 */
class MatmulParallelProperties {
  enum Kind { F32, F64, I32 }

  private static final ExecutorService POOL = Executors.newFixedThreadPool(1);
  private static final AtomicLong SPLIT = new AtomicLong();

  @AfterAll
  static void shutdown() {
    POOL.shutdownNow();
  }

  @AfterEach
  void defaultParallelism() {
    Context.setIntraOpParallelism(0);
  }

  /** Two threads taking tasks from a counter: the caller and one pool thread. */
  static final MatmulTasks TWO_THREADS = (count, task) -> {
    if (count > 1) {
      SPLIT.incrementAndGet();
    }
    AtomicInteger next = new AtomicInteger();
    Runnable work = () -> {
      for (int t; (t = next.getAndIncrement()) < count; ) {
        task.accept(t);
      }
    };
    Future<?> helper = POOL.submit(work);
    work.run();
    try {
      helper.get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  };

  /** The tasks on the caller, last first. */
  static final MatmulTasks REVERSED = (count, task) -> {
    for (int t = count - 1; t >= 0; t--) {
      task.accept(t);
    }
  };

  /** One product: sizes, offsets, paddings, memory, transposes, epilogue, seed. */
  record Case(int m, int n, int k, int off, int pad, boolean offHeap, boolean ta, boolean tb,
      int act, boolean bias, long seed) {}

  /**
   * Shapes of at least about 2^23 multiply-adds (where the packed kernel hands parts to threads),
   * each of m, n, k drawn near a blocking edge: 1, around the register tile, around the KC block
   * and the MC rows of a part, or anything up to a few hundred.
   */
  static Gen<Case> cases(Kind kind) {
    MatmulKernels.Blocking bl = kind == Kind.F64 ? MatmulKernels.blockingF64()
        : MatmulKernels.blockingF32();
    return in -> {
      Draw d = TensorGens.draw(in);
      int m = d.oneOf(bl.mr() + 1, 2 * bl.mc() - 1, 2 * bl.mc() + 1, 3 * bl.mc() + bl.mr() - 1,
          d.intBetween(bl.mc(), 5 * bl.mc()), 4 * bl.mc() + 5);
      int n = d.oneOf(1, bl.nr() - 1, bl.nr() + 1, 3 * bl.nr() + 7, d.intBetween(2, 400), 257);
      int k = d.oneOf(1, bl.kc() - 1, bl.kc() + 1, 2 * bl.kc() + 3, d.intBetween(2, 600));
      // Grow the smallest of n and k until the product is worth splitting.
      while ((long) m * n * k < (1L << 23)) {
        if (n <= k) {
          n = n * 2 + 1;
        } else {
          k = k * 2 + 1;
        }
      }
      return new Case(m, n, k, d.intBetween(0, 5), d.intBetween(0, 3), d.between(0, 3) == 0,
          d.between(0, 1) == 1, d.between(0, 1) == 1, d.intBetween(0, 4), d.between(0, 1) == 1,
          d.between(0, 1L << 40));
    };
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void twoThreadsAndAnyTaskOrderGiveTheOneThreadResult(Kind kind) {
    long before = SPLIT.get();
    qt().withExamples(14).forAll(cases(kind)).checkAssert(c -> {
      MemorySegment one = run(kind, c, MatmulTasks.SERIAL);
      MemorySegment two = run(kind, c, TWO_THREADS);
      MemorySegment rev = run(kind, c, REVERSED);
      assertEquals(-1, one.mismatch(two), () -> kind + " two threads differ: " + c);
      assertEquals(-1, one.mismatch(rev), () -> kind + " reversed tasks differ: " + c);
    });
    assertTrue(SPLIT.get() > before, "some product was split into several tasks");
  }

  /** A split product still matches the scalar twin (the bound of MatmulKernelProperties). */
  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"F32", "F64"})
  void aSplitProductMatchesTheTwin(Kind kind) {
    qt().withExamples(3).forAll(cases(kind)).checkAssert(drawn -> {
      // n and k at most 300 (the twin is slow), m as large as it takes to be split.
      int n = Math.min(drawn.n(), 300), k = Math.min(drawn.k(), 300);
      int m = Math.max(drawn.m(), (int) ((1L << 23) / n / k + 1));
      Case c = new Case(m, n, k, drawn.off(), drawn.pad(), drawn.offHeap(), drawn.ta(),
          drawn.tb(), 0, false, drawn.seed());
      MemorySegment got = run(kind, c, TWO_THREADS);
      double eps = kind == Kind.F64 ? Math.ulp(1.0) : Math.ulp(1f);
      double tiny = kind == Kind.F64 ? Double.MIN_VALUE : Float.MIN_VALUE;
      MatmulBound.check(window(kind, twin(kind, c), c), window(kind, got, c), sumAbs(kind, c),
          k, eps, tiny, kind + " " + c);
    });
  }

  /**
   * {@code Ops.matmul} at parallelism 1 and 2: equal tensors, one matrix (split inside) or a batch
   * (small matrices to threads whole, large ones split), with either operand transposed.
   */
  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "INT32"})
  void opsMatmulIsTheSameOnOneAndTwoThreads(DType dt) {
    long[][] shapes = {{1, 300, 257, 310}, {1, 97, 1030, 129}, {3, 130, 70, 150},
        {2, 260, 300, 230}, {9, 33, 17, 41}};
    long seed = 7;
    for (long[] s : shapes) {
      for (int flags = 0; flags < 4; flags++) {
        boolean ta = (flags & 1) != 0, tb = (flags & 2) != 0;
        Tensor a = Ops.randomNormal(seed++, DType.FLOAT32, s[0], ta ? s[2] : s[1],
            ta ? s[1] : s[2]);
        Tensor b = Ops.randomNormal(seed++, DType.FLOAT32, s[0], tb ? s[3] : s[2],
            tb ? s[2] : s[3]);
        if (dt == DType.INT32) {
          a = Ops.mul(a, 1000.0);
          b = Ops.mul(b, 1000.0);
        }
        a = Ops.cast(a, dt);
        b = Ops.cast(b, dt);
        Context.setIntraOpParallelism(1);
        Tensor one = Ops.matmul(a, b, ta, tb);
        Context.setIntraOpParallelism(2);
        Tensor two = Ops.matmul(a, b, ta, tb);
        assertEquals(one.shape(), two.shape());
        assertTrue(sameBits(one, two), dt + " " + java.util.Arrays.toString(s) + " ta=" + ta
            + " tb=" + tb);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static boolean sameBits(Tensor x, Tensor y) {
    return switch (x.dtype()) {
      case FLOAT32 -> java.util.Arrays.equals(x.toFloatArray(), y.toFloatArray());
      case FLOAT64 -> java.util.Arrays.equals(x.toDoubleArray(), y.toDoubleArray());
      case INT32 -> java.util.Arrays.equals(x.toIntArray(), y.toIntArray());
      default -> throw new AssertionError(x.dtype());
    };
  }

  private static int lda(Case c) {
    return (c.ta() ? c.m() : c.k()) + c.pad();
  }

  private static int ldb(Case c) {
    return (c.tb() ? c.k() : c.n()) + c.pad();
  }

  private static int ldc(Case c) {
    return c.n() + c.pad();
  }

  private static long sizeA(Case c) {
    return c.off() + (long) (c.ta() ? c.k() : c.m()) * lda(c);
  }

  private static long sizeB(Case c) {
    return c.off() + (long) (c.tb() ? c.n() : c.k()) * ldb(c);
  }

  private static long sizeC(Case c) {
    return c.off() + (long) c.m() * ldc(c);
  }

  private static MemorySegment random(Kind kind, SplittableRandom r, long n) {
    MemorySegment s = switch (kind) {
      case F32 -> MemorySegment.ofArray(new float[(int) n]);
      case F64 -> MemorySegment.ofArray(new double[(int) n]);
      case I32 -> MemorySegment.ofArray(new int[(int) n]);
    };
    for (long i = 0; i < n; i++) {
      switch (kind) {
        case F32 -> s.setAtIndex(JAVA_FLOAT, i, (float) r.nextDouble(-1, 1));
        case F64 -> s.setAtIndex(JAVA_DOUBLE, i, r.nextDouble(-1, 1));
        case I32 -> s.setAtIndex(JAVA_INT, i, r.nextInt());
      }
    }
    return s;
  }

  /** The product of case {@code c} by the kernels on {@code tasks}, copied to the heap. */
  private static MemorySegment run(Kind kind, Case c, MatmulTasks tasks) {
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment a = random(kind, r, sizeA(c)), b = random(kind, r, sizeB(c));
    MemorySegment bias = random(kind, r, c.off() + c.n());
    MemorySegment out = random(kind, new SplittableRandom(1), sizeC(c)); // garbage to overwrite
    try (Arena arena = Arena.ofShared()) { // shared: the tasks run on other threads
      MemorySegment ka = a, kb = b, kc = out, kbias = bias;
      if (c.offHeap()) {
        ka = arena.allocate(a.byteSize(), 64).copyFrom(a);
        kb = arena.allocate(b.byteSize(), 64).copyFrom(b);
        kc = arena.allocate(out.byteSize(), 64).copyFrom(out);
        kbias = arena.allocate(bias.byteSize(), 64).copyFrom(bias);
      }
      Epilogue.Activation act = Epilogue.Activation.values()[c.act()];
      Epilogue ep = c.bias() ? Epilogue.of(kbias, c.off(), act) : Epilogue.activation(act);
      int o = c.off();
      switch (kind) {
        case F32 -> MatmulKernels.f32(c.ta(), c.tb(), c.m(), c.n(), c.k(), ka, o, lda(c), kb, o,
            ldb(c), kc, o, ldc(c), ep, tasks);
        case F64 -> MatmulKernels.f64(c.ta(), c.tb(), c.m(), c.n(), c.k(), ka, o, lda(c), kb, o,
            ldb(c), kc, o, ldc(c), ep, tasks);
        case I32 -> MatmulKernels.i32(c.ta(), c.tb(), c.m(), c.n(), c.k(), ka, o, lda(c), kb, o,
            ldb(c), kc, o, ldc(c), tasks);
      }
      return out.copyFrom(kc);
    }
  }

  private static MemorySegment twin(Kind kind, Case c) {
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment a = random(kind, r, sizeA(c)), b = random(kind, r, sizeB(c));
    MemorySegment out = random(kind, new SplittableRandom(1), sizeC(c));
    int o = c.off();
    if (kind == Kind.F32) {
      dev.isthmus.kernels.MatmulScalar.f32(c.ta(), c.tb(), c.m(), c.n(), c.k(), a, o, lda(c), b,
          o, ldb(c), out, o, ldc(c));
    } else {
      dev.isthmus.kernels.MatmulScalar.f64(c.ta(), c.tb(), c.m(), c.n(), c.k(), a, o, lda(c), b,
          o, ldb(c), out, o, ldc(c));
    }
    return out;
  }

  private static double get(Kind kind, MemorySegment s, long i) {
    return kind == Kind.F64 ? s.getAtIndex(JAVA_DOUBLE, i) : s.getAtIndex(JAVA_FLOAT, i);
  }

  private static double[] window(Kind kind, MemorySegment s, Case c) {
    double[] w = new double[c.m() * c.n()];
    for (int i = 0; i < c.m(); i++) {
      for (int j = 0; j < c.n(); j++) {
        w[i * c.n() + j] = get(kind, s, c.off() + (long) i * ldc(c) + j);
      }
    }
    return w;
  }

  private static double[] sumAbs(Kind kind, Case c) {
    SplittableRandom r = new SplittableRandom(c.seed());
    MemorySegment a = random(kind, r, sizeA(c)), b = random(kind, r, sizeB(c));
    double[] s = new double[c.m() * c.n()];
    for (int i = 0; i < c.m(); i++) {
      for (int j = 0; j < c.n(); j++) {
        double acc = 0;
        for (int p = 0; p < c.k(); p++) {
          double x = get(kind, a, c.off() + (c.ta() ? (long) p * lda(c) + i
              : (long) i * lda(c) + p));
          double y = get(kind, b, c.off() + (c.tb() ? (long) j * ldb(c) + p
              : (long) p * ldb(c) + j));
          acc += Math.abs(x * y);
        }
        s[i * c.n() + j] = acc;
      }
    }
    return s;
  }

  /** The split runner really ran tasks on two threads at once at least once. */
  @Test
  void theTwoThreadRunnerRunsTasksConcurrently() {
    AtomicInteger running = new AtomicInteger(), most = new AtomicInteger();
    IntConsumer task = t -> {
      int now = running.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      long end = System.nanoTime() + 2_000_000;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      running.decrementAndGet();
    };
    for (int rep = 0; rep < 20 && most.get() < 2; rep++) {
      TWO_THREADS.run(8, task);
    }
    assertEquals(2, most.get());
  }
}
