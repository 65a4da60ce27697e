package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.FillKernels;
import dev.isthmus.kernels.FillScalar;
import dev.isthmus.kernels.MoveKernels;
import dev.isthmus.kernels.MoveScalar;
import dev.isthmus.kernels.Simd;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The movement kernels (strided copy, transpose, gather, fill) against their scalar twins, over
 * awkward shapes and layouts: sizes around the vector length, empty and size-1 axes, negative
 * and zero (broadcast) strides, permuted axes (the blocked-transpose path), long contiguous
 * runs (the bulk-copy path), heap and off-heap memory. Buffers start with the same random
 * bytes, so a kernel writing outside its elements fails too. The op-level properties are in
 * {@link MoveOpProperties}.
 */
class MoveKernelProperties {
  static final int LANES = Simd.floatLanes();
  static final int[] WIDTHS = {1, 4, 8};
  /** A draw that always picks its minimum: {@link #buffer} then allocates on the heap. */
  static final Draw HEAP = (min, max) -> min;

  /** A dimension that stresses vector loops, mostly small. */
  static long dim(Draw d) {
    long[] picks = {0, 1, 1, 2, 3, LANES - 1L, LANES, LANES + 1L, 2L * LANES + 1, 4L * LANES - 1,
        4L * LANES + 1, 17, 33};
    int i = d.intBetween(0, picks.length);
    return Math.max(0, i == picks.length ? d.between(1, 40) : picks[i]);
  }

  /** Dimensions of rank 0 to 4 with at most ~20k elements; sometimes one long last axis. */
  static long[] dims(Draw d) {
    int r = d.intBetween(0, 4);
    long[] dims = new long[r];
    for (int i = 0; i < r; i++) {
      dims[i] = dim(d);
    }
    if (r > 0 && d.between(0, 4) == 0) {
      dims[r - 1] = d.between(200, 700); // past the bulk-copy threshold for every width
    }
    for (int i = 0; i < r && product(dims) > 20_000; i++) {
      dims[i] = Math.min(dims[i], 3);
    }
    return dims;
  }

  static long product(long[] dims) {
    long p = 1;
    for (long v : dims) {
      p *= v;
    }
    return p;
  }

  /** A way to lay a view of {@code dims} inside a buffer of {@code extent} elements. */
  record Layout(long offset, long[] strides, long extent) {}

