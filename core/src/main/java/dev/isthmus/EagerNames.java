package dev.isthmus;

/**
 * The name scope of the thread's eager context (TensorFlow tracks one while executing eagerly
 * too): ops executed eagerly are not named, but {@code initScope} re-enters it and
 * {@link Context#currentNameScope()} reports it. Scopes nest without being made unique.
 */
final class EagerNames {
  private static final ThreadLocal<String[]> SCOPE = ThreadLocal.withInitial(() -> new String[] {""});

  private EagerNames() {}

  static String current() {
    return SCOPE.get()[0];
  }

  static Scope enter(String name) {
    String[] cell = SCOPE.get();
    String old = cell[0];
    String next;
    if (name == null || name.isEmpty()) {
      next = "";
    } else if (name.endsWith("/")) {
      next = name.substring(0, name.length() - 1);
      Graph.checkScopeName(next, !old.isEmpty());
    } else {
      Graph.checkScopeName(name, !old.isEmpty());
      next = old.isEmpty() ? name : old + "/" + name;
    }
    return set(cell, old, next);
  }

  static Scope absolute(String scope) {
    String[] cell = SCOPE.get();
    return set(cell, cell[0], scope);
  }

  private static Scope set(String[] cell, String old, String next) {
    cell[0] = next;
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          cell[0] = old;
        }
      }
    };
  }
}
