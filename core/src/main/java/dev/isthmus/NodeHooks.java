package dev.isthmus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Callbacks run on each graph node as it is created, before anyone else sees it: the scopes
 * module records jit attributes this way. Registered through
 * {@link dev.isthmus.internal.GraphAccess}.
 */
final class NodeHooks {
  private static final List<Consumer<Operation>> HOOKS = new CopyOnWriteArrayList<>();

  private NodeHooks() {}

  static void add(Consumer<Operation> hook) {
    HOOKS.add(hook);
  }

  static void created(Operation o) {
    for (Consumer<Operation> h : HOOKS) {
      h.accept(o);
    }
  }
}
