package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.EagerContext;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.Recording;
import dev.isthmus.internal.TensorSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Gradients of the ops that run other graphs: calls of traced functions, {@code If} and
 * {@code While}. All three come down to one vector-Jacobian product of a function graph
 * ({@link #vjp}), which runs the backprop engine over the graph's nodes with their values.
 *
 * <ul>
 *   <li>A call recorded by a tape was made to a variant of the function that also returns every
 *       intermediate value ({@link ConcreteFunction#withIntermediates()}), so its gradient reads
 *       the forward values and runs nothing twice. A call built without a tape watching (a call
 *       node in a graph differentiated later by {@link Ops#gradients}) is replayed: its forward
 *       nodes are recomputed from the call's inputs in the gradient. Replaying needs the
 *       function to have no side effects; a function that updates variables or reads an
 *       iterator gets an {@link UnimplementedException} saying so.
 *   <li>{@code If}: a cond over the same predicate whose branches are the gradients of each
 *       branch (replayed).
 *   <li>{@code While}: one {@code WhileGrad} node that, when it runs, repeats the loop keeping
 *       each iteration's loop vars, then walks back through the iterations with the body's
 *       gradient. Loops with side effects are refused like calls.
 * </ul>
 */
final class FunctionGradients {
  private FunctionGradients() {}

  /**
   * The gradients of {@code f}'s outputs, weighted by {@code ups} (null: that output has no
   * gradient), with respect to each of its inputs (arguments then captured values), given the
   * input values {@code vals}. {@code known} gives the value of every node output of f's graph
   * (a call with intermediates), or is null to recompute them here.
   */
  static Tensor[] vjp(ConcreteFunction f, Tensor[] vals, Tensor[] ups,
      IdentityHashMap<Tensor, Tensor> known) {
    return vjp(f, vals, f.outputs(), ups, known);
  }

  /** {@link #vjp} with upstream gradients for any tensors of f's graph ({@code ofTensors}). */
  static Tensor[] vjp(ConcreteFunction f, Tensor[] vals, List<Tensor> ofTensors, Tensor[] ups,
      IdentityHashMap<Tensor, Tensor> known) {
    List<Tensor> phs = new ArrayList<>(f.inputs());
    phs.addAll(f.capturePlaceholders());
    IdentityHashMap<Tensor, Tensor> env = new IdentityHashMap<>();
    for (int i = 0; i < vals.length; i++) {
      env.put(phs.get(i), vals[i]);
    }
    List<Backprop.Entry> entries = new ArrayList<>();
    for (Operation o : f.graph().operations()) {
      if (o.def() == GraphOps.PLACEHOLDER) {
        continue;
      }
      Tensor[] ins = new Tensor[o.inputArray().length];
      for (int i = 0; i < ins.length; i++) {
        ins[i] = env.get(o.inputArray()[i]);
      }
      Tensor[] outs = new Tensor[o.outputArray().length];
      if (known != null) {
        for (int k = 0; k < outs.length; k++) {
          outs[k] = known.get(o.outputArray()[k]);
        }
      } else {
        if (o.def().is(OpDef.Flag.STATEFUL) && o.def() != VariableOps.READ) {
          throw new UnimplementedException("gradient of function " + f.name() + ": its node '"
              + o.name() + "' (" + o.type() + ") has side effects, and a gradient built after "
              + "the call would run it again. Record the call on a GradientTape instead (the "
              + "tape keeps the forward values), or move the side effect out of the function");
        }
        outs = Dispatch.run(o.def(), o.attrs(), ins);
      }
      for (int k = 0; k < outs.length; k++) {
        env.put(o.outputArray()[k], outs[k]);
      }
      entries.add(new Backprop.Entry(o.def(), ins, o.attrs(), outs, null));
    }
    List<Tensor> targets = new ArrayList<>();
    List<Tensor> grads = new ArrayList<>();
    for (int i = 0; i < ups.length; i++) {
      if (ups[i] != null) {
        targets.add(env.get(ofTensors.get(i)));
        grads.add(ups[i]);
      }
    }
    if (targets.isEmpty()) {
      return new Tensor[vals.length];
    }
    Tensor[] g = Backprop.gradients(entries, targets.toArray(new Tensor[0]),
        grads.toArray(new Tensor[0]), vals, false, false);
    // one tensor given for several inputs has one total gradient: give it to the first of them
    // only, since the caller adds up the gradients of the inputs that are the same tensor
    for (int i = 1; i < vals.length; i++) {
      for (int j = 0; j < i; j++) {
        if (vals[j] == vals[i]) {
          g[i] = null;
          break;
        }
      }
    }
    return g;
  }

  // ---------------------------------------------------------------- calls

  /** The gradient rule of PartitionedCall and StatefulPartitionedCall. */
  static Tensor[] callGradient(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    ConcreteFunction f = (ConcreteFunction) a.getObject("f");
    ConcreteFunction base = f.base();
    if (f == base) {
      return vjp(base, in, firstPositionsOnly(up, out), null);
    }
    // a variant: every node's value is known, and an intermediate may have a gradient of its
    // own (an outer tape differentiating an inner tape's gradient, which used it)
    IdentityHashMap<Tensor, Tensor> known = new IdentityHashMap<>();
    List<Tensor> all = f.outputs();
    for (int i = 0; i < all.size(); i++) {
      known.put(all.get(i), out[i]);
    }
    return vjp(base, in, all, firstPositionsOnly(up, out), known);
  }

  /**
   * Outputs that are one value (an output that is also an argument, say) got one summed
   * upstream from the engine, once per position: keep it at the first position only.
   */
  private static Tensor[] firstPositionsOnly(Tensor[] up, Tensor[] out) {
    Tensor[] ups = up.clone();
    IdentityHashMap<Tensor, Boolean> first = new IdentityHashMap<>();
    for (int i = 0; i < ups.length; i++) {
      if (first.put(out[i], true) != null) {
        ups[i] = null;
      }
    }
    return ups;
  }

  // ---------------------------------------------------------------- If

  /** The gradient rule of If and StatelessIf. */
  static Tensor[] ifGradient(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    ConcreteFunction then = (ConcreteFunction) a.getObject("then_branch");
    ConcreteFunction other = (ConcreteFunction) a.getObject("else_branch");
    int[] thenMap = (int[]) a.getObject("then_captures");
    int[] elseMap = (int[]) a.getObject("else_captures");
    List<Integer> floats = new ArrayList<>(); // input positions (after cond) with gradients
    for (int i = 1; i < in.length; i++) {
      if (in[i].dtype().isFloating()) {
        floats.add(i);
      }
    }
    Tensor[] result = new Tensor[in.length];
    if (floats.isEmpty()) {
      return result;
    }
    List<Tensor> g = Ops.condList(in[0], () -> branch(then, thenMap, in, up, floats),
        () -> branch(other, elseMap, in, up, floats));
    for (int j = 0; j < floats.size(); j++) {
      result[floats.get(j)] = g.get(j);
    }
    return result;
  }

  private static List<Tensor> branch(ConcreteFunction f, int[] map, Tensor[] in, Tensor[] up,
      List<Integer> floats) {
    Tensor[] vals = new Tensor[map.length];
    for (int k = 0; k < map.length; k++) {
      vals[k] = in[1 + map[k]];
    }
    Tensor[] g = vjp(f, vals, up, null);
    Tensor[] sum = new Tensor[in.length];
    for (int k = 0; k < map.length; k++) {
      int pos = 1 + map[k];
      if (g[k] != null) {
        sum[pos] = sum[pos] == null ? g[k] : Ops.add(sum[pos], g[k]);
      }
    }
    List<Tensor> out = new ArrayList<>();
    for (int pos : floats) {
      out.add(sum[pos] != null ? sum[pos] : Ops.zerosLike(in[pos]));
    }
    return out;
  }

  // ---------------------------------------------------------------- While

  /** The gradient rule of While and StatelessWhile: one WhileGrad node. */
  static Tensor[] whileGradient(Tensor[] in, Tensor[] out, Tensor[] up, Attrs a) {
    int n = out.length;
    Tensor[] args = new Tensor[in.length + n];
    System.arraycopy(in, 0, args, 0, in.length);
    for (int i = 0; i < n; i++) {
      args[in.length + i] = up[i] != null ? up[i]
          : out[i].dtype().isFloating() ? Ops.zerosLike(out[i]) : out[i];
    }
    Tensor[] g = Dispatch.run(WHILE_GRAD, a, args);
    Tensor[] result = new Tensor[in.length];
    for (int i = 0; i < in.length; i++) {
      result[i] = in[i].dtype().isFloating() ? g[i] : null;
    }
    return result;
  }

  /**
   * The gradient of a While for its inputs: inputs are the While's inputs (loop vars, then
   * captured values) and the gradients of its outputs; attrs are the While's. Outputs one
   * gradient per While input (zeros for non-floating inputs).
   */
  static final OpDef WHILE_GRAD = OpDef.builder("WhileGrad")
      .variadicInputs("input")
      .flags(OpDef.Flag.GRAPH)
      .shape((d, in, a) -> {
        if (!(a.has("body") && a.getObject("body") instanceof ConcreteFunction body)) {
          throw d.invalid(in, a, "expected the While's attributes (body, cond, captures)");
        }
        int n = body.inputs().size();
        int m = in.length - 2 * n;
        if (m < 0) {
          throw d.invalid(in, a, "expected the While's inputs, then one gradient per loop var");
        }
        TensorSpec[] outs = new TensorSpec[n + m];
        for (int i = 0; i < n + m; i++) {
          outs[i] = new TensorSpec(in[i].dtype(), in[i].shape());
        }
        return outs;
      })
      .kernel(FunctionGradients::whileGradKernel)
      .build();

  private static Tensor[] whileGradKernel(Tensor[] in, Attrs a, TensorSpec[] outs) {
    ConcreteFunction cond = (ConcreteFunction) a.getObject("cond");
    ConcreteFunction body = (ConcreteFunction) a.getObject("body");
    int[] condMap = (int[]) a.getObject("cond_captures");
    int[] bodyMap = (int[]) a.getObject("body_captures");
    boolean limited = a.has("maximum_iterations");
    long max = limited ? a.getInt("maximum_iterations") : 0;
    int n = body.inputs().size();
    int m = outs.length - n;
    try (Scope eager = ContextStack.push(EagerContext.INSTANCE);
        Scope quiet = Recording.pause()) {
      // forward again, keeping each iteration's loop vars
      List<Tensor[]> history = new ArrayList<>();
      Tensor[] vars = java.util.Arrays.copyOf(in, n);
      for (long i = 0; ; i++) {
        Tensor[] condIn = args(vars, in, n, condMap);
        if (!cond.execute(condIn)[0].getBoolean() || (limited && i >= max)) {
          break;
        }
        history.add(vars);
        vars = body.execute(args(vars, in, n, bodyMap));
      }
      // backward through the iterations
      Tensor[] gVars = java.util.Arrays.copyOfRange(in, n + m, n + m + n);
      Tensor[] gIn = new Tensor[n + m];
      for (int t = history.size() - 1; t >= 0; t--) {
        Tensor[] vals = args(history.get(t), in, n, bodyMap);
        Tensor[] ups = new Tensor[n];
        for (int i = 0; i < n; i++) {
          ups[i] = gVars[i].dtype().isFloating() ? gVars[i] : null;
        }
        Tensor[] g = vjp(body, vals, ups, null);
        for (int i = 0; i < n; i++) {
          gVars[i] = g[i] != null ? g[i]
              : gVars[i].dtype().isFloating() ? Ops.zerosLike(gVars[i]) : gVars[i];
        }
        for (int k = 0; k < bodyMap.length; k++) {
          Tensor gk = g[n + k];
          int pos = n + bodyMap[k];
          if (gk != null) {
            gIn[pos] = gIn[pos] == null ? gk : Ops.add(gIn[pos], gk);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        gIn[i] = gVars[i];
      }
      for (int i = 0; i < n + m; i++) {
        if (gIn[i] == null || !gIn[i].dtype().isFloating()) {
          gIn[i] = Ops.zeros(outs[i].dtype(), outs[i].shape().dims());
        }
      }
      return gIn;
    }
  }

  private static Tensor[] args(Tensor[] vars, Tensor[] in, int n, int[] map) {
    Tensor[] r = new Tensor[n + map.length];
    System.arraycopy(vars, 0, r, 0, n);
    for (int k = 0; k < map.length; k++) {
      r[n + k] = in[n + map[k]];
    }
    return r;
  }
}
