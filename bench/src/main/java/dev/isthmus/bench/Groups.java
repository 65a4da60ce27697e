package dev.isthmus.bench;

import static dev.isthmus.bench.Comparison.Target.atLeast;
import static dev.isthmus.bench.Comparison.Target.atMost;
import static dev.isthmus.bench.Comparison.Target.report;
import static dev.isthmus.bench.Comparison.bandwidth;
import static dev.isthmus.bench.Comparison.gflops;
import static dev.isthmus.bench.Comparison.speedup;
import static dev.isthmus.bench.Comparison.time;
import static dev.isthmus.bench.Comparison.timeRatio;
import static dev.isthmus.bench.Comparison.vsNumpy;

import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark groups and their comparisons, one line each. Bandwidth comparisons count the
 * float32 arrays each side must move ("streams"); every ratio reads higher = better for the
 * measured method, except time ratios (a step against its forward pass: lower = better).
 * Baselines come from the same JMH run; numpy lines from a separate process.
 */
public final class Groups {
  private Groups() {}

  /** The element count of each stream, from the {@code size} parameter. */
  private static final ToDoubleFunction<Measurement> SIZE = m -> m.longParam("size", -1);

  /** SoftmaxBench is 4096 x 1024 unless it declares {@code rows}/{@code cols} parameters. */
  private static final ToDoubleFunction<Measurement> SOFTMAX_ELEMENTS =
      m -> (double) m.longParam("rows", 4096) * m.longParam("cols", 1024);

  /** A square matmul of order n does n^3 multiply-adds: 2 n^3 flops. */
  private static final ToDoubleFunction<Measurement> MATMUL_FLOPS = m -> {
    double n = m.longParam("n", -1);
    return 2 * n * n * n;
  };

  /** The elements of an n x n matrix: what a transpose or a gather of n rows reads and writes. */
  private static final ToDoubleFunction<Measurement> SQUARE = m -> {
    double n = m.longParam("n", -1);
    return n * n;
  };

