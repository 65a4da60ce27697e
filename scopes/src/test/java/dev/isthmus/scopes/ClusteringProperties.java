package dev.isthmus.scopes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.scopes.jit.ClusterMerger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of clustering: over random DAGs, the contracted graph is acyclic and no edge that
 * could still be contracted is left; over random graphs of real ops with random jit marks,
 * feeds and fetches, a clustered graph computes exactly what the same graph computes unclustered.
 */
class ClusteringProperties {
  /** A random DAG with candidates and scopes (null, "s0" or "s1"). */
  private record Dag(int n, int[][] succ, boolean[] candidate, String[] scope) {
    static Dag random(SplittableRandom r) {
      int n = 1 + r.nextInt(40);
      double p = r.nextDouble() * 0.3;
      List<List<Integer>> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(new ArrayList<>());
      }
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          if (r.nextDouble() < p) {
            out.get(i).add(j);
          }
        }
      }
      int[][] succ = new int[n][];
      boolean[] candidate = new boolean[n];
      String[] scope = new String[n];
      double c = r.nextDouble();
      for (int i = 0; i < n; i++) {
        succ[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        candidate[i] = r.nextDouble() < c;
        int s = r.nextInt(4);
        scope[i] = s < 2 ? null : "s" + (s - 2);
      }
      return new Dag(n, succ, candidate, scope);
    }

    /** Merges nodes {@code 0 .. upTo - 1} given existing groups; the representatives. */
    int[] merge(int upTo, int[] initial, boolean[] named) {
      String[] groupScope = scope.clone();
      boolean[] groupNamed = named.clone();
      int[][] cut = new int[upTo][];
      for (int i = 0; i < upTo; i++) {
        cut[i] = java.util.Arrays.stream(succ[i]).filter(j -> j < upTo).toArray();
      }
      for (int i = 0; i < upTo; i++) {
        if (initial[i] != i && groupScope[initial[i]] == null) {
          groupScope[initial[i]] = groupScope[i];
        }
      }
      return ClusterMerger.merge(upTo, cut, java.util.Arrays.copyOf(initial, upTo),
          new ClusterMerger.Policy() {
            @Override
            public boolean candidate(int node) {
              return candidate[node] || named[node];
            }

            @Override
            public boolean compatible(int a, int b) {
              return !(groupNamed[a] && groupNamed[b])
                  && (groupScope[a] == null || groupScope[b] == null
                      || groupScope[a].equals(groupScope[b]));
            }

            @Override
            public void merged(int a, int b) {
              groupNamed[a] |= groupNamed[b];
              if (groupScope[a] == null) {
                groupScope[a] = groupScope[b];
              }
            }
          });
    }
  }

  /** The contracted graph's edges (between distinct groups), by representative. */
  private static Map<Integer, Set<Integer>> contracted(int n, int[][] succ, int[] rep) {
    Map<Integer, Set<Integer>> e = new HashMap<>();
    for (int i = 0; i < n; i++) {
      e.computeIfAbsent(rep[i], k -> new HashSet<>());
      for (int j : succ[i]) {
        if (j < n && rep[i] != rep[j]) {
          e.get(rep[i]).add(rep[j]);
        }
      }
    }
    return e;
  }

  private static boolean reaches(Map<Integer, Set<Integer>> e, int from, int to, boolean direct) {
    ArrayList<Integer> work = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (int y : e.get(from)) {
      if (direct || y != to) {
        work.add(y);
      }
    }
    while (!work.isEmpty()) {
      int x = work.removeLast();
      if (x == to) {
        return true;
      }
      if (seen.add(x)) {
        work.addAll(e.get(x));
      }
    }
    return false;
  }

  private static void checkClusters(Dag d, int n, int[] rep, boolean[] named) {
    Map<Integer, Set<Integer>> e = contracted(n, d.succ(), rep);
    // acyclic: no group reaches itself
    for (int g : e.keySet()) {
      assertFalse(reaches(e, g, g, true), "cycle through group " + g);
    }
    Map<Integer, Set<String>> scopes = new HashMap<>();
    Map<Integer, Integer> sizes = new HashMap<>();
    for (int i = 0; i < n; i++) {
      sizes.merge(rep[i], 1, Integer::sum);
      if (d.scope()[i] != null) {
        scopes.computeIfAbsent(rep[i], k -> new HashSet<>()).add(d.scope()[i]);
      }
    }
    for (int i = 0; i < n; i++) {
      if (sizes.get(rep[i]) > 1) {
        assertTrue(d.candidate()[i] || named[i], "non-candidate " + i + " in a cluster");
      }
    }
    for (Set<String> s : scopes.values()) {
      assertTrue(s.size() <= 1, "one cluster, scopes " + s);
    }
    // maximal: any edge left between two compatible candidate groups would close a cycle
    for (int i = 0; i < n; i++) {
      for (int j : d.succ()[i]) {
        if (j >= n || rep[i] == rep[j]) {
          continue;
        }
        boolean ci = d.candidate()[i] || named[i];
        boolean cj = d.candidate()[j] || named[j];
        Set<String> si = scopes.getOrDefault(rep[i], Set.of());
        Set<String> sj = scopes.getOrDefault(rep[j], Set.of());
        boolean bothNamed = groupNamed(rep, named, n, rep[i]) && groupNamed(rep, named, n, rep[j]);
        if (ci && cj && !bothNamed && (si.isEmpty() || sj.isEmpty() || si.equals(sj))) {
          assertTrue(reaches(e, rep[i], rep[j], false),
              "edge " + i + "->" + j + " could still be contracted");
        }
      }
    }
  }

  private static boolean groupNamed(int[] rep, boolean[] named, int n, int r) {
    for (int i = 0; i < n; i++) {
      if (rep[i] == r && named[i]) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theContractedGraphIsAcyclicAndNothingMoreCouldMerge() {
    qt().withExamples(400).forAll(longs().all()).checkAssert(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      Dag d = Dag.random(r);
      int[] initial = new int[d.n()];
      for (int i = 0; i < d.n(); i++) {
        initial[i] = i;
      }
      boolean[] none = new boolean[d.n()];
      int[] rep = d.merge(d.n(), initial, none);
      checkClusters(d, d.n(), rep, none);
      // deterministic
      assertArrayEquals(rep, d.merge(d.n(), initial, none));
    });
  }

  @Test
  void aGrownGraphKeepsItsClustersAndStaysAcyclic() {
    qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      Dag d = Dag.random(r);
      int k = r.nextInt(d.n() + 1);
      int[] self = new int[d.n()];
      for (int i = 0; i < d.n(); i++) {
        self[i] = i;
      }
      int[] before = d.merge(k, self, new boolean[d.n()]);
      // the first k nodes' clusters (groups of candidates) become existing, named clusters
      int[] initial = self.clone();
      boolean[] named = new boolean[d.n()];
      Map<Integer, Integer> size = new HashMap<>();
      for (int i = 0; i < k; i++) {
        size.merge(before[i], 1, Integer::sum);
      }
      Map<Integer, Integer> min = new LinkedHashMap<>();
      for (int i = 0; i < k; i++) {
        if (d.candidate()[i]) {
          min.putIfAbsent(before[i], i);
          initial[i] = min.get(before[i]);
          named[i] = true;
        }
      }
      int[] after = d.merge(d.n(), initial, named);
      checkClusters(d, d.n(), after, named);
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          if (named[i] && named[j]) {
            assertEquals(before[i] == before[j], after[i] == after[j], i + " and " + j);
          }
        }
      }
    });
  }

  // ---- clustered graphs compute what the unclustered graph computes

  private static final Tensor X = Tensor.of(new float[] {-2.5f, -1f, 0f, 0.75f, 3f}, 5);
  private static final Tensor Y = Tensor.of(new float[] {
      1f, -0.5f, 2f, 0.125f, -3f, 4f, 0.5f, -1.5f, 2.5f, 1e-3f, -7f, 0.25f, 6f, -2f, 1.5f}, 3, 5);

  /** The graph of {@code seed}; with {@code jit}, under random jit scopes (and global jit). */
  private static List<Tensor> build(long seed, boolean jit, List<Tensor> feeds,
      Map<Tensor, Tensor> fed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor x = Ops.placeholder(DType.FLOAT32, 5);
    Tensor y = Ops.placeholder(DType.FLOAT32, 3, 5);
    feeds.add(x);
    feeds.add(y);
    fed.put(x, X);
    fed.put(y, Y);
    List<Tensor> values = new ArrayList<>(List.of(x, y));
    int ops = 1 + r.nextInt(24);
    Scope scope = null;
    for (int i = 0; i < ops; i++) {
      int mark = r.nextInt(5); // close / open true / open false / open predicate / keep
      boolean separate = r.nextBoolean(); // drawn either way: the same graph with and without
      if (jit && mark < 4 && scope != null) {
        scope.close();
        scope = null;
      }
      if (jit && mark >= 1 && mark <= 3) {
        scope = mark == 1 ? Scopes.jitScope(true, separate)
            : mark == 2 ? Scopes.jitScope(false)
            : Scopes.jitScope(n -> n.op().startsWith("A") || n.op().startsWith("M"));
      }
      Tensor a = values.get(r.nextInt(values.size()));
      Tensor b = values.get(r.nextInt(values.size()));
      Tensor v = switch (r.nextInt(10)) {
        case 0 -> a.add(b);
        case 1 -> a.mul(b);
        case 2 -> a.sub(b);
        case 3 -> Ops.maximum(a, b);
        case 4 -> a.neg();
        case 5 -> a.abs().sqrt();
        case 6 -> a.tanh();
        case 7 -> a.sigmoid();
        case 8 -> a.relu().add(0.5f);
        default -> a.square().reduceSum(true, -1);
      };
      values.add(v);
    }
    if (scope != null) {
      scope.close();
    }
    // fetch a few values; feed one intermediate sometimes (it cuts what it depends on)
    List<Tensor> fetch = new ArrayList<>();
    int fetches = 1 + r.nextInt(3);
    for (int i = 0; i < fetches; i++) {
      fetch.add(values.get(2 + r.nextInt(values.size() - 2)));
    }
    if (r.nextInt(3) == 0) {
      Tensor cut = values.get(2 + r.nextInt(values.size() - 2));
      feeds.add(cut);
      float[] v = new float[(int) cut.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextDouble(-2, 2);
      }
      fed.put(cut, Tensor.of(v, cut.shape().dims()));
    }
    return fetch;
  }

  @Test
  void aClusteredGraphComputesExactlyWhatTheUnclusteredOneDoes() {
    qt().withExamples(150).forAll(longs().all()).checkAssert(seed -> {
      List<float[]> results = new ArrayList<>();
      int clustered = 0;
      for (boolean jit : new boolean[] {false, true}) {
        boolean global = jit && (seed & 1) == 0;
        Context.setGlobalJit(global);
        try {
          Graph g = new Graph();
          List<Tensor> fetch;
          Map<Tensor, Tensor> fed = new LinkedHashMap<>();
          try (Scope s = g.asDefault()) {
            fetch = build(seed, jit, new ArrayList<>(), fed);
          }
          try (Session sess = new Session(g)) {
            for (Tensor t : sess.run(new ArrayList<>(fetch), fed)) {
              results.add(t.toFloatArray());
            }
            for (Tensor t : sess.run(new ArrayList<>(fetch), fed)) { // and again: same plan
              results.add(t.toFloatArray());
            }
          }
          if (jit) {
            clustered = (int) g.operations().stream()
                .map(o -> o.attr("_XlaCluster")).filter(Objects::nonNull).distinct().count();
          } else {
            assertTrue(g.operations().stream().allMatch(o -> o.attr("_XlaCluster") == null));
          }
        } finally {
          Context.setGlobalJit(false);
        }
      }
      int half = results.size() / 2;
      for (int i = 0; i < half; i++) {
        assertArrayEquals(results.get(i), results.get(half + i), "value " + i + ", "
            + clustered + " clusters");
      }
    });
  }
}
