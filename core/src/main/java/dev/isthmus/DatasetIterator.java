package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import java.util.Iterator;
import java.util.List;

/**
 * One pass over a {@link Dataset} (TensorFlow's iterator). {@link #getNext()} is an op,
 * {@code IteratorGetNext}: eagerly it returns the next element now; inside a {@link Function} it
 * is a stateful node that takes the next element at every call; inside an async scope it is
 * queued in order like a variable update. At the end it throws {@link OutOfRangeException}.
 */
public final class DatasetIterator {
  private final Dataset dataset;
  private final Iterator<List<Tensor>> it;
  private final Attrs attrs;

  DatasetIterator(Dataset dataset, Iterator<List<Tensor>> it) {
    this.dataset = dataset;
    this.it = it;
    this.attrs = Attrs.of("iterator", this);
  }

  /**
   * The next element's single component.
   *
   * @throws OutOfRangeException at the end of the data ("End of sequence")
   * @throws InvalidArgumentException if elements have more than one component
   */
  public Tensor getNext() {
    if (dataset.spec().size() != 1) {
      throw new InvalidArgumentException("IteratorGetNext: elements have "
          + dataset.spec().size() + " components; use getNextAll()");
    }
    return Dispatch.run1(DatasetOps.GET_NEXT, attrs);
  }

  /** The next element, all components. */
  public List<Tensor> getNextAll() {
    return List.of(Dispatch.run(DatasetOps.GET_NEXT, attrs));
  }

  Dataset dataset() {
    return dataset;
  }

  /** The kernel's side: the next element, or OutOfRangeException. */
  synchronized Tensor[] next() {
    if (!it.hasNext()) {
      throw new OutOfRangeException("IteratorGetNext: End of sequence");
    }
    return it.next().toArray(new Tensor[0]);
  }

  @Override
  public String toString() {
    return "DatasetIterator(" + dataset.elementDTypes() + " " + dataset.elementShapes() + ")";
  }
}
