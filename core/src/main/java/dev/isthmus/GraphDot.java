package dev.isthmus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Graph#toDot()}: Graphviz text. A box per node (name and op type; a function call also
 * names its function), a solid edge per data input labelled with its dtype and shape, a dashed
 * edge per control input, and a box around the nodes of each jit cluster ({@code _XlaCluster}).
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
      String line = "    " + quote(o.name()) + " [label=\"" + label + "\"" + (o.def().is(dev.isthmus.internal.OpDef.Flag.GRAPH) ? ", style=\"rounded,bold\"" : "")
          + "];\n";
      Object cluster = o.attr("_XlaCluster");
      if (cluster != null) {
        clusters.computeIfAbsent(cluster.toString(), k -> new StringBuilder()).append(line);
      } else {
        sb.append(line.substring(2));
      }
    }
    for (Map.Entry<String, StringBuilder> c : clusters.entrySet()) {
      sb.append("  subgraph ").append(quote("cluster_" + c.getKey())).append(" {\n");
      sb.append("    label=").append(quote(c.getKey())).append(";\n    style=filled; color=lightgrey;\n");
      sb.append(c.getValue()).append("  }\n");
    }
    for (Operation o : ops) {
      for (Tensor in : o.inputArray()) {
        sb.append("  ").append(quote(in.op().name())).append(" -> ").append(quote(o.name()))
            .append(" [label=").append(quote(in.describe())).append("];\n");
      }
      for (Operation c : o.controlArray()) {
        sb.append("  ").append(quote(c.name())).append(" -> ").append(quote(o.name()))
            .append(" [style=dashed];\n");
      }
    }
    return sb.append("}\n").toString();
  }

  private static String quote(String s) {
    return "\"" + escape(s) + "\"";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
