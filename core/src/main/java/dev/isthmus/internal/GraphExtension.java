package dev.isthmus.internal;

/**
 * A module that extends graph building and execution, found with {@link java.util.ServiceLoader}
 * when the graph engine starts: the scopes module's jit (node hook, clustering pass, cluster
 * runner) installs itself this way, so {@code Function.builder().jitCompile(true)} and
 * {@code Context.setGlobalJit(true)} work without the user touching the scopes module first.
 */
public interface GraphExtension {
  /** Registers the extension's hooks; called once per provider, while the engine starts. */
  void install(GraphAccess access);
}
