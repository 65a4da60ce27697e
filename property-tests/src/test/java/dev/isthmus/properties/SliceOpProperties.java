package dev.isthmus.properties;

import static dev.isthmus.properties.MoveOpProperties.assertTensor;
import static dev.isthmus.properties.MoveOpProperties.bits;
import static dev.isthmus.properties.MoveOpProperties.expect;
import static dev.isthmus.properties.MoveOpProperties.tensor;
import static dev.isthmus.properties.MoveOpProperties.tensors;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Tensor;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * StridedSlice against a reference written from Python's side: each spec is read as the Python
 * index it encodes (ellipsis, np.newaxis, integers for shrunk entries, slices with None for
 * masked bounds) and evaluated with {@code slice.indices} and numpy's basic-indexing rules,
 * element by element. Slice is checked against StridedSlice.
 */
class SliceOpProperties {
  /** A strided-slice spec: arrays and masks, drawn to hit every mask and out-of-range bound. */
  record SliceSpec(Tensor x, long[] begin, long[] end, long[] strides, int beginMask, int endMask,
      int ellipsisMask, int newAxisMask, int shrinkMask) {}

  static Gen<SliceSpec> sliceSpecs(boolean masks) {
    return in -> {
      Draw d = TensorGens.draw(in);
      Tensor x = tensor(d, 4, 6);
      long[] dims = x.shape().dims();
      int n = masks ? d.intBetween(0, dims.length + 2) : d.intBetween(0, dims.length);
      long[] b = new long[n], e = new long[n], s = new long[n];
      int bm = 0, em = 0, el = 0, na = 0, sh = 0;
      for (int i = 0; i < n; i++) {
        long dim = i < dims.length ? dims[i] : 3;
        b[i] = d.between(-dim - 3, dim + 3);
        e[i] = d.between(-dim - 3, dim + 3);
        s[i] = d.oneOf(1L, 1L, 2L, 3L, 7L, -1L, -1L, -2L, -3L);
        if (masks) {
          bm |= d.between(0, 3) == 0 ? 1 << i : 0;
          em |= d.between(0, 3) == 0 ? 1 << i : 0;
          na |= d.between(0, 5) == 0 ? 1 << i : 0;
          if (d.between(0, 4) == 0) {
            sh |= 1 << i;
            s[i] = 1;
            b[i] = d.between(-dim - 1, dim);
          }
        }
      }
      if (masks && n > 0 && d.between(0, 2) == 0) {
        el = 1 << d.intBetween(0, n - 1);
      }
      return new SliceSpec(x, b, e, s, bm, em, el, na, sh);
    };
  }

