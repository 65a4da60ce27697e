package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CreationOpsTest {
  private static void fails(String messageStart, Executable call) {
    var e = assertThrows(InvalidArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(messageStart),
        "expected a message starting with <" + messageStart + "> but was <" + e.getMessage() + ">");
  }

  // ---------------------------------------------------------------- Const

  @Test
  void constantsOfEveryDType() {
    Tensor f = Ops.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertEquals(DType.FLOAT32, f.dtype());
    assertEquals(Shape.of(2, 3), f.shape());
    assertEquals(6f, f.getFloat(1, 2));
    assertArrayEquals(new double[] {1.5, -2}, Ops.constant(new double[] {1.5, -2}).toDoubleArray());
    assertArrayEquals(new int[] {7, 8}, Ops.constant(new int[] {7, 8}, 2, 1).toIntArray());
    assertArrayEquals(new long[] {Long.MIN_VALUE}, Ops.constant(new long[] {Long.MIN_VALUE})
        .toLongArray());
    assertArrayEquals(new boolean[] {true, false}, Ops.constant(new boolean[] {true, false})
        .toBooleanArray());
    assertEquals(Shape.of(2), Ops.constant(new double[] {1.5, -2}).shape()); // no shape: rank 1
  }

  @Test
  void scalarConstants() {
    assertEquals("tf.Tensor(2.5, shape=(), dtype=float32)", Ops.constant(2.5f).toString());
    assertEquals(DType.FLOAT64, Ops.constant(2.5).dtype());
    assertEquals(3, Ops.constant(3).getInt());
    assertEquals(Long.MAX_VALUE, Ops.constant(Long.MAX_VALUE).getLong());
    assertTrue(Ops.constant(true).getBoolean());
    assertEquals(0, Ops.constant(1f).rank());
  }

  @Test
  void oneValueFillsAnyShape() {
    Tensor t = Ops.constant(new float[] {7}, 2, 3);
    assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, t.toFloatArray());
    // an int64 fill is exact, not routed through a double
    long big = (1L << 62) + 1;
    assertArrayEquals(new long[] {big, big, big}, Ops.constant(new long[] {big}, 3).toLongArray());
    assertArrayEquals(new boolean[] {true, true}, Ops.constant(new boolean[] {true}, 2)
        .toBooleanArray());
  }

  @Test
  void constantOfATensorIsThatTensorWhenEager() {
    Tensor x = Tensor.of(1f, 2f);
    assertSame(x, Ops.constant(x));
  }

  @Test
  void badConstantsAreRejected() {
    fails("Const: 3 float32 values cannot fill shape [2, 2] (4 elements)",
        () -> Ops.constant(new float[] {1, 2, 3}, 2, 2));
    fails("Const: Shape: dimension 1 of [2, -1]", () -> Ops.constant(new int[] {1, 2}, 2, -1));
    fails("Const: expected a value tensor", () -> Ops.constant((Tensor) null));
    fails("Const: expected values and a shape", () -> Ops.constant((float[]) null));
  }

  // ---------------------------------------------------------------- Fill

  @Test
  void zerosOnesAndFill() {
    assertArrayEquals(new float[6], Ops.zeros(DType.FLOAT32, 2, 3).toFloatArray());
    assertArrayEquals(new double[] {1, 1}, Ops.ones(DType.FLOAT64, 2).toDoubleArray());
    assertArrayEquals(new int[] {1, 1, 1}, Ops.ones(DType.INT32, 3).toIntArray());
    assertArrayEquals(new long[] {0, 0}, Ops.zeros(DType.INT64, 1, 2).toLongArray());
    assertArrayEquals(new boolean[] {true, true}, Ops.ones(DType.BOOL, 2).toBooleanArray());
    assertArrayEquals(new boolean[] {false}, Ops.zeros(DType.BOOL, 1).toBooleanArray());
    assertEquals(Shape.scalar(), Ops.zeros(DType.FLOAT32).shape());
    assertEquals(Shape.of(0, 4), Ops.ones(DType.INT32, 0, 4).shape());
    assertEquals(-7, Ops.fill(DType.INT64, -7, 5).getLong(4));
    assertEquals(-2147483648, Ops.fill(DType.INT32, Integer.MIN_VALUE, 1).getInt(0));
    // -0.0 is not zero-bits: the sign survives
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(
        Ops.fill(DType.FLOAT32, -0.0).getFloat()));
    assertTrue(Double.isNaN(Ops.fill(DType.FLOAT64, Double.NaN, 3).getDouble(2)));
    // long enough for the vector loop and its tail
    float[] many = Ops.fill(DType.FLOAT32, 0.25, 4099).toFloatArray();
    for (float v : many) {
      assertEquals(0.25f, v);
    }
  }

  @Test
  void badFillsAreRejected() {
    fails("Fill: expected value to be an integer in [-2147483648, 2147483647] for dtype int32,"
        + " got 2.5", () -> Ops.fill(DType.INT32, 2.5, 2));
    fails("Fill: expected value to be an integer", () -> Ops.fill(DType.INT32, 3e9, 2));
    fails("Fill: expected value to be an integer", () -> Ops.fill(DType.INT64, 0x1p63, 2));
    fails("Fill: expected value to be an integer", () -> Ops.fill(DType.INT64, Double.NaN));
    fails("Fill: expected value to be 0 or 1 for dtype bool", () -> Ops.fill(DType.BOOL, 2));
    fails("Fill: expected a shape of non-negative dimensions, got [2, -3]",
        () -> Ops.zeros(DType.FLOAT32, 2, -3));
    fails("Fill: expected a shape of at most", () -> Ops.ones(DType.INT32, 1L << 40, 1L << 40));
  }

  // ---------------------------------------------------------------- Range

  @Test
  void integerRanges() {
    Tensor r = Ops.range(5);
    assertEquals(DType.INT32, r.dtype());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, r.toIntArray());
    assertArrayEquals(new int[] {2, 5, 8}, Ops.range(2, 10, 3).toIntArray());
    assertArrayEquals(new int[] {10, 7, 4}, Ops.range(10, 2, -3).toIntArray());
    assertEquals(Shape.of(0), Ops.range(0).shape());
    assertEquals(Shape.of(0), Ops.range(3, 3, 1).shape());
    Tensor wide = Ops.range(1L << 40, (1L << 40) + 3, 1);
    assertEquals(DType.INT64, wide.dtype()); // as TensorFlow infers for big Python ints
    assertArrayEquals(new long[] {1L << 40, (1L << 40) + 1, (1L << 40) + 2}, wide.toLongArray());
    assertArrayEquals(new long[] {0, 2}, Ops.range(0, 3, 2, DType.INT64).toLongArray());
    // the whole long range, without overflow
    assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE - 1},
        Ops.range(Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE).toLongArray());
    int[] long1 = Ops.range(4099).toIntArray();
    for (int i = 0; i < long1.length; i++) {
      assertEquals(i, long1[i]);
    }
  }

  @Test
  void floatRanges() {
    Tensor r = Ops.range(0.0, 1.0, 0.1);
    assertEquals(DType.FLOAT32, r.dtype());
    assertEquals(Shape.of(10), r.shape());
    float[] v = r.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      assertEquals(0f + (float) i * 0.1f, v[i]);
    }
    assertArrayEquals(new float[] {1, 0.75f, 0.5f, 0.25f},
        Ops.range(1.0, 0.0, -0.25).toFloatArray());
    double[] d = Ops.range(0.5, 2, 0.5, DType.FLOAT64).toDoubleArray();
    assertArrayEquals(new double[] {0.5, 1, 1.5}, d);
    assertEquals(Shape.of(3), Ops.range(0, 1, 0.4, DType.FLOAT64).shape()); // ceil(2.5)
    assertArrayEquals(new int[] {1, 3}, Ops.range(1.0, 5.0, 2.0, DType.INT32).toIntArray());
    assertArrayEquals(new float[] {0, 1, 2}, Ops.range(0, 3, 1, DType.FLOAT32).toFloatArray());
  }

  @Test
  void badRangesAreRejected() {
    fails("Range: Requires delta != 0: 0", () -> Ops.range(0, 5, 0));
    fails("Range: Requires delta != 0: 0", () -> Ops.range(0.0, 5.0, 0.0));
    fails("Range: Requires start <= limit when delta > 0: 5/1", () -> Ops.range(5, 1, 1));
    fails("Range: Requires start >= limit when delta < 0: 1/5", () -> Ops.range(1, 5, -1));
    fails("Range: Requires start <= limit when delta > 0: 2.5/1",
        () -> Ops.range(2.5, 1.0, 0.5));
    fails("Range: Requires ((limit - start) / delta) <= 9223372036854775807",
        () -> Ops.range(Long.MIN_VALUE, Long.MAX_VALUE, 1));
    fails("Range: Requires ((limit - start) / delta) <= 9223372036854775807",
        () -> Ops.range(0, Double.POSITIVE_INFINITY, 1));
    fails("Range: expected start, limit and delta that are not NaN",
        () -> Ops.range(0, Double.NaN, 1));
    fails("Range: expected start to be an integer", () -> Ops.range(1.5, 5, 1, DType.INT32));
    fails("Range: expected limit to be an integer in [-2147483648, 2147483647]",
        () -> Ops.range(0, 1L << 33, 1, DType.INT32));
    fails("Range: expected dtype float32, float64, int32 or int64",
        () -> Ops.range(0, 2, 1, DType.BOOL));
  }

  // ---------------------------------------------------------------- LinSpace

  @Test
  void linspaces() {
    Tensor l = Ops.linspace(0, 1, 5);
    assertEquals(DType.FLOAT32, l.dtype());
    assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, l.toFloatArray());
    assertArrayEquals(new float[] {3}, Ops.linspace(3, 9, 1).toFloatArray());
    float[] v = Ops.linspace(0.1, 0.7, 7).toFloatArray();
    assertEquals(0.7f, v[6]); // exactly stop, whatever the rounding of start + 6 * step
    assertEquals(0.1f, v[0]);
    double[] d = Ops.linspace(-1, 2, 4, DType.FLOAT64).toDoubleArray();
    assertArrayEquals(new double[] {-1, 0, 1, 2}, d);
    double step = (0.7 - 0.1) / 9;
    double[] e = Ops.linspace(0.1, 0.7, 10, DType.FLOAT64).toDoubleArray();
    for (int i = 1; i < 9; i++) {
      assertEquals(0.1 + step * i, e[i]);
    }
    // an infinite step must not turn element 0 into NaN (0 * inf)
    float[] wide = Ops.linspace(-Float.MAX_VALUE, Float.MAX_VALUE, 3).toFloatArray();
    assertEquals(-Float.MAX_VALUE, wide[0]);
    assertEquals(Float.MAX_VALUE, wide[2]);
  }

  @Test
  void badLinspacesAreRejected() {
    fails("LinSpace: Requires num > 0: 0", () -> Ops.linspace(0, 1, 0));
    fails("LinSpace: expected dtype float32 or float64, got int32",
        () -> Ops.linspace(0, 1, 3, DType.INT32));
  }

  // ---------------------------------------------------------------- random

  @Test
  void sameSeedSameTensorDifferentSeedDifferentTensor() {
    Tensor a = Ops.randomUniform(42, DType.FLOAT32, 3, 4);
    Tensor b = Ops.randomUniform(42, DType.FLOAT32, 3, 4);
    Tensor c = Ops.randomUniform(43, DType.FLOAT32, 3, 4);
    assertEquals(Shape.of(3, 4), a.shape());
    assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    assertFalse(Arrays.equals(a.toFloatArray(), c.toFloatArray()));
    // element i depends on (seed, i) only: a prefix of a longer stream, whatever the shape
    float[] longer = Ops.randomUniform(42, DType.FLOAT32, 20).toFloatArray();
    assertArrayEquals(a.toFloatArray(), Arrays.copyOf(longer, 12));
    double[] n1 = Ops.randomNormal(7, DType.FLOAT64, 5).toDoubleArray();
    double[] n2 = Ops.randomNormal(7, DType.FLOAT64, 2, 4).toDoubleArray();
    assertArrayEquals(n1, Arrays.copyOf(n2, 5));
  }

  @Test
  void uniformsStayInTheirRange() {
    for (float v : Ops.randomUniform(1, DType.FLOAT32, 5000).toFloatArray()) {
      assertTrue(v >= 0 && v < 1, "out of [0, 1): " + v);
    }
    for (double v : Ops.randomUniform(2, DType.FLOAT64, Shape.of(5000), -3.0, 5.0).toDoubleArray()) {
      assertTrue(v >= -3 && v < 5, "out of [-3, 5): " + v);
    }
    int[] ints = Ops.randomUniform(3, DType.INT32, Shape.of(5000), -5.0, 5.0).toIntArray();
    boolean[] seen = new boolean[10];
    for (int v : ints) {
      assertTrue(v >= -5 && v < 5, "out of [-5, 5): " + v);
      seen[v + 5] = true;
    }
    for (boolean s : seen) {
      assertTrue(s, "every value of [-5, 5) appears in 5000 draws");
    }
    long lo = -(1L << 62), hi = 1L << 62;
    for (long v : Ops.randomUniform(4, DType.INT64, Shape.of(1000), lo, hi).toLongArray()) {
      assertTrue(v >= lo && v < hi);
    }
    int[] full = Ops.randomUniform(
        5, DType.INT32, Shape.of(100), Integer.MIN_VALUE, Integer.MAX_VALUE).toIntArray();
    for (int v : full) {
      assertTrue(v < Integer.MAX_VALUE);
    }
    assertArrayEquals(new int[] {7, 7, 7}, Ops.randomUniform(6, DType.INT32, Shape.of(3), 7.0, 8.0)
        .toIntArray());
  }

  @Test
  void normalsScaleByMeanAndStddev() {
    double[] z = Ops.randomNormal(9, DType.FLOAT64, 100).toDoubleArray();
    double[] y = Ops.randomNormal(9, DType.FLOAT64, Shape.of(100), 10.0, 2.0).toDoubleArray();
    for (int i = 0; i < z.length; i++) {
      assertEquals(z[i] * 2.0 + 10.0, y[i]);
    }
    float[] zf = Ops.randomNormal(9, DType.FLOAT32, 100).toFloatArray();
    for (int i = 0; i < z.length; i++) {
      assertEquals((float) z[i], zf[i]); // the same normals, rounded to float
    }
  }

  @Test
  void badRandomsAreRejected() {
    fails("StatelessRandomUniform: expected dtype float32 or float64 (integer dtypes need minval"
        + " and maxval)", () -> Ops.randomUniform(1, DType.INT32, 3));
    fails("StatelessRandomUniform: expected dtype float32 or float64; got no inputs",
        () -> Ops.randomUniform(1, DType.BOOL, 3));
    fails("StatelessRandomUniformInt: Need minval < maxval, got 5 >= 5",
        () -> Ops.randomUniform(1, DType.INT32, Shape.of(3), 5.0, 5.0));
    fails("StatelessRandomUniformInt: expected minval to be an integer",
        () -> Ops.randomUniform(1, DType.INT64, Shape.of(3), 0.5, 5.0));
    fails("StatelessRandomUniformInt: expected maxval to be an integer in [-2147483648,",
        () -> Ops.randomUniform(1, DType.INT32, Shape.of(3), 0.0, 3e9));
    fails("StatelessRandomNormal: expected dtype float32 or float64, got int64",
        () -> Ops.randomNormal(1, DType.INT64, 3));
    fails("StatelessRandomNormal: expected a shape of non-negative dimensions",
        () -> Ops.randomNormal(1, DType.FLOAT32, 2, -1));
    // as TensorFlow: an empty output needs no valid range
    assertEquals(Shape.of(0, 3), Ops.randomUniform(1, DType.INT32, Shape.of(0, 3), 5.0, 5.0).shape());
  }

  // ---------------------------------------------------------------- declarations

  @Test
  void everyCreationOpIsRegisteredAndFlagged() {
    for (String name : new String[] {"Const", "Fill", "Range", "LinSpace",
        "StatelessRandomUniform", "StatelessRandomUniformInt", "StatelessRandomNormal"}) {
      OpDef d = OpRegistry.get(name);
      assertTrue(d.is(OpDef.Flag.CREATION), name);
      assertTrue(d.inputNames().isEmpty(), name);
    }
  }
}
