package dev.isthmus.scopes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.DType;
import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Mean;
import dev.isthmus.Ops;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.Scope;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
  private static List<Integer> drain(DatasetIterator it) {
    List<Integer> out = new ArrayList<>();
    while (true) {
      try {
        for (int v : it.getNext().toIntArray()) {
          out.add(v);
        }
      } catch (OutOfRangeException e) {
        assertTrue(e.getMessage().contains("End of sequence"));
        return out;
      }
    }
  }

  private static Tensor range(int n) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return Tensor.of(v);
  }

  @Test
  void slicesAndSpecs() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor y = Tensor.of(7, 8, 9);
    Dataset ds = Dataset.fromTensorSlices(x, y);
    assertEquals(List.of(DType.FLOAT32, DType.INT32), ds.elementDTypes());
    assertEquals(List.of(Shape.of(2), Shape.scalar()), ds.elementShapes());
    DatasetIterator it = ds.iterator();
    List<Tensor> e = it.getNextAll();
    assertArrayEquals(new float[] {1, 2}, e.get(0).toFloatArray());
    assertEquals(7, e.get(1).item(), 0);
    it.getNextAll();
    it.getNextAll();
    assertThrows(OutOfRangeException.class, it::getNextAll);
    assertThrows(InvalidArgumentException.class, it::getNext); // two components
    assertThrows(InvalidArgumentException.class,
        () -> Dataset.fromTensorSlices(x, Tensor.of(1, 2)));
  }

  @Test
  void batchKeepsOrDropsTheRemainder() {
    DatasetIterator it = Dataset.fromTensorSlices(range(7)).batch(3).iterator();
    assertArrayEquals(new int[] {0, 1, 2}, it.getNext().toIntArray());
    assertArrayEquals(new int[] {3, 4, 5}, it.getNext().toIntArray());
    Tensor last = it.getNext();
    assertEquals(Shape.of(1), last.shape());
    assertEquals(List.of(), drain(it));
    assertEquals(List.of(0, 1, 2, 3, 4, 5),
        drain(Dataset.fromTensorSlices(range(7)).batch(3, true).iterator()));
  }

  @Test
  void shuffleIsAPermutationFixedBySeedAndNewEachPass() {
    Dataset ds = Dataset.fromTensorSlices(range(50)).shuffle(10, 42);
    List<Integer> a = drain(ds.iterator());
    List<Integer> b = drain(ds.iterator());
    assertEquals(50, a.size());
    assertEquals(range50(), a.stream().sorted().toList());
    assertNotEquals(a, b); // reshuffled each pass
    Dataset again = Dataset.fromTensorSlices(range(50)).shuffle(10, 42);
    assertEquals(a, drain(again.iterator())); // same seed, same first pass
    assertNotEquals(range50(), a);
  }

  private static List<Integer> range50() {
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      r.add(i);
    }
    return r;
  }

  @Test
  void repeatTakeAndMap() {
    Dataset ds = Dataset.fromTensorSlices(range(3)).repeat(2).map(x -> x.mul(Tensor.scalar(10)));
    assertEquals(List.of(0, 10, 20, 0, 10, 20), drain(ds.iterator()));
    assertEquals(List.of(0, 1, 2, 0, 1), drain(Dataset.fromTensorSlices(range(3)).repeat()
        .take(5).iterator()));
    assertEquals(List.of(), drain(Dataset.fromTensorSlices(range(3)).repeat(0).iterator()));
    assertEquals(List.of(0, 1), drain(Dataset.fromTensorSlices(range(3)).take(2).iterator()));
  }

  @Test
  void getNextInsideAFunctionTakesTheNextElementEachCall() {
    DatasetIterator it = Dataset.fromTensorSlices(range(3)).iterator();
    Function f = Function.of(() -> it.getNext().add(Tensor.scalar(100)));
    assertEquals(100, f.call().item(), 0);
    assertEquals(101, f.call().item(), 0);
    assertEquals(102, f.call().item(), 0);
    assertThrows(OutOfRangeException.class, f::call);
    assertEquals(1, f.tracingCount());
  }

  @Test
  void theReferenceAsyncTrainingLoop() {
    // async_scope's reference example: more steps than data, the close throws OutOfRange,
    // the caller clears the error, and the metric holds the mean over the batches that existed
    float[] values = {1, 2, 3, 4, 5, 6, 7};
    DatasetIterator iterator = Dataset.fromTensorSlices(Tensor.of(values)).batch(2).iterator();
    Mean loss = new Mean();
    Function trainStep = Function.of(() -> {
      Tensor batch = iterator.getNext();
      Tensor l = Ops.square(batch);
      loss.updateState(l);
      return Ops.reduceSum(l);
    });
    int numSteps = 10;
    boolean caught = false;
    try (Scope scope = Scopes.asyncScope()) {
      for (int i = 0; i < numSteps; i++) {
        trainStep.call();
      }
    } catch (OutOfRangeException e) {
      caught = true;
      Scopes.asyncClearError();
    }
    assertTrue(caught);
    double expect = 0;
    for (float v : values) {
      expect += v * v;
    }
    assertEquals(expect / values.length, loss.result().item(), 1e-12);
  }
}
