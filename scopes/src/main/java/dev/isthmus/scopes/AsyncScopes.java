package dev.isthmus.scopes;

import dev.isthmus.Context;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.IsthmusException;
import dev.isthmus.Scope;
import dev.isthmus.internal.ContextStack;

/**
 * Entering and leaving async scopes: one executor per thread, shared by nested scopes, started
 * by the outermost scope and stopped (its consumer thread joined) when that scope closes.
 */
final class AsyncScopes {
  /** Default bound of queued ops: about 16K entries, a few MB of bookkeeping. */
  static final int DEFAULT_MAX_IN_FLIGHT = 16_384;

  private static final ThreadLocal<State> STATE = new ThreadLocal<>();

  private AsyncScopes() {}

  private static final class State {
    final AsyncExecutor executor;
    final Scope pushed;
    int depth;

    State(AsyncExecutor executor, Scope pushed) {
      this.executor = executor;
      this.pushed = pushed;
    }
  }

  static Scope enter(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new InvalidArgumentException(
          "asyncScope: maxInFlight is " + maxInFlight + "; expected at least 1");
    }
    if (!ContextStack.current().executingEagerly()) {
      // building a graph: ops are recorded, not run; the scope changes nothing
      return () -> { };
    }
    State st = STATE.get();
    if (st == null) {
      AsyncExecutor ex = new AsyncExecutor(maxInFlight);
      Scope pushed;
      try {
        pushed = ContextStack.push(ex);
      } catch (RuntimeException e) {
        ex.shutdown();
        throw e;
      }
      st = new State(ex, pushed);
      STATE.set(st);
    }
    st.depth++;
    State state = st;
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        IsthmusException e;
        try {
          e = state.executor.barrier();
        } finally {
          if (--state.depth == 0) {
            STATE.remove();
            try {
              state.executor.shutdown();
            } finally {
              state.pushed.close();
            }
          }
        }
        if (e != null) {
          throw e;
        }
      }
    };
  }

  static void clearError() {
    Context.executor().clearError();
  }
}
