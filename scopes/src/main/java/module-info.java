/**
 * The three scopes: {@code Scopes.initScope()}, {@code Scopes.jitScope(...)} and
 * {@code Scopes.asyncScope()}. The module sees core's internals through core's qualified
 * exports, and plugs its jit (node marks, clustering, cluster execution) into the graph engine
 * as a {@code GraphExtension} service.
 */
module dev.isthmus.scopes {
  requires transitive dev.isthmus;
  exports dev.isthmus.scopes;
  provides dev.isthmus.internal.GraphExtension with dev.isthmus.scopes.jit.JitExtension;
}