  /** Python's {@code slice(start, stop, step).indices(dim)}, as the list of indices it walks. */
  static long[] pythonSlice(Long start, Long stop, long step, long dim) {
    long lo = step > 0 ? 0 : -1, hi = step > 0 ? dim : dim - 1;
    long a = start == null ? (step > 0 ? lo : hi)
        : start < 0 ? Math.max(start + dim, lo) : Math.min(start, hi);
    long z = stop == null ? (step > 0 ? hi : lo)
        : stop < 0 ? Math.max(stop + dim, lo) : Math.min(stop, hi);
    List<Long> out = new ArrayList<>();
    for (long i = a; step > 0 ? i < z : i > z; i += step) {
      out.add(i);
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * numpy's basic indexing with the spec read as Python index items (an ellipsis, np.newaxis,
   * an integer for a shrunk entry, else a slice with None for masked bounds); null when numpy
   * would raise.
   */
  static long[][] numpyIndex(SliceSpec p, List<Long> outDims) {
    long[] dims = p.x().shape().dims();
    int n = p.begin().length;
    List<Object> items = new ArrayList<>(); // "...", "new", Long (an index) or long[] (a slice)
    boolean ellipsis = false;
    for (int i = 0; i < n; i++) {
      if ((p.ellipsisMask() >> i & 1) != 0) {
        items.add("...");
        ellipsis = true;
      } else if ((p.newAxisMask() >> i & 1) != 0) {
        items.add("new");
      } else if ((p.shrinkMask() >> i & 1) != 0) {
        items.add(p.begin()[i]);
      } else {
        items.add(new long[] {i});
      }
    }
    if (!ellipsis) {
      items.add("...");
    }
    long real = items.stream().filter(o -> o instanceof Long || o instanceof long[]).count();
    if (real > dims.length) {
      return null; // too many indices
    }
    long[][] perAxis = new long[dims.length][];
    int axis = 0;
    for (Object it : items) {
      if (it.equals("...")) {
        for (long k = 0; k < dims.length - real; k++, axis++) {
          perAxis[axis] = pythonSlice(null, null, 1, dims[axis]);
          outDims.add(dims[axis]);
        }
      } else if (it.equals("new")) {
        outDims.add(1L);
      } else if (it instanceof Long v) {
        long i = v < 0 ? v + dims[axis] : v;
        if (i < 0 || i >= dims[axis]) {
          return null; // index out of range
        }
        perAxis[axis++] = new long[] {i};
      } else {
        int i = (int) ((long[]) it)[0];
        Long start = (p.beginMask() >> i & 1) != 0 ? null : p.begin()[i];
        Long stop = (p.endMask() >> i & 1) != 0 ? null : p.end()[i];
        perAxis[axis] = pythonSlice(start, stop, p.strides()[i], dims[axis]);
        outDims.add((long) perAxis[axis].length);
        axis++;
      }
    }
    return perAxis;
  }

  static void checkStridedSlice(SliceSpec p) {
    Tensor x = p.x();
    List<Long> od = new ArrayList<>();
    long[][] perAxis = numpyIndex(p, od);
    if (perAxis == null) {
      assertThrows(InvalidArgumentException.class, () -> x.stridedSlice(p.begin(), p.end(),
          p.strides(), p.beginMask(), p.endMask(), p.ellipsisMask(), p.newAxisMask(),
          p.shrinkMask()));
      return;
    }
    // row-major over the per-axis index lists is the output's order (new axes are all size 1)
    long[] sizes = new long[perAxis.length];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = perAxis[i].length;
    }
    long[] want = expect(x, sizes, o -> {
      long[] src = new long[o.length];
      for (int i = 0; i < o.length; i++) {
        src[i] = perAxis[i][(int) o[i]];
      }
      return src;
    });
    long[] outDims = od.stream().mapToLong(Long::longValue).toArray();
    assertTensor(outDims, want, x.dtype(), x.stridedSlice(p.begin(), p.end(), p.strides(),
        p.beginMask(), p.endMask(), p.ellipsisMask(), p.newAxisMask(), p.shrinkMask()));
  }

  @Test
  void stridedSliceMatchesPythonSlicing() {
    qt().withExamples(400).forAll(sliceSpecs(false)).checkAssert(SliceOpProperties::checkStridedSlice);
  }

  @Test
  void stridedSliceMasksMatchNumpyIndexing() {
    qt().withExamples(600).forAll(sliceSpecs(true)).checkAssert(SliceOpProperties::checkStridedSlice);
  }

  @Test
  void sliceIsAStridedSliceWithUnitSteps() {
    qt().withExamples(200).forAll(tensors(4, 5), in -> TensorGens.draw(in).between(0, 1L << 40))
        .checkAssert((x, seed) -> {
          java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
          long[] d = x.shape().dims();
          long[] b = new long[d.length], s = new long[d.length], e = new long[d.length];
          long[] ones = new long[d.length];
          for (int i = 0; i < d.length; i++) {
            b[i] = rnd.nextLong(d[i] + 1);
            s[i] = rnd.nextInt(4) == 0 ? -1 : rnd.nextLong(d[i] - b[i] + 1);
            e[i] = s[i] == -1 ? d[i] : b[i] + s[i];
            ones[i] = 1;
          }
          Tensor want = x.stridedSlice(b, e, ones);
          assertTensor(want.shape().dims(), bits(want), x.dtype(), x.slice(b, s));
        });
  }
}
