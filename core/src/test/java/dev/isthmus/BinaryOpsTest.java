package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.BinaryOps;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import dev.isthmus.kernels.BinaryOp;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BinaryOpsTest {
  private static Tensor f32(float... v) {
    return Tensor.of(v);
  }

  private static void assertMessage(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void arithmeticOnEveryNumericDType() {
    assertArrayEquals(new float[] {5, 7}, f32(1, 2).add(f32(4, 5)).toFloatArray());
    assertArrayEquals(new double[] {-3, -3}, Tensor.of(1.0, 2.0).sub(Tensor.of(4.0, 5.0)).toDoubleArray());
    assertArrayEquals(new int[] {4, 10}, Tensor.of(1, 2).mul(Tensor.of(4, 5)).toIntArray());
    assertArrayEquals(new long[] {9, 1}, Tensor.of(3L, 2L).squaredDifference(Tensor.of(6L, 3L)).toLongArray());
    assertArrayEquals(new float[] {0.5f, -2}, f32(1, -4).div(f32(2, 2)).toFloatArray());
    assertArrayEquals(new int[] {4, -3}, Tensor.of(4, -7).maximum(Tensor.of(1, -3)).toIntArray());
    assertArrayEquals(new long[] {1, -7}, Tensor.of(4L, -7L).minimum(Tensor.of(1L, -3L)).toLongArray());
  }

  @Test
  void integerArithmeticWraps() {
    assertArrayEquals(new int[] {Integer.MIN_VALUE},
        Tensor.of(Integer.MAX_VALUE).add(Tensor.of(1)).toIntArray());
    assertArrayEquals(new long[] {Long.MIN_VALUE},
        Tensor.of(Long.MAX_VALUE).add(Tensor.of(1L)).toLongArray());
  }

  @Test
  void integerDivisionGivesFloat64() {
    Tensor q = Tensor.of(7, -7, 1).div(Tensor.of(2, 2, 0));
    assertEquals(DType.FLOAT64, q.dtype());
    assertArrayEquals(new double[] {3.5, -3.5, Double.POSITIVE_INFINITY}, q.toDoubleArray());
    Tensor q64 = Tensor.of(new long[] {9, 1L << 40}, 2).div(Tensor.of(new long[] {2}, 1));
    assertEquals(DType.FLOAT64, q64.dtype());
    assertArrayEquals(new double[] {4.5, 0x1p39}, q64.toDoubleArray());
    assertEquals(DType.FLOAT32, f32(1).div(f32(3)).dtype());
    assertEquals(DType.FLOAT64, Tensor.of(5).div(2).dtype());
  }

  @Test
  void floorDivAndModFollowPython() {
    Tensor a = Tensor.of(-7, 7, -7, 7, 0), b = Tensor.of(2, -2, -2, 2, 3);
    assertArrayEquals(new int[] {-4, -4, 3, 3, 0}, a.floorDiv(b).toIntArray());
    assertArrayEquals(new int[] {1, -1, -1, 1, 0}, a.floorMod(b).toIntArray());
    Tensor al = Tensor.of(-7L, 7L), bl = Tensor.of(2L, -2L);
    assertArrayEquals(new long[] {-4, -4}, al.floorDiv(bl).toLongArray());
    assertArrayEquals(new long[] {1, -1}, al.floorMod(bl).toLongArray());
    Tensor x = f32(-7.5f, 7.5f, 1, -0f), y = f32(2, -2, 0, 5);
    assertArrayEquals(new float[] {-4, -4, Float.POSITIVE_INFINITY, -0f}, x.floorDiv(y).toFloatArray());
    float[] m = x.floorMod(y).toFloatArray();
    assertEquals(0.5f, m[0]);
    assertEquals(-0.5f, m[1]);
    assertTrue(Float.isNaN(m[2]));
    assertArrayEquals(new double[] {1.5, -0.5},
        Tensor.of(-4.5, 7.5).floorMod(Tensor.of(3.0, -2.0)).toDoubleArray());
  }

  @Test
  void integerDivisionByZeroIsAnInvalidArgument() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Tensor.of(1, 2).floorDiv(Tensor.of(1, 0)));
    assertMessage(e, "FloorDiv", "Integer division by zero");
    e = assertThrows(InvalidArgumentException.class,
        () -> Tensor.of(1L, 2L).floorMod(Tensor.of(new long[] {0}, 1)));
    assertMessage(e, "FloorMod", "Integer division by zero");
    // nothing is divided when the output is empty
    assertEquals(Shape.of(0, 1), Tensor.of(new int[0], 0, 1).floorDiv(Tensor.of(0)).shape());
    // Python's MIN // -1 overflows; like C++ (and Java), it wraps
    assertArrayEquals(new int[] {Integer.MIN_VALUE},
        Tensor.of(Integer.MIN_VALUE).floorDiv(Tensor.of(-1)).toIntArray());
  }

  @Test
  void powFollowsC() {
    assertArrayEquals(new int[] {1024, -8, 1, 0}, Tensor.of(2, -2, 0, 0).pow(Tensor.of(10, 3, 0, 5)).toIntArray());
    assertArrayEquals(new long[] {1L << 62}, Tensor.of(2L).pow(Tensor.of(62L)).toLongArray());
    var e = assertThrows(InvalidArgumentException.class, () -> Tensor.of(2, 3).pow(Tensor.of(1, -1)));
    assertMessage(e, "Pow", "Integers to negative integer powers are not allowed");
    float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
    float[] p = f32(1, -1, -1, 2, 4, nan).pow(f32(nan, inf, -inf, 0.5f, -0.5f, 0)).toFloatArray();
    assertArrayEquals(new float[] {1, 1, 1, (float) Math.sqrt(2), 0.5f, 1}, p);
    assertTrue(Double.isNaN(Tensor.of(-2.0).pow(0.5).toDoubleArray()[0]));
  }

  @Test
  void maximumAndMinimumPropagateNaN() {
    float nan = Float.NaN;
    float[] mx = f32(nan, 1, 3).maximum(f32(1, nan, 2)).toFloatArray();
    assertTrue(Float.isNaN(mx[0]) && Float.isNaN(mx[1]));
    assertEquals(3f, mx[2]);
    double[] mn = Tensor.of(Double.NaN, -0.0).minimum(Tensor.of(1.0, 0.0)).toDoubleArray();
    assertTrue(Double.isNaN(mn[0]));
    assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(mn[1]));
  }

  @Test
  void atan2IsFloatingOnly() {
    assertArrayEquals(new double[] {Math.atan2(1, -1), Math.atan2(-0.0, -1)},
        Tensor.of(1.0, -0.0).atan2(Tensor.of(-1.0, -1.0)).toDoubleArray());
    var e = assertThrows(InvalidArgumentException.class, () -> Tensor.of(1).atan2(Tensor.of(2)));
    assertMessage(e, "Atan2", "float32, float64", "int32");
  }

  @Test
  void broadcasting() {
    Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36},
        m.add(f32(10, 20, 30)).toFloatArray());
    Tensor col = Tensor.of(new float[] {1, 2}, 2, 1), row = Tensor.of(new float[] {10, 20, 30}, 1, 3);
    Tensor outer = col.mul(row);
    assertEquals(Shape.of(2, 3), outer.shape());
    assertArrayEquals(new float[] {10, 20, 30, 20, 40, 60}, outer.toFloatArray());
    assertArrayEquals(new float[] {-9, -19, -29, -8, -18, -28}, col.sub(row).toFloatArray());
    Tensor s = Tensor.scalar(2f).sub(m);
    assertArrayEquals(new float[] {1, 0, -1, -2, -3, -4}, s.toFloatArray());
    assertEquals(Shape.of(0, 3), Tensor.of(new float[0], 0, 3).add(f32(1, 2, 3)).shape());
    assertEquals(Shape.scalar(), Tensor.scalar(1.0).add(Tensor.scalar(2.0)).shape());
    assertEquals(3.0, Tensor.scalar(1.0).add(Tensor.scalar(2.0)).item());
    Tensor off = m.toOffHeap().add(f32(1, 1, 1).toOffHeap());
    assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, off.toFloatArray());
  }

  @Test
  void numberOperandsTakeTheTensorsDType() {
    assertArrayEquals(new float[] {2.5f, 3.5f}, f32(1, 2).add(1.5).toFloatArray());
    assertArrayEquals(new int[] {3, 4}, Tensor.of(1, 2).add(2).toIntArray());
    assertArrayEquals(new long[] {-1, 0}, Tensor.of(1L, 2L).sub(2).toLongArray());
    assertArrayEquals(new double[] {1, 4}, Tensor.of(1.0, 2.0).pow(2).toDoubleArray());
    assertArrayEquals(new int[] {2, 2}, Tensor.of(1, 5).maximum(2).minimum(2).toIntArray());
    assertArrayEquals(new float[] {0.5f}, f32(1).div(2).toFloatArray());
    assertArrayEquals(new float[] {3}, f32(1).mul(3).toFloatArray());
    var e = assertThrows(InvalidArgumentException.class, () -> Tensor.of(1, 2).add(0.5));
    assertMessage(e, "AddV2", "0.5", "int32");
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(1).mul(1e10));
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(1L).mul(Double.NaN));
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(true).add(1));
  }

  @Test
  void shapeMismatchNamesTheOpAndBothShapes() {
    Tensor a = Tensor.of(new float[6], 2, 3), b = Tensor.of(new float[4], 4);
    var e = assertThrows(InvalidArgumentException.class, () -> Ops.add(a, b));
    assertMessage(e, "AddV2", "[2, 3]", "[4]", "broadcast");
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.floorMod(Tensor.of(new int[6], 3, 2), Tensor.of(new int[3], 3, 1, 1)));
    assertMessage(e, "FloorMod", "[3, 2]", "[3, 1, 1]");
  }

  @Test
  void mixingDTypesIsAnError() {
    var e = assertThrows(InvalidArgumentException.class, () -> f32(1).add(Tensor.of(1.0)));
    assertMessage(e, "AddV2", "float32", "float64", "dtype");
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(1).mul(Tensor.of(1L)));
    e = assertThrows(InvalidArgumentException.class, () -> Tensor.of(true).add(Tensor.of(false)));
    assertMessage(e, "AddV2", "bool");
    e = assertThrows(InvalidArgumentException.class, () -> Ops.add(f32(1), null));
    assertMessage(e, "AddV2", "null");
  }

  @Test
  void declarationsAreElementwiseWithFusionOperators() {
    assertEquals("AddV2", BinaryOps.ADD.name());
    assertTrue(BinaryOps.ADD.is(OpDef.Flag.ELEMENTWISE));
    assertSame(BinaryOp.FLOOR_MOD, BinaryOps.FLOOR_MOD.fusionOp());
    assertSame(BinaryOps.DIV, OpRegistry.get("RealDiv"));
    Set<String> names = OpRegistry.all().stream().map(OpDef::name).collect(Collectors.toSet());
    for (String n : new String[] {"AddV2", "Sub", "Mul", "RealDiv", "FloorDiv", "FloorMod", "Pow",
        "Maximum", "Minimum", "SquaredDifference", "Atan2", "Equal", "NotEqual", "Less",
        "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot",
        "SelectV2", "Cast", "ClipByValue"}) {
      assertTrue(names.contains(n), n);
    }
  }
}
