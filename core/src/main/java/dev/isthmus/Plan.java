package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The graph executor: a compiled run of the part of a graph some fetches need. Built once per
 * (fetches, targets, feeds), then run any number of times.
 *
 * <p>Nodes run in creation order, which is topological, on the calling thread, through the
 * same {@link OpDef} shape rule and kernel as eager execution (no op has a graph version).
 * Values live in an array of slots; each intermediate is dropped right after its last use, so a
 * long chain holds at most a few tensors. Feeding a tensor cuts off the nodes it depends on, as
 * in TensorFlow. This is where later passes hook in: clustering (jit) rewrites what a plan runs,
 * and the async executor schedules the same steps.
 */
final class Plan {
  private final Graph graph;
  private final Operation[] steps;
  private final OpDef[] defs; // steps[s].def(), attrs(): read once per node without the hop
  private final Attrs[] attrs;
  // Per step, the output specs of its last run and the input dtypes and shapes they came from;
  // null for stateful ops (their rules may read state) and until the first run.
  private final SpecCache[] specCache;
  private final int[][] inSlots;
  private final int[] outBase; // first slot of each step's outputs
  private final int[][] freeAfter;
  private final Tensor[] fed; // the fed (symbolic) tensors, in feed order
  private final int[] feedSlots;
  private final int[] fetchSlots;
  private final int slotCount;
  private final boolean relaxed; // feeds may differ in shape, not in rank (relaxed functions)

  private Plan(Graph graph, Operation[] steps, int[][] inSlots, int[] outBase, int[][] freeAfter,
      Tensor[] fed, int[] feedSlots, int[] fetchSlots, int slotCount, boolean relaxed) {
    this.graph = graph;
    this.steps = steps;
    this.defs = new OpDef[steps.length];
    this.attrs = new Attrs[steps.length];
    for (int s = 0; s < steps.length; s++) {
      defs[s] = steps[s].def();
      attrs[s] = steps[s].attrs();
    }
    this.specCache = new SpecCache[steps.length];
    this.inSlots = inSlots;
    this.outBase = outBase;
    this.freeAfter = freeAfter;
    this.fed = fed;
    this.feedSlots = feedSlots;
    this.fetchSlots = fetchSlots;
    this.slotCount = slotCount;
    this.relaxed = relaxed;
  }

