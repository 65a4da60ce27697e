package dev.isthmus;

/**
 * A scope entered now and left by {@link #close()}, for try-with-resources. Closing twice is
 * harmless; closing scopes out of order is an error.
 */
@FunctionalInterface
public interface Scope extends AutoCloseable {
  /** Leaves the scope. Throws no checked exception. */
  @Override
  void close();
}
