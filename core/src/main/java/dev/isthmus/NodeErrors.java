package dev.isthmus;

/** Adds the failing node to an error raised while a graph runs, keeping its type. */
final class NodeErrors {
  private NodeErrors() {}

  static IsthmusException atNode(IsthmusException e, Operation o) {
    String msg = e.getMessage() + "\n\t [[node " + o.name() + " (" + o.type() + ") in graph '"
        + o.graph().name() + "']]";
    return switch (e) {
      case InvalidArgumentException x -> new InvalidArgumentException(msg, x);
      case FailedPreconditionException x -> new FailedPreconditionException(msg, x);
      case OutOfRangeException x -> new OutOfRangeException(msg, x);
      case UnimplementedException x -> new UnimplementedException(msg, x);
      case ResourceExhaustedException x -> new ResourceExhaustedException(msg, x);
      case InternalException x -> new InternalException(msg, x);
      default -> new IsthmusException(msg, e);
    };
  }
}
