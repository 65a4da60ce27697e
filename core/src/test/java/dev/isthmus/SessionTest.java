package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Session.run: the needed subgraph only, feeds, fetches, plans, errors, freeing. */
@SuppressWarnings("try") // scopes are entered for their effect, not referenced
class SessionTest {
  private static Tensor ph(long... shape) {
    return Ops.placeholder(DType.FLOAT32, shape);
  }

  private static Tensor f32(float... v) {
    return Tensor.of(v);
  }

  @Test
  void runsFetchesWithFeeds() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    Tensor z;
    try (Scope s = g.asDefault()) {
      x = ph(2);
      y = x.mul(2f).add(1f);
      z = y.reduceSum();
    }
    try (Session sess = new Session(g)) {
      assertSame(g, sess.graph());
      List<Tensor> out = sess.run(List.of(y, z), Map.of(x, f32(1, 2)));
      assertArrayEquals(new float[] {3, 5}, out.get(0).toFloatArray());
      assertEquals(8f, out.get(1).getFloat());
      assertFalse(out.get(0).isSymbolic());
      // a fetch twice gets its value twice
      out = sess.run(List.of(z, z), Map.of(x, f32(0, 0)));
      assertEquals(2f, out.get(0).getFloat());
      assertEquals(2f, out.get(1).getFloat());
    }
  }

  @Test
  void onlyTheNeededSubgraphRuns() {
    // a node whose kernel fails at run time (an index out of range, found by the kernel as in
    // TensorFlow) does not stop fetches that do not need it
    Graph g = new Graph();
    Tensor x;
    Tensor bad;
    Tensor good;
    try (Scope s = g.asDefault()) {
      x = ph(3);
      bad = x.gather(Tensor.of(0, 5));
      good = x.neg();
    }
    try (Session sess = new Session(g)) {
      assertArrayEquals(new float[] {-1, -2, -3},
          sess.run(good, Map.of(x, f32(1, 2, 3))).toFloatArray());
      var e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(bad, Map.of(x, f32(1, 2, 3))));
      assertTrue(e.getMessage().contains("GatherV2: expected indices in [0, 3)"), e.getMessage());
      assertTrue(e.getMessage().contains("[[node GatherV2 (GatherV2) in graph '" + g.name() + "']]"),
          e.getMessage());
      // the session still works after a failed run
      assertArrayEquals(new float[] {-4, -5, -6},
          sess.run(good, Map.of(x, f32(4, 5, 6))).toFloatArray());
    }
  }

  @Test
  void aPlaceholderIsOnlyNeededWhenSomethingNeedsIt() {
    Graph g = new Graph();
    Tensor x;
    Tensor c;
    try (Scope s = g.asDefault()) {
      x = ph(2);
      x.neg();
      c = Ops.constant(f32(7)).mul(2f);
    }
    try (Session sess = new Session(g)) {
      assertEquals(14f, sess.run(c).getFloat(0));
    }
  }

  @Test
  void feedingAnyTensorCutsOffWhatItDependsOn() {
    Graph g = new Graph();
    Tensor x;
    Tensor a;
    Tensor bad;
    Tensor b;
    Tensor c;
    try (Scope s = g.asDefault()) {
      x = ph(2);
      a = x.add(1f);
      b = a.mul(3f);
      bad = a.gather(Tensor.of(9));
      c = bad.add(1f);
    }
    try (Session sess = new Session(g)) {
      // x is not fed and not needed: a is fed
      assertArrayEquals(new float[] {30, 60}, sess.run(b, Map.of(a, f32(10, 20))).toFloatArray());
      // the failing node is cut off by feeding its output
      assertArrayEquals(new float[] {5}, sess.run(c, Map.of(bad, f32(4))).toFloatArray());
      // fetching a fed tensor gives the fed value
      Tensor fed = f32(8, 9);
      assertSame(fed, sess.run(a, Map.of(a, fed)));
      // feeding x runs the chain
      assertArrayEquals(new float[] {6, 9}, sess.run(b, Map.of(x, f32(1, 2))).toFloatArray());
    }
  }

  @Test
  void aControlInputOnAFedPlaceholderIsSatisfiedByTheFeed() {
    // TensorFlow's FeedInputs moves a fed Placeholder's control edges to the fed value
    Graph g = new Graph();
    Tensor x;
    Tensor other;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = ph();
      other = ph();
      try (Scope c = Ops.controlDependencies(x)) {
        y = other.neg();
      }
    }
    assertEquals(List.of(x.op()), y.op().controlInputs());
    try (Session sess = new Session(g)) {
      Map<Tensor, Tensor> feed = Map.of(x, Tensor.scalar(1f), other, Tensor.scalar(2f));
      assertEquals(-2f, sess.run(y, feed).getFloat());
      // unfed, the placeholder is still needed: the usual error
      var e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(y, Map.of(other, Tensor.scalar(2f))));
      assertTrue(e.getMessage().contains("'Placeholder:0'"), e.getMessage());
    }
  }

  @Test
  void oneFedOutputOfASplitKeepsTheOtherComputed() {
    Graph g = new Graph();
    Tensor x;
    List<Tensor> parts;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = ph(4);
      parts = x.split(2, 0);
      y = parts.get(0).sub(parts.get(1));
    }
    try (Session sess = new Session(g)) {
      Tensor out = sess.run(y, Map.of(x, f32(1, 2, 3, 4), parts.get(1), f32(100, 200)));
      assertArrayEquals(new float[] {-99, -198}, out.toFloatArray());
    }
  }

  @Test
  void fetchingAnOperationRunsItAndGivesNull() {
    Variable v = Variable.of(Tensor.scalar(1f));
    Graph g = new Graph();
    Tensor upd;
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      upd = v.assignAdd(Tensor.scalar(10f));
      x = ph();
      y = x.mul(2f);
    }
    try (Session sess = new Session(g)) {
      List<Tensor> out = sess.run(List.of(upd.op(), y), Map.of(x, Tensor.scalar(4f)));
      assertNull(out.get(0));
      assertEquals(8f, out.get(1).getFloat());
      assertEquals(11f, v.read().getFloat());
      out = sess.run(List.of(upd.op()), Map.of());
      assertEquals(1, out.size());
      assertNull(out.get(0));
      assertEquals(21f, v.read().getFloat());
      // fetching only y does not run the update
      sess.run(y, Map.of(x, Tensor.scalar(1f)));
      assertEquals(21f, v.read().getFloat());
    }
  }

  @Test
  void plansAreMadeOnceAndReused() {
    Graph g = new Graph();
    AtomicInteger finalized = new AtomicInteger();
    GraphPasses.add(graph -> {
      if (graph == g) {
        finalized.incrementAndGet();
      }
    });
    Tensor x;
    Tensor y;
    Tensor z;
    try (Scope s = g.asDefault()) {
      x = ph(2);
      y = x.exp();
      z = x.neg();
    }
    try (Session sess = new Session(g)) {
      for (int i = 0; i < 5; i++) {
        Map<Tensor, Tensor> feed = new HashMap<>();
        feed.put(x, f32(i, -i));
        assertArrayEquals(new float[] {-i, i}, sess.run(z, feed).toFloatArray(), 0f);
      }
      assertEquals(1, finalized.get(), "one plan for the same fetches and feeds");
      sess.run(y, Map.of(x, f32(0, 0)));
      assertEquals(2, finalized.get(), "a new fetch: a new plan");
      sess.run(y, Map.of(x, f32(1, 1)));
      sess.run(z, Map.of(x, f32(1, 1)));
      assertEquals(2, finalized.get());
      // the graph grows: the next run sees the new nodes
      Tensor w;
      try (Scope s = g.asDefault()) {
        w = z.mul(10f);
      }
      assertArrayEquals(new float[] {-10, -20}, sess.run(w, Map.of(x, f32(1, 2))).toFloatArray());
    }
  }

  @Test
  void aMissingPlaceholderFeedNamesThePlaceholderItsDTypeAndShape() {
    Graph g = new Graph();
    Tensor y;
    try (Scope s = g.asDefault()) {
      Tensor a = ph(2, 3);
      Tensor b = Ops.placeholder(DType.INT32);
      y = a.add(b.cast(DType.FLOAT32));
    }
    try (Session sess = new Session(g)) {
      var e = assertThrows(InvalidArgumentException.class, () -> sess.run(y));
      // TensorFlow: "You must feed a value for placeholder tensor 'Placeholder' with dtype float
      // and shape [2,3]"
      assertTrue(e.getMessage().contains(
          "you must feed a value for placeholder tensor 'Placeholder:0' with dtype float32 and "
              + "shape [2, 3]"), e.getMessage());
      Tensor a = g.operation("Placeholder").output(0);
      e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(y, Map.of(a, Tensor.of(new float[6], 2, 3))));
      assertTrue(e.getMessage().contains(
          "placeholder tensor 'Placeholder_1:0' with dtype int32 and shape []"), e.getMessage());
    }
  }

  @Test
  void aFedValueMustHaveTheTensorsDTypeAndShape() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = ph(2);
      y = x.neg();
    }
    try (Session sess = new Session(g)) {
      var e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(y, Map.of(x, Tensor.of(1.0, 2.0))));
      assertTrue(e.getMessage().contains("float64[2]") && e.getMessage().contains("float32[2]")
          && e.getMessage().contains("'Placeholder:0'"), e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(y, Map.of(x, f32(1, 2, 3))));
      assertTrue(e.getMessage().contains("float32[3]") && e.getMessage().contains("float32[2]"),
          e.getMessage());
      e = assertThrows(InvalidArgumentException.class, () -> sess.run(y, Map.of(x, y)));
      assertTrue(e.getMessage().contains("concrete"), e.getMessage());
      java.util.HashMap<Tensor, Tensor> nullFeed = new java.util.HashMap<>();
      nullFeed.put(x, null);
      assertThrows(InvalidArgumentException.class, () -> sess.run(y, nullFeed));
      // the right feed still works afterwards
      assertArrayEquals(new float[] {-1, -2}, sess.run(y, Map.of(x, f32(1, 2))).toFloatArray());
    }
  }

  @Test
  void fetchesAndFeedsMustBelongToTheGraph() {
    Graph g = new Graph();
    Graph other = new Graph();
    Tensor y;
    Tensor o;
    try (Scope s = g.asDefault()) {
      y = ph(2).neg();
    }
    try (Scope s = other.asDefault()) {
      o = ph(2).neg();
    }
    try (Session sess = new Session(g)) {
      var e = assertThrows(InvalidArgumentException.class, () -> sess.run(o));
      assertTrue(e.getMessage().contains(other.name()) && e.getMessage().contains(g.name()),
          e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(List.of(o.op()), Map.of()));
      assertTrue(e.getMessage().contains(other.name()), e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(y, Map.of(o, f32(1, 2))));
      assertTrue(e.getMessage().contains(other.name()), e.getMessage());
      e = assertThrows(InvalidArgumentException.class, () -> sess.run(f32(1)));
      assertTrue(e.getMessage().contains("concrete tensor"), e.getMessage());
      e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(List.of("y"), Map.of()));
      assertTrue(e.getMessage().contains("String"), e.getMessage());
      assertThrows(InvalidArgumentException.class, () -> sess.run((List<?>) null, Map.of()));
    }
  }

  @Test
  void aClosedSessionRefusesToRun() {
    Graph g = new Graph();
    Tensor c;
    try (Scope s = g.asDefault()) {
      c = Ops.constant(f32(1));
    }
    Session sess = new Session(g);
    assertArrayEquals(new float[] {1}, sess.run(c).toFloatArray());
    sess.close();
    sess.close(); // twice is harmless
    var e = assertThrows(FailedPreconditionException.class, () -> sess.run(c));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void theDefaultSessionUsesTheDefaultGraph() {
    Graph g = new Graph();
    try (Scope s = g.asDefault(); Session sess = new Session()) {
      assertSame(g, sess.graph());
    }
    var e = assertThrows(FailedPreconditionException.class, Session::new);
    assertTrue(e.getMessage().contains("eagerly"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> new Session(null));
  }

  @Test
  void runningInsideTheDefaultGraphAddsNoNodes() {
    Graph g = new Graph();
    try (Scope s = g.asDefault(); Session sess = new Session(g)) {
      Tensor x = ph(2);
      Tensor y = x.mul(x).sub(1f);
      int before = g.operations().size();
      assertArrayEquals(new float[] {8, 15}, sess.run(y, Map.of(x, f32(3, 4))).toFloatArray());
      assertEquals(before, g.operations().size());
      assertFalse(Context.executingEagerly());
    }
  }

  @Test
  void errorsKeepTheirTypeAndNameTheNode() {
    Graph g = new Graph();
    Variable v;
    Tensor r;
    try (Scope s = g.asDefault(); Scope n = Ops.nameScope("layer")) {
      v = Variable.of(ph(2).add(1f));
      r = v.read();
    }
    try (Session sess = new Session(g)) {
      var e = assertThrows(FailedPreconditionException.class, () -> sess.run(r));
      assertTrue(e.getMessage().contains("uninitialized"), e.getMessage());
      assertTrue(e.getMessage().contains(
          "[[node layer/ReadVariableOp (ReadVariableOp) in graph '" + g.name() + "']]"),
          e.getMessage());
      assertInstanceOf(FailedPreconditionException.class, e.getCause());
    }
  }

  // ------------------------------------------------------------------ freeing intermediates

  private static final List<WeakReference<Tensor>> REMEMBERED =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private static volatile boolean rememberedWereFreed;
  private static volatile int gcRounds;

  /** A copy of its input whose output the test watches through a weak reference. */
  private static final OpDef REMEMBER = OpDef.builder("TestOnlySessionRemember")
      .inputs("x")
      .flags(OpDef.Flag.STATEFUL)
      .shape((d, in, a) -> new TensorSpec[] {new TensorSpec(in[0].dtype(), in[0].shape())})
      .kernel((in, a, outs) -> {
        MemorySegment y = Tensors.allocate(outs[0]);
        MemorySegment.copy(Tensors.data(in[0]), 0, y, 0, y.byteSize());
        Tensor t = Tensors.wrap(outs[0].dtype(), outs[0].shape(), y);
        REMEMBERED.add(new WeakReference<>(t));
        return new Tensor[] {t};
      })
      .build();

  /** Its input, after checking (with a bounded wait) whether the remembered tensors are gone. */
  private static final OpDef CHECK_FREED = OpDef.builder("TestOnlySessionCheckFreed")
      .inputs("x")
      .flags(OpDef.Flag.STATEFUL)
      .shape((d, in, a) -> new TensorSpec[] {new TensorSpec(in[0].dtype(), in[0].shape())})
      .kernel((in, a, outs) -> {
        rememberedWereFreed = awaitCleared(REMEMBERED, gcRounds);
        return new Tensor[] {in[0]};
      })
      .build();

  private static boolean awaitCleared(List<WeakReference<Tensor>> refs, int rounds) {
    for (int i = 0; i < rounds; i++) {
      System.gc();
      if (refs.stream().allMatch(r -> r.get() == null)) {
        return true;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Test
  void intermediatesAreDroppedAfterTheirLastUse() {
    Graph g = new Graph();
    Tensor x;
    Tensor kept;
    Tensor out;
    try (Scope s = g.asDefault()) {
      x = ph(1 << 16);
      kept = Dispatch1.run(REMEMBER, x);
      Tensor b = kept.neg(); // the last reader of kept
      out = Dispatch1.run(CHECK_FREED, b).mul(2f);
    }
    float[] in = new float[1 << 16];
    Arrays.fill(in, 1f);
    try (Session sess = new Session(g)) {
      REMEMBERED.clear();
      gcRounds = 200; // up to about 5 s; one collection is normally enough
      Tensor r = sess.run(out, Map.of(x, Tensor.of(in, 1 << 16)));
      assertEquals(-2f, r.getFloat(7));
      assertEquals(1, REMEMBERED.size());
      assertTrue(rememberedWereFreed, "the intermediate was still reachable after its last use");

      // the control: fetching the intermediate too keeps it alive, and the probe sees that
      REMEMBERED.clear();
      gcRounds = 8;
      List<Tensor> both = sess.run(List.of(out, kept), Map.of(x, Tensor.of(in, 1 << 16)));
      assertFalse(rememberedWereFreed, "a fetched tensor must stay alive");
      assertEquals(1f, both.get(1).getFloat(3));
    }
  }

  /** Dispatches a single-output op in the current context. */
  private static final class Dispatch1 {
    static Tensor run(OpDef op, Tensor x) {
      return dev.isthmus.internal.Dispatch.run1(op, x);
    }
  }
}
