package dev.isthmus.scopes.jit;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.internal.CreationOps;
import dev.isthmus.kernels.fusion.CompiledKernel;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.kernels.fusion.FusedLayout;
import dev.isthmus.kernels.fusion.Pattern;
import dev.isthmus.kernels.fusion.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a cluster, for the dtypes and shapes of one run, into a {@link FusionPlan}.
 *
 * <p><b>Partition.</b> Fusable members ({@link FusibleOps}) of one output shape are grouped by
 * <em>stage</em>: a member's stage is the largest over its operands of the producer's stage,
 * plus one when the producer is not a fusable member of the same shape (constants and cluster
 * inputs count 0). A path that leaves a group through any other step therefore only reaches
 * later stages, so each connected set of same-shape, same-stage members is convex: running it
 * as one step can never form a cycle with the steps around it. Matmuls whose only reader is a
 * bias add ({@code [n]} or {@code [1, n]}) and/or an epilogue activation become one {@link
 * GemmStep}; a Sum, Mean, Max or Min over the last axis or every axis joins the group of its
 * operand when that operand is the group's only value read outside it. Everything else runs op
 * by op with the ordinary kernels; so do groups of a single member without a reduction.
 *
 * <p><b>Bit for bit.</b> A fused kernel computes each element as the per-op kernels do, but
 * splits rows between its vector loop and its scalar tail where its own layout says, and steps
 * the lanes of its narrowest type. For operators whose vector form equals their scalar twin
 * this never matters; the others (transcendentals, {@code pow}, {@code atan2}) are only fused
 * into same-shape groups, which run in the per-op kernels' 64K chunks, and only when their
 * dtype is the group's narrowest. Other such members are taken out of their group (and the
 * partition redone), so fused elementwise results equal the unfused ones bit for bit.
 */
final class FusionPlanner {
  private static final int CONST = -2;
  private static final int OTHER = -1;

  final ClusterMembers members;
  final int[] producer; // per value: the member, or -1
  final DType[] dtypes;
  final Shape[] shapes;
  private final int[][] readers; // per value: the members reading it (distinct)
  private final boolean[] returned;
  private final int[] cls; // per member: its shape class, CONST or OTHER
  private final Map<Shape, Integer> classes = new HashMap<>();

