package dev.isthmus.scopes.jit;

import dev.isthmus.kernels.fusion.CompiledKernel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The generated kernels the jit has used (weakly held: {@code FusedKernels.clearCache} lets
 * them go), and a wait for them to be hot, for tests and benchmarks that must measure the
 * generated code rather than the cold path.
 */
public final class JitKernels {
  private static final Set<CompiledKernel> SEEN =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private JitKernels() {}

  /** Records {@code k}; true if the jit had not used it before. */
  static boolean add(CompiledKernel k) {
    return SEEN.add(k);
  }

  /**
   * Waits until every kernel the jit has used runs generated code (C2 has compiled it; see
   * {@link CompiledKernel#awaitHot}), starting the warm-up of those not yet warming. False if
   * one was not hot in time or failed to warm.
   */
  public static boolean awaitHot(long timeout, TimeUnit unit) {
    long end = System.nanoTime() + unit.toNanos(timeout);
    List<CompiledKernel> all;
    synchronized (SEEN) {
      all = new ArrayList<>(SEEN);
    }
    for (CompiledKernel k : all) {
      if (!k.awaitHot(true, Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }
}
