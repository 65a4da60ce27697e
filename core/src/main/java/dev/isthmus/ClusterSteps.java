package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Cluster;
import dev.isthmus.internal.ClusterRunner;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Where the executor meets jit clusters: {@link #group} turns the members of each cluster
 * ({@code _XlaCluster}, recorded by the scopes module's clustering pass) among a plan's steps
 * into one plan-only {@code _XlaRun} step that the installed {@link ClusterRunner} executes,
 * and orders the steps so each cluster runs at one point. The plan itself is unchanged: the
 * cluster step takes the cluster's inputs and adopts the members' outputs that the rest of the
 * plan reads.
 *
 * <p>The order is a topological order of the steps with each cluster contracted to one node:
 * data and control edges, plus every stateful step after the previous one (stateful steps keep
 * their creation order, as the executor always ran them). The clustering pass only forms
 * clusters whose contraction is acyclic under the same edges; if a plan ever found a cycle it
 * would run the members one by one instead.
 */
final class ClusterSteps {
  /** The attribute naming a node's cluster, as TensorFlow's {@code kXlaClusterAttr}. */
  static final String CLUSTER_ATTR = "_XlaCluster";

  private static volatile ClusterRunner runner;

  private ClusterSteps() {}

  static void setRunner(ClusterRunner r) {
    runner = r;
  }

  /**
   * {@code steps} (a plan's nodes in creation order) with each cluster replaced by one
   * {@code _XlaRun} step, in an order that respects every dependency; {@code steps} itself when
   * no step is clustered or no runner is installed. {@code fed} tells which tensors are fed
   * (their producers' values are not used), {@code fetches} which values the plan returns.
   */
  static Operation[] group(Graph g, Operation[] steps, Predicate<Tensor> fed,
      List<Tensor> fetches) {
    ClusterRunner r = runner;
    if (r == null) {
      return steps;
    }
    int n = steps.length;
    int[] unit = new int[n]; // the unit of each step: its cluster's, or its own
    ArrayList<ArrayList<Integer>> grouped = new ArrayList<>(); // per unit: step indices, ascending
    ArrayList<String> names = new ArrayList<>(); // per unit: its cluster, or null
    HashMap<String, Integer> byName = new HashMap<>();
    for (int s = 0; s < n; s++) {
      int u;
      if (steps[s].attr(CLUSTER_ATTR) instanceof String c) {
        Integer known = byName.get(c);
        u = known != null ? known : grouped.size();
        if (known == null) {
          byName.put(c, u);
          grouped.add(new ArrayList<>());
          names.add(c);
        }
      } else {
        u = grouped.size();
        grouped.add(new ArrayList<>());
        names.add(null);
      }
      unit[s] = u;
      grouped.get(u).add(s);
    }
    if (byName.isEmpty()) {
      return steps;
    }
    ArrayList<int[]> members = new ArrayList<>(grouped.size());
    for (ArrayList<Integer> m : grouped) {
      members.add(m.stream().mapToInt(Integer::intValue).toArray());
    }
    int units = members.size();
    IdentityHashMap<Operation, Integer> index = new IdentityHashMap<>();
    for (int s = 0; s < n; s++) {
      index.put(steps[s], s);
    }
    // edges between units; tensors read across units
    ArrayList<ArrayList<Integer>> succ = new ArrayList<>(units);
    for (int u = 0; u < units; u++) {
      succ.add(new ArrayList<>());
    }
    int[] indegree = new int[units];
    IdentityHashMap<Tensor, Boolean> crossing = new IdentityHashMap<>();
    int lastStateful = -1;
    for (int s = 0; s < n; s++) {
      Operation o = steps[s];
      for (Tensor in : o.inputArray()) {
        if (fed.test(in)) {
          continue;
        }
        int p = index.get(in.op());
        if (unit[p] != unit[s]) {
          crossing.put(in, true);
          edge(succ, indegree, unit[p], unit[s]);
        }
      }
      for (Operation c : o.controlArray()) {
        Integer p = index.get(c); // null: a fed placeholder, satisfied by its feed
        if (p != null) {
          edge(succ, indegree, unit[p], unit[s]);
        }
      }
      if (o.def().is(OpDef.Flag.STATEFUL)) {
        if (lastStateful >= 0) {
          edge(succ, indegree, unit[lastStateful], unit[s]);
        }
        lastStateful = s;
      }
    }
    for (Tensor t : fetches) {
      crossing.put(t, true);
    }
    // Kahn's algorithm, earliest-created unit first: without clusters this is creation order
    PriorityQueue<Integer> ready =
        new PriorityQueue<>((a, b) -> Integer.compare(members.get(a)[0], members.get(b)[0]));
    for (int u = 0; u < units; u++) {
      if (indegree[u] == 0) {
        ready.add(u);
      }
    }
    Operation[] out = new Operation[units];
    int k = 0;
    while (!ready.isEmpty()) {
      int u = ready.poll();
      out[k++] = names.get(u) == null ? steps[members.get(u)[0]]
          : clusterStep(g, r, names.get(u), steps, members.get(u), fed, crossing);
      for (int v : succ.get(u)) {
        if (--indegree[v] == 0) {
          ready.add(v);
        }
      }
    }
    if (k < units) {
      assert false : "jit clusters form a cycle in a plan of graph '" + g.name() + "'";
      return steps; // members then run one by one, as planned without clusters
    }
    return out;
  }

  private static void edge(ArrayList<ArrayList<Integer>> succ, int[] indegree, int from, int to) {
    if (from != to) {
      succ.get(from).add(to);
      indegree[to]++;
    }
  }

  /** The {@code _XlaRun} step for the members {@code ms} (step indices, ascending). */
  private static Operation clusterStep(Graph g, ClusterRunner r, String name, Operation[] steps,
      int[] ms, Predicate<Tensor> fed, IdentityHashMap<Tensor, Boolean> crossing) {
    IdentityHashMap<Operation, Boolean> member = new IdentityHashMap<>();
    for (int s : ms) {
      member.put(steps[s], true);
    }
    // values: the inputs from outside first, then every member output
    ArrayList<Tensor> values = new ArrayList<>();
    IdentityHashMap<Tensor, Integer> external = new IdentityHashMap<>();
    for (int s : ms) {
      for (Tensor in : steps[s].inputArray()) {
        if ((fed.test(in) || !member.containsKey(in.op())) && !external.containsKey(in)) {
          external.put(in, values.size());
          values.add(in);
        }
      }
    }
    int inputCount = values.size();
    IdentityHashMap<Tensor, Integer> produced = new IdentityHashMap<>();
    ArrayList<Cluster.Node> nodes = new ArrayList<>(ms.length);
    ArrayList<Tensor> outs = new ArrayList<>();
    ArrayList<Integer> outValues = new ArrayList<>();
    for (int s : ms) {
      Operation o = steps[s];
      Tensor[] ins = o.inputArray();
      int[] refs = new int[ins.length];
      for (int i = 0; i < ins.length; i++) {
        Integer v = fed.test(ins[i]) ? null : produced.get(ins[i]);
        refs[i] = v != null ? v : external.get(ins[i]);
      }
      int first = values.size();
      for (Tensor t : o.outputArray()) {
        produced.put(t, values.size());
        if (crossing.containsKey(t) && !fed.test(t)) {
          outs.add(t);
          outValues.add(values.size());
        }
        values.add(t);
      }
      nodes.add(new Cluster.Node(o, o.def(), o.attrs(), refs, first, o.outputArray().length));
    }
    Cluster c = new Cluster(name, g, values.subList(0, inputCount), nodes, values,
        outValues.stream().mapToInt(Integer::intValue).toArray());
    Unit u = new Unit(c, r.prepare(c));
    return new Operation(g, name, GraphOps.XLA_RUN, values.subList(0, inputCount)
        .toArray(new Tensor[0]), Attrs.of("cluster", u), outs.toArray(new Tensor[0]));
  }

  /** A planned cluster: what an {@code _XlaRun} step's attribute {@code cluster} holds. */
  static final class Unit {
    private final Cluster cluster;
    private final ClusterRunner.Executable executable;
    private final Cluster.Node[] nodes;
    private final int[][] refs;
    private final int[] outputs;

    Unit(Cluster cluster, ClusterRunner.Executable executable) {
      this.cluster = cluster;
      this.executable = executable;
      this.nodes = cluster.nodes().toArray(new Cluster.Node[0]);
      this.refs = new int[nodes.length][];
      for (int i = 0; i < nodes.length; i++) {
        refs[i] = nodes[i].inputs();
      }
      this.outputs = cluster.outputs();
    }

    /** The output specs for {@code in}: every member's shape rule, in order. */
    TensorSpec[] infer(OpDef d, Tensor[] in, Attrs a) {
      if (in.length != cluster.inputs().size()) {
        throw d.invalid(in, a, "the " + cluster.inputs().size() + " inputs of " + cluster.name());
      }
      // symbolic stand-ins carry the intermediate specs: shape rules never read values
      Tensor[] v = Arrays.copyOf(in, cluster.valueCount());
      for (int i = 0; i < nodes.length; i++) {
        Cluster.Node node = nodes[i];
        Tensor[] ins = new Tensor[refs[i].length];
        for (int j = 0; j < ins.length; j++) {
          ins[j] = v[refs[i][j]];
        }
        TensorSpec[] specs;
        try {
          specs = node.def().infer(ins, node.attrs());
        } catch (IsthmusException e) {
          throw NodeErrors.atNode(e, node.op());
        }
        for (int j = 0; j < specs.length; j++) {
          v[node.firstOutput() + j] = new Tensor(node.op(), j, specs[j].dtype(), specs[j].shape());
        }
      }
      TensorSpec[] out = new TensorSpec[outputs.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = new TensorSpec(v[outputs[i]].dtype(), v[outputs[i]].shape());
      }
      return out;
    }

    Tensor[] run(Tensor[] in, TensorSpec[] outs) {
      return executable.run(in, outs);
    }

    @Override
    public String toString() {
      return cluster.toString();
    }
  }
}
