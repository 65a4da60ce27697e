package dev.isthmus.scopes;

import dev.isthmus.Graph;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.BinaryOps;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ops and helpers for the jit tests. Two test-only ops: a product with a gradient rule (the
 * gradient rules of the real ops land on another branch; rule 5 needs one) and a stateful
 * random op (clustering must leave it out).
 */
final class JitTestOps {
  private JitTestOps() {}

  /** x * y, with the product rule as its gradient. */
  static final OpDef PRODUCT = OpDef.builder("JitTestProduct")
      .inputs("x", "y")
      .flags(OpDef.Flag.ELEMENTWISE)
      .shape((d, in, a) -> BinaryOps.MUL.infer(in, a))
      .kernel((in, a, outs) -> BinaryOps.MUL.compute(in, a, outs))
      .gradient((in, out, up, a) -> new Tensor[] {Ops.mul(up[0], in[1]), Ops.mul(up[0], in[0])})
      .build();

  private static final AtomicInteger DRAWS = new AtomicInteger();

  /** A float32 scalar that changes at every run: a stateful random op. */
  static final OpDef STATEFUL_RANDOM = OpDef.builder("JitTestStatefulRandom")
      .flags(OpDef.Flag.CREATION, OpDef.Flag.STATEFUL)
      .shape((d, in, a) -> new TensorSpec[] {
          new TensorSpec(dev.isthmus.DType.FLOAT32, dev.isthmus.Shape.of())})
      .kernel((in, a, outs) -> new Tensor[] {Tensor.scalar((float) DRAWS.incrementAndGet())})
      .build();

  static Tensor product(Tensor x, Tensor y) {
    return Dispatch.run1(PRODUCT, x, y);
  }

  static Tensor statefulRandom() {
    return Dispatch.run1(STATEFUL_RANDOM, Attrs.EMPTY);
  }

  /** The attributes of {@code t}'s node, as its NodeDef shows them. */
  static Map<String, Object> attrs(Tensor t) {
    return t.op().nodeDef().attrs();
  }

  /** The attribute {@code key} of {@code t}'s node. */
  static Object attr(Tensor t, String key) {
    return t.op().nodeDef().attr(key);
  }

  /** The cluster of {@code t}'s node, or null. */
  static Object cluster(Tensor t) {
    return t.op().attr("_XlaCluster");
  }

  /** The nodes of {@code g} of op type {@code type}. */
  static List<Operation> ofType(Graph g, String type) {
    return g.operations().stream().filter(o -> o.type().equals(type)).toList();
  }
}
