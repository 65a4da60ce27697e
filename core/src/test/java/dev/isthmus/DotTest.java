package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Graph.toDot: a node per op, data edges labelled with dtype and shape, dashed control edges,
 * call nodes naming their function, variable ops their variable, jit cluster and name-scope boxes,
 * dotted edges for the order of stateful nodes; held to the dot grammar by a small parser.
 */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class DotTest {
  @Test
  void showsOpsEdgesAndControlEdges() {
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor x = Ops.placeholder(DType.FLOAT32, 2, 3);
      Tensor e = x.exp();
      try (Scope c = Ops.controlDependencies(e); Scope n = Ops.nameScope("layer")) {
        e.reduceSum(1).cast(DType.INT32);
        x.neg();
      }
    }
    Dot dot = Dot.parse(g.toDot());
    assertEquals(g.name(), dot.name);
    assertEquals(g.operations().stream().map(Operation::name).toList(),
        new ArrayList<>(dot.nodes.keySet()));
    assertEquals("Placeholder\\nPlaceholder", dot.nodes.get("Placeholder").get("label"));
    assertEquals("layer/Sum\\nSum", dot.nodes.get("layer/Sum").get("label"));
    assertEquals(Map.of("label", "float32[2, 3]"), dot.edge("Placeholder", "Exp"));
    assertEquals(Map.of("label", "float32[2, 3]"), dot.edge("Exp", "layer/Sum"));
    assertEquals(Map.of("label", "float32[2]"), dot.edge("layer/Sum", "layer/Cast"));
    assertEquals(Map.of("label", "float32[2, 3]"), dot.edge("Placeholder", "layer/Neg"));
    // Sum reads Exp and Cast reads Sum: only Neg gets the block's control edge
    assertEquals(Map.of("style", "dashed"), dot.edge("Exp", "layer/Neg"));
    assertEquals(5, dot.edges.size(), dot.edges.toString());
  }

  @Test
  void callNodesNameTheirFunction() {
    Function inner = Function.builder().name("inner_fn").build(x -> x.neg());
    Function outer = Function.builder().name("outer_fn").build(x -> inner.call(x).abs());
    ConcreteFunction c = outer.getConcreteFunction(Tensor.of(1f));
    Dot dot = Dot.parse(c.graph().toDot());
    assertEquals("outer_fn", dot.name);
    Map<String, String> call = dot.nodes.get("PartitionedCall");
    assertEquals("PartitionedCall\\nPartitionedCall\\ninner_fn", call.get("label"));
    assertEquals("rounded,bold", call.get("style"));
    assertEquals(Map.of("label", "float32[1]"), dot.edge("arg0", "PartitionedCall"));
    assertEquals(Map.of("label", "float32[1]"), dot.edge("PartitionedCall", "Abs"));
  }

  @Test
  void jitClustersAreBoxes() {
    Graph g = new Graph();
    Tensor a;
    Tensor b;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 4).exp();
      b = a.neg();
      b.abs();
    }
    a.op().setAttr("_XlaCluster", "cluster_0");
    b.op().setAttr("_XlaCluster", "cluster_0");
    Dot dot = Dot.parse(g.toDot());
    assertEquals(Set.of("Exp", "Neg"), dot.clusters.get("cluster_0"));
    assertEquals(4, dot.nodes.size());
    assertEquals(Map.of("label", "float32[4]"), dot.edge("Neg", "Abs"));
  }

  @Test
  void variableOpsNameTheirVariableAndNameScopesAreBoxes() {
    Variable v = Variable.of(Tensor.of(1f, 2f), "v", true);
    Function f = Function.builder().name("scoped").build(() -> {
      Tensor a = v.read();
      try (Scope s = Ops.nameScope("update")) {
        v.assign(a.neg());
      }
      return a;
    });
    Dot dot = Dot.parse(f.getConcreteFunction().graph().toDot());
    assertEquals("ReadVariableOp\\nReadVariableOp\\nv", dot.nodes.get("ReadVariableOp").get("label"));
    assertEquals(Set.of("update/Neg", "update/AssignVariableOp"),
        dot.clusters.get("cluster_scope_update"));
    assertEquals("update/AssignVariableOp\\nAssignVariableOp\\nv",
        dot.nodes.get("update/AssignVariableOp").get("label"));
  }

  @Test
  void theOrderOfStatefulNodesOnOneResourceIsDotted() {
    Variable v = Variable.of(Tensor.of(1f, 2f), "v", true);
    Variable w = Variable.of(Tensor.of(3f, 4f), "w", true);
    Function f = Function.builder().name("order").build(() -> {
      Tensor a = v.read();                 // ReadVariableOp
      v.assign(w.read().neg());            // ReadVariableOp_1 (w), Neg, AssignVariableOp
      Tensor b = v.read();                 // ReadVariableOp_2: after the assign
      v.assignAdd(v.read());               // ReadVariableOp_3, AssignAddVariableOp
      return a.add(b);
    });
    Dot dot = Dot.parse(f.getConcreteFunction().graph().toDot());
    Map<String, String> dotted = Map.of("style", "dotted");
    assertEquals(dotted, dot.edge("ReadVariableOp", "AssignVariableOp")); // read, then write
    assertEquals(dotted, dot.edge("AssignVariableOp", "ReadVariableOp_2")); // write, then reads
    assertEquals(dotted, dot.edge("AssignVariableOp", "ReadVariableOp_3"));
    assertEquals(dotted, dot.edge("ReadVariableOp_2", "AssignAddVariableOp"));
    // a data edge already orders these two: no second edge
    assertEquals(Map.of("label", "float32[2]"), dot.edge("ReadVariableOp_3", "AssignAddVariableOp"));
    long n = dot.edges.values().stream().filter(dotted::equals).count();
    assertEquals(4, n, "reads after one write are not ordered among themselves; w is read once: "
        + dot.edges);
    assertTrue(f.getConcreteFunction().graph().toDot().contains("label=\"dotted: runs after"));

    DatasetIterator it = Dataset.fromTensorSlices(Tensor.of(1f, 2f, 3f)).iterator();
    Function twice = Function.builder().name("twice").build(() -> it.getNext().add(it.getNext()));
    Dot d2 = Dot.parse(twice.getConcreteFunction().graph().toDot());
    assertEquals(dotted, d2.edge("IteratorGetNext", "IteratorGetNext_1"));
    // no stateful nodes, no dotted edges and no legend
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Ops.placeholder(DType.FLOAT32, 2).exp();
    }
    assertTrue(!g.toDot().contains("dotted"), g.toDot());
  }

  @Test
  void anEmptyGraphIsAValidGraph() {
    Dot dot = Dot.parse(new Graph().toDot());
    assertTrue(dot.nodes.isEmpty() && dot.edges.isEmpty());
  }

  // ------------------------------------------------------------------ a dot parser

  /**
   * A recursive-descent parser for the dot language (graph, node, edge, attribute and subgraph
   * statements, quoted and bare IDs): fails on anything that is not dot.
   */
  private static final class Dot {
    String name;
    final Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
    final Map<List<String>, Map<String, String>> edges = new LinkedHashMap<>();
    final Map<String, Set<String>> clusters = new LinkedHashMap<>();
    private final List<String> toks = new ArrayList<>();
    private int p;

    static Dot parse(String text) {
      Dot d = new Dot();
      d.lex(text);
      d.expect("digraph");
      d.name = d.id();
      d.expect("{");
      d.statements(null);
      d.expect("}");
      if (d.p != d.toks.size()) {
        throw new AssertionError("text after the graph: " + d.toks.subList(d.p, d.toks.size()));
      }
      for (List<String> e : d.edges.keySet()) {
        if (!d.nodes.containsKey(e.get(0)) || !d.nodes.containsKey(e.get(1))) {
          throw new AssertionError("edge " + e + " between undeclared nodes");
        }
      }
      return d;
    }

    Map<String, String> edge(String from, String to) {
      Map<String, String> a = edges.get(List.of(from, to));
      if (a == null) {
        throw new AssertionError("no edge " + from + " -> " + to + " in " + edges.keySet());
      }
      return a;
    }

    private void lex(String s) {
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '"') {
          StringBuilder sb = new StringBuilder("\"");
          i++;
          while (true) {
            if (i >= s.length()) {
              throw new AssertionError("unterminated string");
            }
            char d = s.charAt(i);
            if (d == '\\' && i + 1 < s.length()) {
              char n = s.charAt(i + 1);
              sb.append(n == '"' ? "\"" : "\\" + n); // dot keeps other escapes (\n) for labels
              i += 2;
            } else if (d == '"') {
              i++;
              break;
            } else {
              sb.append(d);
              i++;
            }
          }
          toks.add(sb.toString());
        } else if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '>') {
          toks.add("->");
          i += 2;
        } else if ("{}[];,=".indexOf(c) >= 0) {
          toks.add(String.valueOf(c));
          i++;
        } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
          int j = i;
          while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_'
              || s.charAt(j) == '.')) {
            j++;
          }
          toks.add(s.substring(i, j));
          i = j;
        } else {
          throw new AssertionError("not dot: '" + c + "' at " + i + " in\n" + s);
        }
      }
    }

    private String peek() {
      return p < toks.size() ? toks.get(p) : "<end>";
    }

    private void expect(String t) {
      if (!peek().equals(t)) {
        throw new AssertionError("expected " + t + ", got " + peek() + " at token " + p);
      }
      p++;
    }

    private boolean isId(String t) {
      return t.startsWith("\"") || t.matches("[A-Za-z0-9_.]+");
    }

    private String id() {
      String t = peek();
      if (!isId(t) || List.of("digraph", "subgraph", "node", "edge").contains(t)) {
        throw new AssertionError("expected an ID, got " + t + " at token " + p);
      }
      p++;
      return t.startsWith("\"") ? t.substring(1) : t;
    }

    private void statements(Set<String> cluster) {
      while (!peek().equals("}")) {
        String t = peek();
        if (t.equals("subgraph")) {
          p++;
          String sub = id();
          Set<String> members = new HashSet<>();
          clusters.put(sub, members);
          expect("{");
          statements(members);
          expect("}");
        } else if (t.equals("node") || t.equals("edge") || t.equals("graph")) {
          p++;
          attrs();
        } else {
          String a = id();
          if (peek().equals("=")) { // graph attribute
            p++;
            id();
          } else if (peek().equals("->")) {
            p++;
            String b = id();
            edges.put(List.of(a, b), peek().equals("[") ? attrs() : Map.of());
          } else {
            Map<String, String> at = peek().equals("[") ? attrs() : Map.of();
            if (nodes.put(a, at) != null) {
              throw new AssertionError("node " + a + " declared twice");
            }
            if (cluster != null) {
              cluster.add(a);
            }
          }
        }
        if (peek().equals(";")) {
          p++;
        }
      }
    }

    private Map<String, String> attrs() {
      expect("[");
      Map<String, String> m = new LinkedHashMap<>();
      while (!peek().equals("]")) {
        String k = id();
        expect("=");
        m.put(k, id());
        if (peek().equals(",") || peek().equals(";")) {
          p++;
        }
      }
      expect("]");
      return m;
    }
  }
}
