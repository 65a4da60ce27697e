package dev.isthmus.scopes.jit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * Clustering by edge contraction over a DAG, as TensorFlow's mark_for_compilation_pass: groups
 * of candidate nodes joined by an edge merge unless the merge would create a cycle (a path
 * between them through another group or a non-candidate node) or the {@link Policy} says no.
 * Repeats until no edge can be contracted, so the result does not depend on a lucky order.
 *
 * <p>The contracted graph always has a topological order ({@code ord}), kept up to date as in
 * Pearce and Kelly's dynamic topological sort: to contract {@code from -> to}, only nodes
 * ordered between the two can lie on another path, so a search bounded by the order finds
 * any cycle, and the same two searches (forward from {@code from}, backward from {@code to})
 * give the nodes to reorder around the merged node.
 */
public final class ClusterMerger {
  /** What may merge. Groups are named by their representative node. */
  public interface Policy {
    /** True if node {@code node} may be in a cluster. */
    boolean candidate(int node);

    /** True if the groups of representatives {@code a} and {@code b} may become one. */
    boolean compatible(int a, int b);

    /** Group {@code b} merged into group {@code a}, which stays the representative. */
    void merged(int a, int b);
  }

  private final int n;
  private final int[] parent; // union-find over nodes
  private final int[] ord; // topological order of the representatives
  private final boolean[] candidate; // per representative: a group of candidates
  private final List<HashSet<Integer>> succ = new ArrayList<>();
  private final List<HashSet<Integer>> pred = new ArrayList<>();
  private final int[] seen;
  private int stamp;

  private ClusterMerger(int n) {
    this.n = n;
    this.parent = new int[n];
    this.ord = new int[n];
    this.candidate = new boolean[n];
    this.seen = new int[n];
    for (int i = 0; i < n; i++) {
      succ.add(new HashSet<>());
      pred.add(new HashSet<>());
    }
  }

  /**
   * Merges the candidates of the DAG with {@code n} nodes and edges {@code succ[i]} (each
   * {@code i -> j}). {@code initial[i]} is the representative of the group node {@code i}
   * already belongs to (a cluster made before; its members must be candidates), or {@code i};
   * a representative is its own. Returns each node's representative: nodes sharing one form a
   * cluster.
   *
   * @throws IllegalArgumentException if the graph, with the initial groups contracted, has a
   *     cycle
   */
  public static int[] merge(int n, int[][] succ, int[] initial, Policy policy) {
    ClusterMerger m = new ClusterMerger(n);
    m.build(succ, initial, policy);
    m.contractAll(policy);
    int[] rep = new int[n];
    for (int i = 0; i < n; i++) {
      rep[i] = m.find(i);
    }
    return rep;
  }

  private void build(int[][] edges, int[] initial, Policy policy) {
    for (int i = 0; i < n; i++) {
      parent[i] = initial[i];
    }
    for (int i = 0; i < n; i++) {
      if (policy.candidate(i)) {
        candidate[find(i)] = true;
      }
    }
    int[] indegree = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j : edges[i]) {
        int a = find(i);
        int b = find(j);
        if (a != b && succ.get(a).add(b)) {
          pred.get(b).add(a);
          indegree[b]++;
        }
      }
    }
    // a topological order of the contracted graph, lowest node first
    java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
    int live = 0;
    for (int i = 0; i < n; i++) {
      if (find(i) == i) {
        live++;
        if (indegree[i] == 0) {
          ready.add(i);
        }
      }
    }
    int k = 0;
    while (!ready.isEmpty()) {
      int a = ready.poll();
      ord[a] = k++;
      for (int b : succ.get(a)) {
        if (--indegree[b] == 0) {
          ready.add(b);
        }
      }
    }
    if (k != live) {
      throw new IllegalArgumentException("the graph with its existing clusters contracted has "
          + "a cycle");
    }
  }

  private void contractAll(Policy policy) {
    boolean changed = true;
    while (changed) {
      changed = false;
      Integer[] reps = liveByOrder();
      for (int a : reps) {
        if (find(a) != a || !candidate[a]) {
          continue;
        }
        boolean merged;
        do {
          merged = false;
          Integer[] next = succ.get(a).toArray(new Integer[0]);
          Arrays.sort(next, Comparator.comparingInt(x -> ord[x]));
          for (int b : next) {
            if (candidate[b] && policy.compatible(a, b) && contract(a, b)) {
              policy.merged(a, b);
              merged = changed = true;
              break;
            }
          }
        } while (merged);
      }
    }
  }

  private Integer[] liveByOrder() {
    ArrayList<Integer> live = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (parent[i] == i) {
        live.add(i);
      }
    }
    Integer[] a = live.toArray(new Integer[0]);
    Arrays.sort(a, Comparator.comparingInt(x -> ord[x]));
    return a;
  }

  /** Contracts edge {@code from -> to} into {@code from}, unless that makes a cycle. */
  private boolean contract(int from, int to) {
    int lo = ord[from];
    int hi = ord[to];
    // forward from 'from', not along the edge itself, among nodes ordered before 'to'
    ArrayList<Integer> forward = new ArrayList<>();
    ArrayDeque<Integer> work = new ArrayDeque<>();
    stamp++;
    for (int y : succ.get(from)) {
      if (y != to && ord[y] < hi) {
        work.push(y);
      }
    }
    while (!work.isEmpty()) {
      int x = work.pop();
      if (seen[x] == stamp) {
        continue;
      }
      seen[x] = stamp;
      forward.add(x);
      for (int y : succ.get(x)) {
        if (y == to) {
          return false; // another path from -> ... -> to: contracting would close a cycle
        }
        if (ord[y] < hi && seen[y] != stamp) {
          work.push(y);
        }
      }
    }
    // backward from 'to', not along the edge itself, among nodes ordered after 'from'
    ArrayList<Integer> backward = new ArrayList<>();
    stamp++;
    for (int y : pred.get(to)) {
      if (y != from && ord[y] > lo) {
        work.push(y);
      }
    }
    while (!work.isEmpty()) {
      int x = work.pop();
      if (seen[x] == stamp) {
        continue;
      }
      seen[x] = stamp;
      backward.add(x);
      for (int y : pred.get(x)) {
        if (ord[y] > lo && seen[y] != stamp) {
          work.push(y);
        }
      }
    }
    // reorder: what reaches 'to' first, then the merged node, then what 'from' reaches
    int[] pool = new int[backward.size() + forward.size() + 2];
    int p = 0;
    for (int x : backward) {
      pool[p++] = ord[x];
    }
    for (int x : forward) {
      pool[p++] = ord[x];
    }
    pool[p++] = lo;
    pool[p] = hi;
    Arrays.sort(pool);
    backward.sort(Comparator.comparingInt(x -> ord[x]));
    forward.sort(Comparator.comparingInt(x -> ord[x]));
    p = 0;
    for (int x : backward) {
      ord[x] = pool[p++];
    }
    ord[from] = pool[p++];
    p++; // one order value is left over: two nodes became one
    for (int x : forward) {
      ord[x] = pool[p++];
    }
    // the merged node takes over the edges of 'to'
    for (int y : succ.get(to)) {
      pred.get(y).remove(to);
      if (y != from) {
        pred.get(y).add(from);
        succ.get(from).add(y);
      }
    }
    for (int y : pred.get(to)) {
      succ.get(y).remove(to);
      if (y != from) {
        succ.get(y).add(from);
        pred.get(from).add(y);
      }
    }
    succ.get(to).clear();
    pred.get(to).clear();
    parent[to] = from;
    return true;
  }

  private int find(int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
