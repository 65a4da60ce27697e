package dev.isthmus.internal;

import dev.isthmus.Tensor;

/**
 * Runs a jit cluster as one unit (docs/SCOPES.md jitScope rule 7). The graph executor hands each
 * cluster it meets to the installed runner once, when it plans a run ({@link #prepare}), and
 * calls the result at every run of that plan. The scopes module's runner executes the members
 * one by one with the ordinary kernels; the fusion compiler plugs in here.
 */
public interface ClusterRunner {
  /** Prepares {@code cluster} for execution; called once per plan and cluster. */
  Executable prepare(Cluster cluster);

  /** A prepared cluster. */
  interface Executable {
    /**
     * Computes the cluster's outputs from concrete {@code inputs} (in {@link Cluster#inputs()}
     * order); {@code outs} are the output specs the members' shape rules give for these inputs.
     * Errors name the member node that failed ({@link GraphAccess#atNode}).
     */
    Tensor[] run(Tensor[] inputs, TensorSpec[] outs);
  }
}