  /**
   * Plans the run of {@code fetches} and {@code targets} (nodes run for their effects) with
   * {@code fed} tensors given. Every tensor and node must belong to {@code g}.
   */
  static Plan build(String who, Graph g, List<Tensor> fetches, List<Operation> targets,
      List<Tensor> fed, boolean relaxed) {
    IdentityHashMap<Tensor, Integer> slotOf = new IdentityHashMap<>();
    int slots = 0;
    for (Tensor t : fed) {
      check(who, g, t, "feed");
      if (slotOf.putIfAbsent(t, slots) != null) {
        throw new InvalidArgumentException(who + ": tensor '" + t.name() + "' is fed twice");
      }
      slots++;
    }
    // which nodes are needed: walk back from fetches and targets, stopping at fed tensors
    IdentityHashMap<Operation, Boolean> needed = new IdentityHashMap<>();
    ArrayDeque<Operation> work = new ArrayDeque<>();
    for (Tensor t : fetches) {
      check(who, g, t, "fetch");
      if (!slotOf.containsKey(t) && needed.put(t.op(), true) == null) {
        work.push(t.op());
      }
    }
    for (Operation o : targets) {
      if (o.graph() != g) {
        throw foreign(who, g, o.name(), o.graph(), "target");
      }
      if (!fedPlaceholder(o, slotOf) && needed.put(o, true) == null) {
        work.push(o);
      }
    }
    while (!work.isEmpty()) {
      Operation o = work.pop();
      for (Tensor in : o.inputArray()) {
        if (!slotOf.containsKey(in) && needed.put(in.op(), true) == null) {
          work.push(in.op());
        }
      }
      for (Operation c : o.controlArray()) {
        if (!fedPlaceholder(c, slotOf) && needed.put(c, true) == null) {
          work.push(c);
        }
      }
    }
    Operation[] steps = needed.keySet().toArray(new Operation[0]);
    Arrays.sort(steps, (a, b) -> Integer.compare(a.id(), b.id()));
    steps = ClusterSteps.group(g, steps, slotOf::containsKey, fetches); // a jit cluster: one step
    int[] outBase = new int[steps.length];
    int[][] inSlots = new int[steps.length][];
    for (int s = 0; s < steps.length; s++) {
      Operation o = steps[s];
      if (o.def() == GraphOps.PLACEHOLDER) {
        Tensor t = o.outputArray()[0];
        throw new InvalidArgumentException(
            who + ": you must feed a value for placeholder tensor '" + t.name() + "' with dtype "
                + t.dtype().numpyName() + " and shape " + t.shape());
      }
      Tensor[] ins = o.inputArray();
      inSlots[s] = new int[ins.length];
      for (int i = 0; i < ins.length; i++) {
        inSlots[s][i] = slotOf.get(ins[i]);
      }
      outBase[s] = slots;
      for (Tensor out : o.outputArray()) {
        slotOf.putIfAbsent(out, slots++);
      }
    }
    int[] fetchSlots = new int[fetches.size()];
    boolean[] keep = new boolean[slots];
    for (int i = 0; i < fetchSlots.length; i++) {
      fetchSlots[i] = slotOf.get(fetches.get(i));
      keep[fetchSlots[i]] = true;
    }
    // free each slot after its last reader
    int[] lastUse = new int[slots];
    Arrays.fill(lastUse, -1);
    for (int s = 0; s < steps.length; s++) {
      for (int slot : inSlots[s]) {
        lastUse[slot] = s;
      }
    }
    ArrayList<ArrayList<Integer>> free = new ArrayList<>();
    for (int s = 0; s < steps.length; s++) {
      free.add(new ArrayList<>());
    }
    for (int slot = 0; slot < slots; slot++) {
      if (!keep[slot] && lastUse[slot] >= 0) {
        free.get(lastUse[slot]).add(slot);
      }
    }
    // outputs nobody reads are dropped at once
    for (int s = 0; s < steps.length; s++) {
      int n = steps[s].outputArray().length;
      for (int k = 0; k < n; k++) {
        int slot = outBase[s] + k;
        if (!keep[slot] && lastUse[slot] < 0) {
          free.get(s).add(slot);
        }
      }
    }
    int[][] freeAfter = new int[steps.length][];
    for (int s = 0; s < steps.length; s++) {
      freeAfter[s] = free.get(s).stream().mapToInt(Integer::intValue).toArray();
    }
    int[] feedSlots = new int[fed.size()];
    for (int i = 0; i < feedSlots.length; i++) {
      feedSlots[i] = slotOf.get(fed.get(i));
    }
    return new Plan(g, steps, inSlots, outBase, freeAfter, fed.toArray(new Tensor[0]),
        feedSlots, fetchSlots, slots, relaxed);
  }

  /**
   * True for a placeholder whose value is fed: as TensorFlow's FeedInputs, its control edges are
   * satisfied by the feed (a function's arguments and captures, too), so it is not a step.
   */
  private static boolean fedPlaceholder(Operation o, IdentityHashMap<Tensor, Integer> slotOf) {
    return o.def() == GraphOps.PLACEHOLDER && slotOf.containsKey(o.outputArray()[0]);
  }

  private static void check(String who, Graph g, Tensor t, String role) {
    if (t == null) {
      throw new InvalidArgumentException(who + ": a " + role + " is null");
    }
    if (!t.isSymbolic()) {
      throw new InvalidArgumentException(
          who + ": a " + role + " must be a symbolic tensor of graph '" + g.name()
              + "'; got a concrete tensor " + t.describe());
    }
    if (t.op().graph() != g) {
      throw foreign(who, g, t.name(), t.op().graph(), role);
    }
  }

  private static InvalidArgumentException foreign(
      String who, Graph g, String what, Graph other, String role) {
    return new InvalidArgumentException(
        who + ": " + role + " '" + what + "' belongs to graph '" + other.name()
            + "', not to graph '" + g.name() + "'");
  }

  /** The nodes this plan runs, in order. */
  List<Operation> steps() {
    return List.of(steps);
  }

