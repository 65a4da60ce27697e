package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.ReduceOps;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReduceOpsTest {
  private static final Tensor M = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

  private static void assertInvalid(Supplier<Tensor> call, String... parts) {
    var e = assertThrows(InvalidArgumentException.class, call::get);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "missing \"" + p + "\" in: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- values and shapes

  @Test
  void sumOverEveryAxisSet() {
    assertArrayEquals(new float[] {21}, M.reduceSum().toFloatArray());
    assertEquals(Shape.scalar(), M.reduceSum().shape());
    assertArrayEquals(new float[] {5, 7, 9}, M.reduceSum(0).toFloatArray());
    assertArrayEquals(new float[] {6, 15}, M.reduceSum(1).toFloatArray());
    assertArrayEquals(new float[] {6, 15}, M.reduceSum(-1).toFloatArray());
    assertArrayEquals(new float[] {21}, M.reduceSum(1, 0).toFloatArray());
    assertArrayEquals(M.reduceSum(0).toFloatArray(), Ops.reduceSum(M, 0).toFloatArray());
  }

  @Test
  void keepDimsKeepsReducedAxesAsOnes() {
    assertEquals(Shape.of(1, 3), M.reduceSum(true, 0).shape());
    assertEquals(Shape.of(2, 1), M.reduceMax(true, -1).shape());
    assertEquals(Shape.of(1, 1), M.reduceMean(true).shape());
    Tensor x = Tensor.of(new double[24], 2, 3, 4);
    assertEquals(Shape.of(2, 1, 1), x.reduceProd(true, 1, 2).shape());
    assertEquals(Shape.of(1, 3, 1), x.reduceMin(true, 0, 2).shape());
    assertEquals(Shape.of(3), x.reduceMin(0, 2).shape());
  }

  @Test
  void nonContiguousAxes() {
    // [2, 3, 4] with values 0..23; reduce axes 0 and 2 -> [3].
    float[] v = new float[24];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    Tensor x = Tensor.of(v, 2, 3, 4);
    // For each j: the sum over i and k of 12i + 4j + k.
    float[] want = new float[3];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          want[j] += 12 * i + 4 * j + k;
        }
      }
    }
    assertArrayEquals(want, x.reduceSum(0, 2).toFloatArray());
    assertArrayEquals(new float[] {15, 19, 23}, x.reduceMax(0, -1).toFloatArray());
    assertArrayEquals(new float[] {0, 4, 8}, x.reduceMin(2, 0).toFloatArray());
  }

  @Test
  void meanMaxMinProd() {
    assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f}, M.reduceMean(0).toFloatArray());
    assertArrayEquals(new float[] {3, 6}, M.reduceMax(1).toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3}, M.reduceMin(0).toFloatArray());
    assertArrayEquals(new float[] {6, 120}, M.reduceProd(1).toFloatArray());
    assertArrayEquals(new double[] {3.5},
        Tensor.of(1.0, 2.0, 3.0, 8.0).reduceMean().toDoubleArray());
  }

  @Test
  void integerSumAndProdWrap() {
    Tensor x = Tensor.of(Integer.MAX_VALUE, 1);
    assertArrayEquals(new int[] {Integer.MIN_VALUE}, x.reduceSum().toIntArray());
    assertArrayEquals(new int[] {0}, Tensor.of(65536, 65536).reduceProd().toIntArray());
    assertArrayEquals(new long[] {Long.MIN_VALUE},
        Tensor.of(Long.MAX_VALUE, 1L).reduceSum().toLongArray());
    assertArrayEquals(new long[] {12},
        Tensor.of(new long[] {2, 3, 2}, 3).reduceProd().toLongArray());
  }

  @Test
  void integerMeanTruncatesTowardZeroAndSumsWide() {
    Tensor x = Tensor.of(new int[] {1, 2, 3, 4, -7, 6}, 2, 3);
    assertArrayEquals(new int[] {2, -2, 4}, x.reduceMean(0).toIntArray());
    assertArrayEquals(new int[] {2, 1}, x.reduceMean(1).toIntArray());
    // INT32 mean accumulates in INT64 (as TensorFlow), so no wrap-around.
    assertArrayEquals(new int[] {Integer.MAX_VALUE},
        Tensor.of(Integer.MAX_VALUE, Integer.MAX_VALUE).reduceMean().toIntArray());
    int[] many = new int[1000];
    java.util.Arrays.fill(many, Integer.MIN_VALUE);
    assertArrayEquals(new int[] {Integer.MIN_VALUE}, Tensor.of(many).reduceMean().toIntArray());
    assertArrayEquals(new long[] {-3}, Tensor.of(-3L, -4L).reduceMean().toLongArray());
  }

  @Test
  void allAndAny() {
    Tensor b = Tensor.of(new boolean[] {true, false, true, true, true, true}, 2, 3);
    assertArrayEquals(new boolean[] {false}, b.reduceAll().toBooleanArray());
    assertArrayEquals(new boolean[] {true}, b.reduceAny().toBooleanArray());
    assertArrayEquals(new boolean[] {true, false, true}, b.reduceAll(0).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true}, b.reduceAll(1).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true}, b.reduceAny(-1).toBooleanArray());
    assertArrayEquals(new boolean[] {false},
        Tensor.of(false, false).reduceAny().toBooleanArray());
  }

  @Test
  void maxAndMinPropagateNaN() {
    Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 4, 5, 6}, 2, 3);
    assertTrue(Double.isNaN(x.reduceMax().item()));
    assertTrue(Double.isNaN(x.reduceMin().item()));
    float[] cols = x.reduceMax(0).toFloatArray();
    assertEquals(4f, cols[0]);
    assertTrue(Float.isNaN(cols[1]));
    assertEquals(6f, cols[2]);
    assertTrue(Double.isNaN(Tensor.of(Double.NaN, 1.0).reduceMin().item()));
  }

  @Test
  void sizeOneAndScalarInputs() {
    Tensor s = Tensor.scalar(7f);
    assertEquals(7.0, s.reduceSum().item());
    assertEquals(Shape.scalar(), s.reduceMax().shape());
    assertEquals(7.0, s.reduceMean().item());
    Tensor x = Tensor.of(new int[] {4, 5, 6}, 1, 3);
    assertArrayEquals(new int[] {4, 5, 6}, x.reduceMean(0).toIntArray());
    assertEquals(Shape.of(3), x.reduceMean(0).shape());
  }

  // ---------------------------------------------------------------- empty tensors

  @Test
  void emptyReductionsGiveTheIdentity() {
    Tensor f = Tensor.of(new float[0]);
    assertEquals(0.0, f.reduceSum().item());
    assertEquals(1.0, f.reduceProd().item());
    assertEquals(Double.NEGATIVE_INFINITY, f.reduceMax().item());
    assertEquals(Double.POSITIVE_INFINITY, f.reduceMin().item());
    assertTrue(Double.isNaN(f.reduceMean().item()));
    Tensor i = Tensor.of(new int[0]);
    assertEquals(Integer.MIN_VALUE, i.reduceMax().item());
    assertEquals(Integer.MAX_VALUE, i.reduceMin().item());
    assertEquals(0.0, i.reduceMean().item());
    assertEquals(Long.MIN_VALUE, Tensor.of(new long[0]).reduceMax().toLongArray()[0]);
    assertEquals(1.0, Tensor.of(new boolean[0]).reduceAll().item());
    assertEquals(0.0, Tensor.of(new boolean[0]).reduceAny().item());
  }

  @Test
  void emptyInputsWithNonEmptyOrEmptyOutputs() {
    Tensor z = Tensor.of(new float[0], 0, 3);
    assertArrayEquals(new float[] {0, 0, 0}, z.reduceSum(0).toFloatArray());
    assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY}, z.reduceMax(0).toFloatArray());
    assertEquals(Shape.of(0), z.reduceSum(1).shape());
    assertEquals(Shape.of(0, 1), z.reduceSum(true, 1).shape());
    Tensor w = Tensor.of(new double[0], 2, 0, 3);
    double[] m = w.reduceMean(0, 1).toDoubleArray();
    assertEquals(3, m.length);
    assertTrue(Double.isNaN(m[0]) && Double.isNaN(m[2]));
    assertArrayEquals(new long[] {1, 1}, Tensor.of(new long[0], 2, 0).reduceProd(1).toLongArray());
  }

  // ---------------------------------------------------------------- attributes and errors

  @Test
  void axesAreNormalisedInTheAttributes() {
    assertArrayEquals(new int[] {0, 1},
        ReduceOps.reduceAttrs(M, false, -1, 0).getInts("axes"));
    assertArrayEquals(new int[] {0, 1}, ReduceOps.reduceAttrs(M, true).getInts("axes"));
    assertEquals(true, ReduceOps.reduceAttrs(M, true).getBool("keep_dims"));
    assertEquals(1, ReduceOps.argAttrs(M, -1).getInt("axis"));
  }

  @Test
  void badAxesAreRejectedWithTheOpShapeAndAxes() {
    assertInvalid(() -> M.reduceSum(2), "Sum:", "float32[2, 3]", "axes=[2]", "out of range",
        "[-2, 2)");
    assertInvalid(() -> M.reduceMax(-3), "Max:", "axes=[-3]");
    assertInvalid(() -> M.reduceMean(0, -2), "Mean:", "axes=[0, -2]", "twice");
    assertInvalid(() -> M.reduceSum(1, 1), "Sum:", "axes=[1, 1]", "twice");
    assertInvalid(() -> Tensor.scalar(1f).reduceSum(0), "Sum:", "float32[]", "scalar");
  }

  @Test
  void dtypesAreChecked() {
    assertInvalid(() -> Tensor.of(true, false).reduceSum(), "Sum:", "bool[2]", "float32");
    assertInvalid(() -> Tensor.of(true, false).reduceMean(), "Mean:", "bool[2]");
    assertInvalid(() -> M.reduceAll(), "All:", "expected dtype bool", "float32[2, 3]");
    assertInvalid(() -> Tensor.of(1, 2).reduceAny(), "Any:", "int32[2]");
    assertInvalid(() -> Tensor.of(1, 2).softmax(), "Softmax:", "int32[2]");
  }

  // ---------------------------------------------------------------- argMax / argMin

  @Test
  void argMaxAndArgMin() {
    Tensor x = Tensor.of(new float[] {1, 5, 5, 7, 0, 7}, 2, 3);
    assertArrayEquals(new long[] {1, 0}, x.argMax(1).toLongArray());
    assertArrayEquals(new long[] {0, 1}, x.argMin(-1).toLongArray());
    assertArrayEquals(new long[] {1, 0, 1}, x.argMax(0).toLongArray());
    assertEquals(DType.INT64, x.argMax(0).dtype());
    assertArrayEquals(new long[] {2}, Tensor.of(3L, 1L, 9L).argMax(0).toLongArray());
    assertArrayEquals(new long[] {1}, Tensor.of(3.0, 1.0, 9.0).argMin(0).toLongArray());
    assertArrayEquals(new long[] {0}, Tensor.of(4, 4, 4).argMax(0).toLongArray());
    assertArrayEquals(new long[] {1}, Tensor.of(false, true, true).argMax(0).toLongArray());
    assertArrayEquals(new long[] {0}, Tensor.of(false, true).argMin(0).toLongArray());
    assertArrayEquals(new long[] {0}, Tensor.of(true, true).argMin(0).toLongArray());
  }

  @Test
  void argMaxPicksTheFirstNaN() {
    Tensor x = Tensor.of(new float[] {1, Float.NaN, 9, Float.NaN});
    assertArrayEquals(new long[] {1}, x.argMax(0).toLongArray());
    assertArrayEquals(new long[] {1}, x.argMin(0).toLongArray());
  }

  @Test
  void argMaxShapesAndErrors() {
    assertEquals(Shape.of(1, 0), Tensor.of(new float[0], 1, 0, 2).argMax(-1).shape());
    assertEquals(Shape.scalar(), Tensor.of(1f, 2f).argMax(0).shape());
    assertInvalid(() -> Tensor.of(new float[0]).argMax(0), "ArgMax:",
        "reduction axis 0 is empty in shape [0]");
    assertInvalid(() -> M.argMin(2), "ArgMin:", "float32[2, 3]", "axis=2", "[-2, 2)");
    assertInvalid(() -> Tensor.scalar(1f).argMax(0), "ArgMax:", "rank >= 1");
  }

  // ---------------------------------------------------------------- softmax

  @Test
  void softmaxValues() {
    float[] y = Tensor.of(1f, 2f, 3f).softmax().toFloatArray();
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    for (int i = 0; i < 3; i++) {
      assertEquals(Math.exp(i + 1) / z, y[i], 1e-6);
    }
    double[] ly = Tensor.of(1.0, 2.0, 3.0).logSoftmax().toDoubleArray();
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1 - Math.log(z), ly[i], 1e-12);
    }
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    float[] y = Tensor.of(1000f, 1001f, -1e30f).softmax().toFloatArray();
    assertEquals(1 / (1 + Math.E), y[0], 1e-6);
    assertEquals(Math.E / (1 + Math.E), y[1], 1e-6);
    assertEquals(0f, y[2]);
    float[] ly = Tensor.of(1000f, 1001f).logSoftmax().toFloatArray();
    assertEquals(-Math.log1p(Math.E), ly[0], 1e-5);
    float[] inf = Tensor.of(0f, Float.NEGATIVE_INFINITY).softmax().toFloatArray();
    assertArrayEquals(new float[] {1, 0}, inf);
  }

  @Test
  void softmaxOverAnotherAxis() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    float[] y = x.softmax(0).toFloatArray();
    double a = 1 / (1 + Math.exp(3));
    for (int j = 0; j < 3; j++) {
      assertEquals(a, y[j], 1e-6);
      assertEquals(1 - a, y[3 + j], 1e-6);
    }
    assertArrayEquals(x.softmax(-1).toFloatArray(), Ops.softmax(x).toFloatArray());
    assertArrayEquals(x.logSoftmax(0).toFloatArray(), Ops.logSoftmax(x, -2).toFloatArray());
    assertEquals(Shape.of(2, 0), Tensor.of(new float[0], 2, 0).softmax().shape());
  }

  @Test
  void softmaxRejectsScalarsAndBadAxes() {
    assertInvalid(() -> Tensor.scalar(1f).softmax(), "Softmax:", "rank >= 1", "float32[]");
    assertInvalid(() -> M.logSoftmax(2), "LogSoftmax:", "axis 2 is out of range");
  }

  @Test
  void emptyReducedAxisBeforeManyColumns() {
    // [0, 200000]: the columns are many enough to be split between threads, the axis is empty
    Tensor x = Tensor.of(new float[0], 0, 200_000);
    float[] s = x.reduceSum(0).toFloatArray();
    assertEquals(200_000, s.length);
    assertEquals(0f, s[199_999]);
    assertEquals(Float.NEGATIVE_INFINITY, x.reduceMax(0).toFloatArray()[123_456]);
    assertEquals(Shape.of(0, 200_000), x.softmax(0).shape());
    assertEquals(Shape.of(0, 200_000), x.logSoftmax(0).shape());
  }
}