  /**
   * A random layout: the view sits inside a slightly larger parent block whose axes are laid out
   * in a random order (identity, last two swapped, or any), some axes walked backward and, when
   * {@code broadcast}, some with stride 0.
   */
  static Layout layout(Draw d, long[] dims, boolean broadcast) {
    int r = dims.length;
    long[] parent = new long[r];
    long offset = 0;
    int[] order = new int[r];
    for (int i = 0; i < r; i++) {
      parent[i] = dims[i] + d.between(0, 2);
      order[i] = i;
    }
    int kind = d.intBetween(0, 2);
    if (kind == 1 && r >= 2) {
      order[r - 1] = r - 2;
      order[r - 2] = r - 1;
    } else if (kind == 2) {
      for (int i = r - 1; i > 0; i--) {
        int j = d.intBetween(0, i);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    long[] strides = new long[r];
    long acc = 1;
    for (int k = r - 1; k >= 0; k--) {
      strides[order[k]] = acc;
      acc *= parent[order[k]];
    }
    for (int i = 0; i < r; i++) {
      offset += d.between(0, parent[i] - dims[i]) * strides[i];
    }
    for (int i = 0; i < r; i++) {
      if (broadcast && d.between(0, 5) == 0) {
        strides[i] = 0;
      } else if (dims[i] > 0 && d.between(0, 3) == 0) {
        offset += strides[i] * (dims[i] - 1);
        strides[i] = -strides[i];
      }
    }
    return new Layout(offset, strides, acc);
  }

  /** {@code bytes} random bytes, on the heap or off it. */
  static MemorySegment buffer(Draw d, long bytes, long seed) {
    MemorySegment s = d.between(0, 1) == 0 ? MemorySegment.ofArray(new byte[(int) bytes])
        : Arena.ofAuto().allocate(Math.max(1, bytes), 8);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (long i = 0; i < bytes; i++) {
      s.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
    }
    return s;
  }

  /**
   * Room for {@code elems} elements of width {@code w} with random bits: over a byte[], off-heap,
   * or (4- and 8-byte elements) over the array a tensor of that width uses, starting a few
   * elements into it. The fast paths differ between these.
   */
  static MemorySegment buffer(Draw d, int w, long elems, long seed) {
    int kind = d.intBetween(0, w == 1 ? 1 : 3);
    return kind < 2 ? buffer(kind == 0 ? HEAP : (min, max) -> max, elems * w, seed)
        : typed(w, kind == 2, elems, d.intBetween(0, 3), seed);
  }

  /** A copy of {@code s}: over an array of the same type when {@code s} is over a typed array. */
  static MemorySegment copyOf(MemorySegment s) {
    if (s.heapBase().isPresent() && !(s.heapBase().get() instanceof byte[])) {
      return sameKind(s);
    }
    MemorySegment c = MemorySegment.ofArray(new byte[(int) s.byteSize()]);
    c.copyFrom(s);
    return c;
  }

  static void assertSameBytes(MemorySegment want, MemorySegment got, String what) {
    long at = want.mismatch(got);
    assertEquals(-1, at, () -> what + ": first differing byte at " + at);
  }

  record CopyCase(int width, long[] dims, Layout src, Layout dst, MemorySegment srcMem,
      MemorySegment dstMem) {
    @Override
    public String toString() {
      return "width " + width + " dims " + Arrays.toString(dims) + " src " + src.offset() + "+"
          + Arrays.toString(src.strides()) + " dst " + (dst == null ? "contiguous"
          : dst.offset() + "+" + Arrays.toString(dst.strides()));
    }
  }

  static Gen<CopyCase> copies(boolean stridedDst) {
    return in -> {
      Draw d = TensorGens.draw(in);
      int w = WIDTHS[d.intBetween(0, 2)];
      long[] dims = dims(d);
      Layout src = layout(d, dims, true);
      Layout dst = stridedDst ? layout(d, dims, false) : null;
      long dstElems = stridedDst ? dst.extent() : product(dims) + 3;
      return new CopyCase(w, dims, src, dst, buffer(d, w, src.extent(), d.between(0, 1 << 30)),
          buffer(d, w, dstElems, d.between(0, 1 << 30)));
    };
  }

  @Test
  void copyStridedIntoContiguousMatchesScalarTwin() {
    qt().withExamples(400).forAll(copies(false)).checkAssert(c -> {
      long[] rowMajor = MoveKernels.rowMajorStrides(c.dims());
      MemorySegment want = copyOf(c.dstMem());
      MemorySegment got = copyOf(c.dstMem());
      MoveScalar.copyStrided(c.width(), c.dims(), c.srcMem(), c.src().offset(), c.src().strides(),
          want, 2, rowMajor);
      MoveKernels.copyStrided(c.width(), c.dims(), c.srcMem(), c.src().offset(),
          c.src().strides(), got, 2);
      assertSameBytes(want, got, c.toString());
    });
  }

  @Test
  void copyStridedIntoStridedMatchesScalarTwin() {
    qt().withExamples(300).forAll(copies(true)).checkAssert(c -> {
      MemorySegment want = copyOf(c.dstMem());
      MemorySegment got = copyOf(c.dstMem());
      MoveScalar.copyStrided(c.width(), c.dims(), c.srcMem(), c.src().offset(), c.src().strides(),
          want, c.dst().offset(), c.dst().strides());
      MoveKernels.copyStrided(c.width(), c.dims(), c.srcMem(), c.src().offset(),
          c.src().strides(), got, c.dst().offset(), c.dst().strides());
      assertSameBytes(want, got, c.toString());
    });
  }

  @Test
  void transposesMatchScalarTwin() {
    // the blocked path: dst contiguous along the last axis, src along another one
    qt().withExamples(200).forAll(in -> {
      Draw d = TensorGens.draw(in);
      int r = d.intBetween(2, 4);
      long[] p = new long[2 + 2 * r]; // width, seed, dims, memory order of src
      p[0] = WIDTHS[d.intBetween(0, 2)];
      p[1] = d.between(0, 1 << 30);
      long max = r == 2 ? 100 : r == 3 ? 40 : 12;
      for (int i = 0; i < r; i++) {
        p[2 + i] = d.between(1, max);
        p[2 + r + i] = i;
      }
      for (int i = r - 1; i > 0; i--) { // a random order, the last axis never innermost
        int j = d.intBetween(0, i);
        long t = p[2 + r + i];
        p[2 + r + i] = p[2 + r + j];
        p[2 + r + j] = t;
      }
      if (p[2 + r + r - 1] == r - 1) {
        p[2 + r + r - 1] = p[2 + r];
        p[2 + r] = r - 1;
      }
      return p;
    }).checkAssert(p -> {
      int w = (int) p[0];
      int r = (p.length - 2) / 2;
      long[] dims = Arrays.copyOfRange(p, 2, 2 + r);
      long[] srcStrides = new long[r];
      long acc = 1;
      for (int k = r - 1; k >= 0; k--) {
        int axis = (int) p[2 + r + k];
        srcStrides[axis] = acc;
        acc *= dims[axis];
      }
      MemorySegment src = buffer(HEAP, acc * w, p[1]);
      MemorySegment want = MemorySegment.ofArray(new byte[(int) (acc * w)]);
      MemorySegment got = MemorySegment.ofArray(new byte[(int) (acc * w)]);
      MoveScalar.copyStrided(w, dims, src, 0, srcStrides, want, 0,
          MoveKernels.rowMajorStrides(dims));
      MoveKernels.copyStrided(w, dims, src, 0, srcStrides, got, 0);
      assertSameBytes(want, got, "dims " + Arrays.toString(dims) + " src strides "
          + Arrays.toString(srcStrides) + " width " + w);
    });
  }

  /**
   * {@code elems} elements of width {@code w} on the heap, over the array a tensor of that width
   * uses ({@code floats}: float[] or double[], else int[] or long[]), filled with random bits
   * (NaN payloads included), as a slice that starts {@code lead} elements into the array.
   */
  static MemorySegment typed(int w, boolean floats, long elems, int lead, long seed) {
    int n = (int) elems + lead;
    MemorySegment s = w == 4
        ? floats ? MemorySegment.ofArray(new float[n]) : MemorySegment.ofArray(new int[n])
        : floats ? MemorySegment.ofArray(new double[n]) : MemorySegment.ofArray(new long[n]);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (long i = 0; i < s.byteSize(); i += 4) {
      s.set(ValueLayout.JAVA_INT_UNALIGNED, i, rnd.nextInt());
    }
    return s.asSlice((long) lead * w);
  }

  /** A copy of {@code s} over a fresh array of the same type (so it takes the same paths). */
  static MemorySegment sameKind(MemorySegment s) {
    Object a = s.heapBase().orElseThrow();
    int n = (int) (s.byteSize() + s.address());
    MemorySegment c = switch (a) {
      case float[] f -> MemorySegment.ofArray(new float[n / 4]);
      case int[] f -> MemorySegment.ofArray(new int[n / 4]);
      case double[] f -> MemorySegment.ofArray(new double[n / 8]);
      default -> MemorySegment.ofArray(new long[n / 8]);
    };
    c = c.asSlice(s.address());
    c.copyFrom(s);
    return c;
  }

  /** Sizes around the vector tiles (16, 8, 4 floats; 8, 4, 2 doubles) and their edges. */
  static long tileDim(Draw d) {
    long[] picks = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 64, 70};
    return picks[d.intBetween(0, picks.length - 1)];
  }

  @Test
  void transposesBetweenTypedArraysMatchScalarTwin() {
    // the vector tiles: float/int or double/long arrays (also mixed), sub-matrix strides, a batch
    // axis, slices that start inside their array
    qt().withExamples(300).forAll(in -> {
      Draw d = TensorGens.draw(in);
      // width, src floats?, dst floats?, batch, rows, cols, src pad, dst pad, src lead, dst lead,
      // seed
      return new long[] {d.between(0, 1) == 0 ? 4 : 8, d.between(0, 3) == 0 ? 0 : 1,
          d.between(0, 3) == 0 ? 0 : 1, d.between(1, 3), tileDim(d), tileDim(d),
          d.between(0, 2) == 0 ? d.between(1, 9) : 0, d.between(0, 2) == 0 ? d.between(1, 9) : 0,
          d.between(0, 5), d.between(0, 5), d.between(0, 1 << 30)};
    }).checkAssert(p -> {
      int w = (int) p[0];
      long batch = p[3], rows = p[4], cols = p[5];
      long sc = rows + p[6], dr = cols + p[7]; // src column stride, dst row stride
      long[] dims = {batch, rows, cols};
      long[] ss = {cols * sc, 1, sc};
      long[] ds = {rows * dr, dr, 1};
      MemorySegment src = typed(w, p[1] == 1, batch * cols * sc, (int) p[8], p[10]);
      MemorySegment dst = typed(w, p[2] == 1, batch * rows * dr, (int) p[9], p[10] + 1);
      MemorySegment want = sameKind(dst);
      MemorySegment got = sameKind(dst);
      MoveScalar.copyStrided(w, dims, src, 0, ss, want, 0, ds);
      MoveKernels.copyStrided(w, dims, src, 0, ss, got, 0, ds);
      assertSameBytes(want, got, "width " + w + " " + Arrays.toString(p));
    });
  }

  record GatherCase(int width, int idxWidth, long outer, long axisDim, long inner, long[] idx,
      long seed) {}

  @Test
  void gatherRowsMatchesScalarTwin() {
    qt().withExamples(300).forAll(in -> {
      Draw d = TensorGens.draw(in);
      long inner = d.between(0, 3) == 0 ? 1 : dim(d);
      if (d.between(0, 5) == 0) {
        inner = d.between(200, 400);
      }
      long axisDim = d.between(1, 20);
      long[] idx = new long[d.intBetween(0, 30)];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = d.between(0, axisDim - 1);
      }
      return new GatherCase(WIDTHS[d.intBetween(0, 2)], d.between(0, 1) == 0 ? 4 : 8,
          d.between(0, 4), axisDim, inner, idx, d.between(0, 1 << 30));
    }).checkAssert(g -> {
      int w = g.width();
      long n = g.idx().length;
      Draw r = Draw.of(new java.util.SplittableRandom(g.seed()));
      MemorySegment src = buffer(r, w, g.outer() * g.axisDim() * g.inner() + 1, g.seed());
      MemorySegment ix = MemorySegment.ofArray(new byte[(int) (n + 1) * g.idxWidth()]);
      for (int k = 0; k < n; k++) {
        if (g.idxWidth() == 4) {
          ix.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, k + 1, (int) g.idx()[k]);
        } else {
          ix.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, k + 1, g.idx()[k]);
        }
      }
      MemorySegment dst = buffer(r, w, g.outer() * n * g.inner() + 2, g.seed() + 1);
      MemorySegment want = copyOf(dst);
      MemorySegment got = copyOf(dst);
      MoveScalar.gatherRows(w, src, 1, g.outer(), g.axisDim(), g.inner(), ix, 1, g.idxWidth(), n,
          want, 2);
      MoveKernels.gatherRows(w, src, 1, g.outer(), g.axisDim(), g.inner(), ix, 1, g.idxWidth(), n,
          got, 2);
      assertSameBytes(want, got, g.toString());
    });
  }

  @Test
  void fillsMatchScalarTwins() {
    qt().withExamples(300).forAll(in -> {
      Draw d = TensorGens.draw(in);
      // kind, count, offset, raw bits of the value (any bits: NaN payloads must survive)
      return new long[] {d.between(0, 4), d.between(0, 4) == 0 ? d.between(0, 5000)
          : dim(d), d.between(0, 3), d.between(Long.MIN_VALUE, Long.MAX_VALUE)};
    }).checkAssert(p -> {
      int kind = (int) p[0];
      long n = p[1], off = p[2], v = p[3];
      int w = kind == 4 ? 1 : kind % 2 == 0 ? 4 : 8;
      MemorySegment start = (v & 1) == 0 ? buffer(HEAP, (n + 5) * 8, v) // also over a typed array
          : w == 1 ? buffer(HEAP, n + 5, v) : typed(w, kind < 2, n + 5, (int) (v >>> 1 & 3), v);
      MemorySegment want = copyOf(start);
      MemorySegment got = copyOf(start);
      switch (kind) {
        case 0 -> {
          FillScalar.f32(want, off, n, Float.intBitsToFloat((int) v));
          FillKernels.f32(got, off, n, Float.intBitsToFloat((int) v));
        }
        case 1 -> {
          FillScalar.f64(want, off, n, Double.longBitsToDouble(v));
          FillKernels.f64(got, off, n, Double.longBitsToDouble(v));
        }
        case 2 -> {
          FillScalar.i32(want, off, n, (int) v);
          FillKernels.i32(got, off, n, (int) v);
        }
        case 3 -> {
          FillScalar.i64(want, off, n, v);
          FillKernels.i64(got, off, n, v);
        }
        default -> {
          FillScalar.i8(want, off, n, (byte) v);
          FillKernels.i8(got, off, n, (byte) v);
        }
      }
      assertSameBytes(want, got, "fill kind " + kind + " n " + n + " off " + off);
    });
  }
}
