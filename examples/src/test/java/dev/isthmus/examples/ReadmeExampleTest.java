package dev.isthmus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Context;
import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.scopes.Scopes;
import org.junit.jupiter.api.Test;

/** The README's examples, line for line, so the README stays true. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRunsAsWritten() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor w = Ops.randomNormal(42, DType.FLOAT32, 3, 4);
    Tensor y = Ops.softmax(x.matmul(w).add(1.0));
    assertTrue(y.toString().startsWith("tf.Tensor(\n[["), y.toString());
    assertTrue(y.toString().endsWith("shape=(2, 4), dtype=float32)"), y.toString());
    for (float s : Ops.reduceSum(y, 1).toFloatArray()) {
      assertEquals(1f, s, 1e-6f);
    }
    var e = assertThrows(InvalidArgumentException.class, () -> Ops.add(x, Tensor.of(1f, 2f)));
    assertTrue(e.getMessage().startsWith("AddV2: expected shapes that broadcast"), e.getMessage());
    assertTrue(e.getMessage().endsWith("got x: float32[2, 3], y: float32[2]"), e.getMessage());
  }

  @Test
  @SuppressWarnings("try") // scopes entered for their effect
  void asyncExampleRunsAsWritten() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor y = x;
    try (Scope scope = Scopes.asyncScope()) {
      for (int i = 0; i < 1000; i++) {
        y = y.mul(0.5).add(x);
      }
      assertTrue(Context.executor().isAsync());
    }
    assertEquals("tf.Tensor(\n[[ 2.  4.  6.]\n [ 8. 10. 12.]], shape=(2, 3), dtype=float32)",
        y.toString());
    var e = assertThrows(InvalidArgumentException.class, () -> {
      try (Scope scope = Scopes.asyncScope()) {
        Ops.gather(x, Tensor.of(0, 5));
      }
    });
    assertTrue(e.getMessage().startsWith("GatherV2: expected indices in [0, 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("[[async op GatherV2 #1 (inputs float32[2, 3], int32[2]), "
        + "issued at " + ReadmeExampleTest.class.getName() + ".lambda$"), e.getMessage());
  }
}
