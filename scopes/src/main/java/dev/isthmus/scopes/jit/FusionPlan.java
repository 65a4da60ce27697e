package dev.isthmus.scopes.jit;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A cluster lowered for one input signature (dtypes and shapes): its steps in an order that
 * respects every dependency (fused groups, GEMMs with epilogues, members run op by op), the
 * constants' values, and what each step may drop afterwards. Immutable; {@link #run} keeps its
 * state in locals, so concurrent calls are safe.
 */
final class FusionPlan {
  /** One unit of work over the cluster's numbered values. */
  interface Step {
    /** The values the step reads. */
    int[] reads();

    /** The values the step stores. */
    int[] writes();

    /** The lowest member index it runs (orders steps as the members were created). */
    int firstMember();

    /** Reads its inputs from {@code v} and stores its outputs there. */
    void run(Tensor[] v);

    /** One line for {@code -Disthmus.fusion.print=true}. */
    String describe();
  }

  /** A member run with its ordinary kernel. */
  record MemberStep(ClusterMembers m, int member) implements Step {
    @Override
    public int[] reads() {
      return m.in[member];
    }

    @Override
    public int[] writes() {
      int[] w = new int[m.outCount[member]];
      Arrays.setAll(w, j -> m.first[member] + j);
      return w;
    }

    @Override
    public int firstMember() {
      return member;
    }

    @Override
    public void run(Tensor[] v) {
      m.compute(member, v);
    }

    @Override
    public String describe() {
      return "op by op: " + m.ops[member].name() + " (" + m.defs[member].name() + ")";
    }
  }

  private final ClusterMembers m;
  private final DType[] dtypes;
  private final Shape[] shapes;
  private final int[] constValues;
  private final Tensor[] consts;
  private final Step[] steps;
  private final int[][] freeAfter;

  FusionPlan(ClusterMembers m, Tensor[] inputs, int[] constValues, Tensor[] consts,
      Step[] steps) {
    this.m = m;
    this.dtypes = new DType[inputs.length];
    this.shapes = new Shape[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      dtypes[i] = inputs[i].dtype();
      shapes[i] = inputs[i].shape();
    }
    this.constValues = constValues;
    this.consts = consts;
    this.steps = steps;
    int[][] reads = new int[steps.length][];
    for (int s = 0; s < steps.length; s++) {
      reads[s] = steps[s].reads();
    }
    this.freeAfter = m.freeAfter(reads);
  }

  /** True if {@code inputs} have this plan's dtypes and shapes (allocates nothing). */
  boolean matches(Tensor[] inputs) {
    if (inputs.length != dtypes.length) {
      return false;
    }
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].dtype() != dtypes[i] || !inputs[i].shape().equals(shapes[i])) {
        return false;
      }
    }
    return true;
  }

  /** The cluster's outputs for {@code inputs}. */
  Tensor[] run(Tensor[] inputs) {
    Tensor[] v = Arrays.copyOf(inputs, m.values);
    for (int c = 0; c < constValues.length; c++) {
      v[constValues[c]] = consts[c];
    }
    for (int s = 0; s < steps.length; s++) {
      steps[s].run(v);
      for (int dead : freeAfter[s]) {
        v[dead] = null;
      }
    }
    return m.outputsOf(v);
  }

  /** The steps, in order. */
  Step[] steps() {
    return steps.clone();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("isthmus jit: ").append(m.cluster.name())
        .append(" of graph '").append(m.cluster.graph().name()).append("' for inputs ");
    for (int i = 0; i < dtypes.length; i++) {
      s.append(i == 0 ? "" : ", ").append(dtypes[i].name().toLowerCase(java.util.Locale.ROOT))
          .append(shapes[i]);
    }
    s.append(": ").append(steps.length).append(" steps\n  members:");
    for (int i = 0; i < m.size(); i++) {
      s.append(' ').append(m.ops[i].name());
    }
    for (Step st : steps) {
      s.append("\n  ").append(st.describe().replace("\n", "\n    "));
    }
    return s.toString();
  }

  /** The steps in dependency order, earliest member first among those ready; null on a cycle. */
  static Step[] order(List<Step> steps, int values) {
    int s = steps.size();
    int[] by = new int[values];
    Arrays.fill(by, -1);
    for (int i = 0; i < s; i++) {
      for (int w : steps.get(i).writes()) {
        by[w] = i;
      }
    }
    List<List<Integer>> succ = new ArrayList<>();
    int[] indegree = new int[s];
    for (int i = 0; i < s; i++) {
      succ.add(new ArrayList<>());
    }
    for (int i = 0; i < s; i++) {
      for (int r : steps.get(i).reads()) {
        if (by[r] >= 0 && by[r] != i && !succ.get(by[r]).contains(i)) {
          succ.get(by[r]).add(i);
          indegree[i]++;
        }
      }
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>(
        (a, b) -> Integer.compare(steps.get(a).firstMember(), steps.get(b).firstMember()));
    for (int i = 0; i < s; i++) {
      if (indegree[i] == 0) {
        ready.add(i);
      }
    }
    Step[] out = new Step[s];
    int k = 0;
    while (!ready.isEmpty()) {
      int i = ready.poll();
      out[k++] = steps.get(i);
      for (int j : succ.get(i)) {
        if (--indegree[j] == 0) {
          ready.add(j);
        }
      }
    }
    return k < s ? null : out;
  }
}
