package dev.isthmus;

/** An iterator or index ran past its end (TensorFlow's {@code OutOfRangeError}). */
public class OutOfRangeException extends IsthmusException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public OutOfRangeException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public OutOfRangeException(String message, Throwable cause) {
    super(message, cause);
  }
}
