package dev.isthmus.scopes.jit;

import dev.isthmus.Tensor;
import dev.isthmus.internal.Cluster;
import dev.isthmus.internal.ClusterRunner;
import dev.isthmus.internal.TensorSpec;
import java.util.Arrays;

/**
 * Runs a cluster's members one by one with the ordinary kernels, exactly as the executor would
 * without clustering (so results are identical), dropping each intermediate after its last
 * use. The fallback of {@link FusionRunner} ({@code -Disthmus.fusion=off}, no Vector API) and
 * its first run of each input signature.
 */
public final class OpByOpRunner implements ClusterRunner {
  /** The runner. */
  public OpByOpRunner() {}

  @Override
  public Executable prepare(Cluster c) {
    return new Members(new ClusterMembers(c));
  }

  /** A cluster prepared for running member by member. */
  static final class Members implements Executable {
    private final ClusterMembers m;
    private final int[][] freeAfter; // values no one reads after node i

    Members(ClusterMembers m) {
      this.m = m;
      this.freeAfter = m.freeAfter(m.in);
    }

    ClusterMembers members() {
      return m;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, TensorSpec[] outs) {
      return m.outputsOf(runAll(inputs));
    }

    /** Every value after running all members (intermediates already dropped are null). */
    Tensor[] runAll(Tensor[] inputs) {
      return runAll(inputs, false);
    }

    /** As {@link #runAll(Tensor[])}; {@code keep} keeps every value (to learn their specs). */
    Tensor[] runAll(Tensor[] inputs, boolean keep) {
      Tensor[] v = Arrays.copyOf(inputs, m.values);
      for (int i = 0; i < m.size(); i++) {
        m.compute(i, v);
        if (!keep) {
          for (int dead : freeAfter[i]) {
            v[dead] = null;
          }
        }
      }
      return v;
    }
  }
}
