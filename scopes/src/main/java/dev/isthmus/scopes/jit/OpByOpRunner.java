package dev.isthmus.scopes.jit;

import dev.isthmus.IsthmusException;
import dev.isthmus.Operation;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Cluster;
import dev.isthmus.internal.ClusterRunner;
import dev.isthmus.internal.GraphAccess;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a cluster's members one by one with the ordinary kernels, exactly as the executor would
 * without clustering (so results are identical), dropping each intermediate after its last
 * use. This is the fallback of the fusion compiler, and the whole runner until it lands.
 */
public final class OpByOpRunner implements ClusterRunner {
  /** The runner. */
  public OpByOpRunner() {}

  @Override
  public Executable prepare(Cluster c) {
    return new Members(c);
  }

  /** A cluster prepared for running member by member. */
  static final class Members implements Executable {
    private final Operation[] ops;
    private final OpDef[] defs;
    private final Attrs[] attrs;
    private final int[][] in;
    private final int[] first;
    private final int[][] freeAfter; // values no one reads after node i
    private final int[] outputs;
    private final int values;

    Members(Cluster c) {
      List<Cluster.Node> nodes = c.nodes();
      int k = nodes.size();
      ops = new Operation[k];
      defs = new OpDef[k];
      attrs = new Attrs[k];
      in = new int[k][];
      first = new int[k];
      for (int i = 0; i < k; i++) {
        Cluster.Node node = nodes.get(i);
        ops[i] = node.op();
        defs[i] = node.def();
        attrs[i] = node.attrs();
        in[i] = node.inputs();
        first[i] = node.firstOutput();
      }
      outputs = c.outputs();
      values = c.valueCount();
      int[] last = new int[values];
      Arrays.fill(last, -1);
      for (int i = 0; i < k; i++) {
        for (int v : in[i]) {
          last[v] = i;
        }
      }
      for (int v : outputs) {
        last[v] = Integer.MAX_VALUE; // returned: kept
      }
      List<List<Integer>> free = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        free.add(new ArrayList<>());
      }
      for (int v = 0; v < values; v++) {
        if (last[v] >= 0 && last[v] < k) {
          free.get(last[v]).add(v);
        }
      }
      freeAfter = new int[k][];
      for (int i = 0; i < k; i++) {
        freeAfter[i] = free.get(i).stream().mapToInt(Integer::intValue).toArray();
      }
    }

    @Override
    public Tensor[] run(Tensor[] inputs, TensorSpec[] outs) {
      Tensor[] v = Arrays.copyOf(inputs, values);
      for (int i = 0; i < ops.length; i++) {
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
        for (int dead : freeAfter[i]) {
          v[dead] = null;
        }
      }
      Tensor[] out = new Tensor[outputs.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = v[outputs[i]];
      }
      return out;
    }
  }
}