  /** Runs the plan with {@code feeds} (in the order of the fed tensors); the fetched values. */
  Tensor[] run(String who, Tensor[] feeds) {
    if (feeds.length != feedSlots.length) {
      throw new InvalidArgumentException(
          who + ": expected " + feedSlots.length + " fed values, got " + feeds.length);
    }
    Tensor[] v = new Tensor[slotCount];
    for (int i = 0; i < feeds.length; i++) {
      v[feedSlots[i]] = checkFeed(who, fed[i], feeds[i]);
    }
    for (int s = 0; s < steps.length; s++) {
      int[] is = inSlots[s];
      Tensor[] ins = new Tensor[is.length];
      for (int i = 0; i < is.length; i++) {
        ins[i] = v[is[i]];
      }
      OpDef def = defs[s];
      Attrs a = attrs[s];
      Tensor[] outs;
      try {
        outs = def.compute(ins, a, specs(s, def, ins, a));
      } catch (IsthmusException e) {
        throw NodeErrors.atNode(e, steps[s]);
      }
      if (outs.length == 1) {
        v[outBase[s]] = outs[0];
      } else {
        System.arraycopy(outs, 0, v, outBase[s], outs.length);
      }
      for (int slot : freeAfter[s]) {
        v[slot] = null;
      }
    }
    Tensor[] out = new Tensor[fetchSlots.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[fetchSlots[i]];
    }
    return out;
  }

  /**
   * Step {@code s}'s output specs for {@code ins}: its shape rule's answer, or, when the inputs
   * have the dtypes and shapes of the last run, that run's answer. A shape rule is a function of
   * the input dtypes and shapes and the node's (immutable) attrs, so the answer is the same and
   * so is its verdict: inputs that differ in any dtype or shape run the rule again, which
   * validates them (and throws). Stateful ops always run their rule.
   */
  private TensorSpec[] specs(int s, OpDef def, Tensor[] ins, Attrs a) {
    SpecCache c = specCache[s];
    if (c != null && c.matches(ins)) {
      return c.outs;
    }
    TensorSpec[] outs = def.infer(ins, a);
    if (!def.is(OpDef.Flag.STATEFUL)) {
      specCache[s] = new SpecCache(ins, outs); // immutable: safe to publish racily
    }
    return outs;
  }

  /** The input dtypes and shapes of one run of a node, and the output specs its rule gave. */
  private static final class SpecCache {
    private final DType[] dtypes;
    private final Shape[] shapes;
    private final TensorSpec[] outs;

    SpecCache(Tensor[] ins, TensorSpec[] outs) {
      this.dtypes = new DType[ins.length];
      this.shapes = new Shape[ins.length];
      for (int i = 0; i < ins.length; i++) {
        dtypes[i] = ins[i].dtype();
        shapes[i] = ins[i].shape();
      }
      this.outs = outs;
    }

    boolean matches(Tensor[] ins) {
      if (ins.length != dtypes.length) {
        return false;
      }
      for (int i = 0; i < ins.length; i++) {
        Tensor t = ins[i];
        if (t == null || t.dtype() != dtypes[i]) {
          return false;
        }
        Shape sh = t.shape();
        if (sh != shapes[i] && !sh.equals(shapes[i])) {
          return false;
        }
      }
      return true;
    }
  }

  private Tensor checkFeed(String who, Tensor key, Tensor value) {
    if (value == null) {
      throw new InvalidArgumentException(who + ": the value fed to '" + key.name() + "' is null");
    }
    if (value.isSymbolic()) {
      throw new InvalidArgumentException(
          who + ": the value fed to '" + key.name() + "' must be a concrete tensor; got the "
              + "symbolic tensor '" + value.name() + "' of graph '" + value.op().graph().name()
              + "'");
    }
    boolean shapeOk = relaxed ? value.rank() == key.rank()
        : value.shape() == key.shape() || value.shape().equals(key.shape());
    if (value.dtype() != key.dtype() || !shapeOk) {
      throw new InvalidArgumentException(
          who + ": cannot feed a value of " + value.describe() + " to tensor '" + key.name()
              + "', which is " + key.describe()
              + (relaxed ? " (any shape of rank " + key.rank() + ")" : ""));
    }
    return value;
  }

  Graph graph() {
    return graph;
  }
}
