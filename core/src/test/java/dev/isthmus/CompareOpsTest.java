package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompareOpsTest {
  private static void assertMessage(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void comparisonsOnEveryNumericDType() {
    Tensor[][] pairs = {
      {Tensor.of(1f, 2f, 3f), Tensor.of(2f, 2f, 2f)},
      {Tensor.of(1.0, 2.0, 3.0), Tensor.of(2.0, 2.0, 2.0)},
      {Tensor.of(1, 2, 3), Tensor.of(2, 2, 2)},
      {Tensor.of(1L, 2L, 3L), Tensor.of(2L, 2L, 2L)},
    };
    for (Tensor[] p : pairs) {
      Tensor a = p[0], b = p[1];
      assertArrayEquals(new boolean[] {false, true, false}, a.equal(b).toBooleanArray());
      assertArrayEquals(new boolean[] {true, false, true}, a.notEqual(b).toBooleanArray());
      assertArrayEquals(new boolean[] {true, false, false}, a.less(b).toBooleanArray());
      assertArrayEquals(new boolean[] {true, true, false}, a.lessEqual(b).toBooleanArray());
      assertArrayEquals(new boolean[] {false, false, true}, a.greater(b).toBooleanArray());
      assertArrayEquals(new boolean[] {false, true, true}, a.greaterEqual(b).toBooleanArray());
      assertEquals(DType.BOOL, a.less(b).dtype());
    }
  }

  @Test
  void nanComparesFalseExceptNotEqual() {
    Tensor n = Tensor.of(Float.NaN, Float.NaN), x = Tensor.of(Float.NaN, 1f);
    assertArrayEquals(new boolean[] {false, false}, n.equal(x).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true}, n.notEqual(x).toBooleanArray());
    assertArrayEquals(new boolean[] {false, false}, n.less(x).toBooleanArray());
    assertArrayEquals(new boolean[] {false, false}, n.greaterEqual(x).toBooleanArray());
    assertArrayEquals(new boolean[] {true}, Tensor.of(-0.0).equal(Tensor.of(0.0)).toBooleanArray());
  }

  @Test
  void comparisonsBroadcast() {
    Tensor col = Tensor.of(new int[] {1, 2, 3}, 3, 1), row = Tensor.of(new int[] {2, 3}, 1, 2);
    Tensor lt = col.less(row);
    assertEquals(Shape.of(3, 2), lt.shape());
    assertArrayEquals(new boolean[] {true, true, false, true, false, false}, lt.toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, true},
        Tensor.scalar(2L).less(Tensor.of(1L, 2L, 3L)).toBooleanArray());
    var e = assertThrows(InvalidArgumentException.class,
        () -> Tensor.of(1, 2).less(Tensor.of(1, 2, 3)));
    assertMessage(e, "Less", "[2]", "[3]");
  }

  @Test
  void boolEqualityAndOrderErrors() {
    Tensor a = Tensor.of(true, true, false, false), b = Tensor.of(true, false, true, false);
    assertArrayEquals(new boolean[] {true, false, false, true}, a.equal(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, true, false}, a.notEqual(b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true, false, false},
        a.equal(Tensor.scalar(true)).toBooleanArray());
    var e = assertThrows(InvalidArgumentException.class, () -> a.less(b));
    assertMessage(e, "Less", "bool");
    e = assertThrows(InvalidArgumentException.class, () -> Tensor.of(1).equal(Tensor.of(1.0)));
    assertMessage(e, "Equal", "int32", "float64");
  }

  @Test
  void logicalOps() {
    Tensor a = Tensor.of(true, true, false, false), b = Tensor.of(true, false, true, false);
    assertArrayEquals(new boolean[] {true, false, false, false}, a.logicalAnd(b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true, true, false}, a.logicalOr(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, true, true}, a.logicalNot().toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, false, false},
        a.logicalAnd(Tensor.scalar(false)).toBooleanArray());
    Tensor col = Tensor.of(new boolean[] {true, false}, 2, 1);
    assertArrayEquals(new boolean[] {true, true, true, true, true, false, true, true},
        Ops.logicalOr(Tensor.of(new boolean[] {true, false, true, true}, 1, 4), col)
            .toBooleanArray());
    var e = assertThrows(InvalidArgumentException.class, () -> Tensor.of(1).logicalAnd(Tensor.of(1)));
    assertMessage(e, "LogicalAnd", "bool", "int32");
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(1f).logicalNot());
  }

  @Test
  void whereSelectsAndBroadcasts() {
    Tensor c = Tensor.of(true, false, true);
    assertArrayEquals(new float[] {1, 20, 3},
        c.where(Tensor.of(1f, 2f, 3f), Tensor.of(10f, 20f, 30f)).toFloatArray());
    assertArrayEquals(new long[] {1, 0, 1},
        Ops.where(c, Tensor.scalar(1L), Tensor.scalar(0L)).toLongArray());
    assertArrayEquals(new boolean[] {false, true, false},
        Ops.where(c, Tensor.scalar(false), Tensor.scalar(true)).toBooleanArray());
    Tensor col = Tensor.of(new boolean[] {true, false}, 2, 1);
    Tensor w = Ops.where(col, Tensor.of(new double[] {1, 2, 3}, 1, 3), Tensor.scalar(-1.0));
    assertEquals(Shape.of(2, 3), w.shape());
    assertArrayEquals(new double[] {1, 2, 3, -1, -1, -1}, w.toDoubleArray());
    Tensor w2 = Ops.where(Tensor.of(true, false), Tensor.of(new int[] {1, 2, 3, 4}, 2, 2),
        Tensor.of(new int[] {7, 8}, 2, 1));
    assertArrayEquals(new int[] {1, 7, 3, 8}, w2.toIntArray());
  }

  @Test
  void whereValidates() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> Ops.where(Tensor.of(1, 0), Tensor.of(1, 2), Tensor.of(3, 4)));
    assertMessage(e, "SelectV2", "condition", "bool");
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.where(Tensor.of(true), Tensor.of(1, 2), Tensor.of(3.0, 4.0)));
    assertMessage(e, "SelectV2", "int32", "float64");
    e = assertThrows(InvalidArgumentException.class,
        () -> Ops.where(Tensor.of(true, false, true), Tensor.of(1, 2), Tensor.of(3, 4)));
    assertMessage(e, "SelectV2", "[3]", "[2]");
  }
}
