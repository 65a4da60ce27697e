package dev.isthmus;

import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * An input pipeline of elements, each a list of tensors (TensorFlow's {@code tf.data.Dataset}).
 * Datasets are immutable descriptions; {@link #iterator()} starts a pass.
 *
 * <pre>{@code
 * Dataset ds = Dataset.fromTensorSlices(images, labels).shuffle(1000, 42).batch(32);
 * DatasetIterator it = ds.iterator();
 * List<Tensor> batch = it.getNextAll();   // [images[32, ...], labels[32]]; OutOfRangeException at the end
 * }</pre>
 *
 * <p>Element specs (dtype and shape per component) are known without running the pipeline; a
 * batch without {@code dropRemainder} has batch dimension {@code n} in its spec, and the last
 * batch may be smaller (TensorFlow says {@code None}).
 */
public final class Dataset {
  private final List<TensorSpec> spec;
  private final Source source;

  /** Makes the Java-level iterator of one pass. */
  @FunctionalInterface
  interface Source {
    Iterator<List<Tensor>> open();
  }

  private Dataset(List<TensorSpec> spec, Source source) {
    this.spec = List.copyOf(spec);
    this.source = source;
  }

  /**
   * The slices of {@code components} along their first axis: element i is
   * {@code [c0[i], c1[i], ...]} (tf.data.Dataset.from_tensor_slices). Slices share memory with
   * the components.
   *
   * @throws InvalidArgumentException for no components, a scalar, symbolic tensors, or first
   *     dimensions that differ
   */
  public static Dataset fromTensorSlices(Tensor... components) {
    if (components == null || components.length == 0) {
      throw new InvalidArgumentException("Dataset.fromTensorSlices: expected at least one tensor");
    }
    long n = -1;
    List<TensorSpec> spec = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      Tensor c = components[i];
      if (c == null || c.isSymbolic() || c.rank() == 0) {
        throw new InvalidArgumentException("Dataset.fromTensorSlices: component #" + i + " is "
            + (c == null ? "null" : c.isSymbolic() ? "symbolic '" + c.name() + "'"
                : "a scalar " + c.describe()) + "; expected concrete tensors of rank >= 1");
      }
      if (n >= 0 && c.shape().dim(0) != n) {
        throw new InvalidArgumentException("Dataset.fromTensorSlices: component #" + i + " "
            + c.describe() + " has " + c.shape().dim(0) + " slices; component #0 has " + n);
      }
      n = c.shape().dim(0);
      long[] dims = c.shape().dims();
      spec.add(new TensorSpec(c.dtype(), Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length))));
    }
    Tensor[] comps = components.clone();
    long count = n;
    return new Dataset(spec, () -> new Iterator<>() {
      private long i;

      @Override
      public boolean hasNext() {
        return i < count;
      }

      @Override
      public List<Tensor> next() {
        if (i >= count) {
          throw new NoSuchElementException();
        }
        List<Tensor> out = new ArrayList<>(comps.length);
        for (int k = 0; k < comps.length; k++) {
          TensorSpec s = spec.get(k);
          long bytes = s.shape().size() * s.dtype().byteSize();
          MemorySegment row = Tensors.data(comps[k]).asSlice(i * bytes, bytes);
          out.add(Tensors.wrap(s.dtype(), s.shape(), row));
        }
        i++;
        return out;
      }
    });
  }

  /** The dtype and shape of each component of an element. */
  public List<DType> elementDTypes() {
    return spec.stream().map(TensorSpec::dtype).toList();
  }

  /** The shape of each component of an element (batch dimension as in the class comment). */
  public List<Shape> elementShapes() {
    return spec.stream().map(TensorSpec::shape).toList();
  }

  List<TensorSpec> spec() {
    return spec;
  }

  /** Batches of {@code n} consecutive elements, the last one possibly smaller (tf's batch). */
  public Dataset batch(long n) {
    return batch(n, false);
  }

  /**
   * Batches of {@code n} consecutive elements stacked along a new first axis; with
   * {@code dropRemainder} a last batch smaller than {@code n} is dropped.
   *
   * @throws InvalidArgumentException if {@code n < 1}
   */
  public Dataset batch(long n, boolean dropRemainder) {
    if (n < 1) {
      throw new InvalidArgumentException("Dataset.batch: batch size " + n + "; expected >= 1");
    }
    List<TensorSpec> out = new ArrayList<>();
    for (TensorSpec s : spec) {
      long[] d = new long[s.shape().rank() + 1];
      d[0] = n;
      System.arraycopy(s.shape().dims(), 0, d, 1, s.shape().rank());
      out.add(new TensorSpec(s.dtype(), Shape.of(d)));
    }
    return new Dataset(out, () -> {
      Iterator<List<Tensor>> up = source.open();
      return new Iterator<>() {
        private List<List<Tensor>> nextBatch = fill();

        private List<List<Tensor>> fill() {
          List<List<Tensor>> b = new ArrayList<>();
          while (b.size() < n && up.hasNext()) {
            b.add(up.next());
          }
          return b.isEmpty() || (dropRemainder && b.size() < n) ? null : b;
        }

        @Override
        public boolean hasNext() {
          return nextBatch != null;
        }

        @Override
        public List<Tensor> next() {
          if (nextBatch == null) {
            throw new NoSuchElementException();
          }
          List<List<Tensor>> b = nextBatch;
          nextBatch = b.size() < n ? null : fill();
          return stack(b);
        }
      };
    });
  }

  private List<Tensor> stack(List<List<Tensor>> rows) {
    List<Tensor> out = new ArrayList<>(spec.size());
    for (int k = 0; k < spec.size(); k++) {
      Tensor first = rows.get(0).get(k);
      long[] d = new long[first.rank() + 1];
      d[0] = rows.size();
      System.arraycopy(first.shape().dims(), 0, d, 1, first.rank());
      TensorSpec s = new TensorSpec(first.dtype(), Shape.of(d));
      long bytes = first.size() * first.dtype().byteSize();
      MemorySegment dst = Tensors.allocate(s);
      for (int r = 0; r < rows.size(); r++) {
        Tensor t = rows.get(r).get(k);
        if (!t.shape().equals(first.shape())) {
          throw new InvalidArgumentException("Dataset.batch: cannot batch component #" + k
              + " of shapes " + first.shape() + " and " + t.shape() + "; expected equal shapes");
        }
        MemorySegment.copy(Tensors.data(t), 0, dst, r * bytes, bytes);
      }
      out.add(Tensors.wrap(s.dtype(), s.shape(), dst));
    }
    return out;
  }

  /**
   * Elements in a random order from a buffer of {@code bufferSize} (tf's shuffle): the buffer
   * is filled, a random element is emitted and replaced by the next. The order is fixed by
   * {@code seed} and differs on each pass (TensorFlow's {@code reshuffle_each_iteration}).
   */
  public Dataset shuffle(long bufferSize, long seed) {
    if (bufferSize < 1) {
      throw new InvalidArgumentException(
          "Dataset.shuffle: buffer size " + bufferSize + "; expected >= 1");
    }
    AtomicLong passes = new AtomicLong();
    return new Dataset(spec, () -> {
      Iterator<List<Tensor>> up = source.open();
      SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + passes.getAndIncrement());
      ArrayList<List<Tensor>> buf = new ArrayList<>();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          while (buf.size() < bufferSize && up.hasNext()) {
            buf.add(up.next());
          }
          return !buf.isEmpty();
        }

        @Override
        public List<Tensor> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int i = rng.nextInt(buf.size());
          List<Tensor> e = buf.get(i);
          buf.set(i, buf.get(buf.size() - 1));
          buf.remove(buf.size() - 1);
          return e;
        }
      };
    });
  }

  /** The elements repeated {@code count} times, each pass a new pass of this dataset. */
  public Dataset repeat(long count) {
    if (count < 0) {
      throw new InvalidArgumentException("Dataset.repeat: count " + count + "; expected >= 0");
    }
    return repeatImpl(count);
  }

  /** The elements repeated forever (tf's repeat with no count). */
  public Dataset repeat() {
    return repeatImpl(-1);
  }

  private Dataset repeatImpl(long count) {
    return new Dataset(spec, () -> new Iterator<>() {
      private long done;
      private Iterator<List<Tensor>> cur = count == 0 ? null : source.open();

      @Override
      public boolean hasNext() {
        while (cur != null && !cur.hasNext()) {
          done++;
          if (count >= 0 && done >= count) {
            cur = null;
            break;
          }
          Iterator<List<Tensor>> fresh = source.open();
          if (!fresh.hasNext()) { // an empty dataset repeated stays empty
            cur = null;
            break;
          }
          cur = fresh;
        }
        return cur != null;
      }

      @Override
      public List<Tensor> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return cur.next();
      }
    });
  }

  /** The first {@code n} elements. */
  public Dataset take(long n) {
    if (n < 0) {
      throw new InvalidArgumentException("Dataset.take: count " + n + "; expected >= 0");
    }
    return new Dataset(spec, () -> {
      Iterator<List<Tensor>> up = source.open();
      return new Iterator<>() {
        private long taken;

        @Override
        public boolean hasNext() {
          return taken < n && up.hasNext();
        }

        @Override
        public List<Tensor> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          taken++;
          return up.next();
        }
      };
    });
  }

  /** {@code fn} applied to each single-component element (tf's map). */
  public Dataset map(UnaryOperator<Tensor> fn) {
    Objects.requireNonNull(fn, "fn");
    if (spec.size() != 1) {
      throw new InvalidArgumentException("Dataset.map: elements have " + spec.size()
          + " components; use mapList");
    }
    return mapList(args -> List.of(fn.apply(args.get(0))));
  }

  /**
   * {@code fn} applied to each element (tf's map). It is traced once per element signature into
   * a {@link Function} and runs as a graph, as TensorFlow traces map functions.
   */
  public Dataset mapList(java.util.function.Function<List<Tensor>, List<Tensor>> fn) {
    Objects.requireNonNull(fn, "fn");
    Function f = Function.builder().name("map_fn").buildList(fn);
    Graph scratch = new Graph();
    Tensor[] like = new Tensor[spec.size()];
    try (Scope s = scratch.asDefault()) {
      for (int i = 0; i < like.length; i++) {
        like[i] = Ops.placeholder(spec.get(i).dtype(), spec.get(i).shape().dims());
      }
    }
    ConcreteFunction cf;
    try (Scope eager = dev.isthmus.internal.ContextStack.push(
        dev.isthmus.internal.EagerContext.INSTANCE)) {
      cf = f.getConcreteFunction(like);
    }
    List<TensorSpec> out = cf.outputs().stream()
        .map(t -> new TensorSpec(t.dtype(), t.shape())).toList();
    return new Dataset(out, () -> {
      Iterator<List<Tensor>> up = source.open();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return up.hasNext();
        }

        @Override
        public List<Tensor> next() {
          List<Tensor> in = up.next();
          try (Scope eager = dev.isthmus.internal.ContextStack.push(
              dev.isthmus.internal.EagerContext.INSTANCE)) {
            return f.callAll(in.toArray(new Tensor[0]));
          }
        }
      };
    });
  }

  /** A new pass over the elements. */
  public DatasetIterator iterator() {
    return new DatasetIterator(this, source.open());
  }
}
