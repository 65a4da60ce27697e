package dev.isthmus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Graph#toDot()}: Graphviz text. A box per node (name and op type; a function call also
 * names its function, a variable op its variable), a solid edge per data input labelled with its
 * dtype and shape, a dashed edge per control input, and a box around the nodes of each jit
 * cluster ({@code _XlaCluster}); nodes in no jit cluster are boxed by their outermost name
 * scope. Stateful nodes on one variable or iterator run in the order they were traced (where
 * TensorFlow adds automatic control edges); a dotted edge shows each such order that no data
 * edge already shows: a write to everything after it, a read to the next write.
 */
final class GraphDot {
  private GraphDot() {}

  static String toDot(Graph g) {
    List<Operation> ops = g.operations();
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(quote(g.name())).append(" {\n");
    sb.append("  rankdir=TB;\n");
    sb.append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    Map<String, StringBuilder> clusters = new LinkedHashMap<>();
    Map<String, StringBuilder> scopes = new LinkedHashMap<>();
    for (Operation o : ops) {
      String label = escape(o.name()) + "\\n" + escape(o.type());
      Object f = o.attr("f");
      if (f instanceof ConcreteFunction cf) {
        label += "\\n" + escape(cf.name());
      }
      for (String k : new String[] {"then_branch", "else_branch", "cond", "body"}) { // If, While: their functions
        if (o.attr(k) instanceof ConcreteFunction cf) {
          label += "\\n" + k + ": " + escape(cf.name());
        }
      }
      if (o.attr("variable") instanceof Variable v) {
        label += "\\n" + escape(v.name());
      }
      String line = "    " + quote(o.name()) + " [label=\"" + label + "\"" + (o.def().is(dev.isthmus.internal.OpDef.Flag.GRAPH) ? ", style=\"rounded,bold\"" : "")
          + "];\n";
      Object cluster = o.attr("_XlaCluster");
      int slash = o.name().indexOf('/');
      if (cluster != null) {
        clusters.computeIfAbsent(cluster.toString(), k -> new StringBuilder()).append(line);
      } else if (slash > 0) {
        scopes.computeIfAbsent(o.name().substring(0, slash), k -> new StringBuilder()).append(line);
      } else {
        sb.append(line.substring(2));
      }
    }
    for (Map.Entry<String, StringBuilder> c : clusters.entrySet()) {
      // Graphviz draws a box around a subgraph whose name starts with "cluster"; jit clusters
      // are already named cluster_N
      String box = c.getKey().startsWith("cluster") ? c.getKey() : "cluster_" + c.getKey();
      sb.append("  subgraph ").append(quote(box)).append(" {\n");
      sb.append("    label=").append(quote(c.getKey())).append(";\n    style=filled; color=lightgrey;\n");
      sb.append(c.getValue()).append("  }\n");
    }
    for (Map.Entry<String, StringBuilder> c : scopes.entrySet()) {
      sb.append("  subgraph ").append(quote("cluster_scope_" + c.getKey())).append(" {\n");
      sb.append("    label=").append(quote(c.getKey())).append(";\n    style=\"rounded,dashed\"; color=grey50;\n");
      sb.append(c.getValue()).append("  }\n");
    }
    Set<List<Operation>> drawn = new HashSet<>();
    for (Operation o : ops) {
      for (Tensor in : o.inputArray()) {
        drawn.add(List.of(in.op(), o));
        sb.append("  ").append(quote(in.op().name())).append(" -> ").append(quote(o.name()))
            .append(" [label=").append(quote(in.describe())).append("];\n");
      }
      for (Operation c : o.controlArray()) {
        drawn.add(List.of(c, o));
        sb.append("  ").append(quote(c.name())).append(" -> ").append(quote(o.name()))
            .append(" [style=dashed];\n");
      }
    }
    boolean dotted = false;
    for (List<Operation> e : orderEdges(ops)) {
      if (drawn.add(e)) {
        dotted = true;
        sb.append("  ").append(quote(e.get(0).name())).append(" -> ").append(quote(e.get(1).name()))
            .append(" [style=dotted];\n");
      }
    }
    if (dotted) { // the one edge style a reader cannot guess
      sb.append("  label=\"dotted: runs after (one variable or iterator, in trace order)\";\n")
          .append("  labelloc=b; fontname=\"Helvetica\"; fontsize=10;\n");
    }
    return sb.append("}\n").toString();
  }

  /**
   * The order of the stateful nodes on each variable or iterator, as {@code [before, after]}
   * pairs: a write (or an iterator's get-next) before every later node on it, reads before the
   * next write; reads after one write are not ordered among themselves.
   */
  private static List<List<Operation>> orderEdges(List<Operation> ops) {
    record Since(Operation write, List<Operation> reads) {}
    Map<Object, Since> last = new IdentityHashMap<>();
    List<List<Operation>> edges = new ArrayList<>();
    for (Operation o : ops) {
      Object r = o.attr("variable") instanceof Variable v ? v
          : o.attr("iterator") instanceof DatasetIterator it ? it : null;
      if (r == null || !o.def().is(dev.isthmus.internal.OpDef.Flag.STATEFUL)) {
        continue;
      }
      Since s = last.get(r);
      if (o.def() == VariableOps.READ) {
        if (s != null && s.write() != null) {
          edges.add(List.of(s.write(), o));
        }
        last.computeIfAbsent(r, k -> new Since(null, new ArrayList<>())).reads().add(o);
        continue;
      }
      if (s != null) {
        if (s.reads().isEmpty() && s.write() != null) {
          edges.add(List.of(s.write(), o));
        }
        for (Operation read : s.reads()) {
          edges.add(List.of(read, o));
        }
      }
      last.put(r, new Since(o, new ArrayList<>()));
    }
    return edges;
  }

  private static String quote(String s) {
    return "\"" + escape(s) + "\"";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
