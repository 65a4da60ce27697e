package dev.isthmus.scopes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Graph;
import dev.isthmus.InternalException;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.ExecutionContext;
import dev.isthmus.internal.OpDef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/ARCHITECTURE.md, "Adding a scope": a scope that logs the name of
 * every op this thread runs inside it and hands each op on to the context it found on entry. It
 * is an {@link ExecutionContext} pushed on the thread's {@link ContextStack}, the mechanism
 * {@code Scopes.asyncScope()} uses; the tests check what such a scope must keep working.
 */
@SuppressWarnings("try") // scopes entered for their effect
class OpLogScopeTest {
  /** The scope's context: logs, then delegates. */
  static final class OpLog implements ExecutionContext {
    private final ExecutionContext below;
    private final List<String> log;

    private OpLog(ExecutionContext below, List<String> log) {
      this.below = below;
      this.log = log;
    }

    /** Logs into {@code log} the ops run on this thread until the returned scope closes. */
    static Scope enter(List<String> log) {
      ExecutionContext below = ContextStack.current();
      if (!below.executingEagerly()) {
        return () -> { }; // building a graph: nodes are recorded, not run (as asyncScope)
      }
      return ContextStack.push(new OpLog(below, log));
    }

    @Override
    public Tensor[] execute(OpDef op, Tensor[] inputs, Attrs attrs) {
      log.add(op.name());
      return below.execute(op, inputs, attrs);
    }

    @Override
    public boolean executingEagerly() {
      return true;
    }
  }

  private static final Tensor X = Tensor.of(new float[] {1, -2, 3, 4}, 2, 2);

  @Test
  void logsEachOpInOrderAndLeavesValuesAlone() {
    List<String> log = new ArrayList<>();
    Tensor y;
    try (Scope s = OpLog.enter(log)) {
      assertTrue(Context.executingEagerly());
      y = X.mul(2.0).relu().add(1.0);
    }
    Ops.neg(X); // after close: not logged
    assertEquals(List.of("Mul", "Relu", "AddV2"), log);
    assertArrayEquals(X.mul(2.0).relu().add(1.0).toFloatArray(), y.toFloatArray());
  }

  @Test
  void aFunctionCallIsOneOp() {
    Function f = Function.of(x -> x.square().reduceSum());
    f.call(X); // traced outside the scope
    List<String> log = new ArrayList<>();
    Tensor y;
    try (Scope s = OpLog.enter(log)) {
      y = f.call(X);
    }
    assertEquals(List.of("PartitionedCall"), log);
    assertEquals(30f, y.getFloat(), 0f);
  }

  @Test
  void whileAGraphIsBuiltTheScopeChangesNothing() {
    List<String> log = new ArrayList<>();
    Graph g = new Graph();
    try (Scope d = g.asDefault()) {
      try (Scope s = OpLog.enter(log)) {
        Tensor p = Ops.placeholder(DType.FLOAT32, 2);
        assertSame(g, Graph.current());
        assertSame(g, p.mul(2.0).op().graph());
      }
    }
    assertEquals(List.of(), log);
    assertEquals(List.of("Placeholder", "Const", "Mul"),
        g.operations().stream().map(Operation::type).toList());
  }

  @Test
  void tapesRecordThroughItOnce() {
    Tensor x = Tensor.of(1.0, 2.0, 3.0);
    List<String> log = new ArrayList<>();
    GradientTape tape = GradientTape.open();
    Tensor y;
    try (tape; Scope s = OpLog.enter(log)) {
      tape.watch(x);
      y = x.square();
    }
    // recorded once, by the context below: 2x, not 4x
    assertArrayEquals(new double[] {2, 4, 6}, tape.gradient(y, x).toDoubleArray(), 0.0);
    assertEquals(List.of("Square"), log);
  }

  @Test
  void insideAnAsyncScopeOpsAreLoggedThenIssued() {
    List<String> log = new ArrayList<>();
    Tensor y;
    try (Scope a = Scopes.asyncScope(); Scope s = OpLog.enter(log)) {
      y = X.mul(0.5).add(X);
      assertTrue(Context.executor().isAsync()); // the executor is still found below us
    }
    assertEquals(List.of("Mul", "AddV2"), log);
    assertArrayEquals(new float[] {1.5f, -3, 4.5f, 6}, y.toFloatArray());
  }

  @Test
  void closingOutOfOrderIsAnError() {
    List<String> log = new ArrayList<>();
    Scope outer = OpLog.enter(log);
    Scope inner = OpLog.enter(log);
    assertThrows(InternalException.class, outer::close);
    inner.close();
    outer.close();
    Ops.neg(X);
    assertEquals(List.of(), log);
  }
}
