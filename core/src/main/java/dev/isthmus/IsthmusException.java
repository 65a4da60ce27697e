package dev.isthmus;

/**
 * The root of every error isthmus throws, as TensorFlow's {@code tf.errors.OpError}. Unchecked:
 * errors are data, with the op, its inputs' shapes and dtypes, and what was expected in the
 * message.
 */
public class IsthmusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public IsthmusException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public IsthmusException(String message, Throwable cause) {
    super(message, cause);
  }
}
