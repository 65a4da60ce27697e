package dev.isthmus;

import dev.isthmus.internal.Errors;

/** Adds the failing node to an error raised while a graph runs, keeping its type. */
final class NodeErrors {
  private NodeErrors() {}

  static IsthmusException atNode(IsthmusException e, Operation o) {
    return Errors.sameType(e, e.getMessage() + "\n\t [[node " + o.name() + " (" + o.type()
        + ") in graph '" + o.graph().name() + "']]");
  }
}
