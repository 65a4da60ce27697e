package dev.isthmus.kernels.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Broadcast lowering: merged axes, each input's pattern, and strided row offsets. */
class FusedLayoutTest {
  private static long[] s(long... dims) {
    return dims;
  }

  @Test
  void sameShapesAreOneRow() {
    FusedLayout l = FusedLayout.broadcast(s(4, 5, 6), s(4, 5, 6), s(4, 5, 6));
    assertEquals(1, l.outer());
    assertEquals(120, l.inner());
    assertEquals(Pattern.ELEMENTWISE, l.pattern(0));
    assertEquals(Pattern.ELEMENTWISE, l.pattern(1));
  }

  @Test
  void theCommonBroadcastsNeedNoStrides() {
    FusedLayout l = FusedLayout.broadcast(s(8, 10), s(8, 10), s(10), s(8, 1), s(), s(1, 1));
    assertEquals(8, l.outer());
    assertEquals(10, l.inner());
    assertEquals(Pattern.ELEMENTWISE, l.pattern(0));
    assertEquals(Pattern.ROW, l.pattern(1));
    assertEquals(Pattern.COLUMN, l.pattern(2));
    assertEquals(Pattern.SCALAR, l.pattern(3));
    assertEquals(Pattern.SCALAR, l.pattern(4));
  }

  @Test
  void otherBroadcastsAreStridedPerRow() {
    // [a, 1, c] against [a, b, c]: rows are (a, b), the first input repeats over b
    FusedLayout l = FusedLayout.broadcast(s(3, 4, 5), s(3, 1, 5), s(3, 4, 5), s(3, 4, 1),
        s(1, 4, 1));
    assertEquals(12, l.outer());
    assertEquals(5, l.inner());
    assertEquals(Pattern.STRIDED_ROW, l.pattern(0));
    assertEquals(Pattern.ELEMENTWISE, l.pattern(1));
    assertEquals(Pattern.COLUMN, l.pattern(2));
    assertEquals(Pattern.STRIDED_COLUMN, l.pattern(3));
    for (long r = 0; r < 12; r++) {
      long a = r / 4;
      long b = r % 4;
      assertEquals(a * 5, l.offset(0, r), "row " + r);
      assertEquals(b, l.offset(3, r), "row " + r);
      assertEquals(r * 5, l.offset(1, r));
    }
    assertEquals(15, l.extent(0, Pattern.STRIDED_ROW));
    assertEquals(4, l.extent(3, Pattern.STRIDED_COLUMN));
  }

  @Test
  void reducingTheLastAxisKeepsItInner() {
    FusedLayout l = FusedLayout.reduceInner(s(2, 3, 7), s(2, 3, 7), s(7));
    assertEquals(6, l.outer());
    assertEquals(7, l.inner());
    assertEquals(Pattern.ROW, l.pattern(1));
    FusedLayout one = FusedLayout.reduceInner(s(5, 1), s(5, 1));
    assertEquals(5, one.outer());
    assertEquals(1, one.inner());
    assertEquals(Pattern.COLUMN, one.pattern(0));
  }

  @Test
  void emptyAndInvalidShapes() {
    FusedLayout e = FusedLayout.broadcast(s(3, 0), s(3, 0), s(0));
    assertEquals(0, e.outer() * e.inner());
    assertEquals(Pattern.ELEMENTWISE, e.pattern(1));
    FusedLayout r = FusedLayout.reduceInner(s(4, 0), s(4, 0));
    assertEquals(4, r.outer());
    assertEquals(0, r.inner());
    assertThrows(IllegalArgumentException.class, () -> FusedLayout.broadcast(s(3, 4), s(3, 5)));
    assertThrows(IllegalArgumentException.class, () -> FusedLayout.broadcast(s(4), s(2, 4)));
    assertThrows(IllegalArgumentException.class, () -> FusedLayout.reduceInner(s()));
    assertThrows(IllegalArgumentException.class, () -> FusedLayout.of(-1, 2));
    assertThrows(IllegalStateException.class, () -> FusedLayout.of(2, 2).pattern(0));
  }
}
