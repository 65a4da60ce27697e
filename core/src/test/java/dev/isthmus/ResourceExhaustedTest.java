package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Outputs too large for the machine are an IsthmusException naming the op, never an Error. */
class ResourceExhaustedTest {
  @Test
  void offHeapSizedOutputsThatCannotBeHadNameTheOp() {
    var e = assertThrows(ResourceExhaustedException.class,
        () -> Ops.zeros(DType.FLOAT32, 1L << 40));
    assertTrue(e.getMessage().startsWith("Fill: OOM when allocating 1099511627776 elements of"
        + " float32"), e.getMessage());
    e = assertThrows(ResourceExhaustedException.class,
        () -> Ops.tile(Tensor.of(1f, 2f), 1L << 40));
    assertTrue(e.getMessage().contains("float32[2199023255552]"), e.getMessage());
  }

  @Test
  void heapSizedOutputsLargerThanTheHeapNameTheOp() {
    // 2e9 doubles = 16 GB: a Java array, larger than any heap the tests run with
    long n = Integer.MAX_VALUE - 100L;
    assertTrue(Runtime.getRuntime().maxMemory() < n * 8, "the test assumes a heap below 16 GB");
    var e = assertThrows(ResourceExhaustedException.class, () -> Ops.zeros(DType.FLOAT64, n));
    assertTrue(e.getMessage().startsWith("Fill: OOM when allocating"), e.getMessage());
    // and the engine goes on working
    assertArrayEquals(new double[] {0, 0}, Ops.zeros(DType.FLOAT64, 2).toDoubleArray());
  }

  @Test
  void elementCountsBeyondALongOfBytesAreRejected() {
    var e = assertThrows(ResourceExhaustedException.class,
        () -> Ops.range(0, Long.MAX_VALUE, 1));
    assertTrue(e.getMessage().startsWith("Range: cannot allocate"), e.getMessage());
  }
}
