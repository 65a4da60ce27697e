package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.GatherOps;
import dev.isthmus.internal.SliceOps;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ops added for gradients that have no kernel twin of their own: UnsortedSegmentSum against
 * a reference loop (exactly: the kernel adds rows in order of the ids' positions, so each sum
 * is the loop's, in the data's dtype), and StridedSliceGrad against StridedSlice (it is its
 * adjoint, and slicing the scattered gradient gives it back).
 */
class GradientOpProperties {
  static final int EXAMPLES = 150;

  @Test
  void unsortedSegmentSumMatchesALoop() {
    qt().withExamples(EXAMPLES).forAll(in -> {
      Draw d = TensorGens.draw(in);
      long[] s = GradientRecipes.dims(d, 0, 3, 4);
      long num = d.between(0, 4);
      DType t = d.oneOf(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);
      Tensor data = Ops.cast(GradientRecipes.f64(d, s, GradientRecipes.lattice(0.5, -8, 8,
          0.25)), t);
      if (t.isInteger()) {
        data = Ops.cast(Ops.mul(GradientRecipes.f64(d, s, GradientRecipes.uniform(-99, 99)), 1e6),
            t);
      }
      Tensor ids = GradientRecipes.ints(d, Arrays.copyOf(s, d.intBetween(0, s.length)), -1,
          num - 1);
      return new Tensor[] {data, ids, Tensor.scalar(num)};
    }).checkAssert(c -> {
      Tensor data = c[0], ids = c[1];
      long num = c[2].toLongArray()[0];
      Tensor got = Dispatch.run1(GatherOps.UNSORTED_SEGMENT_SUM, Attrs.of("num_segments", num),
          data, ids);
      long[] id = Ops.cast(ids, DType.INT64).toLongArray();
      long[] dims = data.shape().dims();
      long[] out = new long[dims.length - ids.rank() + 1];
      out[0] = num;
      System.arraycopy(dims, ids.rank(), out, 1, dims.length - ids.rank());
      assertArrayEquals(out, got.shape().dims());
      assertEquals(data.dtype(), got.dtype());
      int rows = id.length;
      long inner = GradientRecipes.size(Arrays.copyOfRange(dims, ids.rank(), dims.length));
      switch (data.dtype()) {
        case FLOAT32 -> {
          float[] x = data.toFloatArray(), want = new float[(int) (num * inner)];
          for (int k = 0; k < rows; k++) {
            for (int e = 0; id[k] >= 0 && e < inner; e++) {
              want[(int) (id[k] * inner + e)] += x[(int) (k * inner + e)];
            }
          }
          assertArrayEquals(want, got.toFloatArray());
        }
        case FLOAT64 -> {
          double[] x = data.toDoubleArray(), want = new double[(int) (num * inner)];
          for (int k = 0; k < rows; k++) {
            for (int e = 0; id[k] >= 0 && e < inner; e++) {
              want[(int) (id[k] * inner + e)] += x[(int) (k * inner + e)];
            }
          }
          assertArrayEquals(want, got.toDoubleArray());
        }
        default -> {
          long[] x = Ops.cast(data, DType.INT64).toLongArray(), want = new long[(int) (num
              * inner)];
          for (int k = 0; k < rows; k++) {
            for (int e = 0; id[k] >= 0 && e < inner; e++) {
              want[(int) (id[k] * inner + e)] += x[(int) (k * inner + e)];
            }
          }
          if (data.dtype() == DType.INT32) {
            assertArrayEquals(Arrays.stream(want).mapToInt(v -> (int) v).toArray(),
                got.toIntArray());
          } else {
            assertArrayEquals(want, got.toLongArray());
          }
        }
      }
    });
  }

  @Test
  void stridedSliceGradIsTheAdjointOfStridedSlice() {
    qt().withExamples(EXAMPLES).forAll(in -> {
      Draw d = TensorGens.draw(in);
      long[] s = GradientRecipes.dims(d, 0, 4, 4);
      Attrs a = MoveRecipes.stridedSpec(d, s);
      Tensor x = GradientRecipes.f64(d, s, GradientRecipes.lattice(1, -9, 9, 0));
      Tensor y = MoveRecipes.stridedSlice(x, a);
      Tensor dy = GradientRecipes.f64(d, y.shape().dims(), GradientRecipes.lattice(1, -9, 9, 0));
      return new Object[] {x, a, dy};
    }).checkAssert(c -> {
      Tensor x = (Tensor) c[0], dy = (Tensor) c[2];
      Attrs a = (Attrs) c[1];
      Map<String, Object> m = new LinkedHashMap<>(a.asMap());
      m.put("shape", x.shape().dims());
      Tensor dx = Dispatch.run1(SliceOps.STRIDED_SLICE_GRAD, MoveRecipes.attrs(m),
          dy);
      assertEquals(x.shape(), dx.shape());
      // integers: both inner products are exact
      double left = dot(MoveRecipes.stridedSlice(x, a), dy), right = dot(x, dx);
      assertEquals(left, right, "<stridedSlice(x), dy> = <x, stridedSliceGrad(dy)>: " + a);
      assertArrayEquals(dy.toDoubleArray(),
          MoveRecipes.stridedSlice(dx, a).toDoubleArray(),
          "slicing the gradient gives dy back");
      // and nothing else: the gradient holds dy's elements and zeros
      assertEquals(Math.abs(sum(dy)), Math.abs(sum(dx)), 0.0);
    });
  }

  static double dot(Tensor a, Tensor b) {
    double[] x = a.toDoubleArray(), y = b.toDoubleArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  static double sum(Tensor t) {
    return Arrays.stream(Ops.abs(t).toDoubleArray()).sum();
  }
}
