package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.Recording;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records ops for automatic differentiation (TensorFlow's {@code tf.GradientTape}).
 *
 * <pre>{@code
 * Variable w = Variable.of(Tensor.of(new float[] {1, 2}, 2));
 * GradientTape tape = GradientTape.open();
 * Tensor loss;
 * try (tape) {
 *   loss = Ops.reduceSum(Ops.square(w.read()));
 * }
 * Tensor dw = tape.gradient(loss, w);   // 2 * w
 * }</pre>
 *
 * <p>While open and recording, the tape records every op of this thread that reads a watched
 * tensor: those passed to {@link #watch}, reads of watched variables (every trainable variable
 * it sees read, unless built with {@code watchAccessedVariables(false)}), and the results of
 * recorded ops. It records eager ops as they run and graph ops as they are added (a tape inside
 * a {@link Function} gives symbolic gradients). {@link #gradient} then runs each recorded op's
 * gradient rule backwards.
 *
 * <p>Rules as TensorFlow: a target that is not a scalar is summed; a source the target does not
 * depend on gets {@code null} ({@link UnconnectedGradients#NONE}) or zeros; a non-persistent tape
 * computes one set of gradients only; tapes nest, and an outer tape records the gradient ops of
 * an inner one, which gives higher derivatives; {@link #stopRecording()} and
 * {@code Scopes.initScope()} pause recording. Only floating-point tensors carry gradients.
 * Variables read inside a Function called from outside the tape are not seen by the tape (use
 * the tape inside the function).
 */
public final class GradientTape implements AutoCloseable {
  private static final ThreadLocal<ArrayList<GradientTape>> ACTIVE =
      ThreadLocal.withInitial(ArrayList::new);

  static {
    Recording.install(GradientTape::recordAll);
  }

  private final boolean persistent;
  private final boolean watchAccessedVariables;
  private final Thread owner = Thread.currentThread();
  private final ArrayList<Backprop.Entry> entries = new ArrayList<>();
  private final IdentityHashMap<Tensor, Boolean> watched = new IdentityHashMap<>();
  private final IdentityHashMap<Variable, Boolean> watchedVariables = new IdentityHashMap<>();
  private final Map<Variable, List<Tensor>> variableReads = new LinkedHashMap<>();
  private boolean open = true;
  private int stopped; // open stopRecording scopes
  private boolean computing; // inside this tape's own gradient(): do not record
  private boolean used;

  private GradientTape(boolean persistent, boolean watchAccessedVariables) {
    this.persistent = persistent;
    this.watchAccessedVariables = watchAccessedVariables;
    ACTIVE.get().add(this);
    Recording.tapesOpened(1);
  }

  /** A tape that can compute one set of gradients. */
  public static GradientTape open() {
    return new GradientTape(false, true);
  }

  /** A tape whose {@link #gradient} may be called any number of times. */
  public static GradientTape persistent() {
    return new GradientTape(true, true);
  }

  /**
   * A tape with options: {@code persistent}, and whether it watches every trainable variable it
   * sees read ({@code watchAccessedVariables}, TensorFlow's option of the same name).
   */
  public static GradientTape open(boolean persistent, boolean watchAccessedVariables) {
    return new GradientTape(persistent, watchAccessedVariables);
  }

  /** Stops recording; the tape can still compute gradients. */
  @Override
  public void close() {
    if (open) {
      open = false;
      ACTIVE.get().remove(this);
      Recording.tapesOpened(-1);
    }
  }

  /**
   * Watches tensors: ops that read them are recorded and gradients with respect to them can be
   * asked for. Non-floating tensors are ignored, as in TensorFlow.
   */
  public void watch(Tensor... xs) {
    checkOpen("watch");
    for (Tensor x : xs) {
      if (x == null) {
        throw new InvalidArgumentException("GradientTape.watch: a tensor is null");
      }
      if (x.dtype().isFloating()) {
        watched.put(x, true);
      }
    }
  }

  /** Watches variables: their reads from now on are recorded. */
  public void watch(Variable... vs) {
    checkOpen("watch");
    for (Variable v : vs) {
      watchedVariables.put(v, true);
    }
  }

  /** The variables this tape saw read while watching them, in first-read order. */
  public List<Variable> watchedVariables() {
    return List.copyOf(variableReads.keySet());
  }

  /** Pauses this tape's recording until the returned scope closes (tf's stop_recording). */
  public Scope stopRecording() {
    checkOpen("stopRecording");
    stopped++;
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          stopped--;
        }
      }
    };
  }

  private void checkOpen(String what) {
    if (!open) {
      throw new FailedPreconditionException(
          "GradientTape." + what + ": the tape is closed; call it inside the tape's block");
    }
    if (Thread.currentThread() != owner) {
      throw new FailedPreconditionException(
          "GradientTape." + what + ": a tape records the thread that opened it only");
    }
  }

  /** d target / d source, or null when unconnected. */
  public Tensor gradient(Tensor target, Tensor source) {
    return gradient(List.of(target), List.of(source), null, UnconnectedGradients.NONE).get(0);
  }

  /** d target / d source for a variable, or null when unconnected. */
  public Tensor gradient(Tensor target, Variable source) {
    return gradient(List.of(target), List.of(source), null, UnconnectedGradients.NONE).get(0);
  }

  /** The gradients of {@code target} for each source (a Tensor or a Variable). */
  public List<Tensor> gradient(Tensor target, List<?> sources) {
    return gradient(List.of(target), sources, null, UnconnectedGradients.NONE);
  }

  /** The gradients of {@code target} for each source, unconnected ones per {@code u}. */
  public List<Tensor> gradient(Tensor target, List<?> sources, UnconnectedGradients u) {
    return gradient(List.of(target), sources, null, u);
  }

  /**
   * The gradients of the sum of {@code targets}, each weighted by its {@code outputGradients}
   * entry (null: ones), for each source (a Tensor or a Variable); unconnected ones per
   * {@code u}. The list holds null for sources left unconnected under {@code NONE}.
   *
   * @throws FailedPreconditionException if a non-persistent tape already computed gradients
   * @throws UnimplementedException naming an op on the path that has no gradient rule
   */
  public List<Tensor> gradient(List<Tensor> targets, List<?> sources,
      List<Tensor> outputGradients, UnconnectedGradients u) {
    if (!persistent && used) {
      throw new FailedPreconditionException(
          "GradientTape.gradient: a non-persistent GradientTape can only be used to compute one "
              + "set of gradients; open it with GradientTape.persistent() to call it again");
    }
    if (targets == null || sources == null) {
      throw new InvalidArgumentException("GradientTape.gradient: targets and sources are needed");
    }
    if (outputGradients != null && outputGradients.size() != targets.size()) {
      throw new InvalidArgumentException("GradientTape.gradient: " + outputGradients.size()
          + " output gradients for " + targets.size() + " targets");
    }
    used = true;
    // each source becomes one or more tensors: a variable stands for all its recorded reads
    List<Tensor> flat = new ArrayList<>();
    int[] start = new int[sources.size() + 1];
    for (int i = 0; i < sources.size(); i++) {
      start[i] = flat.size();
      Object s = sources.get(i);
      if (s instanceof Tensor t) {
        flat.add(t);
      } else if (s instanceof Variable v) {
        flat.addAll(variableReads.getOrDefault(v, List.of()));
      } else {
        throw new InvalidArgumentException("GradientTape.gradient: source #" + i + " is "
            + (s == null ? "null" : "a " + s.getClass().getSimpleName())
            + "; expected a Tensor or a Variable");
      }
    }
    start[sources.size()] = flat.size();
    for (int i = 0; i < targets.size(); i++) {
      if (targets.get(i) == null) {
        throw new InvalidArgumentException("GradientTape.gradient: target #" + i + " is null");
      }
    }
    Tensor[] g;
    boolean wasComputing = computing;
    computing = true;
    try {
      g = Backprop.gradients(List.copyOf(entries), targets.toArray(new Tensor[0]),
          outputGradients == null ? null : outputGradients.toArray(new Tensor[0]),
          flat.toArray(new Tensor[0]), false, false);
    } finally {
      computing = wasComputing;
    }
    List<Tensor> out = new ArrayList<>(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      Tensor sum = null;
      for (int k = start[i]; k < start[i + 1]; k++) {
        if (g[k] != null) {
          sum = sum == null ? g[k] : Ops.add(sum, g[k]);
        }
      }
      if (sum == null && u == UnconnectedGradients.ZERO) {
        Object s = sources.get(i);
        sum = s instanceof Tensor t ? Ops.zerosLike(t)
            : Ops.zeros(((Variable) s).dtype(), ((Variable) s).shape().dims());
      }
      out.add(sum);
    }
    return java.util.Collections.unmodifiableList(out);
  }

  private static void recordAll(OpDef op, Tensor[] inputs, Attrs attrs, Tensor[] outputs) {
    ArrayList<GradientTape> tapes = ACTIVE.get();
    for (int i = 0; i < tapes.size(); i++) {
      GradientTape t = tapes.get(i);
      if (t.stopped == 0 && !t.computing) {
        t.record(op, inputs, attrs, outputs);
      }
    }
  }

  private void record(OpDef op, Tensor[] inputs, Attrs attrs, Tensor[] outputs) {
    if (op == VariableOps.READ) {
      Variable v = (Variable) attrs.getObject("variable");
      if (v.dtype().isFloating()
          && (watchedVariables.containsKey(v) || (watchAccessedVariables && v.trainable()))) {
        watched.put(outputs[0], true);
        List<Tensor> reads = variableReads.computeIfAbsent(v, k -> new ArrayList<>());
        // eager reads of an unchanged variable return the same tensor: count it once
        if (reads.stream().noneMatch(t -> t == outputs[0])) {
          reads.add(outputs[0]);
        }
      }
      return;
    }
    boolean hit = false;
    for (Tensor in : inputs) {
      if (in != null && watched.containsKey(in)) {
        hit = true;
        break;
      }
    }
    if (!hit) {
      return;
    }
    Operation node = outputs.length > 0 && outputs[0].isSymbolic() ? outputs[0].op() : null;
    entries.add(new Backprop.Entry(op, inputs.clone(), attrs, outputs.clone(), node));
    for (Tensor o : outputs) {
      if (o.dtype().isFloating()) {
        watched.put(o, true);
      }
    }
  }
}
