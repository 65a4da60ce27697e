package dev.isthmus;

import dev.isthmus.internal.ContextStack;

/** The current thread's execution state, as TensorFlow's {@code tf.executing_eagerly} and friends. */
public final class Context {
  private Context() {}

  /** True when ops run now (eager), false while a graph is being built (tf.executing_eagerly). */
  public static boolean executingEagerly() {
    return ContextStack.current().executingEagerly();
  }
}
