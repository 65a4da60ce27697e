/**
 * The three scopes: {@code Scopes.initScope()} now; jitScope and asyncScope arrive with the jit
 * and async work. The module sees core's internals through core's qualified exports.
 */
module dev.isthmus.scopes {
  requires transitive dev.isthmus;
  exports dev.isthmus.scopes;
}
