package dev.isthmus.scopes.jit;

import dev.isthmus.Tensor;
import dev.isthmus.internal.Cluster;
import dev.isthmus.internal.ClusterRunner;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.scopes.JitStats;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs each jit cluster through the fusion compiler ({@code dev.isthmus.kernels.fusion}). Per
 * input signature (the inputs' dtypes and shapes) the cluster is lowered once by {@link
 * FusionPlanner} into a {@link FusionPlan} kept in the prepared cluster: fused elementwise
 * groups (with a reduction at the root), matmuls with their bias and activation as a GEMM
 * epilogue, and the rest op by op. The first run of a signature runs every member op by op
 * (it learns every intermediate's dtype and shape from it, and warms the per-op kernels the
 * cold fused kernels use); later runs run the plan. Generated kernels are cached by structure
 * in {@link FusedKernels}, so a retrace of the same computation compiles nothing.
 *
 * <p>{@code -Disthmus.fusion=off} (or no Vector API) runs clusters op by op ({@link
 * OpByOpRunner}); {@code -Disthmus.fusion.print=true} prints each plan: the cluster's members
 * and every step, with the generated kernel ({@link FusedKernels#describe}).
 */
public final class FusionRunner implements ClusterRunner {
  /** At most this many signatures are kept per cluster (then the oldest are dropped). */
  static final int MAX_PLANS = 32;

  static final LongAdder PLANS = new LongAdder();
  static final LongAdder COMPILED = new LongAdder();
  static final LongAdder HITS = new LongAdder();
  static final LongAdder FUSED_RUNS = new LongAdder();
  /** The plan made last, by any cluster (for tests; weak: it must not keep a graph alive). */
  static volatile WeakReference<FusionPlan> latest = new WeakReference<>(null);
  private static final boolean PRINT =
      "true".equalsIgnoreCase(System.getProperty(FusedKernels.PRINT_PROPERTY, "").trim());

  /** The runner. */
  public FusionRunner() {}

  @Override
  public Executable prepare(Cluster c) {
    OpByOpRunner.Members ops = new OpByOpRunner.Members(new ClusterMembers(c));
    return FusedKernels.enabled() ? new Lowered(ops) : ops;
  }

  /** The counters behind {@code Scopes.jitStats()}. */
  public static JitStats stats() {
    return new JitStats(PLANS.sum(), COMPILED.sum(), HITS.sum(), FUSED_RUNS.sum());
  }

  /** Counts a kernel the planner got: new to the jit, or one it had already (a cache hit). */
  static void countKernel(CompiledKernel k) {
    if (!k.compiled()) {
      return;
    }
    (JitKernels.add(k) ? COMPILED : HITS).increment();
  }

  /** A cluster with its plans, one per input signature. */
  static final class Lowered implements Executable {
    private final OpByOpRunner.Members ops;
    private final Map<List<Object>, FusionPlan> plans = new ConcurrentHashMap<>();
    private volatile FusionPlan last;

    Lowered(OpByOpRunner.Members ops) {
      this.ops = ops;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, TensorSpec[] outs) {
      FusionPlan p = last;
      if (p != null && p.matches(inputs)) {
        return p.run(inputs);
      }
      List<Object> key = key(inputs);
      p = plans.get(key);
      if (p != null) {
        last = p;
        return p.run(inputs);
      }
      Tensor[] v = ops.runAll(inputs, true);
      p = FusionPlanner.plan(ops.members(), v);
      PLANS.increment();
      latest = new WeakReference<>(p);
      if (PRINT) {
        System.err.println(p);
      }
      if (plans.size() >= MAX_PLANS) {
        plans.clear();
      }
      plans.put(key, p);
      last = p;
      return ops.members().outputsOf(v);
    }

    private static List<Object> key(Tensor[] inputs) {
      List<Object> k = new ArrayList<>(2 * inputs.length);
      for (Tensor t : inputs) {
        k.add(t.dtype());
        k.add(t.shape());
      }
      return k;
    }
  }
}
