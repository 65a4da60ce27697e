package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void runsOnTheKernelPathThisExecutionAskedFor() {
    // surefire runs these tests twice: default (Vector API) and with -Disthmus.simd=scalar
    boolean forcedScalar = "scalar".equals(System.getProperty(dev.isthmus.kernels.Simd.PROPERTY));
    assertEquals(!forcedScalar, dev.isthmus.kernels.Simd.VECTOR);
  }

  @Test
  void roundTripsEveryDType() {
    assertArrayEquals(new float[] {1, 2, 3, 4}, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toFloatArray());
    assertArrayEquals(new double[] {1, 2}, Tensor.of(1.0, 2.0).toDoubleArray());
    assertArrayEquals(new int[] {7}, Tensor.of(new int[] {7}, 1, 1).toIntArray());
    assertArrayEquals(new long[] {5, 6}, Tensor.of(5L, 6L).toLongArray());
    assertArrayEquals(new boolean[] {true, false}, Tensor.of(true, false).toBooleanArray());
    assertEquals(Shape.of(2, 2), Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).shape());
  }

  @Test
  void elementAccessAndItem() {
    Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertEquals(6.0, t.getDouble(1, 2));
    assertEquals(3.5, Tensor.scalar(3.5).item());
    var e = assertThrows(InvalidArgumentException.class, t::item);
    assertTrue(e.getMessage().contains("float64[2, 3]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> t.getDouble(2, 0));
    assertTrue(e.getMessage().contains("axis 0"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> t.getFloat(0, 0));
  }

  @Test
  void badShapesAreRejected() {
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
    assertThrows(InvalidArgumentException.class, () -> Shape.of(2, -1));
    assertThrows(InvalidArgumentException.class, () -> Shape.of(Long.MAX_VALUE, 4));
  }

  @Test
  void unaryOpsDispatchAndValidate() {
    Tensor x = Tensor.of(new float[] {0, 1, -2}, 3);
    assertArrayEquals(new float[] {-0f, -1, 2}, x.neg().toFloatArray());
    assertArrayEquals(x.exp().toFloatArray(), Ops.exp(x).toFloatArray());
    var e = assertThrows(InvalidArgumentException.class, () -> Ops.exp(Tensor.of(1, 2)));
    assertTrue(e.getMessage().startsWith("Exp: expected dtype float32 or float64; got x: int32[2]"),
        e.getMessage());
  }

  @Test
  void offHeapCopiesAreEqual() {
    Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).toOffHeap();
    assertTrue(x.isOffHeap());
    assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray());
    assertArrayEquals(Ops.exp(Tensor.of(1f, 2f, 3f)).toFloatArray(), x.exp().toFloatArray());
  }
}
