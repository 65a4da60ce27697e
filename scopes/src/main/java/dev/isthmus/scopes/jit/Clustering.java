package dev.isthmus.scopes.jit;

import dev.isthmus.Context;
import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.internal.GraphAccess;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * jitScope rule 7: the clustering pass, run on a graph each time it is finalized for execution
 * (a Session's new plan, a function's first call). It records {@code _XlaCluster = "cluster_N"}
 * (N counted per graph) on every member of every cluster.
 *
 * <ul>
 *   <li>Candidates: nodes with {@code _XlaCompile = true}, and with global jit on
 *       ({@code Context.setGlobalJit(true)}) nodes with no {@code _XlaCompile}; never nodes
 *       marked false, graph machinery (placeholders, function calls, control flow: flag GRAPH)
 *       or stateful nodes other than variable reads and writes (random ops, anything with
 *       effects that cannot be reordered).
 *   <li>Candidates joined by an edge merge unless that would close a cycle through a node
 *       outside the cluster ({@link ClusterMerger}), or the two already carry different
 *       {@code _XlaScope}s (a node without one joins either, but never makes the two one).
 *   <li>The graph the cycle check sees has the data and control edges, and an edge from each
 *       stateful node to the next one created: the executor runs them in creation order.
 *   <li>Variables: a cluster may read a variable and then write it, never write it and then
 *       read it (a fused cluster reads its variables first and writes them last).
 *   <li>Loops: a while loop's body is a graph of its own, clustered when it is finalized; the
 *       loop node is never a member, so nothing is clustered across iterations.
 * </ul>
 *
 * <p>Decisions are made once per node: a graph that grew since its last finalization keeps
 * its clusters, and only its new nodes are considered (they may join an existing cluster).
 */
public final class Clustering {
  /** The attribute naming a node's cluster (TensorFlow's kXlaClusterAttr). */
  public static final String CLUSTER = "_XlaCluster";

  private static final Map<Graph, State> STATES = Collections.synchronizedMap(new WeakHashMap<>());

  /** What the pass remembers about a graph: how many nodes it saw, how many clusters it named. */
  private static final class State {
    int seen;
    int clusters;
  }

  private Clustering() {}

  /** The pass: clusters {@code g}'s nodes created since the last run on it. */
  public static void run(Graph g) {
    State st = STATES.computeIfAbsent(g, k -> new State());
    synchronized (st) {
      List<Operation> ops = g.operations();
      if (ops.size() > st.seen) {
        cluster(ops, st);
        st.seen = ops.size();
      }
    }
  }

  private static void cluster(List<Operation> ops, State st) {
    int n = ops.size();
    IdentityHashMap<Operation, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(ops.get(i), i);
    }
    OpDef[] defs = new OpDef[n];
    boolean[] candidate = new boolean[n];
    int[] initial = new int[n];
    HashMap<String, Integer> existing = new HashMap<>();
    boolean globalJit = Context.globalJit();
    boolean any = false;
    for (int i = 0; i < n; i++) {
      Operation o = ops.get(i);
      defs[i] = OpRegistry.get(o.type());
      initial[i] = i;
      if (o.attr(CLUSTER) instanceof String c) {
        initial[i] = existing.computeIfAbsent(c, k -> index.get(o));
        candidate[i] = true;
      } else if (i >= st.seen) {
        candidate[i] = eligible(o, defs[i], globalJit);
        any |= candidate[i];
      }
    }
    if (!any) {
      return;
    }
    int[][] succ = edges(ops, defs, index);
    Groups groups = new Groups(ops);
    for (int i = 0; i < n; i++) {
      if (initial[i] != i) {
        groups.merge(initial[i], i); // an existing cluster starts as one group
      }
    }
    int[] rep = ClusterMerger.merge(n, succ, initial, new ClusterMerger.Policy() {
      @Override
      public boolean candidate(int node) {
        return candidate[node];
      }

      @Override
      public boolean compatible(int a, int b) {
        return groups.compatible(a, b);
      }

      @Override
      public void merged(int a, int b) {
        groups.merge(a, b);
      }
    });
    // name the new clusters in the order of their first node; record the names
    GraphAccess acc = GraphAccess.get();
    LinkedHashMap<Integer, String> names = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (candidate[i]) {
        Object c = ops.get(i).attr(CLUSTER);
        if (c instanceof String name) {
          names.put(rep[i], name);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (candidate[i] && ops.get(i).attr(CLUSTER) == null) {
        String name = names.computeIfAbsent(rep[i], k -> "cluster_" + st.clusters++);
        acc.setAttr(ops.get(i), CLUSTER, name);
      }
    }
  }

