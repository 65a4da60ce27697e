/**
 * isthmus core: tensors, the op registry, and execution.
 *
 * <p>{@code dev.isthmus} is the public API. {@code dev.isthmus.internal} holds the op
 * declarations and the dispatch machinery; it is exported only to isthmus's own modules.
 */
module dev.isthmus {
  requires transitive dev.isthmus.kernels;
  exports dev.isthmus;
  exports dev.isthmus.internal to dev.isthmus.scopes, dev.isthmus.testkit, dev.isthmus.bench;
  uses dev.isthmus.internal.GraphExtension;
}
