package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CastOpsTest {
  private static final double[] VALUES = {
    0, -0.0, 1, -1, 2.7, -2.7, 0.5, 1e10, -1e10, 3e19, -3e19, Double.NaN,
    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456789.75, 16777217
  };

  private static Tensor source(DType t) {
    int n = VALUES.length;
    return switch (t) {
      case FLOAT32 -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) VALUES[i];
        }
        yield Tensor.of(v);
      }
      case FLOAT64 -> Tensor.of(VALUES.clone());
      case INT32 -> Tensor.of(new int[] {0, 1, -1, 7, Integer.MAX_VALUE, Integer.MIN_VALUE, 16777217});
      case INT64 -> Tensor.of(new long[] {0, 1, -1, 7, Long.MAX_VALUE, Long.MIN_VALUE,
          (1L << 40) + 3, 1L << 53 | 1, 0xFFFF_FFFFL});
      case BOOL -> Tensor.of(true, false, true, true, false);
    };
  }

  // The reference: each element read as the Java value of its dtype, then Java's cast.
  private static double[] asDoubles(Tensor t) {
    int n = (int) t.size();
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = switch (t.dtype()) {
        case FLOAT32 -> t.getFloat(i);
        case FLOAT64 -> t.getDouble(i);
        case INT32 -> t.getInt(i);
        case INT64 -> Double.NaN; // read as long below
        case BOOL -> t.getBoolean(i) ? 1 : 0;
      };
    }
    return d;
  }

  private static void assertCast(Tensor x, DType to) {
    Tensor y = x.cast(to);
    assertEquals(to, y.dtype());
    assertEquals(x.shape(), y.shape());
    double[] d = asDoubles(x);
    for (int i = 0; i < x.size(); i++) {
      String at = x.dtype() + "->" + to + " at " + i;
      if (x.dtype() == DType.INT64) {
        long v = x.getLong(i);
        switch (to) {
          case FLOAT32 -> assertEquals((float) v, y.getFloat(i), at);
          case FLOAT64 -> assertEquals((double) v, y.getDouble(i), at);
          case INT32 -> assertEquals((int) v, y.getInt(i), at);
          case INT64 -> assertEquals(v, y.getLong(i), at);
          case BOOL -> assertEquals(v != 0, y.getBoolean(i), at);
        }
        continue;
      }
      double v = d[i];
      switch (to) {
        case FLOAT32 -> assertEquals(Float.floatToIntBits((float) v),
            Float.floatToIntBits(y.getFloat(i)), at);
        case FLOAT64 -> assertEquals(Double.doubleToLongBits(v),
            Double.doubleToLongBits(y.getDouble(i)), at);
        case INT32 -> assertEquals(x.dtype() == DType.FLOAT32 ? (int) (float) v : (int) v,
            y.getInt(i), at);
        case INT64 -> assertEquals((long) v, y.getLong(i), at);
        case BOOL -> assertEquals(v != 0, y.getBoolean(i), at);
      }
    }
  }

  @Test
  void everyPairOfDTypes() {
    for (DType from : DType.values()) {
      Tensor x = source(from);
      for (DType to : DType.values()) {
        assertCast(x, to);
      }
    }
  }

  @Test
  void edgeCasesFollowJavasCast() {
    Tensor f = Tensor.of(2.7f, -2.7f, Float.NaN, 1e10f, -1e10f, Float.POSITIVE_INFINITY);
    assertArrayEquals(new int[] {2, -2, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE},
        f.cast(DType.INT32).toIntArray());
    assertArrayEquals(new long[] {2, -2, 0, 10000000000L, -10000000000L, Long.MAX_VALUE},
        f.cast(DType.INT64).toLongArray());
    assertArrayEquals(new int[] {-1, 0}, Tensor.of(0xFFFF_FFFFL, 1L << 32).cast(DType.INT32).toIntArray());
    assertArrayEquals(new boolean[] {false, false, true, true},
        Tensor.of(0.0, -0.0, Double.NaN, 1e-300).cast(DType.BOOL).toBooleanArray());
    assertArrayEquals(new double[] {1, 0}, Tensor.of(true, false).cast(DType.FLOAT64).toDoubleArray());
    Tensor x = Tensor.of(1, 2);
    assertSame(x, x.cast(DType.INT32));
  }

  @Test
  void castRecordsItsDestinationAndRejectsNull() {
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(1).cast(null));
    Tensor big = Tensor.of(new float[4099], 4099).add(1.5).cast(DType.INT32);
    assertEquals(4099, big.size());
    assertTrue(java.util.Arrays.stream(big.toIntArray()).allMatch(v -> v == 1));
  }

  @Test
  void clipByValue() {
    Tensor x = Tensor.of(-2f, 0.5f, 3f, Float.NaN);
    float[] c = x.clipByValue(0, 1).toFloatArray();
    assertArrayEquals(new float[] {0, 0.5f, 1}, java.util.Arrays.copyOf(c, 3));
    assertTrue(Float.isNaN(c[3]));
    assertArrayEquals(new int[] {0, 2, 5}, Tensor.of(-3, 2, 9).clipByValue(0, 5).toIntArray());
    assertArrayEquals(new long[] {3, 3}, Tensor.of(1L, 9L).clipByValue(3, 2).toLongArray());
    Tensor m = Tensor.of(new double[] {1, 5, 9, 1, 5, 9}, 2, 3);
    Tensor lo = Tensor.of(2.0, 0.0, 0.0), hi = Tensor.of(new double[] {4, 4, 4, 10, 10, 10}, 2, 3);
    Tensor r = m.clipByValue(lo, hi);
    assertEquals(Shape.of(2, 3), r.shape());
    assertArrayEquals(new double[] {2, 4, 4, 2, 5, 9}, r.toDoubleArray());
    assertArrayEquals(new double[] {1, 3, 3, 1, 3, 3},
        m.clipByValue(Tensor.scalar(0.0), Tensor.scalar(3.0)).toDoubleArray());
  }

  @Test
  void clipByValueValidates() {
    Tensor x = Tensor.of(1f, 2f);
    var e = assertThrows(InvalidArgumentException.class,
        () -> x.clipByValue(Tensor.of(new float[] {0, 0, 0, 0}, 2, 2), Tensor.scalar(1f)));
    assertTrue(e.getMessage().contains("ClipByValue") && e.getMessage().contains("[2, 2]"),
        e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> x.clipByValue(Tensor.scalar(0.0), Tensor.scalar(1.0)));
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(1, 2).clipByValue(0.5, 2));
    assertThrows(InvalidArgumentException.class, () -> Tensor.of(true).clipByValue(0, 1));
  }
}