  /** May this new node be compiled at all? (rule 7's candidates) */
  static boolean eligible(Operation o, OpDef def, boolean globalJit) {
    Object compile = o.attr(JitScopes.COMPILE);
    if (!(Boolean.TRUE.equals(compile) || (compile == null && globalJit))) {
      return false;
    }
    if (def.is(OpDef.Flag.GRAPH)) {
      return false;
    }
    return !def.is(OpDef.Flag.STATEFUL) || o.attr("variable") instanceof Variable;
  }

  /** Data and control edges, and each stateful node to the next: the order the executor keeps. */
  private static int[][] edges(List<Operation> ops, OpDef[] defs,
      IdentityHashMap<Operation, Integer> index) {
    int n = ops.size();
    ArrayList<ArrayList<Integer>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    int lastStateful = -1;
    for (int i = 0; i < n; i++) {
      Operation o = ops.get(i);
      for (Tensor in : o.inputs()) {
        out.get(index.get(in.op())).add(i);
      }
      for (Operation c : o.controlInputs()) {
        out.get(index.get(c)).add(i);
      }
      if (defs[i].is(OpDef.Flag.STATEFUL)) {
        if (lastStateful >= 0) {
          out.get(lastStateful).add(i);
        }
        lastStateful = i;
      }
    }
    int[][] succ = new int[n][];
    for (int i = 0; i < n; i++) {
      succ[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return succ;
  }

  /** Per group (by representative): its _XlaScope, and its variable reads and writes. */
  private static final class Groups {
    private final String[] scope;
    private final boolean[] named; // an existing cluster: two of them never merge
    // per group: variable -> {first write, last read} as node indices
    private final List<IdentityHashMap<Variable, int[]>> access = new ArrayList<>();

    Groups(List<Operation> ops) {
      int n = ops.size();
      scope = new String[n];
      named = new boolean[n];
      for (int i = 0; i < n; i++) {
        Operation o = ops.get(i);
        named[i] = o.attr(CLUSTER) != null;
        scope[i] = o.attr(JitScopes.SCOPE) instanceof String s ? s : null;
        IdentityHashMap<Variable, int[]> m = null;
        if (o.attr("variable") instanceof Variable v) {
          m = new IdentityHashMap<>();
          boolean read = !o.type().equals("AssignVariableOp");
          boolean write = !o.type().equals("ReadVariableOp");
          m.put(v, new int[] {write ? i : Integer.MAX_VALUE, read ? i : Integer.MIN_VALUE});
        }
        access.add(m);
      }
    }

    boolean compatible(int a, int b) {
      if (named[a] && named[b]) {
        return false;
      }
      if (scope[a] != null && scope[b] != null && !scope[a].equals(scope[b])) {
        return false;
      }
      IdentityHashMap<Variable, int[]> x = access.get(a);
      IdentityHashMap<Variable, int[]> y = access.get(b);
      if (x == null || y == null) {
        return true;
      }
      for (Map.Entry<Variable, int[]> e : x.entrySet()) {
        int[] other = y.get(e.getKey());
        // unsafe: a write before a read of the same variable
        if (other != null && Math.min(e.getValue()[0], other[0])
            < Math.max(e.getValue()[1], other[1])) {
          return false;
        }
      }
      return true;
    }

    void merge(int a, int b) {
      named[a] |= named[b];
      if (scope[a] == null) {
        scope[a] = scope[b];
      }
      IdentityHashMap<Variable, int[]> x = access.get(a);
      IdentityHashMap<Variable, int[]> y = access.get(b);
      if (y == null) {
        return;
      }
      if (x == null) {
        access.set(a, y);
        return;
      }
      for (Map.Entry<Variable, int[]> e : y.entrySet()) {
        int[] v = e.getValue();
        x.merge(e.getKey(), v.clone(), (p, q) -> new int[] {
            Math.min(p[0], q[0]), Math.max(p[1], q[1])});
      }
    }
  }
}
