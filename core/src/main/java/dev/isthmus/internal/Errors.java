package dev.isthmus.internal;

import dev.isthmus.FailedPreconditionException;
import dev.isthmus.InternalException;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.IsthmusException;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.ResourceExhaustedException;
import dev.isthmus.UnimplementedException;

/**
 * Errors re-raised with more context keep their type: a graph node's name, an async op's
 * provenance, a copy of a recorded error thrown again elsewhere.
 */
public final class Errors {
  private Errors() {}

  /** A new exception of {@code e}'s type with {@code message}, whose cause is {@code e}. */
  public static IsthmusException sameType(IsthmusException e, String message) {
    return switch (e) {
      case InvalidArgumentException x -> new InvalidArgumentException(message, x);
      case FailedPreconditionException x -> new FailedPreconditionException(message, x);
      case OutOfRangeException x -> new OutOfRangeException(message, x);
      case UnimplementedException x -> new UnimplementedException(message, x);
      case ResourceExhaustedException x -> new ResourceExhaustedException(message, x);
      case InternalException x -> new InternalException(message, x);
      default -> new IsthmusException(message, e);
    };
  }
}
