package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The executor's fast paths keep every behaviour: a node's cached output specs are used only
 * for inputs of the same dtypes and shapes (other shapes run the shape rule again, which
 * validates and may throw), and the trace-cache's last-hit shortcut never returns the trace of
 * another signature or another outer graph.
 */
class GraphExecutorCacheTest {
  private static Tensor floats(int n, float start) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + i;
    }
    return Tensor.of(v, n);
  }

  @Test
  void relaxedCallsWithNewShapesGetTheirOwnOutputShapes() {
    Function f = Function.builder().relaxShapes(true).build((Tensor x) -> x.mul(2f).add(1f));
    assertArrayEquals(new float[] {1, 3}, f.call(floats(2, 0)).toFloatArray());
    Tensor five = f.call(floats(5, 0));
    assertEquals(Shape.of(5), five.shape());
    assertArrayEquals(new float[] {1, 3, 5, 7, 9}, five.toFloatArray());
    assertArrayEquals(new float[] {1, 3}, f.call(floats(2, 0)).toFloatArray());
    assertEquals(1, f.tracingCount());
  }

  @Test
  void aNodeRevalidatesInputsOfAnotherShapeEveryTime() {
    Tensor c = Tensor.of(1f, 2f, 3f);
    Function f = Function.builder().relaxShapes(true).build((Tensor x) -> x.add(c));
    assertArrayEquals(new float[] {1, 3, 5}, f.call(floats(3, 0)).toFloatArray());
    assertArrayEquals(new float[] {5, 6, 7}, f.call(floats(1, 4)).toFloatArray()); // broadcasts
    for (int k = 0; k < 2; k++) { // the failure is not remembered as a success, nor vice versa
      var e = assertThrows(InvalidArgumentException.class, () -> f.call(floats(4, 0)));
      assertTrue(e.getMessage().startsWith("AddV2: expected shapes that broadcast"), e.getMessage());
      assertTrue(e.getMessage().contains("[[node AddV2 (AddV2)"), e.getMessage());
      assertArrayEquals(new float[] {1, 3, 5}, f.call(floats(3, 0)).toFloatArray());
    }
  }

  @Test
  void sessionRunsRepeatedlyWithTheSameAnswer() {
    Graph g = new Graph();
    Tensor x;
    Tensor y;
    try (Scope s = g.asDefault()) {
      x = Ops.placeholder(DType.FLOAT32, 3);
      y = x.mul(x).sub(1f);
    }
    try (Session sess = new Session(g)) {
      for (int k = 0; k < 3; k++) {
        Tensor out = sess.run(y, java.util.Map.of(x, floats(3, k)));
        assertArrayEquals(new float[] {k * k - 1, (k + 1) * (k + 1) - 1, (k + 2) * (k + 2) - 1},
            out.toFloatArray());
      }
      var e = assertThrows(InvalidArgumentException.class,
          () -> sess.run(y, java.util.Map.of(x, floats(4, 0))));
      assertTrue(e.getMessage().contains("cannot feed a value of float32[4]"), e.getMessage());
    }
  }

  @Test
  void lastHitShortcutTellsSignaturesAndGraphsApart() {
    Function f = Function.of((Tensor x) -> x.add(x));
    Tensor a = floats(2, 0);
    Tensor b = floats(3, 0);
    ConcreteFunction fa = f.getConcreteFunction(a);
    ConcreteFunction fb = f.getConcreteFunction(b);
    assertNotSame(fa, fb);
    assertSame(fa, f.getConcreteFunction(floats(2, 5))); // same dtype and shape, another tensor
    assertSame(fb, f.getConcreteFunction(b));
    assertNotSame(fa, f.getConcreteFunction(Tensor.of(1.0, 2.0))); // float64
    ConcreteFunction inGraph;
    try (Scope s = new Graph().asDefault()) {
      inGraph = f.getConcreteFunction(a);
    }
    assertNotSame(fa, inGraph);
    assertSame(fa, f.getConcreteFunction(a));
    assertEquals(4, f.tracingCount());
    assertArrayEquals(new float[] {0, 2, 4}, f.call(b).toFloatArray());
    assertArrayEquals(new float[] {0, 2}, f.call(a).toFloatArray());

    Function r = Function.builder().relaxShapes(true).build((Tensor x) -> x.add(x));
    assertSame(r.getConcreteFunction(a), r.getConcreteFunction(b)); // same rank
    assertNotSame(r.getConcreteFunction(a), r.getConcreteFunction(Tensor.scalar(1f)));
    assertEquals(2, r.tracingCount());
  }

  @Test
  void concurrentCallsOfShapesThatAlternateAgree() throws Exception {
    Function f = Function.builder().relaxShapes(true).build((Tensor x) -> x.mul(3f).sub(x));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          for (int k = 0; k < 300; k++) {
            int n = 1 + (k + seed) % 4;
            Tensor out = f.call(floats(n, k));
            assertEquals(Shape.of(n), out.shape());
            float[] v = out.toFloatArray();
            for (int i = 0; i < n; i++) {
              assertEquals(2f * (k + i), v[i]);
            }
          }
        }));
      }
      for (Future<?> d : done) {
        d.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, f.tracingCount());
  }
}
