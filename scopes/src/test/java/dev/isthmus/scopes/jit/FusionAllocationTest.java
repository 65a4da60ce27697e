package dev.isthmus.scopes.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.Function;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.fusion.FusedKernels;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A hot fused cluster allocates per call its output and a small constant, never an
 * intermediate tensor (three of them here, 1 MB each) nor the boxed vectors of Vector API code
 * that C2 has not compiled into registers.
 */
class FusionAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void aHotClusterAllocatesItsOutputAndNoIntermediate() {
    if (!FusedKernels.enabled()) {
      return; // nothing is generated without the Vector API; the other tests run op by op
    }
    int n = 1 << 18; // 1 MB of floats: four chunks of rows
    Tensor[] in = {FusionRunnerTest.floats(31, n), FusionRunnerTest.floats(32, n),
        FusionRunnerTest.floats(33, n), FusionRunnerTest.floats(34, n)};
    float[] want = FusionRunnerTest.relu4(List.of(in)).get(0).toFloatArray();
    Function f = FusionRunnerTest.jit(FusionRunnerTest::relu4);
    FusionPlan p = FusionRunnerTest.planOf(f, in);
    assertEquals(1, p.steps().length, p.toString());
    FusedStep s = (FusedStep) p.steps()[0];
    assertTrue(s.kernel().awaitHot(true, 180, TimeUnit.SECONDS), () -> "not hot: " + s.kernel());
    int threads = Context.intraOpParallelism();
    Context.setIntraOpParallelism(1); // every chunk on this thread, so its counter sees them
    try {
      for (int i = 0; i < 300; i++) { // the engine's own code reaches C2 too
        f.callAll(in);
      }
      long best = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) {
          f.callAll(in);
        }
        best = Math.min(best, (THREADS.getCurrentThreadAllocatedBytes() - before) / 10);
      }
      long output = 4L * n;
      long slack = 8 * 1024; // the call's bookkeeping (about 750 bytes here): arrays, tensors
      long perCall = best;
      assertTrue(perCall < output + slack, () -> perCall + " bytes per call for an output of "
          + output + " bytes (slack " + slack + ")");
      assertArrayEquals(want, f.callAll(in).get(0).toFloatArray());
    } finally {
      Context.setIntraOpParallelism(threads);
    }
  }
}
