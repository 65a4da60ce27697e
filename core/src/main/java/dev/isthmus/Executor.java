package dev.isthmus;

/**
 * The executor ops of this thread run on (TensorFlow's {@code context.executor}): synchronous
 * by default, asynchronous inside {@code Scopes.asyncScope()}. {@link Context#executor()} returns
 * the current one.
 */
public interface Executor {
  /**
   * Waits until every op issued on this thread has run; throws the first deferred error, if any,
   * leaving it recorded (TensorFlow's {@code async_wait}). Does nothing when synchronous.
   */
  void waitForPending();

  /**
   * Waits for pending ops, then forgets the recorded error so later ops run normally
   * (TensorFlow's {@code async_clear_error}). Does nothing when synchronous.
   */
  void clearError();

  /** True when ops issued on this thread return before they have run. */
  boolean isAsync();
}
