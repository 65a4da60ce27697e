package dev.isthmus;

/** A broken invariant inside isthmus: a bug to report (TensorFlow's {@code InternalError}). */
public class InternalException extends IsthmusException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public InternalException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public InternalException(String message, Throwable cause) {
    super(message, cause);
  }
}
