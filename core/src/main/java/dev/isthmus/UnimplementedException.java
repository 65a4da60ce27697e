package dev.isthmus;

/** An operation that isthmus does not implement, such as a gradient rule an op lacks (TensorFlow's {@code UnimplementedError}). */
public class UnimplementedException extends IsthmusException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public UnimplementedException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public UnimplementedException(String message, Throwable cause) {
    super(message, cause);
  }
}
