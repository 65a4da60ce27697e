package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.MatmulOps;
import dev.isthmus.internal.OpRegistry;
import org.junit.jupiter.api.Test;

class MatmulOpsTest {
  // a = [[1, 2, 3], [4, 5, 6]], b = [[7, 8], [9, 10], [11, 12]]: a * b = [[58, 64], [139, 154]]
  private static final float[] A = {1, 2, 3, 4, 5, 6};
  private static final float[] B = {7, 8, 9, 10, 11, 12};
  private static final float[] AB = {58, 64, 139, 154};

  @Test
  void twoByThreeTimesThreeByTwo() {
    Tensor c = Ops.matmul(Tensor.of(A, 2, 3), Tensor.of(B, 3, 2));
    assertEquals(DType.FLOAT32, c.dtype());
    assertEquals(Shape.of(2, 2), c.shape());
    assertArrayEquals(AB, c.toFloatArray());
    assertArrayEquals(AB, Tensor.of(A, 2, 3).matmul(Tensor.of(B, 3, 2)).toFloatArray());
    // b * a = [[39, 54, 69], [49, 68, 87], [59, 82, 105]]
    assertArrayEquals(new float[] {39, 54, 69, 49, 68, 87, 59, 82, 105},
        Ops.matmul(Tensor.of(B, 3, 2), Tensor.of(A, 2, 3)).toFloatArray());
  }

