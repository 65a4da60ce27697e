package dev.isthmus.scopes.jit;

import dev.isthmus.IsthmusException;
import dev.isthmus.Operation;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Cluster;
import dev.isthmus.internal.GraphAccess;
import dev.isthmus.internal.OpDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cluster's members as arrays, and the one way to run a member with the ordinary kernels
 * ({@link #compute}): exactly what the executor does for a node outside a cluster, with errors
 * naming the member. Shared by {@link OpByOpRunner} and the members {@link FusionRunner} does
 * not fuse.
 */
final class ClusterMembers {
  final Cluster cluster;
  final Operation[] ops;
  final OpDef[] defs;
  final Attrs[] attrs;
  final int[][] in;
  final int[] first;
  final int[] outCount;
  final int[] outputs;
  final int values;

  ClusterMembers(Cluster c) {
    cluster = c;
    List<Cluster.Node> nodes = c.nodes();
    int k = nodes.size();
    ops = new Operation[k];
    defs = new OpDef[k];
    attrs = new Attrs[k];
    in = new int[k][];
    first = new int[k];
    outCount = new int[k];
    for (int i = 0; i < k; i++) {
      Cluster.Node node = nodes.get(i);
      ops[i] = node.op();
      defs[i] = node.def();
      attrs[i] = node.attrs();
      in[i] = node.inputs();
      first[i] = node.firstOutput();
      outCount[i] = node.outputCount();
    }
    outputs = c.outputs();
    values = c.valueCount();
  }

  /** The number of members. */
  int size() {
    return ops.length;
  }

  /** Runs member {@code i} on the values {@code v} and stores its outputs there. */
  void compute(int i, Tensor[] v) {
    int[] is = in[i];
    Tensor[] args = new Tensor[is.length];
    for (int j = 0; j < is.length; j++) {
      args[j] = v[is[j]];
    }
    Tensor[] res;
    try {
      res = defs[i].compute(args, attrs[i], defs[i].infer(args, attrs[i]));
    } catch (IsthmusException e) {
      throw GraphAccess.get().atNode(e, ops[i]);
    }
    System.arraycopy(res, 0, v, first[i], res.length);
  }

  /** The cluster's outputs out of the values. */
  Tensor[] outputsOf(Tensor[] v) {
    Tensor[] out = new Tensor[outputs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[outputs[i]];
    }
    return out;
  }

  /**
   * For steps reading the values {@code reads[s]} in order, the values no step after {@code s}
   * reads and the cluster does not return: what step {@code s} may drop.
   */
  int[][] freeAfter(int[][] reads) {
    int steps = reads.length;
    int[] last = new int[values];
    Arrays.fill(last, -1);
    for (int s = 0; s < steps; s++) {
      for (int v : reads[s]) {
        last[v] = s;
      }
    }
    for (int v : outputs) {
      last[v] = Integer.MAX_VALUE; // returned: kept
    }
    List<List<Integer>> free = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      free.add(new ArrayList<>());
    }
    for (int v = 0; v < values; v++) {
      if (last[v] >= 0 && last[v] < steps) {
        free.get(last[v]).add(v);
      }
    }
    int[][] out = new int[steps][];
    for (int s = 0; s < steps; s++) {
      out[s] = free.get(s).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
