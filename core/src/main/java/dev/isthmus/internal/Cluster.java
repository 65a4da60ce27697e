package dev.isthmus.internal;

import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Tensor;
import java.util.List;

/**
 * One jit cluster as a plan runs it: the members it needs, in an order that respects their
 * dependencies, over numbered values. Values {@code 0 .. inputs().size() - 1} are the cluster's
 * inputs (tensors computed or fed outside it); then each node's outputs follow, node after
 * node, from {@link Node#firstOutput()}. {@link #outputs()} are the value numbers the rest of
 * the plan reads. Self-contained, so a compiler needs nothing else from the graph.
 *
 * @param name the cluster's name, its members' {@code _XlaCluster} ({@code cluster_N})
 * @param graph the graph the members belong to
 * @param inputs the symbolic tensors entering the cluster (values {@code 0 ..})
 * @param nodes the members, in execution order
 * @param values the symbolic tensor of every value number (inputs, then node outputs)
 * @param outputs the value numbers the cluster returns, in order
 */
public record Cluster(String name, Graph graph, List<Tensor> inputs, List<Node> nodes,
    List<Tensor> values, int[] outputs) {
  /** A copy-in view: lists are copied read-only. */
  public Cluster {
    inputs = List.copyOf(inputs);
    nodes = List.copyOf(nodes);
    values = List.copyOf(values);
    outputs = outputs.clone();
  }

  /** How many value numbers there are (inputs and every node output). */
  public int valueCount() {
    return values.size();
  }

  /** The value numbers the cluster returns, in order (a copy). */
  @Override
  public int[] outputs() {
    return outputs.clone();
  }

  /**
   * A member: its graph node (for names and errors), its declaration and attributes, the
   * value numbers of its inputs, and where its outputs are numbered.
   *
   * @param op the graph node
   * @param def its op declaration
   * @param attrs its own attributes (those the kernel reads)
   * @param inputs the value number of each input
   * @param firstOutput the value number of its output 0
   * @param outputCount how many outputs it has
   */
  public record Node(Operation op, OpDef def, Attrs attrs, int[] inputs, int firstOutput,
      int outputCount) {
    /** Copies the input numbers. */
    public Node {
      inputs = inputs.clone();
    }

    /** The value number of each input (a copy). */
    @Override
    public int[] inputs() {
      return inputs.clone();
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(" of graph '").append(graph.name())
        .append("': ").append(inputs.size()).append(" inputs ->");
    for (Node n : nodes) {
      sb.append(' ').append(n.op().name()).append(" (").append(n.def().name()).append(')');
    }
    return sb.append(" -> ").append(outputs.length).append(" outputs").toString();
  }
}
