package dev.isthmus;

/** Bad shapes, dtypes, axes, indices or values given to an op (TensorFlow's {@code InvalidArgumentError}). */
public class InvalidArgumentException extends IsthmusException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public InvalidArgumentException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
