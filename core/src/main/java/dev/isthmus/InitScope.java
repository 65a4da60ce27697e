package dev.isthmus;

import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.EagerContext;
import dev.isthmus.internal.ExecutionContext;
import dev.isthmus.internal.Recording;
import java.util.List;

/**
 * The mechanics of {@code Scopes.initScope()} (TensorFlow's {@code tf.init_scope}); the rules
 * are in docs/SCOPES.md.
 *
 * <ol>
 *   <li>Executing eagerly, it only pauses gradient recording.
 *   <li>Otherwise it remembers the current name scope, finds the outermost context that is not
 *       building a function (walking this thread's context stack from the top; in graph mode
 *       with no graph pushed, the global default graph; else eager), and enters, in order: that
 *       context, the name scope (absolute), cleared control dependencies, and a pause of
 *       gradient recording. Closing leaves them in reverse order.
 * </ol>
 */
final class InitScope {
  private InitScope() {}

  static Scope enter() {
    ExecutionContext cur = ContextStack.current();
    if (cur.executingEagerly()) {
      return Recording.pause();
    }
    String scope = cur instanceof Graph.Context gc ? gc.graph().currentNameScope()
        : EagerNames.current();
    ExecutionContext outer = null;
    List<ExecutionContext> stack = ContextStack.snapshot();
    for (int i = stack.size() - 1; i >= 0; i--) {
      if (!stack.get(i).buildingFunction()) {
        outer = stack.get(i);
        break;
      }
    }
    if (outer == null) {
      if (ContextStack.graphMode()) {
        outer = ContextStack.globalGraph();
        if (outer.buildingFunction()) {
          throw new FailedPreconditionException(
              "initScope: the global graph is building a function.");
        }
      } else {
        outer = EagerContext.INSTANCE;
      }
    }
    Scope context = ContextStack.push(outer);
    Scope names = null;
    Scope control = null;
    try {
      if (outer instanceof Graph.Context oc) {
        names = oc.graph().nameScopeAbsolute(scope);
        control = oc.graph().controlDependencies(List.of(), true);
      } else {
        names = EagerNames.absolute(scope);
      }
    } catch (RuntimeException e) {
      closeAll(e, control, names, context);
      throw e;
    }
    Scope pause = Recording.pause();
    Scope n = names;
    Scope c = control;
    return () -> closeAll(null, pause, c, n, context);
  }

  private static void closeAll(RuntimeException pending, Scope... scopes) {
    RuntimeException first = pending;
    for (Scope s : scopes) {
      if (s == null) {
        continue;
      }
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else if (first != e) {
          first.addSuppressed(e);
        }
      }
    }
    if (pending == null && first != null) {
      throw first;
    }
  }
}