  /** Every group, in the order {@code all} runs them. */
  public static final List<Group> ALL = List.of(
      new Group("unary", "UnaryBench",
          "exp, tanh, sigmoid of 65536 float32: the Vector API kernel and Ops against a scalar"
              + " Math loop.",
          List.of(
              speedup("kernel", "baselineScalar", atLeast(8, "x")),
              speedup("ops", "baselineScalar", report()),
              vsNumpy("kernel", Groups::numpyUnary),
              vsNumpy("ops", Groups::numpyUnary))),
      new Group("binary", "BinaryBench",
          "Add of two 16M float32 arrays (3 streams) against System.arraycopy (2 streams) and a"
              + " scalar loop.",
          List.of(
              bandwidth("kernelAdd", 3, "baselineArraycopy", 2, SIZE, atLeast(0.9, "")),
              bandwidth("opsAdd", 3, "baselineArraycopy", 2, SIZE, report()),
              speedup("kernelAdd", "baselineScalarAdd", report()),
              speedup("opsAdd", "baselineScalarAdd", report()),
              vsNumpy("kernelAdd", m -> "add:" + m.params().get("size")),
              vsNumpy("opsAdd", m -> "add:" + m.params().get("size")))),
      new Group("overhead", "EagerOverheadBench",
          "Eager dispatch cost: adding two 1-element tensors and two scalars, against a bare"
              + " float add.",
          List.of(
              time("addOneElement", atMost(250, " ns")),
              time("addScalarTensors", report()),
              vsNumpy("addOneElement", m -> "add1"))),
      new Group("reduce", "ReduceBench",
          "Sum of 16M float32 (1 stream) against System.arraycopy (2 streams), a scalar loop and"
              + " a plain Vector API loop (one core's read speed).",
          List.of(
              bandwidth("kernelSum", 1, "baselineArraycopy", 2, SIZE, atLeast(0.9, "")),
              bandwidth("opsSum", 1, "baselineArraycopy", 2, SIZE, atLeast(0.9, "")),
              bandwidth("baselineVectorSum", 1, "baselineArraycopy", 2, SIZE, report()),
              speedup("kernelSum", "baselineVectorSum", report()),
              speedup("kernelSum", "baselineScalarSum", report()),
              speedup("opsSum", "baselineScalarSum", report()),
              vsNumpy("kernelSum", m -> "sum:" + m.params().get("size")),
              vsNumpy("opsSum", m -> "sum:" + m.params().get("size")))),
      new Group("softmax", "SoftmaxBench",
          "Softmax over the last axis of 4096 x 1024 float32 (read once, write once: 2 streams)"
              + " against System.arraycopy of as many floats, a fresh buffer filled by a copy"
              + " (what any op producing a new tensor pays), one plain exp pass and a scalar"
              + " softmax.",
          List.of(
              // The issue's 0.7 is against arraycopy into a preallocated array, which no op that
              // returns a fresh tensor can reach (see baselineAllocateAndCopy's own ratio).
              bandwidth("opsSoftmax", 2, "baselineArraycopy", 2, SOFTMAX_ELEMENTS, report()),
              bandwidth("opsSoftmax", 2, "baselineAllocateAndCopy", 2, SOFTMAX_ELEMENTS,
                  atLeast(0.7, "")),
              bandwidth("kernelSoftmax", 2, "baselineArraycopy", 2, SOFTMAX_ELEMENTS, report()),
              bandwidth("baselineAllocateAndCopy", 2, "baselineArraycopy", 2, SOFTMAX_ELEMENTS,
                  report()),
              bandwidth("baselineVectorExp", 2, "baselineArraycopy", 2, SOFTMAX_ELEMENTS,
                  report()),
              speedup("kernelSoftmax", "baselineVectorExp", report()),
              speedup("opsSoftmax", "baselineScalarSoftmax", report()))),
      new Group("matmul", "MatmulBench",
          "Square float32 and float64 matmul, n = 64, 256, 1024, 2048 (2 n^3 flops): kernel and"
              + " Ops on one thread and Ops on `threads` threads (opsParallel), against a scalar"
              + " triple loop, EJML (the pure-JVM peer, one thread) and numpy's OpenBLAS on as"
              + " many threads.",
          List.of(
              gflops("kernel", MATMUL_FLOPS),
              gflops("ops", MATMUL_FLOPS),
              gflops("opsParallel", MATMUL_FLOPS),
              gflops("baselineEjml", MATMUL_FLOPS),
              gflops("baselineScalar", MATMUL_FLOPS),
              // Issue 3's bar is 10x at n = 1024; every n is held to it.
              speedup("kernel", "baselineEjml", atLeast(10, "x")),
              speedup("ops", "baselineEjml", report()),
              speedup("opsParallel", "ops", report(">= 1.8x at 2048, 2 threads")),
              speedup("kernel", "baselineScalar", report()),
              speedup("ops", "baselineScalar", report()),
              vsNumpy("kernel", Groups::numpyMatmul),
              vsNumpy("ops", Groups::numpyMatmul),
              vsNumpy("opsParallel", Groups::numpyMatmul))),
      new Group("copy", "CopyBench",
          "Copy of 1M float32 between heap-backed MemorySegments (as tensors hold data) against"
              + " System.arraycopy and a plain loop.",
          List.of(
              bandwidth("segmentCopy", 2, "baselineArraycopy", 2, SIZE, report()),
              speedup("segmentCopy", "baselineLoop", report()))),
      new Group("move", "MoveBench",
          "Transpose (Ops and the strided-copy kernel), concat along axis 0 and a gather of n"
              + " random rows of an n x n float32 matrix, n = 1024, against plain Java and"
              + " System.arraycopy of n * n floats (transpose and gather: 2 streams).",
          List.of(
              speedup("transpose2d", "baselineScalarTranspose", report()),
              speedup("kernelTranspose2d", "baselineScalarTranspose", report()),
              bandwidth("transpose2d", 2, "baselineArraycopy", 2, SQUARE, report()),
              bandwidth("kernelTranspose2d", 2, "baselineArraycopy", 2, SQUARE, report()),
              speedup("concat", "baselineArraycopy2", report()),
              speedup("gather", "baselineScalarGather", report()),
              bandwidth("gather", 2, "baselineArraycopy", 2, SQUARE, report()),
              vsNumpy("transpose2d", m -> "transpose:" + m.params().get("n")),
              vsNumpy("kernelTranspose2d", m -> "transpose:" + m.params().get("n")),
              vsNumpy("concat", m -> "concat:" + m.params().get("n")),
              vsNumpy("gather", m -> "gather:" + m.params().get("n")))),
      new Group("create", "CreateBench",
          "Seeded uniform and normal random tensors and ones, 1M float32, against a fresh"
              + " float[] filled by SplittableRandom, ThreadLocalRandom or Arrays.fill.",
          List.of(
              speedup("randomUniform", "baselineSplittableRandom", report()),
              speedup("randomUniform", "baselineThreadLocalRandom", report()),
              speedup("randomNormal", "baselineNextGaussian", report()),
              speedup("fillOnes", "baselineArraysFill", report()),
              vsNumpy("randomUniform", m -> "uniform:" + m.params().get("size")),
              vsNumpy("randomNormal", m -> "normal:" + m.params().get("size")),
              vsNumpy("fillOnes", m -> "ones:" + m.params().get("size")))),
      new Group("compare", "CompareCastBench",
          "less (to BOOL), where and a cast to INT32 of 1M float32, against plain Java loops.",
          List.of(
              speedup("less", "baselineScalarLess", report()),
              speedup("where", "baselineScalarWhere", report()),
              speedup("castToInt", "baselineScalarCast", report()),
              vsNumpy("less", m -> "less:" + m.params().get("size")),
              vsNumpy("where", m -> "where:" + m.params().get("size")),
              vsNumpy("castToInt", m -> "cast:" + m.params().get("size")))),
      new Group("conv", "ConvBench",
          "float32 conv2d of a [1, 56, 56, 64] input with a [3, 3, 64, 64] filter, SAME, stride 1"
              + " (2 N OH OW KH KW Cin Cout flops): Ops against the scalar twin's direct loops.",
          List.of(
              gflops("ops", m -> ConvBench.FLOPS),
              gflops("baselineScalar", m -> ConvBench.FLOPS),
              speedup("ops", "baselineScalar", report()))),
      new Group("fusion", "FusionBench",
          "relu(a*b + c) * d and tanh(sigmoid(a*b + c) * d - 0.5) over 64K and 16M float32: the"
              + " generated kernel against a hand-written fused Vector API loop and against the"
              + " same ops unfused through the per-op kernels (intermediates in new arrays, as the"
              + " engine's ops allocate, or reused); compile latency of a new kernel, a"
              + " cache hit, the first 100 calls of a new kernel (64K) against 100 unfused"
              + " calls; a 1024 x 1024 dense layer relu(x @ W + b) with the GEMM epilogue against"
              + " unfused.",
          List.of(
              speedup("fusedReluMulAdd", "baselineHandReluMulAdd", atLeast(0.9, "x")),
              speedup("fusedReluMulAdd", "baselineUnfusedReluMulAdd", atLeast(2.5, "x")),
              speedup("fusedReluMulAdd", "baselineUnfusedReusedReluMulAdd", report()),
              speedup("fusedChain", "baselineHandChain", atLeast(0.9, "x")),
              speedup("fusedChain", "baselineUnfusedChain", atLeast(2.5, "x")),
              speedup("fusedChain", "baselineUnfusedReusedChain", report()),
              speedup("fusedDenseLayer", "baselineUnfusedDenseLayer", atLeast(1.2, "x")),
              speedup("matmulThenFusedBiasRelu", "baselineUnfusedDenseLayer", report()),
              time("compileNewKernel", atMost(5_000_000, " ns")),
              time("cacheHit", report()),
              speedup("first100Calls", "baselineUnfusedFirst100Calls", report(">= 1")),
              speedup("first100CallsWarmingAtOnce", "baselineUnfusedFirst100Calls", report()),
              speedup("first100CallsColdCode", "baselineUnfusedFirst100Calls", report()))),
      new Group("jit", "JitBench",
          "The jit through Function calls: relu(a*b + c) * d and tanh(sigmoid(a*b + c) * d -"
              + " 0.5) over 64K and 16M float32, traced with jitCompile(true) (jit...) and in"
              + " Scopes.jitScope() (jitScope...), against the same Function without jit and a"
              + " hand-written fused Vector API loop into a preallocated array; a dense layer"
              + " relu(x @ W + b), 1024 x 1024, jit against unfused and the matmul alone; compile"
              + " latency (trace and first call of a Function of a new 7-op cluster, on 4096"
              + " floats) and a cache hit (a new Function of a compiled structure), against"
              + " tracing a new Function without jit; the first 100 calls of a new cluster (64K)"
              + " against 100 unfused calls.",
          List.of(
              speedup("jitReluMulAdd", "baselineHandFusedReluMulAdd", atLeast(0.9, "x")),
              speedup("jitReluMulAdd", "baselineUnfusedReluMulAdd", atLeast(2.5, "x")),
              speedup("jitScopeReluMulAdd", "baselineHandFusedReluMulAdd", atLeast(0.9, "x")),
              speedup("jitScopeReluMulAdd", "baselineUnfusedReluMulAdd", atLeast(2.5, "x")),
              speedup("jitChain", "baselineHandFusedChain", atLeast(0.9, "x")),
              speedup("jitChain", "baselineUnfusedChain", atLeast(2.5, "x")),
              speedup("jitScopeChain", "baselineHandFusedChain", atLeast(0.9, "x")),
              speedup("jitScopeChain", "baselineUnfusedChain", atLeast(2.5, "x")),
              speedup("jitDenseLayer", "baselineUnfusedDenseLayer", atLeast(1.2, "x")),
              // 1x: the epilogue costs nothing beyond the matmul
              speedup("jitDenseLayer", "baselineMatmulOnly", report()),
              // the trace and first call included: a stricter bar than the compile alone
              time("compileNewCluster", atMost(5_000_000, " ns")),
              timeRatio("compileNewCluster", "baselineNewFunctionUnfused", report()),
              time("cacheHit", report()),
              timeRatio("cacheHit", "baselineNewFunctionUnfused", report()),
              speedup("first100Calls", "baselineUnfusedFirst100Calls", report(">= 1"))),
          Groups::denseLayerBound),
      new Group("parallel", "ParallelBench",
          "Ops with intra-op parallelism threads = 1, 2 against the same op on one thread in the"
              + " same run: add and sum of 16M float32, matmul 1024, softmax of [4096, 1024] and"
              + " the column sums (axis 0) of [4096, 1024].",
          List.of(
              speedup("add", "baselineAddOneThread", report()),
              speedup("sum", "baselineSumOneThread", report()),
              speedup("sumColumns", "baselineSumColumnsOneThread", report()),
              speedup("matmul", "baselineMatmulOneThread", report()),
              speedup("softmax", "baselineSoftmaxOneThread", report()))),
      new Group("graph", "GraphBench",
          "A traced chain of `nodes` rank-0 float32 ops (add, mul, sub, maximum; 100 unless"
              + " overridden) per node: through Function.call and Session.run, against the same"
              + " ops eagerly and a Java float loop; a call of a one-add function against the"
              + " eager add; and a trace-cache hit (getConcreteFunction of a traced signature).",
          List.of(
              time("functionCall", atMost(150, " ns")),
              speedup("functionCall", "baselineEager", report()),
              speedup("functionCall", "baselineJavaLoop", report()),
              time("sessionRun", report()),
              speedup("sessionRun", "baselineEager", report()),
              speedup("functionCallOneOp", "baselineEagerOneOp", report()),
              time("cacheHit", atMost(1000, " ns")))),
      new Group("train", "TrainBench",
          "One training step of a 2-layer MLP (batch 256, 784-256-10, float32, relu, sparse"
              + " softmax cross entropy, Adam): forward + backward + update against the forward"
              + " pass alone, eager and traced; the step may take at most 3.5x the forward"
              + " (backward + update <= 2.5x forward).",
          List.of(
              timeRatio("stepEager", "baselineForwardEager", atMost(3.5, "x")),
              timeRatio("stepTraced", "baselineForwardTraced", atMost(3.5, "x")),
              speedup("stepTraced", "stepEager", report()),
              speedup("baselineForwardTraced", "baselineForwardEager", report()))),
      new Group("async", "AsyncBench",
          "asyncScope: issuing a 1-element add (1024 issued, then one wait; per op) against the"
              + " same adds called synchronously; a training loop of ~20 us host work plus ~20 us"
              + " of ops per step, in one async scope against synchronously (per step).",
          List.of(
              time("issueAsync", atMost(150, " ns")),
              time("issueAsyncChain", report()),
              speedup("issueAsync", "baselineSync", report()),
              // async at most 0.6x the synchronous time: a speedup of at least 1 / 0.6
              speedup("trainAsync", "baselineTrainSync", atLeast(1.667, "x")))));

