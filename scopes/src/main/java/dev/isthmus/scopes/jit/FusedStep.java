package dev.isthmus.scopes.jit;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.internal.IntraOp;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.FusedLayout;
import dev.isthmus.kernels.fusion.Pattern;
import dev.isthmus.kernels.fusion.Reduction;
import dev.isthmus.kernels.fusion.Refusal;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of elementwise members (optionally with one reduction at its root) run as one
 * generated kernel. Every value the group reads from outside is a kernel input, declared with
 * the pattern its shape broadcasts with ({@link FusedLayout}); constants are inputs too, never
 * literals, so a retrace with other constants finds the same kernel in the cache. Every value
 * of the group read outside it (by other steps, or returned by the cluster) is an output.
 *
 * <p>Rows: a same-shape group runs in rows of {@link IntraOp#ELEMENTWISE_GRAIN} elements, the
 * very chunks the per-op kernels use, each on any intra-op thread; a broadcasting group or a
 * reduction over the last axis splits its rows in chunks of {@link IntraOp#rowGrain}; a
 * reduction over every element runs as one call on the caller. The partition depends on the
 * shapes only, so results do not depend on the thread count.
 */
final class FusedStep implements FusionPlan.Step {
  private enum Mode { FLAT, ROWS, ONE }

  private static final long GRAIN = IntraOp.ELEMENTWISE_GRAIN;
  /**
   * Groups of more members are split before compiling: a generated loop takes some 100 to 300
   * bytes of bytecode per member, so these would be over {@link FusedKernels#MAX_METHOD_BYTES}
   * (and far larger ones over the JVM's 64K limit per method, which the compiler reports as an
   * error instead of a refusal).
   */
  static final int MAX_NODES = 64;

  /**
   * Groups over fewer elements run op by op: fusion saves passes over memory, and below this
   * the per-op kernels' calls cost less than a generated kernel's (its layout, output and chunk
   * set-up). {@code -Disthmus.fusion.minElements=N} changes it; the test JVMs use 0.
   */
  static final long MIN_ELEMENTS = Long.getLong("isthmus.fusion.minElements", 1024);

  private final ClusterMembers m;
  private final int[] nodes;
  private final int reduction; // the member, or -1
  private final int[] inputs;
  private final int[] outputs;
  private final TensorSpec[] outSpecs;
  private final CompiledKernel kernel;
  private final Mode mode;
  private final FusedLayout layout;
  private final long[] inOff;
  private final long[] outOff;
  private final FusedLayout restLayout; // FLAT: the last, shorter row, or null
  private final long[] restInOff;
  private final long[] restOutOff;
  private final long rowGrain;

  private FusedStep(ClusterMembers m, int[] nodes, int reduction, int[] inputs, int[] outputs,
      TensorSpec[] outSpecs, CompiledKernel kernel, Mode mode, FusedLayout layout, long size) {
    this.m = m;
    this.nodes = nodes;
    this.reduction = reduction;
    this.inputs = inputs;
    this.outputs = outputs;
    this.outSpecs = outSpecs;
    this.kernel = kernel;
    this.mode = mode;
    FusedExpr e = kernel.expr();
    this.inOff = new long[inputs.length];
    this.outOff = new long[outputs.length];
    if (mode == Mode.FLAT) {
      long rows = size / GRAIN;
      long rest = size % GRAIN;
      this.layout = FusedLayout.of(rows, GRAIN);
      this.restLayout = rest == 0 ? null : FusedLayout.of(1, rest);
      this.restInOff = new long[inputs.length];
      for (int k = 0; k < inputs.length; k++) {
        restInOff[k] = e.input(k).pattern() == Pattern.ELEMENTWISE ? rows * GRAIN : 0;
      }
      this.restOutOff = new long[outputs.length];
      Arrays.fill(restOutOff, rows * GRAIN);
      this.rowGrain = 1;
    } else {
      this.layout = layout;
      this.restLayout = null;
      this.restInOff = null;
      this.restOutOff = null;
      this.rowGrain = IntraOp.rowGrain(layout.inner());
    }
  }

  /**
   * The steps running {@code nodes} (members, ascending, all of shape {@code shape}) and the
   * reduction member {@code red} (or -1): one fused step, several when the kernel would be too
   * large for C2 (split in two halves of the member order, recursively, until each part
   * compiles), or the members op by op when the compiler refuses for another reason.
   */
  static List<FusionPlan.Step> of(FusionPlanner p, int[] nodes, int red, Shape shape) {
    List<FusionPlan.Step> out = new ArrayList<>();
    build(p, nodes, red, shape, out);
    return out;
  }

  private static void build(FusionPlanner p, int[] nodes, int red, Shape shape,
      List<FusionPlan.Step> out) {
    if (shape.size() < MIN_ELEMENTS) { // too small for a pass over memory to matter
      opByOp(p.members, nodes, red, out);
      return;
    }
    if (nodes.length > MAX_NODES) { // surely over the size limit: do not even generate it
      int half = nodes.length / 2;
      build(p, Arrays.copyOf(nodes, half), -1, shape, out);
      build(p, Arrays.copyOfRange(nodes, half, nodes.length), red, shape, out);
      return;
    }
    ClusterMembers m = p.members;
    boolean[] inside = new boolean[m.size()];
    for (int i : nodes) {
      inside[i] = true;
    }
    if (red >= 0) {
      inside[red] = true;
    }
    // inputs: values read from outside, in order of first use
    List<Integer> ins = new ArrayList<>();
    for (int i : nodes) {
      for (int v : m.in[i]) {
        int q = p.producer[v];
        if ((q < 0 || !inside[q]) && !ins.contains(v)) {
          ins.add(v);
        }
      }
    }
    int[] inputs = ins.stream().mapToInt(Integer::intValue).toArray();
    long[][] inShapes = new long[inputs.length][];
    for (int k = 0; k < inputs.length; k++) {
      inShapes[k] = p.shapes[inputs[k]].dims();
    }
    Reduction.Axes axes = red < 0 ? null : p.reductionAxes(red);
    FusedLayout layout = axes == Reduction.Axes.INNER
        ? FusedLayout.reduceInner(shape.dims(), inShapes)
        : FusedLayout.broadcast(FusionPlanner.space(shape), inShapes);
    FusedExpr.Builder b = FusedExpr.builder();
    Map<Integer, FusedExpr.Ref> refs = new HashMap<>();
    for (int k = 0; k < inputs.length; k++) {
      refs.put(inputs[k], b.input(k, FusibleOps.type(p.dtypes[inputs[k]]), layout.pattern(k)));
    }
    for (int i : nodes) {
      FusedExpr.Ref[] x = new FusedExpr.Ref[m.in[i].length];
      for (int j = 0; j < x.length; j++) {
        x[j] = refs.get(m.in[i][j]);
      }
      FusedExpr.Ref r = FusibleOps.apply(b, m.defs[i], m.attrs[i], x, p.dtypes[m.first[i]]);
      refs.put(m.first[i], r);
    }
    int[] outputs;
    if (red >= 0) {
      b.output(refs.get(m.in[red][0]));
      b.reduce(FusibleOps.reduction(m.defs[red], p.dtypes[m.in[red][0]]), axes);
      outputs = new int[] {m.first[red]};
    } else {
      List<Integer> outs = new ArrayList<>();
      for (int i : nodes) {
        int v = m.first[i];
        if (p.neededOutside(v, inside)) {
          outs.add(v);
          b.output(refs.get(v));
        }
      }
      outputs = outs.stream().mapToInt(Integer::intValue).toArray();
    }
    CompiledKernel k = outputs.length == 0 ? null : p.compile(b.build());
    if (k == null || !k.compiled()) {
      boolean tooLarge = k == null ? outputs.length > 0
          : k.refusal().kind() == Refusal.Kind.TOO_LARGE;
      if (tooLarge && nodes.length > 1) {
        int half = nodes.length / 2;
        build(p, Arrays.copyOf(nodes, half), -1, shape, out);
        build(p, Arrays.copyOfRange(nodes, half, nodes.length), red, shape, out);
        return;
      }
      opByOp(m, nodes, red, out);
      return;
    }
    TensorSpec[] specs = new TensorSpec[outputs.length];
    for (int o = 0; o < outputs.length; o++) {
      specs[o] = new TensorSpec(p.dtypes[outputs[o]], p.shapes[outputs[o]]);
    }
    Mode mode = axes == Reduction.Axes.ALL ? Mode.ONE
        : axes == null && k.expr().flat() ? Mode.FLAT : Mode.ROWS;
    out.add(new FusedStep(m, nodes, red, inputs, outputs, specs, k, mode, layout, shape.size()));
  }

  /** The members {@code nodes}, then the reduction {@code red} (or -1), one step each. */
  private static void opByOp(ClusterMembers m, int[] nodes, int red, List<FusionPlan.Step> out) {
    for (int i : nodes) {
      out.add(new FusionPlan.MemberStep(m, i));
    }
    if (red >= 0) {
      out.add(new FusionPlan.MemberStep(m, red));
    }
  }

  CompiledKernel kernel() {
    return kernel;
  }

  @Override
  public int[] reads() {
    return inputs;
  }

  @Override
  public int[] writes() {
    return outputs;
  }

  @Override
  public int firstMember() {
    return reduction >= 0 ? Math.min(nodes[0], reduction) : nodes[0];
  }

  @Override
  public void run(Tensor[] v) {
    MemorySegment[] in = new MemorySegment[inputs.length];
    for (int k = 0; k < in.length; k++) {
      in[k] = Tensors.data(v[inputs[k]]);
    }
    MemorySegment[] out = new MemorySegment[outputs.length];
    for (int o = 0; o < out.length; o++) {
      out[o] = Tensors.allocate(outSpecs[o]);
    }
    switch (mode) {
      case FLAT -> {
        IntraOp.forEachChunk(layout.outer(), 1,
            (s, e) -> counted(kernel.run(in, inOff, out, outOff, layout, s, e)));
        if (restLayout != null) {
          counted(kernel.run(in, restInOff, out, restOutOff, restLayout));
        }
      }
      case ROWS -> IntraOp.forEachChunk(layout.outer(), rowGrain,
          (s, e) -> counted(kernel.run(in, inOff, out, outOff, layout, s, e)));
      case ONE -> counted(kernel.run(in, inOff, out, outOff, layout));
    }
    for (int o = 0; o < out.length; o++) {
      v[outputs[o]] = Tensors.wrap(outSpecs[o].dtype(), outSpecs[o].shape(), out[o]);
    }
  }

  private static void counted(FusedKernels.Path path) {
    if (path == FusedKernels.Path.FUSED) {
      FusionRunner.FUSED_RUNS.increment();
    }
  }

  @Override
  public String describe() {
    StringBuilder s = new StringBuilder("fused ").append(mode.name().toLowerCase(
        java.util.Locale.ROOT)).append(':');
    for (int i : nodes) {
      s.append(' ').append(m.ops[i].name());
    }
    if (reduction >= 0) {
      s.append(" -> ").append(m.ops[reduction].name());
    }
    return s.append('\n').append(FusedKernels.describe(kernel)).toString();
  }

  /** The DType of output {@code o} (for tests). */
  DType outputType(int o) {
    return outSpecs[o].dtype();
  }
}
