package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.GradientSupport;
import dev.isthmus.internal.OpDef;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Reverse-mode differentiation over a list of recorded ops, shared by {@link GradientTape}
 * (ops it saw execute, or saw added to a graph) and {@link Ops#gradients} (a graph's nodes). It
 * reads each op's gradient rule from its one declaration and builds the gradient from ops, so
 * the same code gives eager values or graph nodes depending on where it runs.
 */
final class Backprop {
  private static final ThreadLocal<Operation[]> FORWARD = ThreadLocal.withInitial(() -> new Operation[1]);
  // the name scope of the gradient computation in progress (jitScope rule 5 names scopes by it)
  private static final ThreadLocal<String[]> SCOPE = ThreadLocal.withInitial(() -> new String[1]);

  private Backprop() {}

  /** One recorded op application. {@code node} is its graph node, or null when eager. */
  record Entry(OpDef def, Tensor[] inputs, Attrs attrs, Tensor[] outputs, Operation node) {}

  /** The forward node whose gradient is being built on this thread now, or null. */
  static Operation currentForward() {
    return FORWARD.get()[0];
  }

  /** The name scope the gradient computation in progress on this thread started in, or null. */
  static String currentScope() {
    return SCOPE.get()[0];
  }

  /**
   * The gradients of the sum of {@code targets} (each weighted by {@code targetGrads[i]}, ones
   * when null) with respect to {@code sources}; {@code null} for an unconnected source unless
   * {@code zeros}. When {@code perOpScopes}, each op's gradient nodes are built under the name
   * scope {@code <forward node name>_grad}.
   */
  static Tensor[] gradients(List<Entry> entries, Tensor[] targets, Tensor[] targetGrads,
      Tensor[] sources, boolean zeros, boolean perOpScopes) {
    // which tensors depend on a source: only those ops need a gradient rule
    IdentityHashMap<Tensor, Boolean> reach = new IdentityHashMap<>();
    for (Tensor s : sources) {
      reach.put(s, true);
    }
    boolean[] relevant = new boolean[entries.size()];
    for (int e = 0; e < entries.size(); e++) {
      Entry en = entries.get(e);
      for (Tensor in : en.inputs()) {
        if (in != null && reach.containsKey(in)) {
          relevant[e] = true;
          break;
        }
      }
      if (relevant[e]) {
        for (Tensor out : en.outputs()) {
          if (out.dtype().isFloating()) {
            reach.put(out, true);
          }
        }
      }
    }
    IdentityHashMap<Tensor, List<Tensor>> grads = new IdentityHashMap<>();
    for (int i = 0; i < targets.length; i++) {
      Tensor t = targets[i];
      Tensor g = targetGrads != null && targetGrads[i] != null ? targetGrads[i] : Ops.onesLike(t);
      if (!g.dtype().equals(t.dtype()) || !g.shape().equals(t.shape())) {
        throw new InvalidArgumentException(
            "gradients: the gradient given for target #" + i + " is " + g.describe()
                + "; expected " + t.describe() + " like the target");
      }
      grads.computeIfAbsent(t, k -> new ArrayList<>()).add(g);
    }
    Operation[] forward = FORWARD.get();
    Operation savedForward = forward[0];
    String[] gradScope = SCOPE.get();
    String savedScope = gradScope[0];
    gradScope[0] = Context.currentNameScope();
    try {
      for (int e = entries.size() - 1; e >= 0; e--) {
        if (!relevant[e]) {
          continue;
        }
        Entry en = entries.get(e);
        Tensor[] outs = en.outputs();
        boolean any = false;
        for (Tensor o : outs) {
          if (grads.containsKey(o)) {
            any = true;
            break;
          }
        }
        if (!any) {
          continue;
        }
        forward[0] = en.node();
        Scope scope = perOpScopes && en.node() != null
            ? Ops.nameScope(en.node().name() + "_grad") : null;
        try {
          Tensor[] upstream = new Tensor[outs.length];
          for (int k = 0; k < outs.length; k++) {
            List<Tensor> gs = grads.get(outs[k]);
            // graph ops (calls, control flow) take null for an output without a gradient: a
            // call with intermediates has hundreds of outputs nobody differentiates
            upstream[k] = gs != null ? sum(gs)
                : outs[k].dtype().isFloating() && !en.def().is(OpDef.Flag.GRAPH)
                    ? Ops.zerosLike(outs[k]) : null;
          }
          Tensor[] in = en.inputs();
          boolean[] needed = new boolean[in.length];
          for (int i = 0; i < in.length; i++) {
            needed[i] = in[i] != null && reach.containsKey(in[i]);
          }
          boolean[] prevNeeded = GradientSupport.enterNeeded(needed);
          Tensor[] ig;
          try {
            ig = en.def().gradient().apply(in, outs, upstream, en.attrs());
          } finally {
            GradientSupport.restoreNeeded(prevNeeded);
          }
          if (ig.length != in.length) {
            throw new InternalException("gradient of " + en.def().name() + " returned "
                + ig.length + " gradients for " + in.length + " inputs");
          }
          for (int i = 0; i < in.length; i++) {
            if (ig[i] == null || !reach.containsKey(in[i])) {
              continue;
            }
            if (ig[i].dtype() != in[i].dtype() || !ig[i].shape().equals(in[i].shape())) {
              throw new InternalException("gradient of " + en.def().name() + " for input #" + i
                  + " is " + ig[i].describe() + "; expected " + in[i].describe());
            }
            grads.computeIfAbsent(in[i], k -> new ArrayList<>()).add(ig[i]);
          }
        } finally {
          if (scope != null) {
            scope.close();
          }
        }
      }
    } finally {
      forward[0] = savedForward;
      gradScope[0] = savedScope;
    }
    Tensor[] result = new Tensor[sources.length];
    for (int i = 0; i < sources.length; i++) {
      List<Tensor> gs = grads.get(sources[i]);
      result[i] = gs != null ? sum(gs) : zeros ? Ops.zerosLike(sources[i]) : null;
    }
    return result;
  }

  private static Tensor sum(List<Tensor> gs) {
    Tensor s = gs.get(0);
    for (int i = 1; i < gs.size(); i++) {
      s = Ops.add(s, gs.get(i));
    }
    if (gs.size() > 1) { // keep the sum for the next reader
      gs.clear();
      gs.add(s);
    }
    return s;
  }
}