  @Test
  void float64AndInt32() {
    Tensor c = Ops.matmul(Tensor.of(doubles(A), 2, 3), Tensor.of(doubles(B), 3, 2));
    assertEquals(DType.FLOAT64, c.dtype());
    assertArrayEquals(doubles(AB), c.toDoubleArray());
    Tensor i = Ops.matmul(Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3),
        Tensor.of(new int[] {7, 8, 9, 10, 11, 12}, 3, 2));
    assertEquals(DType.INT32, i.dtype());
    assertArrayEquals(new int[] {58, 64, 139, 154}, i.toIntArray());
    // INT32 wraps on overflow, as TensorFlow's does: 65536 * 65536 = 2^32 = 0 (mod 2^32)
    Tensor big = Tensor.of(new int[] {65536, 1}, 1, 2);
    assertArrayEquals(new int[] {0, 1},
        Ops.matmul(big, Tensor.of(new int[] {65536, 0, 0, 1}, 2, 2)).toIntArray());
  }

  @Test
  void transposeFlags() {
    Tensor at = Tensor.of(new float[] {1, 4, 2, 5, 3, 6}, 3, 2); // a transposed
    Tensor bt = Tensor.of(new float[] {7, 9, 11, 8, 10, 12}, 2, 3); // b transposed
    Tensor a = Tensor.of(A, 2, 3), b = Tensor.of(B, 3, 2);
    assertArrayEquals(AB, Ops.matmul(at, b, true, false).toFloatArray());
    assertArrayEquals(AB, Ops.matmul(a, bt, false, true).toFloatArray());
    assertArrayEquals(AB, Ops.matmul(at, bt, true, true).toFloatArray());
    assertArrayEquals(AB, Ops.matmul(a, b, false, false).toFloatArray());
  }

  @Test
  void specialValuesPropagate() {
    Tensor c = Ops.matmul(Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1, 1, 1}, 2, 2),
        Tensor.of(new float[] {0, 2, 1, Float.NaN}, 2, 2));
    float[] v = c.toFloatArray();
    assertTrue(Float.isNaN(v[0]), "inf * 0 is NaN"); // inf*0 + 1*1
    assertTrue(Float.isNaN(v[1]));
    assertEquals(1f, v[2]);
    assertTrue(Float.isNaN(v[3]));
  }

  @Test
  void picksTheOpByRank() {
    assertSame(MatmulOps.MATMUL, OpRegistry.get("MatMul"));
    assertSame(MatmulOps.BATCH_MATMUL, OpRegistry.get("BatchMatMulV2"));
    // rank 2 with a bad inner dimension: the message says which op ran
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[6], 2, 3), Tensor.of(new float[8], 4, 2)));
    assertTrue(e.getMessage().startsWith("MatMul: "), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[6], 1, 2, 3), Tensor.of(new float[8], 4, 2)));
    assertTrue(e.getMessage().startsWith("BatchMatMulV2: "), e.getMessage());
  }

  @Test
  void batchedShapes() {
    assertEquals(Shape.of(2, 3, 5), mm(dims(2, 3, 4), dims(4, 5), false, false));
    assertEquals(Shape.of(2, 3, 5), mm(dims(3, 4), dims(2, 4, 5), false, false));
    assertEquals(Shape.of(2, 5, 3, 6), mm(dims(2, 1, 3, 4), dims(5, 4, 6), false, false));
    assertEquals(Shape.of(7, 2, 3, 5), mm(dims(7, 1, 4, 3), dims(2, 5, 4), true, true));
    assertEquals(Shape.of(0, 3, 5), mm(dims(0, 3, 4), dims(1, 4, 5), false, false));
    assertEquals(Shape.of(1, 1, 2, 2), mm(dims(1, 1, 2, 3), dims(3, 2), false, false));
  }

  @Test
  void batchedValuesBroadcast() {
    // x: two 2x2 matrices, [[1, 2], [3, 4]] and the identity; y: one 2x2 broadcast to both
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 1, 0, 0, 1}, 2, 2, 2);
    Tensor y = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2);
    Tensor c = Ops.matmul(x, y);
    assertEquals(Shape.of(2, 2, 2), c.shape());
    assertArrayEquals(new float[] {19, 22, 43, 50, 5, 6, 7, 8}, c.toFloatArray());
    // the same with y as [1, 2, 2] and adj_x on a transposed x
    Tensor xt = Tensor.of(new float[] {1, 3, 2, 4, 1, 0, 0, 1}, 2, 2, 2);
    assertArrayEquals(c.toFloatArray(),
        Ops.matmul(xt, Tensor.of(new float[] {5, 6, 7, 8}, 1, 2, 2), true, false).toFloatArray());
  }

  @Test
  void zeroSizes() {
    Tensor c = Ops.matmul(Tensor.of(new float[0], 2, 0), Tensor.of(new float[0], 0, 3));
    assertEquals(Shape.of(2, 3), c.shape());
    assertArrayEquals(new float[6], c.toFloatArray()); // k = 0: all zeros
    Tensor d = Ops.matmul(
        Tensor.of(new double[0], 2, 0, 4), Tensor.of(new double[0], 0, 5), true, false);
    assertEquals(Shape.of(2, 4, 5), d.shape());
    assertArrayEquals(new double[40], d.toDoubleArray());
    assertEquals(Shape.of(0, 4), mm(dims(0, 3), dims(3, 4), false, false));
    assertEquals(Shape.of(2, 0), mm(dims(2, 3), dims(3, 0), false, false));
    assertEquals(Shape.of(0, 0), mm(dims(0, 5), dims(5, 0), false, false));
  }

  @Test
  void offHeapInputs() {
    Tensor c = Ops.matmul(Tensor.of(A, 2, 3).toOffHeap(), Tensor.of(B, 3, 2).toOffHeap());
    assertArrayEquals(AB, c.toFloatArray());
  }

  @Test
  void innerDimensionMismatchNamesEverything() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[6], 2, 3), Tensor.of(new float[8], 4, 2)));
    assertEquals("MatMul: expected matching inner dimensions: dimension 1 of a (3) must equal"
        + " dimension 0 of b (4) with transpose_a=false, transpose_b=false; got a: float32[2, 3],"
        + " b: float32[4, 2], attrs {transpose_a=false, transpose_b=false}", e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[6], 2, 3), Tensor.of(new float[6], 2, 3), true, true));
    assertTrue(e.getMessage().contains("dimension 0 of a (2) must equal dimension 1 of b (3)"
        + " with transpose_a=true, transpose_b=true"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new double[24], 2, 3, 4), Tensor.of(new double[10], 5, 2)));
    assertTrue(e.getMessage().startsWith("BatchMatMulV2: expected matching inner dimensions:"
        + " dimension 2 of x (4) must equal dimension 0 of y (5) with adj_x=false, adj_y=false;"
        + " got x: float64[2, 3, 4], y: float64[5, 2]"), e.getMessage());
  }

  @Test
  void rankBelowTwoIsRejected() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(1f, 2f, 3f), Tensor.of(new float[6], 3, 2)));
    assertTrue(e.getMessage().startsWith("MatMul: expected matrices (rank 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("a: float32[3]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[6], 1, 2, 3), Tensor.of(1f, 2f, 3f)));
    assertTrue(e.getMessage().startsWith("BatchMatMulV2: expected inputs of rank 2 or more"),
        e.getMessage());
    assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.scalar(2f), Tensor.scalar(3f)));
  }

  @Test
  void dtypesAreChecked() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[4], 2, 2), Tensor.of(new double[4], 2, 2)));
    assertEquals("MatMul: expected a and b to have the same dtype; got a: float32[2, 2],"
        + " b: float64[2, 2], attrs {transpose_a=false, transpose_b=false}", e.getMessage());
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new long[4], 2, 2), Tensor.of(new long[4], 2, 2)));
    assertTrue(e.getMessage().startsWith("MatMul: expected dtype float32, float64 or int32"),
        e.getMessage());
    assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new boolean[4], 1, 2, 2), Tensor.of(new boolean[4], 2, 2)));
  }

  @Test
  void batchDimensionsMustBroadcast() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[24], 2, 3, 4), Tensor.of(new float[60], 3, 4, 5)));
    assertTrue(e.getMessage().startsWith("BatchMatMulV2: expected broadcastable batch dimensions:"
        + " [2] of x and [3] of y differ where neither is 1; got x: float32[2, 3, 4],"
        + " y: float32[3, 4, 5]"), e.getMessage());
  }

  @Test
  void nullInputIsAnError() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.matmul(Tensor.of(new float[4], 2, 2), null));
    assertTrue(e.getMessage().contains("input b is null"), e.getMessage());
  }

  private static Shape mm(long[] x, long[] y, boolean ta, boolean tb) {
    Tensor a = Tensor.of(new float[(int) Shape.of(x).size()], x);
    Tensor b = Tensor.of(new float[(int) Shape.of(y).size()], y);
    Tensor c = Ops.matmul(a, b, ta, tb);
    assertEquals(c.shape().size(), c.toFloatArray().length);
    return c.shape();
  }

  private static long[] dims(long... d) {
    return d;
  }

  private static double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
