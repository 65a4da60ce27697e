package dev.isthmus.internal;

import dev.isthmus.InternalException;
import dev.isthmus.Scope;
import java.util.ArrayList;

/**
 * The thread-local stack of execution contexts (DESIGN principle 4). The bottom is implicit: the
 * eager context. Pushes return a {@link Scope} whose close pops exactly that entry, so
 * try-with-resources keeps the stack balanced even on exceptions.
 */
public final class ContextStack {
  private static final ThreadLocal<ArrayList<ExecutionContext>> STACK =
      ThreadLocal.withInitial(ArrayList::new);

  private ContextStack() {}

  /** The context ops go to on this thread now. */
  public static ExecutionContext current() {
    ArrayList<ExecutionContext> s = STACK.get();
    return s.isEmpty() ? EagerContext.INSTANCE : s.getLast();
  }

  /** Makes {@code c} current until the returned scope is closed. */
  public static Scope push(ExecutionContext c) {
    ArrayList<ExecutionContext> s = STACK.get();
    s.add(c);
    int depth = s.size();
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        if (s.size() != depth || s.getLast() != c) {
          throw new InternalException(
              "scopes closed out of order: expected to leave " + c + " at depth " + depth
                  + " but the stack has depth " + s.size());
        }
        closed = true;
        s.removeLast();
      }
    };
  }

  /** A snapshot of this thread's stack, bottom first (without the implicit eager bottom). */
  public static java.util.List<ExecutionContext> snapshot() {
    return java.util.List.copyOf(STACK.get());
  }
}
