package dev.isthmus;

/** The system is not in a state the operation needs, such as reading a symbolic tensor's values (TensorFlow's {@code FailedPreconditionError}). */
public class FailedPreconditionException extends IsthmusException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public FailedPreconditionException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public FailedPreconditionException(String message, Throwable cause) {
    super(message, cause);
  }
}
