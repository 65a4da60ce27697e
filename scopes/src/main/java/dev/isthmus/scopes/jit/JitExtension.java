package dev.isthmus.scopes.jit;

import dev.isthmus.internal.GraphAccess;
import dev.isthmus.internal.GraphExtension;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plugs the jit into the graph engine (found by {@link java.util.ServiceLoader} when the engine
 * starts): the node hook that records the jit attributes ({@link JitScopes#mark}), the
 * clustering pass run when a graph is finalized ({@link Clustering#run}), and the runner that
 * executes clusters ({@link FusionRunner}: the fusion compiler, op by op where it does not
 * apply). Installs once, whoever asks first.
 */
public final class JitExtension implements GraphExtension {
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** The service provider; see the class comment. */
  public JitExtension() {}

  @Override
  public void install(GraphAccess access) {
    if (INSTALLED.compareAndSet(false, true)) {
      access.addNodeHook(JitScopes::mark);
      access.addGraphPass(Clustering::run);
      access.setClusterRunner(new FusionRunner());
    }
  }

  /** Installs the jit unless the service loader already did (an unusual class path). */
  static void ensureInstalled() {
    new JitExtension().install(GraphAccess.get());
  }
}
