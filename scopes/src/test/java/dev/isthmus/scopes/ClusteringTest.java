package dev.isthmus.scopes;

import static dev.isthmus.scopes.JitTestOps.cluster;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.FailedPreconditionException;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.internal.Cluster;
import dev.isthmus.internal.ClusterRunner;
import dev.isthmus.internal.GraphAccess;
import dev.isthmus.scopes.jit.FusionRunner;
import dev.isthmus.scopes.jit.OpByOpRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jitScope rule 7: which ops share a cluster, and that clustered graphs compute the same. */
class ClusteringTest {
  private static final Tensor X = Tensor.of(new float[] {-1.5f, 0f, 2f, 3.25f}, 4);

  private static Tensor input() {
    return Ops.placeholder(DType.FLOAT32, 4);
  }

  private static Tensor run(Graph g, Tensor fetch, Tensor x) {
    try (Session s = new Session(g)) {
      return s.run(fetch, Map.of(x, X));
    }
  }

  @Test
  void aChainInOneScopeIsOneClusterAndComputesTheSame() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = input();
      try (Scope jit = Scopes.jitScope()) {
        y = x.mul(x).add(1f).relu().mul(x).sigmoid().tanh();
      }
    }
    Tensor got = run(g, y, x);
    List<Operation> members = g.operations().stream()
        .filter(o -> o.attr("_XlaCluster") != null).toList();
    assertEquals(g.operations().size() - 1, members.size(), "all but the placeholder");
    assertTrue(members.stream().allMatch(o -> "cluster_0".equals(o.attr("_XlaCluster"))));
    Tensor want = X.mul(X).add(1f).relu().mul(X).sigmoid().tanh();
    assertArrayEquals(want.toFloatArray(), got.toFloatArray());
  }

  @Test
  void noMergeThatWouldCloseACycleThroughAnOpOutsideTheCluster() {
    Function viaCall = Function.of(t -> t.neg()); // its call node is never a member
    Graph g = new Graph();
    Tensor x;
    Tensor a;
    Tensor u;
    Tensor b;
    try (Scope s = g.asDefault(); Scope jit = Scopes.jitScope()) {
      x = input();
      a = x.exp();
      u = viaCall.call(a);
      b = a.add(u); // a -> b directly, and a -> call -> b
    }
    Tensor got = run(g, b, x);
    assertEquals(a.op().attr("_XlaScope"), b.op().attr("_XlaScope"));
    assertNotNull(cluster(a));
    assertNotNull(cluster(b));
    assertNotEquals(cluster(a), cluster(b));
    assertNull(cluster(u));
    assertArrayEquals(X.exp().add(X.exp().neg()).toFloatArray(), got.toFloatArray());
  }

  @Test
  void theSameWithinOneScopeAndWithGlobalJitThroughAnOpMarkedFalse() {
    Context.setGlobalJit(true);
    try {
      Graph g = new Graph();
      Tensor x;
      Tensor a;
      Tensor u;
      Tensor b;
      try (Scope s = g.asDefault()) {
        x = input();
        try (Scope jit = Scopes.jitScope()) {
          a = x.exp();
          try (Scope off = Scopes.jitScope(false)) {
            u = a.neg();
          }
          b = a.add(u);
        }
      }
      run(g, b, x);
      assertNotEquals(cluster(a), cluster(b));
      assertNull(cluster(u));
    } finally {
      Context.setGlobalJit(false);
    }
  }

  @Test
  void differentScopesNeverMergeEvenWithGlobalJit() {
    for (boolean global : new boolean[] {false, true}) {
      Context.setGlobalJit(global);
      try {
        Graph g = new Graph();
        Tensor x;
        Tensor a;
        Tensor m;
        Tensor b;
        try (Scope s = g.asDefault()) {
          x = input();
          try (Scope jit = Scopes.jitScope()) {
            a = x.exp();
          }
          m = a.mul(2f); // unmarked, between the two scopes
          try (Scope jit = Scopes.jitScope()) {
            b = m.sqrt().add(a);
          }
        }
        Tensor got = run(g, b, x);
        assertNotNull(cluster(a));
        assertNotNull(cluster(b));
        assertNotEquals(cluster(a), cluster(b), "global " + global);
        if (global) {
          // the unmarked op joins one side, never both
          assertTrue(cluster(m).equals(cluster(a)) || cluster(m).equals(cluster(b.op().inputs()
              .get(0))), String.valueOf(cluster(m)));
        } else {
          assertNull(cluster(m));
        }
        assertArrayEquals(X.exp().mul(2f).sqrt().add(X.exp()).toFloatArray(), got.toFloatArray());
      } finally {
        Context.setGlobalJit(false);
      }
    }
  }

  @Test
  void globalJitClustersUnmarkedOpsButNeverFalseOnes() {
    Context.setGlobalJit(true);
    try {
      Graph g = new Graph();
      Tensor x;
      Tensor a;
      Tensor off;
      try (Scope s = g.asDefault()) {
        x = input();
        a = x.mul(3f).exp();
        try (Scope jit = Scopes.jitScope(false)) {
          off = a.neg();
        }
      }
      run(g, off, x);
      assertEquals("cluster_0", cluster(a));
      assertEquals("cluster_0", cluster(a.op().inputs().get(0)));
      assertNull(cluster(off));
      assertNull(cluster(x), "placeholders are never members");
    } finally {
      Context.setGlobalJit(false);
    }
  }

  @Test
  void withoutGlobalJitUnmarkedOpsAreNeverClustered() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = input();
      y = x.mul(3f).exp();
    }
    run(g, y, x);
    assertTrue(g.operations().stream().allMatch(o -> o.attr("_XlaCluster") == null));
  }

  @Test
  void statefulRandomOpsAreLeftOut() {
    Graph g = new Graph();
    Tensor x;
    Tensor r;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = input();
      try (Scope jit = Scopes.jitScope()) {
        r = JitTestOps.statefulRandom();
        y = x.mul(r).exp();
      }
    }
    Tensor first = run(g, y, x);
    assertEquals(true, r.op().attr("_XlaCompile"));
    assertNull(cluster(r));
    assertNotNull(cluster(y));
    Tensor second = run(g, y, x);
    assertNotEquals(first.toFloatArray()[3], second.toFloatArray()[3], "it runs every time");
  }

  @Test
  void aVariableReadThenWrittenMayShareACluster() {
    Graph g = new Graph();
    Variable v = Variable.of(Tensor.of(1f, 2f, 3f, 4f));
    Tensor read;
    Tensor doubled;
    Tensor written;
    try (Scope s = g.asDefault(); Scope jit = Scopes.jitScope()) {
      read = v.read();
      doubled = read.mul(2f);
      written = v.assign(doubled);
    }
    Tensor got;
    try (Session sess = new Session(g)) {
      got = sess.run(written, Map.of());
    }
    assertNotNull(cluster(read));
    assertEquals(cluster(read), cluster(doubled));
    assertEquals(cluster(read), cluster(written));
    assertArrayEquals(new float[] {2, 4, 6, 8}, got.toFloatArray());
  }

  @Test
  void aVariableWrittenThenReadMayNot() {
    Graph g = new Graph();
    Variable v = Variable.of(Tensor.of(1f, 2f, 3f, 4f));
    Variable other = Variable.of(Tensor.of(0f, 0f, 0f, 0f));
    Tensor written;
    Tensor read;
    Tensor y;
    Tensor otherRead;
    try (Scope s = g.asDefault(); Scope jit = Scopes.jitScope()) {
      written = v.assign(Tensor.of(10f, 20f, 30f, 40f));
      otherRead = other.read(); // another variable: may join
      read = v.read();
      y = read.add(written).add(otherRead);
    }
    Tensor got;
    try (Session sess = new Session(g)) {
      got = sess.run(y, Map.of());
    }
    assertNotNull(cluster(written));
    assertNotNull(cluster(read));
    assertNotEquals(cluster(written), cluster(read));
    assertEquals(cluster(written), cluster(otherRead));
    assertArrayEquals(new float[] {20, 40, 60, 80}, got.toFloatArray());
  }

  @Test
  void statefulOpsKeepTheirCreationOrderAroundACluster() {
    Graph g = new Graph();
    Variable v = Variable.of(Tensor.of(1f, 2f, 3f, 4f));
    Tensor a;
    Tensor before;
    Tensor written;
    Tensor after;
    Tensor m;
    try (Scope s = g.asDefault(); Scope jit = Scopes.jitScope()) {
      a = Ops.constant(new float[] {5f, 6f, 7f, 8f}).abs(); // the cluster starts here
      try (Scope off = Scopes.jitScope(false)) {
        before = v.read(); // so the cluster must wait for this read
      }
      written = v.assign(a);
      try (Scope off = Scopes.jitScope(false)) {
        after = v.read(); // created between two members of one cluster
      }
      m = written.mul(2f);
    }
    List<Tensor> got;
    try (Session sess = new Session(g)) {
      got = sess.run(List.of(m, after, before), Map.of());
    }
    assertNotNull(cluster(written));
    assertEquals(cluster(written), cluster(m));
    assertEquals(cluster(written), cluster(a));
    assertArrayEquals(new float[] {10, 12, 14, 16}, got.get(0).toFloatArray());
    assertArrayEquals(new float[] {5, 6, 7, 8}, got.get(1).toFloatArray(), "after the write");
    assertArrayEquals(new float[] {1, 2, 3, 4}, got.get(2).toFloatArray(), "before it");
  }

  @Test
  void callsOfFunctionsAreNeverMembersTheirBodiesAreClusteredInTheirOwnGraph() {
    // a loop body or a function body is a graph of its own: clustered inside, never across
    Function f = Function.builder().name("body").build(t -> {
      try (Scope jit = Scopes.jitScope()) {
        return t.mul(t).add(1f);
      }
    });
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    Tensor z;
    try (Scope s = g.asDefault(); Scope jit = Scopes.jitScope()) {
      x = input();
      y = f.call(x.exp());
      z = y.neg();
    }
    Tensor got = run(g, z, x);
    assertEquals(true, y.op().attr("_XlaCompile"));
    assertNull(cluster(y), "a call is graph machinery");
    assertNotNull(cluster(z));
    Graph body = ((dev.isthmus.ConcreteFunction) y.op().attr("f")).graph();
    List<Object> bodyClusters = body.operations().stream()
        .filter(o -> !o.type().equals("Placeholder")).map(o -> o.attr("_XlaCluster")).toList();
    assertTrue(bodyClusters.stream().allMatch("cluster_0"::equals), bodyClusters.toString());
    Tensor e = X.exp();
    assertArrayEquals(e.mul(e).add(1f).neg().toFloatArray(), got.toFloatArray());
  }

  @Test
  void toDotDrawsEachClusterAsABox() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = input();
      try (Scope jit = Scopes.jitScope()) {
        y = x.exp().neg();
      }
      y = y.abs();
    }
    run(g, y, x);
    String dot = g.toDot();
    int box = dot.indexOf("subgraph \"cluster_0\" {");
    assertTrue(box > 0, dot);
    int end = dot.indexOf("  }", box);
    String inside = dot.substring(box, end);
    assertTrue(inside.contains("\"Exp\" [label") && inside.contains("\"Neg\" [label"), dot);
    assertTrue(!inside.contains("\"Abs\"") && !inside.contains("\"Placeholder\""), dot);
  }

  @Test
  void aGrownGraphKeepsItsClustersAndNewOpsMayJoinThem() {
    Graph g = new Graph();
    Tensor x;
    Tensor a;
    Tensor b;
    Tensor c;
    try (Scope s = g.asDefault()) {
      x = input();
      try (Scope jit = Scopes.jitScope()) {
        a = x.exp();
      }
    }
    run(g, a, x);
    assertEquals("cluster_0", cluster(a));
    try (Scope s = g.asDefault()) {
      try (Scope jit = Scopes.jitScope()) {
        b = a.neg(); // jit_scope_1: a scope of its own, cannot join
      }
      try (Scope jit = Scopes.jitScope()) {
        c = b.abs();
      }
    }
    try (Session sess = new Session(g)) {
      Tensor got = sess.run(c, Map.of(x, X));
      assertArrayEquals(X.exp().neg().abs().toFloatArray(), got.toFloatArray());
    }
    assertEquals("cluster_0", cluster(a));
    assertEquals("cluster_1", cluster(b));
    assertEquals("cluster_2", cluster(c));
    // unmarked new ops with global jit join the existing cluster of their producer
    Context.setGlobalJit(true);
    try {
      Tensor d;
      try (Scope s = g.asDefault()) {
        d = c.sqrt();
      }
      run(g, d, x);
      assertEquals("cluster_2", cluster(d));
    } finally {
      Context.setGlobalJit(false);
    }
  }

  @Test
  void errorsInsideAClusterNameTheMemberAndTheCluster() {
    Graph g = new Graph();
    Tensor y;
    try (Scope s = g.asDefault()) {
      Tensor init = Ops.placeholder(DType.FLOAT32, 4);
      Variable v = Variable.of(init, "unset", true); // needs its initializer to run first
      try (Scope jit = Scopes.jitScope()) {
        y = v.read().exp();
      }
    }
    try (Session sess = new Session(g)) {
      var e = assertThrows(FailedPreconditionException.class, () -> sess.run(y));
      assertTrue(e.getMessage().contains("uninitialized"), e.getMessage());
      assertTrue(e.getMessage().contains("[[node ReadVariableOp (ReadVariableOp)"), e.getMessage());
      assertTrue(e.getMessage().contains("[[node cluster_0 (_XlaRun)"), e.getMessage());
    }
  }

  @Test
  void theExecutorRunsEachClusterAsOneUnitThroughTheRunner() {
    List<Cluster> prepared = new ArrayList<>();
    int[] runs = new int[1];
    ClusterRunner counting = c -> {
      prepared.add(c);
      ClusterRunner.Executable inner = new OpByOpRunner().prepare(c);
      return (in, outs) -> {
        runs[0]++;
        return inner.run(in, outs);
      };
    };
    GraphAccess.get().setClusterRunner(counting);
    try {
      Graph g = new Graph();
      Tensor x;
      Tensor y;
      Tensor z;
      try (Scope s = g.asDefault()) {
        x = input();
        try (Scope jit = Scopes.jitScope()) {
          y = x.exp().add(x); // Exp, AddV2
        }
        z = y.neg(); // outside
        try (Scope jit = Scopes.jitScope()) {
          z = z.abs(); // another scope, another cluster
        }
      }
      try (Session sess = new Session(g)) {
        for (int i = 0; i < 3; i++) {
          Tensor got = sess.run(z, Map.of(x, X));
          assertArrayEquals(X.exp().add(X).neg().abs().toFloatArray(), got.toFloatArray());
        }
      }
      assertEquals(2, prepared.size(), "prepared once per plan and cluster");
      assertEquals(6, runs[0]);
      Cluster first = prepared.get(0);
      assertEquals("cluster_0", first.name());
      assertEquals(List.of("Exp", "AddV2"),
          first.nodes().stream().map(n -> n.op().name()).toList());
      assertEquals(List.of(x), first.inputs());
      assertEquals(1, first.outputs().length);
      assertEquals(y, first.values().get(first.outputs()[0]));
    } finally {
      GraphAccess.get().setClusterRunner(new FusionRunner()); // the runner JitExtension installs
    }
  }
}
