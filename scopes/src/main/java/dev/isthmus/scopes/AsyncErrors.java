package dev.isthmus.scopes;

import dev.isthmus.IsthmusException;
import dev.isthmus.internal.Errors;

/** Deferred errors keep their type and gain where they came from. */
final class AsyncErrors {
  private AsyncErrors() {}

  static IsthmusException withContext(IsthmusException e, String context) {
    return Errors.sameType(e, e.getMessage() + "\n\t" + context);
  }

  /**
   * The recorded error thrown again elsewhere (at a later dispatch, a read, a wait): a new
   * exception of the same type and message whose cause is the recorded one. Never the same
   * instance twice, so try-with-resources can attach the barrier's error to a body that threw.
   */
  static IsthmusException rethrown(IsthmusException recorded) {
    return Errors.sameType(recorded, recorded.getMessage());
  }
}
