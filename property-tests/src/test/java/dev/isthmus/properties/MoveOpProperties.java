package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The movement ops against naive references written here, index by index: transpose,
 * stridedSlice (Python's slicing, masks included), concat/split, stack, tile, broadcastTo, pad
 * and gather, over every dtype, empty axes and rank 0. Elements are compared as raw bits.
 */
class MoveOpProperties {
  // ---- references' building blocks

  /** Every element's raw bits, row-major (floats as their IEEE bits, BOOL as 0/1). */
  static long[] bits(Tensor t) {
    int n = Math.toIntExact(t.size());
    long[] b = new long[n];
    switch (t.dtype()) {
      case FLOAT32 -> {
        float[] a = t.toFloatArray();
        for (int i = 0; i < n; i++) {
          b[i] = Float.floatToRawIntBits(a[i]);
        }
      }
      case FLOAT64 -> {
        double[] a = t.toDoubleArray();
        for (int i = 0; i < n; i++) {
          b[i] = Double.doubleToRawLongBits(a[i]);
        }
      }
      case INT32 -> {
        int[] a = t.toIntArray();
        for (int i = 0; i < n; i++) {
          b[i] = a[i];
        }
      }
      case INT64 -> b = t.toLongArray();
      case BOOL -> {
        boolean[] a = t.toBooleanArray();
        for (int i = 0; i < n; i++) {
          b[i] = a[i] ? 1 : 0;
        }
      }
    }
    return b;
  }

  static long[] unravel(long flat, long[] dims) {
    long[] idx = new long[dims.length];
    for (int i = dims.length - 1; i >= 0; i--) {
      idx[i] = flat % dims[i];
      flat /= dims[i];
    }
    return idx;
  }

  static long ravel(long[] idx, long[] dims) {
    long f = 0;
    for (int i = 0; i < dims.length; i++) {
      f = f * dims[i] + idx[i];
    }
    return f;
  }

  /** The expected bits of an output of {@code outDims} whose element at index o is x's at f(o). */
  static long[] expect(Tensor x, long[] outDims, Function<long[], long[]> source) {
    long[] xb = bits(x);
    long[] xd = x.shape().dims();
    long n = Shape.of(outDims).size();
    long[] out = new long[(int) n];
    for (long k = 0; k < n; k++) {
      out[(int) k] = xb[(int) ravel(source.apply(unravel(k, outDims)), xd)];
    }
    return out;
  }

  static void assertTensor(long[] dims, long[] want, DType t, Tensor got) {
    assertEquals(Shape.of(dims), got.shape());
    assertEquals(t, got.dtype());
    assertArrayEquals(want, bits(got));
  }

  static DType dtype(Draw d) {
    return DType.values()[d.intBetween(0, DType.values().length - 1)];
  }

  /** A tensor of a random dtype with dims of rank [0, maxRank], each in [0, maxDim]. */
  static Tensor tensor(Draw d, int maxRank, long maxDim) {
    return Generators.tensor(d, dtype(d), Generators.shape(d, maxRank, maxDim), -1000, 1000);
  }

  static Gen<Tensor> tensors(int maxRank, long maxDim) {
    return in -> tensor(TensorGens.draw(in), maxRank, maxDim);
  }

  // ---- properties

  @Test
  void transposeMatchesReference() {
    qt().withExamples(300).forAll(tensors(5, 5), in -> TensorGens.draw(in).between(0, 1L << 40))
        .checkAssert((x, seed) -> {
          int r = x.rank();
          java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
          int[] perm = new int[r];
          for (int i = 0; i < r; i++) {
            perm[i] = i;
          }
          for (int i = r - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
          }
          long[] xd = x.shape().dims();
          long[] od = new long[r];
          for (int i = 0; i < r; i++) {
            od[i] = xd[perm[i]];
          }
          long[] want = expect(x, od, o -> {
            long[] src = new long[r];
            for (int i = 0; i < r; i++) {
              src[perm[i]] = o[i];
            }
            return src;
          });
          assertTensor(od, want, x.dtype(), x.transpose(perm));
        });
  }


  /** Dims of rank [1, maxRank], each in [0, maxDim]. */
  static long[] dimsAtLeast1(Draw d, int maxRank, long maxDim) {
    long[] dims = new long[d.intBetween(1, maxRank)];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = d.between(0, maxDim);
    }
    return dims;
  }

  record SplitCase(Tensor x, int axis, long[] sizes) {}

  @Test
  void splitThenConcatRoundTrips() {
    qt().withExamples(300).forAll(in -> {
      Draw d = TensorGens.draw(in);
      long[] dims = dimsAtLeast1(d, 4, 7);
      Tensor x = Generators.tensor(d, dtype(d), Shape.of(dims), -1000, 1000);
      int axis = d.intBetween(-dims.length, dims.length - 1);
      long left = dims[axis < 0 ? axis + dims.length : axis];
      long[] sizes = new long[d.intBetween(1, 4)];
      for (int i = 0; i < sizes.length - 1; i++) {
        sizes[i] = d.between(0, left);
        left -= sizes[i];
      }
      sizes[sizes.length - 1] = left;
      if (d.between(0, 2) == 0) {
        sizes[d.intBetween(0, sizes.length - 1)] = -1;
      }
      return new SplitCase(x, axis, sizes);
    }).checkAssert(c -> {
      Tensor x = c.x();
      long[] xd = x.shape().dims();
      int ax = c.axis() < 0 ? c.axis() + xd.length : c.axis();
      long known = 0;
      for (long s : c.sizes()) {
        known += s == -1 ? 0 : s;
      }
      List<Tensor> parts = x.split(c.sizes(), c.axis());
      assertEquals(c.sizes().length, parts.size());
      long at = 0;
      for (int i = 0; i < parts.size(); i++) {
        long[] pd = xd.clone();
        pd[ax] = c.sizes()[i] == -1 ? xd[ax] - known : c.sizes()[i];
        long from = at;
        assertTensor(pd, expect(x, pd, o -> {
          long[] src = o.clone();
          src[ax] += from;
          return src;
        }), x.dtype(), parts.get(i));
        at += pd[ax];
      }
      assertTensor(xd, bits(x), x.dtype(), Ops.concat(parts, c.axis()));
      // the equal split, when the axis allows one
      int n = (int) Math.max(1, Math.min(xd[ax], 3));
      if (xd[ax] % n == 0) {
        assertTensor(xd, bits(x), x.dtype(), Ops.concat(x.split(n, c.axis()), c.axis()));
      }
    });
  }

  @Test
  void stackIsConcatOfExpandDims() {
    qt().withExamples(200).forAll(in -> {
      Draw d = TensorGens.draw(in);
      DType t = dtype(d);
      Shape s = Generators.shape(d, 4, 5);
      List<Tensor> values = new ArrayList<>();
      for (int i = d.intBetween(1, 4); i > 0; i--) {
        values.add(Generators.tensor(d, t, s, -1000, 1000));
      }
      values.add(Tensor.scalar(d.intBetween(-s.rank() - 1, s.rank()))); // the axis, last
      return values;
    }).checkAssert(all -> {
      List<Tensor> values = all.subList(0, all.size() - 1);
      int axis = (int) all.getLast().item();
      Tensor stacked = Ops.stack(values, axis);
      List<Tensor> expanded = values.stream().map(v -> v.expandDims(axis)).toList();
      Tensor joined = Ops.concat(expanded, axis);
      assertTensor(joined.shape().dims(), bits(joined), joined.dtype(), stacked);
      // and element by element: out[o] = values[o[axis]][o without axis]
      long[] od = stacked.shape().dims();
      int ax = axis < 0 ? axis + od.length : axis;
      long[] got = bits(stacked);
      for (long k = 0; k < got.length; k++) {
        long[] o = unravel(k, od);
        Tensor v = values.get((int) o[ax]);
        long[] src = new long[od.length - 1];
        for (int i = 0, j = 0; i < od.length; i++) {
          if (i != ax) {
            src[j++] = o[i];
          }
        }
        assertEquals(bits(v)[(int) ravel(src, v.shape().dims())], got[(int) k]);
      }
    });
  }

  @Test
  void tileMatchesReference() {
    qt().withExamples(250).forAll(tensors(4, 4), in -> {
      Draw d = TensorGens.draw(in);
      long[] m = new long[5];
      for (int i = 0; i < m.length; i++) {
        m[i] = d.between(0, 3);
      }
      return m;
    }).checkAssert((x, m5) -> {
      long[] xd = x.shape().dims();
      long[] m = java.util.Arrays.copyOf(m5, xd.length);
      long[] od = new long[xd.length];
      for (int i = 0; i < xd.length; i++) {
        od[i] = xd[i] * m[i];
      }
      long[] want = expect(x, od, o -> {
        long[] src = new long[o.length];
        for (int i = 0; i < o.length; i++) {
          src[i] = o[i] % xd[i];
        }
        return src;
      });
      assertTensor(od, want, x.dtype(), x.tile(m));
    });
  }

  @Test
  void broadcastToMatchesReference() {
    qt().withExamples(250).forAll(in -> {
      Draw d = TensorGens.draw(in);
      Shape[] pair = Generators.broadcastPair(d, 4, 5);
      Shape target = Shape.broadcast(pair[0], pair[1]);
      // x: target with leading axes dropped and some dims set to 1
      long[] td = target.dims();
      long[] xd = java.util.Arrays.copyOfRange(td, d.intBetween(0, td.length), td.length);
      for (int i = 0; i < xd.length; i++) {
        xd[i] = d.between(0, 2) == 0 ? 1 : xd[i];
      }
      return new Tensor[] {Generators.tensor(d, dtype(d), Shape.of(xd), -1000, 1000),
          Tensor.of(td)};
    }).checkAssert(p -> {
      Tensor x = p[0];
      long[] td = p[1].toLongArray();
      long[] xd = x.shape().dims();
      int lead = td.length - xd.length;
      long[] want = expect(x, td, o -> {
        long[] src = new long[xd.length];
        for (int i = 0; i < xd.length; i++) {
          src[i] = xd[i] == 1 ? 0 : o[lead + i];
        }
        return src;
      });
      assertTensor(td, want, x.dtype(), x.broadcastTo(td));
    });
  }

  record PadCase(Tensor x, long[][] paddings, String mode, double value) {}

  /** The bits of {@code v} as an element of {@code t}. */
  static long bitsOf(DType t, double v) {
    return switch (t) {
      case FLOAT32 -> Float.floatToRawIntBits((float) v);
      case FLOAT64 -> Double.doubleToRawLongBits(v);
      case INT32, INT64 -> (long) v;
      case BOOL -> v != 0 ? 1 : 0;
    };
  }

  @Test
  void padMatchesReference() {
    qt().withExamples(300).forAll(in -> {
      Draw d = TensorGens.draw(in);
      Tensor x = tensor(d, 4, 4);
      String mode = d.oneOf("CONSTANT", "REFLECT", "SYMMETRIC");
      long[][] p = new long[x.rank()][2];
      for (int i = 0; i < p.length; i++) {
        long dim = x.shape().dim(i);
        long max = mode.equals("CONSTANT") ? 3 : mode.equals("REFLECT") ? dim - 1 : dim;
        p[i][0] = d.between(0, Math.max(0, max));
        p[i][1] = d.between(0, Math.max(0, max));
      }
      double v = x.dtype() == DType.BOOL ? d.between(0, 1) : d.between(-5, 5);
      return new PadCase(x, p, mode, v);
    }).checkAssert(c -> {
      Tensor x = c.x();
      long[] xd = x.shape().dims();
      boolean reflectEmpty = false;
      long[] od = new long[xd.length];
      for (int i = 0; i < xd.length; i++) {
        od[i] = xd[i] + c.paddings()[i][0] + c.paddings()[i][1];
        reflectEmpty |= c.mode().equals("REFLECT") && xd[i] == 0;
      }
      if (reflectEmpty) { // TensorFlow: REFLECT paddings must be below the size, even 0 below 0
        assertThrows(InvalidArgumentException.class, () -> x.pad(c.paddings(), c.mode()));
        return;
      }
      long[] xb = bits(x);
      long fill = bitsOf(x.dtype(), c.value());
      long[] want = new long[(int) Shape.of(od).size()];
      for (int k = 0; k < want.length; k++) {
        long[] o = unravel(k, od);
        long[] src = new long[o.length];
        boolean inside = true;
        for (int i = 0; i < o.length; i++) {
          long j = o[i] - c.paddings()[i][0];
          if (j < 0 || j >= xd[i]) {
            inside = false;
            j = switch (c.mode()) {
              case "REFLECT" -> j < 0 ? -j : 2 * (xd[i] - 1) - j;
              case "SYMMETRIC" -> j < 0 ? -j - 1 : 2 * xd[i] - 1 - j;
              default -> 0;
            };
          }
          src[i] = j;
        }
        want[k] = inside || !c.mode().equals("CONSTANT") ? xb[(int) ravel(src, xd)] : fill;
      }
      Tensor got = c.mode().equals("CONSTANT") ? x.pad(c.paddings(), c.value())
          : x.pad(c.paddings(), c.mode());
      assertTensor(od, want, x.dtype(), got);
    });
  }

  record GatherCase(Tensor params, Tensor indices, int axis) {}

  @Test
  void gatherMatchesReference() {
    qt().withExamples(300).forAll(in -> {
      Draw d = TensorGens.draw(in);
      long[] pd = dimsAtLeast1(d, 3, 5);
      Tensor params = Generators.tensor(d, dtype(d), Shape.of(pd), -1000, 1000);
      int axis = d.intBetween(-pd.length, pd.length - 1);
      long dim = pd[axis < 0 ? axis + pd.length : axis];
      Shape is = dim == 0 ? Shape.of(0) : Generators.shape(d, 2, 4);
      DType it = d.oneOf(DType.INT32, DType.INT64);
      Tensor indices = Generators.tensor(d, it, is, 0, Math.max(0, dim - 1));
      return new GatherCase(params, indices, axis);
    }).checkAssert(c -> {
      Tensor p = c.params();
      long[] pd = p.shape().dims();
      int ax = c.axis() < 0 ? c.axis() + pd.length : c.axis();
      long[] id = c.indices().shape().dims();
      long[] idx = bits(c.indices());
      long[] od = new long[pd.length - 1 + id.length];
      for (int i = 0, j = 0; i < pd.length; i++) {
        if (i == ax) {
          for (long v : id) {
            od[j++] = v;
          }
        } else {
          od[j++] = pd[i];
        }
      }
      long[] want = expect(p, od, o -> {
        long[] src = new long[pd.length];
        for (int i = 0; i < ax; i++) {
          src[i] = o[i];
        }
        long[] at = java.util.Arrays.copyOfRange(o, ax, ax + id.length);
        src[ax] = idx[(int) ravel(at, id)];
        for (int i = ax + 1; i < pd.length; i++) {
          src[i] = o[i - 1 + id.length];
        }
        return src;
      });
      assertTensor(od, want, p.dtype(), p.gather(c.indices(), c.axis()));
    });
  }
}