  private FusionPlanner(ClusterMembers m, Tensor[] v) {
    members = m;
    int n = m.size();
    producer = new int[m.values];
    Arrays.fill(producer, -1);
    dtypes = new DType[m.values];
    shapes = new Shape[m.values];
    List<List<Integer>> rs = new ArrayList<>();
    for (int x = 0; x < m.values; x++) {
      dtypes[x] = v[x].dtype();
      shapes[x] = v[x].shape();
      rs.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m.outCount[i]; j++) {
        producer[m.first[i] + j] = i;
      }
      for (int x : m.in[i]) {
        if (!rs.get(x).contains(i)) {
          rs.get(x).add(i);
        }
      }
    }
    readers = new int[m.values][];
    for (int x = 0; x < m.values; x++) {
      readers[x] = rs.get(x).stream().mapToInt(Integer::intValue).toArray();
    }
    returned = new boolean[m.values];
    for (int x : m.outputs) {
      returned[x] = true;
    }
    cls = new int[n];
    for (int i = 0; i < n; i++) {
      cls[i] = m.defs[i] == CreationOps.CONST ? CONST : fusable(i) ? shapeClass(i) : OTHER;
    }
  }

  /** The plan for the values {@code v} of a run of every member (inputs, then node outputs). */
  static FusionPlan plan(ClusterMembers m, Tensor[] v) {
    return new FusionPlanner(m, v).plan(Arrays.copyOf(v, m.cluster.inputs().size()));
  }

  private boolean fusable(int i) {
    ClusterMembers m = members;
    if (m.outCount[i] != 1 || shapes[m.first[i]].size() == 0) {
      return false;
    }
    DType[] in = new DType[m.in[i].length];
    for (int j = 0; j < in.length; j++) {
      in[j] = dtypes[m.in[i][j]];
    }
    return FusibleOps.fusable(m.defs[i], m.attrs[i], in, dtypes[m.first[i]]);
  }

  private int shapeClass(int i) {
    return classes.computeIfAbsent(shapes[members.first[i]], s -> classes.size());
  }

  private FusionPlan plan(Tensor[] inputs) {
    ClusterMembers m = members;
    int n = m.size();
    List<FusionPlan.Step> steps = new ArrayList<>();
    boolean[] taken = new boolean[n];
    for (GemmStep g : GemmStep.find(this)) {
      steps.add(g);
      for (int i : g.members()) {
        taken[i] = true;
        cls[i] = OTHER;
      }
    }
    int[] group;
    while (true) {
      group = groups();
      int[] evict = evictions(group);
      if (evict.length == 0) {
        break;
      }
      for (int i : evict) {
        cls[i] = OTHER;
      }
    }
    // members of each group, ascending; then reductions joining them
    Map<Integer, List<Integer>> byGroup = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (cls[i] >= 0) {
        byGroup.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
      }
    }
    for (int r = 0; r < n; r++) {
      if (taken[r] || m.in[r].length != 1 || reductionAxes(r) == null) {
        continue;
      }
      int x = m.in[r][0];
      int q = producer[x];
      if (q < 0 || cls[q] < 0 || taken[q] || returned[x] || readers[x].length != 1) {
        continue;
      }
      List<Integer> g = byGroup.get(group[q]);
      boolean[] inside = new boolean[n];
      g.forEach(i -> inside[i] = true);
      boolean only = true;
      for (int i : g) {
        only &= m.first[i] == x || !neededOutside(m.first[i], inside);
      }
      if (only) {
        int[] nodes = g.stream().mapToInt(Integer::intValue).toArray();
        steps.addAll(FusedStep.of(this, nodes, r, shapes[x]));
        taken[r] = true;
        g.forEach(i -> taken[i] = true);
      }
    }
    for (List<Integer> g : byGroup.values()) {
      if (g.size() > 1 && !taken[g.get(0)]) {
        int[] nodes = g.stream().mapToInt(Integer::intValue).toArray();
        steps.addAll(FusedStep.of(this, nodes, -1, shapes[m.first[nodes[0]]]));
        g.forEach(i -> taken[i] = true);
      }
    }
    List<Integer> constValues = new ArrayList<>();
    List<Tensor> consts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (cls[i] == CONST) {
        constValues.add(m.first[i]);
        consts.add((Tensor) m.attrs[i].getObject("value"));
      } else if (!taken[i]) {
        steps.add(new FusionPlan.MemberStep(m, i));
      }
    }
    FusionPlan.Step[] ordered = FusionPlan.order(steps, m.values);
    if (ordered == null) { // never expected (the groups are convex): run the members as planned
      assert false : "jit: the steps of " + m.cluster + " form a cycle: " + steps;
      ordered = new FusionPlan.Step[n];
      for (int i = 0; i < n; i++) {
        ordered[i] = new FusionPlan.MemberStep(m, i);
      }
      constValues.clear();
      consts.clear();
    }
    return new FusionPlan(m, inputs, constValues.stream().mapToInt(Integer::intValue).toArray(),
        consts.toArray(new Tensor[0]), ordered);
  }

  /** Each fusable member's group (a representative member), by shape, stage and connection. */
  private int[] groups() {
    ClusterMembers m = members;
    int n = m.size();
    int[] stage = new int[n];
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
      for (int x : m.in[i]) {
        int q = producer[x];
        if (q < 0 || cls[q] == CONST) {
          continue;
        }
        boolean same = cls[i] >= 0 && cls[q] == cls[i];
        stage[i] = Math.max(stage[i], stage[q] + (same ? 0 : 1));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int x : m.in[i]) {
        int q = producer[x];
        if (q >= 0 && cls[i] >= 0 && cls[q] == cls[i] && stage[q] == stage[i]) {
          parent[find(parent, i)] = find(parent, q);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      parent[i] = find(parent, i);
    }
    // a group all of whose values are read by one other group of its shape (and not returned)
    // joins it: every path out of it goes straight into that group, so the union stays convex
    boolean merged = true;
    while (merged) {
      merged = false;
      for (int g = 0; g < n; g++) {
        if (cls[g] < 0 || parent[g] != g) {
          continue;
        }
        int into = -1;
        boolean one = true;
        for (int i = 0; i < n && one; i++) {
          if (parent[i] != g) {
            continue;
          }
          int x = m.first[i];
          one = !returned[x];
          for (int r : readers[x]) {
            if (parent[r] == g) {
              continue;
            }
            one &= cls[r] == cls[g] && (into < 0 || parent[r] == into);
            into = parent[r];
          }
        }
        if (one && into >= 0) {
          for (int i = 0; i < n; i++) {
            if (parent[i] == g) {
              parent[i] = into;
            }
          }
          merged = true;
        }
      }
    }
    return parent;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Members whose operator would not be bit for bit in their group (see the class comment). */
  private int[] evictions(int[] group) {
    ClusterMembers m = members;
    int n = m.size();
    Map<Integer, List<Integer>> byGroup = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (cls[i] >= 0) {
        byGroup.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
      }
    }
    List<Integer> out = new ArrayList<>();
    for (List<Integer> g : byGroup.values()) {
      if (g.size() < 2) {
        continue;
      }
      boolean[] inside = new boolean[n];
      g.forEach(i -> inside[i] = true);
      Shape s = shapes[m.first[g.get(0)]];
      List<long[]> ins = new ArrayList<>();
      int narrowest = Integer.MAX_VALUE;
      for (int i : g) {
        narrowest = Math.min(narrowest, bytes(dtypes[m.first[i]]));
        for (int x : m.in[i]) {
          narrowest = Math.min(narrowest, bytes(dtypes[x]));
          if (producer[x] < 0 || !inside[producer[x]]) {
            ins.add(shapes[x].dims());
          }
        }
      }
      FusedLayout l = FusedLayout.broadcast(space(s), ins.toArray(new long[0][]));
      boolean flat = true;
      for (int k = 0; k < ins.size(); k++) {
        flat &= l.pattern(k) == Pattern.ELEMENTWISE || l.pattern(k) == Pattern.SCALAR;
      }
      for (int i : g) {
        DType t = dtypes[m.first[i]];
        if (!FusibleOps.exact(m.defs[i], m.attrs[i], t) && (!flat || bytes(t) > narrowest)) {
          out.add(i);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The iteration space of a group of shape {@code s}: its dimensions, {@code [1]} for a scalar
   * ({@link FusedLayout#broadcast} wants at least one axis).
   */
  static long[] space(Shape s) {
    return s.rank() == 0 ? new long[] {1} : s.dims();
  }

  private static int bytes(DType t) {
    return t == DType.BOOL ? Integer.MAX_VALUE : t.byteSize();
  }

  /** The axes member {@code r} reduces if it is a reduction that fuses at a root, else null. */
  Reduction.Axes reductionAxes(int r) {
    ClusterMembers m = members;
    if (m.in[r].length != 1 || FusibleOps.reduction(m.defs[r], dtypes[m.in[r][0]]) == null) {
      return null;
    }
    int rank = shapes[m.in[r][0]].rank();
    int[] axes = m.attrs[r].getInts("axes");
    if (rank >= 1 && axes.length == rank) {
      return Reduction.Axes.ALL;
    }
    return rank >= 2 && axes.length == 1 && axes[0] == rank - 1 ? Reduction.Axes.INNER : null;
  }

  /** True if value {@code v} is returned or read by a member not {@code inside}. */
  boolean neededOutside(int v, boolean[] inside) {
    if (returned[v]) {
      return true;
    }
    for (int r : readers[v]) {
      if (!inside[r]) {
        return true;
      }
    }
    return false;
  }

  /** The members reading value {@code v}. */
  int[] readers(int v) {
    return readers[v];
  }

  /** True if the cluster returns value {@code v}. */
  boolean returned(int v) {
    return returned[v];
  }

  /**
   * {@link FusedKernels#compile}, counted in the jit's statistics; null when the class file
   * writer rejects a method over the JVM's 64K bytes (the caller splits the group, as for a
   * {@code TOO_LARGE} refusal).
   */
  CompiledKernel compile(FusedExpr e) {
    CompiledKernel k;
    try {
      k = FusedKernels.compile(e);
    } catch (IllegalArgumentException tooLong) {
      return null;
    }
    FusionRunner.countKernel(k);
    return k;
  }
}
