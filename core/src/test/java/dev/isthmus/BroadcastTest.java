package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.Broadcast;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastTest {
  @Test
  void rowBroadcastRunsWholeRows() {
    Broadcast p = Broadcast.plan(Shape.of(1000, 1000), Shape.of(1000, 1000), Shape.of(1000));
    assertEquals(1000, p.inner());
    assertEquals(1000, p.runs());
    assertFalse(p.repeated(0));
    assertFalse(p.repeated(1));
  }

  @Test
  void outerProductRunsWholeRowsWithARepeatedSide() {
    Broadcast p = Broadcast.plan(Shape.of(1000, 1000), Shape.of(1000, 1), Shape.of(1, 1000));
    assertEquals(1000, p.inner());
    assertEquals(1000, p.runs());
    assertTrue(p.repeated(0));
    assertFalse(p.repeated(1));
  }

  @Test
  void scalarsAndSameShapesAreOneRun() {
    Broadcast p = Broadcast.plan(Shape.of(4, 5, 6), Shape.of(4, 5, 6), Shape.scalar());
    assertEquals(1, p.runs());
    assertEquals(120, p.inner());
    assertTrue(p.repeated(1));
    p = Broadcast.plan(Shape.of(1, 4, 1, 6), Shape.of(4, 1, 6), Shape.of(1, 4, 1, 6));
    assertEquals(1, p.runs());
    assertEquals(24, p.inner());
  }

  @Test
  void mergesAxesThatBroadcastAlike() {
    // [2,3,4,5] with [3,4,1]: axes 1 and 2 merge, axis 3 is the (repeated) run
    Broadcast p = Broadcast.plan(Shape.of(2, 3, 4, 5), Shape.of(2, 3, 4, 5), Shape.of(3, 4, 1));
    assertEquals(5, p.inner());
    assertArrayEquals(new long[] {2, 12}, p.outerDims());
    assertTrue(p.repeated(1));
  }

  @Test
  void runsVisitOffsetsInOrder() {
    List<long[]> runs = new ArrayList<>();
    Broadcast.forEach(Shape.of(2, 3), Shape.of(2, 1), Shape.of(3),
        (ao, ar, bo, br, yo, n) -> runs.add(new long[] {ao, ar ? 1 : 0, bo, br ? 1 : 0, yo, n}));
    assertEquals(2, runs.size());
    assertArrayEquals(new long[] {0, 1, 0, 0, 0, 3}, runs.get(0));
    assertArrayEquals(new long[] {1, 1, 0, 0, 3, 3}, runs.get(1));
    runs.clear();
    Broadcast.forEach(Shape.of(0, 3), Shape.of(0, 3), Shape.of(3),
        (ao, ar, bo, br, yo, n) -> runs.add(new long[] {n}));
    assertTrue(runs.isEmpty());
  }
}
