/**
 * The three scopes: initScope, jitScope and asyncScope. They arrive with the graph, jit and
 * async work; until then this module only fixes its place in the layering (it sees core's
 * internals through core's qualified exports).
 */
module dev.isthmus.scopes {
  requires transitive dev.isthmus;
}
