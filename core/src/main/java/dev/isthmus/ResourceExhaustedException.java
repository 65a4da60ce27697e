package dev.isthmus;

/**
 * Memory for a tensor could not be had: the output is larger than the heap or the machine allows
 * (TensorFlow's {@code ResourceExhaustedError}, "OOM when allocating tensor"). The failed
 * allocation left nothing behind, so the program can go on with smaller work.
 */
public class ResourceExhaustedException extends IsthmusException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public ResourceExhaustedException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public ResourceExhaustedException(String message, Throwable cause) {
    super(message, cause);
  }
}