  /** The group called {@code name}. */
  public static Optional<Group> byName(String name) {
    return ALL.stream().filter(g -> g.name().equals(name)).findFirst();
  }

  /**
   * The jit group's note: how much a fused epilogue can gain on the dense layer at most. Fusing
   * saves at most the unfused bias-add and relu passes, so the jit's time is at least the
   * matmul's and its speedup over unfused at most unfused / matmul alone.
   */
  static List<String> denseLayerBound(List<Measurement> ms) {
    List<String> notes = new java.util.ArrayList<>();
    for (Measurement u : ms) {
      if (!u.method().equals("baselineUnfusedDenseLayer")) {
        continue;
      }
      Measurement mm = ms.stream()
          .filter(m -> m.method().equals("baselineMatmulOnly") && m.sameProblem(u))
          .findFirst().orElse(null);
      if (mm == null) {
        continue;
      }
      double bound = Ratios.speedup(mm.medianNs(), u.medianNs());
      StringBuilder sb = new StringBuilder("Dense layer bound (")
          .append(RatioTable.params(u)).append("): the matmul alone takes ")
          .append(RatioTable.time(mm.medianNs(), mm.unit())).append(", the unfused layer ")
          .append(RatioTable.time(u.medianNs(), u.unit()))
          .append("; fusing the epilogue saves at most the bias-add and relu passes (")
          .append(RatioTable.time(u.medianNs() - mm.medianNs(), u.unit()))
          .append("), so jitDenseLayer can be at most ").append(RatioTable.num(bound))
          .append("x faster than unfused");
      ms.stream().filter(m -> m.method().equals("jitDenseLayer") && m.sameProblem(u))
          .findFirst().ifPresent(j -> sb.append("; it is ")
              .append(RatioTable.num(Ratios.speedup(j.medianNs(), u.medianNs())))
              .append("x, ").append(RatioTable.num(
                  (u.medianNs() - j.medianNs()) / (u.medianNs() - mm.medianNs()) * 100))
              .append("% of the saving"));
      sb.append(bound < 1.2 ? ". The 1.2x target is beyond that bound here." : ".");
      notes.add(sb.toString());
    }
    return notes;
  }

  /**
   * numpy's matmul of the same order, dtype and thread count ({@code matmul:N} is float32,
   * {@code matmul64:N} float64; {@code @T} asks for T OpenBLAS threads, none for one).
   */
  private static String numpyMatmul(Measurement m) {
    String n = m.params().get("n");
    long threads = m.longParam("threads", 1);
    return ("float64".equals(m.params().get("dtype")) ? "matmul64:" : "matmul:") + n
        + (threads == 1 ? "" : "@" + threads);
  }

  /** numpy has exp and tanh but no sigmoid. */
  private static String numpyUnary(Measurement m) {
    String op = m.params().get("op");
    return "exp".equals(op) || "tanh".equals(op) ? op + ":" + m.params().get("size") : null;
  }
}
