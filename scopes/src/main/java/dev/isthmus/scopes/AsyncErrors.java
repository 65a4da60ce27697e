package dev.isthmus.scopes;

import dev.isthmus.FailedPreconditionException;
import dev.isthmus.InternalException;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.IsthmusException;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.ResourceExhaustedException;
import dev.isthmus.UnimplementedException;

/** Deferred errors keep their type and gain where they came from. */
final class AsyncErrors {
  private AsyncErrors() {}

  static IsthmusException withContext(IsthmusException e, String context) {
    return copy(e, e.getMessage() + "\n\t" + context);
  }

  /**
   * The recorded error thrown again elsewhere (at a later dispatch, a read, a wait): a new
   * exception of the same type and message whose cause is the recorded one. Never the same
   * instance twice, so try-with-resources can attach the barrier's error to a body that threw.
   */
  static IsthmusException rethrown(IsthmusException recorded) {
    return copy(recorded, recorded.getMessage());
  }

  private static IsthmusException copy(IsthmusException e, String msg) {
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
