package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import dev.isthmus.internal.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Values, shapes, dtypes and every error path of the shape and movement ops. */
class ShapeOpsTest {
  /** 0, 1, 2, ... as {@code t} (BOOL: alternating false, true), of {@code shape}. */
  static Tensor iota(DType t, long... shape) {
    int n = Math.toIntExact(Shape.of(shape).size());
    return switch (t) {
      case FLOAT32 -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = i;
        }
        yield Tensor.of(v, shape);
      }
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = i;
        }
        yield Tensor.of(v, shape);
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = i;
        }
        yield Tensor.of(v, shape);
      }
      case INT64 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = i;
        }
        yield Tensor.of(v, shape);
      }
      case BOOL -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = i % 2 == 1;
        }
        yield Tensor.of(v, shape);
      }
    };
  }

  /** True if {@code b}'s memory lies inside {@code a}'s: a view, not a copy. */
  static boolean shares(Tensor a, Tensor b) {
    return Tensors.data(a).asOverlappingSlice(Tensors.data(b)).isPresent();
  }

  static int[] ints(Tensor t) {
    return t.toIntArray();
  }

  /** The message of the InvalidArgumentException {@code body} throws, checked for each part. */
  static String fails(Executable body, String... parts) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, body);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "missing '" + p + "' in: " + e.getMessage());
    }
    return e.getMessage();
  }

  static long[] l(long... v) {
    return v;
  }

  // ---------------------------------------------------------------- registry

  @Test
  void everyOpIsRegisteredAsMovement() {
    for (String name : List.of("Reshape", "Transpose", "ExpandDims", "Squeeze", "ConcatV2", "Pack",
        "Split", "SplitV", "Slice", "StridedSlice", "GatherV2", "OneHot", "Tile", "BroadcastTo",
        "PadV2", "MirrorPad", "ZerosLike", "OnesLike")) {
      OpDef d = OpRegistry.get(name);
      assertEquals(name, d.name());
      assertTrue(d.is(OpDef.Flag.MOVEMENT), name);
    }
  }

  // ---------------------------------------------------------------- reshape & co

  @Test
  void reshapeIsAZeroCopyView() {
    Tensor x = iota(DType.FLOAT32, 2, 3);
    Tensor y = x.reshape(3, 2);
    assertEquals(Shape.of(3, 2), y.shape());
    assertArrayEquals(x.toFloatArray(), y.toFloatArray());
    assertSame(Tensors.data(x), Tensors.data(y));
    assertEquals(Shape.of(6), x.reshape(-1).shape());
    assertEquals(Shape.of(2, 1, 3), Ops.reshape(x, 2, -1, 3).shape());
    assertEquals(Shape.scalar(), Tensor.of(7).reshape().shape());
    assertEquals(Shape.of(1, 1), Tensor.scalar(7).reshape(1, -1).shape());
    assertEquals(7, Tensor.scalar(7).reshape(1, 1).reshape().item());
  }

  @Test
  void reshapeInfersAroundZeroSizes() {
    // as TensorFlow: zero sizes stay out of the product, so -1 is still inferred
    assertEquals(Shape.of(0, 3), iota(DType.INT32, 0, 3).reshape(0, -1).shape());
    assertEquals(Shape.of(3, 0), iota(DType.INT32, 0, 3).reshape(-1, 0).shape());
    assertEquals(Shape.of(0, 5), iota(DType.INT32, 5, 0).reshape(-1, 5).shape());
    fails(() -> iota(DType.INT32, 2, 3).reshape(0, -1), "Reshape: expected a shape with 6 elements",
        "[0, 6] has 0");
  }

  @Test
  void reshapeErrors() {
    Tensor x = iota(DType.FLOAT32, 2, 3);
    fails(() -> x.reshape(4, 2), "Reshape: expected a shape with 6 elements (as the input), but "
        + "[4, 2] has 8; got tensor: float32[2, 3], attrs {shape=[4, 2]}");
    fails(() -> x.reshape(-1, -1), "at most one -1", "index 0 and index 1");
    fails(() -> x.reshape(-2, 3), "shape[0] = -2");
    fails(() -> x.reshape(-1, 4), "divide the input's 6 elements", "multiple of 4");
    fails(() -> x.reshape(Long.MAX_VALUE, 2), "at most Long.MAX_VALUE elements");
    Tensor huge = Tensor.of(new int[0], 0, 1L << 40, 1L << 40); // empty, but its other dims overflow
    fails(() -> huge.reshape(0, -1), "non-zero dimensions to multiply to at most Long.MAX_VALUE");
  }

  @Test
  void expandDimsAndSqueeze() {
    Tensor x = iota(DType.INT64, 2, 3);
    assertEquals(Shape.of(1, 2, 3), x.expandDims(0).shape());
    assertEquals(Shape.of(2, 3, 1), x.expandDims(-1).shape());
    assertEquals(Shape.of(2, 3, 1), x.expandDims(2).shape());
    assertEquals(Shape.of(1, 2, 3), x.expandDims(-3).shape());
    assertEquals(Shape.of(1), Tensor.scalar(1L).expandDims(0).shape());
    assertSame(Tensors.data(x), Tensors.data(x.expandDims(1)));
    fails(() -> x.expandDims(3), "ExpandDims: expected axis in [-3, 2] for an input of rank 2, got 3");
    fails(() -> x.expandDims(-4), "got -4");

    Tensor y = iota(DType.BOOL, 1, 2, 1, 3, 1);
    assertEquals(Shape.of(2, 3), y.squeeze().shape());
    assertEquals(Shape.of(2, 1, 3, 1), y.squeeze(0).shape());
    assertEquals(Shape.of(1, 2, 3), y.squeeze(2, -1, -1).shape());
    assertArrayEquals(y.toBooleanArray(), y.squeeze().toBooleanArray());
    assertEquals(Shape.scalar(), Tensor.of(new int[] {5}, 1, 1).squeeze().shape());
    assertEquals(Shape.scalar(), Tensor.scalar(5).squeeze().shape());
    assertEquals(Shape.of(0), iota(DType.INT32, 0, 1).squeeze().shape());
    fails(() -> y.squeeze(1), "Squeeze: expected axis 1 to have size 1 to squeeze it, but it has "
        + "size 2; got input: bool[1, 2, 1, 3, 1]");
    fails(() -> y.squeeze(5), "expected every squeeze axis in [-5, 5), got 5");
  }

  // ---------------------------------------------------------------- transpose

  @Test
  void transposeValues() {
    Tensor x = iota(DType.INT32, 2, 3);
    Tensor t = x.transpose();
    assertEquals(Shape.of(3, 2), t.shape());
    assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, ints(t));
    Tensor y = iota(DType.INT32, 2, 3, 4);
    Tensor p = y.transpose(2, 0, 1);
    assertEquals(Shape.of(4, 2, 3), p.shape());
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(y.getInt(j, k, i), p.getInt(i, j, k));
        }
      }
    }
    assertArrayEquals(ints(p), ints(y.transpose(-1, 0, -2)));
    assertArrayEquals(ints(y.transpose(2, 1, 0)), ints(Ops.transpose(y)));
    assertArrayEquals(y.transpose(1, 0, 2).transpose(1, 0, 2).toIntArray(), ints(y));
  }

  @Test
  void transposeEdgeCasesAndDTypes() {
    assertEquals(5.0, Tensor.scalar(5.0).transpose().item());
    assertArrayEquals(new long[] {0, 1, 2}, iota(DType.INT64, 3).transpose().toLongArray());
    assertEquals(Shape.of(3, 0), iota(DType.FLOAT32, 0, 3).transpose().shape());
    // only size-1 axes move: a view, as TensorFlow
    Tensor x = iota(DType.FLOAT64, 1, 4);
    assertTrue(shares(x, x.transpose()));
    assertArrayEquals(new boolean[] {false, false, true, true},
        iota(DType.BOOL, 2, 2).transpose().toBooleanArray());
    assertArrayEquals(new double[] {0, 2, 1, 3}, iota(DType.FLOAT64, 2, 2).transpose().toDoubleArray());
  }

  @Test
  void transposeErrors() {
    Tensor x = iota(DType.FLOAT32, 2, 3, 4);
    fails(() -> x.transpose(0, 1), "Transpose: expected perm to be a permutation of the input's 3 "
        + "axes, got 2 entries [0, 1]; got x: float32[2, 3, 4]");
    fails(() -> x.transpose(0, 1, 1), "axis 1 appears twice in [0, 1, 1]");
    fails(() -> x.transpose(0, 1, 3), "perm[2] = 3 is out of range [-3, 3)");
    fails(() -> x.transpose(0, -4, 1), "perm[1] = -4");
  }

  // ---------------------------------------------------------------- concat, stack, split

  @Test
  void concatValues() {
    Tensor a = iota(DType.INT32, 2, 2);
    Tensor b = Tensor.of(new int[] {10, 11, 12, 13, 14, 15}, 2, 3);
    Tensor c = Ops.concat(1, a, b);
    assertEquals(Shape.of(2, 5), c.shape());
    assertArrayEquals(new int[] {0, 1, 10, 11, 12, 2, 3, 13, 14, 15}, ints(c));
    assertArrayEquals(ints(c), ints(Ops.concat(List.of(a, b), -1)));
    Tensor d = Ops.concat(0, a, a.reshape(1, 4).reshape(2, 2), iota(DType.INT32, 0, 2));
    assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, ints(d));
    assertArrayEquals(ints(a), ints(Ops.concat(0, a)));
    assertEquals(Shape.of(0, 3), Ops.concat(0, iota(DType.BOOL, 0, 3), iota(DType.BOOL, 0, 3)).shape());
    assertArrayEquals(new boolean[] {true, false}, Ops.concat(0, Tensor.of(true), Tensor.of(false))
        .toBooleanArray());
  }

  @Test
  void concatErrors() {
    Tensor a = iota(DType.INT32, 2, 2);
    fails(() -> Ops.concat(List.of(), 0), "ConcatV2: expected at least one tensor to concatenate; "
        + "got no inputs");
    fails(() -> Ops.concat(0, a, iota(DType.INT64, 2, 2)), "expected every value to have "
        + "values[0]'s dtype int32, but values[1] is int64", "values[0]: int32[2, 2], values[1]: "
        + "int64[2, 2]");
    fails(() -> Ops.concat(0, a, iota(DType.INT32, 4)), "expected every value to have rank 2",
        "values[1] has rank 1");
    fails(() -> Ops.concat(0, a, iota(DType.INT32, 2, 3)), "except at axis 0, but values[1] has "
        + "shape [2, 3]");
    fails(() -> Ops.concat(2, a, a), "expected axis in [-2, 2), got 2");
    fails(() -> Ops.concat(0, Tensor.scalar(1), Tensor.scalar(2)), "scalars cannot be "
        + "concatenated");
    Tensor wide = Tensor.of(new int[0], 0, 1L << 62);
    fails(() -> Ops.concat(1, wide, wide), "concatenated axis to have at most Long.MAX_VALUE");
  }

  @Test
  void stackValuesAndErrors() {
    Tensor a = Tensor.of(1f, 2f, 3f);
    Tensor b = Tensor.of(4f, 5f, 6f);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Ops.stack(0, a, b).toFloatArray());
    assertEquals(Shape.of(3, 2), Ops.stack(List.of(a, b), 1).shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Ops.stack(-1, a, b).toFloatArray());
    assertEquals(Shape.of(2), Ops.stack(0, Tensor.scalar(1L), Tensor.scalar(2L)).shape());
    assertEquals(Shape.of(1, 3), Ops.stack(0, a).shape());
    fails(() -> Ops.stack(0), "Pack: expected at least one tensor to stack");
    fails(() -> Ops.stack(0, a, Tensor.of(1f, 2f)), "expected every value to have values[0]'s "
        + "shape [3], but values[1] has shape [2]");
    fails(() -> Ops.stack(2, a, b), "expected axis in [-2, 2), got 2");
    fails(() -> Ops.stack(0, a, Tensor.of(1.0, 2.0, 3.0)), "dtype float32, but values[1] is float64");
  }

  @Test
  void splitValues() {
    Tensor x = iota(DType.INT32, 2, 6);
    List<Tensor> parts = x.split(3, 1);
    assertEquals(3, parts.size());
    assertArrayEquals(new int[] {0, 1, 6, 7}, ints(parts.get(0)));
    assertArrayEquals(new int[] {4, 5, 10, 11}, ints(parts.get(2)));
    List<Tensor> rows = x.split(2, 0);
    assertTrue(shares(x, rows.get(1)));
    assertFalse(shares(x, parts.get(1)));
    assertArrayEquals(new int[] {6, 7, 8, 9, 10, 11}, ints(rows.get(1)));
    List<Tensor> v = x.split(l(1, -1, 2), -1);
    assertEquals(List.of(Shape.of(2, 1), Shape.of(2, 3), Shape.of(2, 2)),
        v.stream().map(Tensor::shape).toList());
    assertArrayEquals(new int[] {1, 2, 3, 7, 8, 9}, ints(v.get(1)));
    List<Tensor> z = x.split(l(0, 6), 1);
    assertEquals(Shape.of(2, 0), z.get(0).shape());
    assertEquals(Shape.of(0, 2), iota(DType.INT32, 0, 4).split(2, 1).get(1).shape());
  }

  @Test
  void splitErrors() {
    Tensor x = iota(DType.FLOAT32, 2, 5);
    fails(() -> x.split(2, 1), "Split: expected numSplit to divide the split axis evenly, but axis 1"
        + " has size 5 and numSplit is 2; got value: float32[2, 5]");
    fails(() -> x.split(0, 1), "expected numSplit >= 1, got 0");
    fails(() -> x.split(1, 2), "expected axis in [-2, 2), got 2");
    fails(() -> Tensor.scalar(1f).split(1, 0), "a scalar cannot be split");
    fails(() -> x.split(l(-1, -1), 1), "SplitV: expected at most one -1 in sizeSplits");
    fails(() -> x.split(l(2, 2), 1), "sum to the size of axis 1 (5)");
    fails(() -> x.split(l(4, 2, -1), 1), "or less with a -1 to infer");
    fails(() -> x.split(l(6, -2), 1), "sizeSplits[1] = -2");
    fails(() -> x.split(l(), 1), "expected at least one split size");
  }

  // ---------------------------------------------------------------- slice & strided slice

  @Test
  void sliceValues() {
    Tensor x = iota(DType.INT32, 3, 4);
    assertArrayEquals(new int[] {5, 6, 9, 10}, ints(x.slice(l(1, 1), l(2, 2))));
    assertArrayEquals(new int[] {6, 7, 10, 11}, ints(x.slice(l(1, 2), l(-1, -1))));
    assertEquals(Shape.of(0, 4), x.slice(l(3, 0), l(0, 4)).shape());
    assertEquals(Shape.of(0, 2), iota(DType.INT32, 0, 2).slice(l(0, 0), l(-1, 2)).shape());
    assertEquals(3.0, Tensor.scalar(3.0).slice(l(), l()).item());
    // rows of axis 0 are contiguous: shared, not copied
    Tensor rows = x.slice(l(1, 0), l(2, 4));
    assertArrayEquals(new int[] {4, 5, 6, 7, 8, 9, 10, 11}, ints(rows));
    assertTrue(shares(x, rows));
    assertFalse(shares(x, x.slice(l(0, 1), l(3, 2))));
  }

  @Test
  void sliceErrors() {
    Tensor x = iota(DType.INT32, 3, 4);
    fails(() -> x.slice(l(0), l(1)), "Slice: expected begin and size with one entry per axis of the"
        + " input (2), got 1 and 1 entries");
    fails(() -> x.slice(l(4, 0), l(0, 1)), "expected begin[0] in [0, 3], got 4");
    fails(() -> x.slice(l(-1, 0), l(1, 1)), "begin[0] in [0, 3], got -1");
    fails(() -> x.slice(l(1, 1), l(3, 1)), "expected size[0] in [0, 2] (or -1 for the rest of axis "
        + "0), got 3");
    fails(() -> x.slice(l(1, 1), l(1, -2)), "size[1] in [0, 3]", "got -2");
  }

  @Test
  void stridedSliceLikePython() {
    Tensor v = iota(DType.INT32, 10);
    assertArrayEquals(new int[] {2, 4, 6}, ints(v.stridedSlice(l(2), l(8), l(2))));
    assertArrayEquals(new int[] {9, 8, 7}, ints(v.stridedSlice(l(-1), l(-4), l(-1))));
    assertArrayEquals(new int[] {0, 1, 2}, ints(v.stridedSlice(l(-100), l(3), l(1))));
    assertArrayEquals(new int[] {9, 6, 3, 0}, ints(v.stridedSlice(l(100), l(-100), l(-3))));
    assertArrayEquals(new int[] {}, ints(v.stridedSlice(l(5), l(2), l(1))));
    Tensor x = iota(DType.INT32, 2, 3, 4);
    // x[:, -100:100:2, 3:0:-1]
    assertArrayEquals(new int[] {3, 2, 1, 11, 10, 9, 15, 14, 13, 23, 22, 21},
        ints(x.stridedSlice(l(0, -100, 3), l(2, 100, 0), l(1, 2, -1))));
    // fewer entries than axes: the rest is taken whole
    assertEquals(Shape.of(1, 3, 4), x.stridedSlice(l(1), l(2), l(1)).shape());
  }

  @Test
  void stridedSliceMasks() {
    Tensor x = iota(DType.INT32, 2, 3, 4);
    // x[..., 1]
    Tensor a = x.stridedSlice(l(0, 1), l(0, 2), l(1, 1), 0, 0, 1, 0, 2);
    assertEquals(Shape.of(2, 3), a.shape());
    assertArrayEquals(new int[] {1, 5, 9, 13, 17, 21}, ints(a));
    // x[:, newaxis, 1:]
    Tensor b = x.stridedSlice(l(0, 0, 1), l(0, 0, 0), l(1, 1, 1), 0b001, 0b101, 0, 0b010, 0);
    assertEquals(Shape.of(2, 1, 2, 4), b.shape());
    assertArrayEquals(new int[] {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23}, ints(b));
    // x[1, ..., ::-1]
    Tensor c = x.stridedSlice(l(1, 0, 0), l(2, 0, 0), l(1, 1, -1), 0b100, 0b100, 0b010, 0, 0b001);
    assertEquals(Shape.of(3, 4), c.shape());
    assertArrayEquals(new int[] {15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20}, ints(c));
    // x[-1, -2:, ::-3]
    Tensor d = x.stridedSlice(l(-1, -2, 0), l(0, 0, 0), l(1, 1, -3), 0b100, 0b110, 0, 0, 0b001);
    assertArrayEquals(new int[] {19, 16, 23, 20}, ints(d));
    // a shrunk axis ignores its begin mask and uses begin, as TensorFlow
    assertArrayEquals(new int[] {12, 13, 14, 15},
        ints(x.stridedSlice(l(1, 0), l(0, 0), l(1, 1), 0b01, 0, 0, 0, 0b11)));
    // newaxis on a scalar, and ellipsis + newaxis bits together: the ellipsis wins
    assertEquals(Shape.of(1), Tensor.scalar(4).stridedSlice(l(0), l(0), l(1), 0, 0, 0, 1, 0).shape());
    assertEquals(Shape.of(2, 3, 4), x.stridedSlice(l(0), l(0), l(1), 0, 0, 1, 1, 0).shape());
    // x[..., newaxis]: the new axis after the ellipsis lands last
    assertEquals(Shape.of(2, 3, 4, 1),
        x.stridedSlice(l(0, 0), l(0, 0), l(1, 1), 0, 0, 0b01, 0b10, 0).shape());
  }

  @Test
  void stridedSliceIsAViewForLeadingRows() {
    Tensor x = iota(DType.FLOAT32, 4, 3);
    Tensor y = x.stridedSlice(l(1), l(3), l(1));
    assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, y.toFloatArray());
    assertTrue(shares(x, y));
    assertFalse(shares(x, x.stridedSlice(l(0, 0), l(4, 3), l(2, 1))));
  }

  @Test
  void stridedSliceErrors() {
    Tensor x = iota(DType.INT32, 2, 3);
    fails(() -> x.stridedSlice(l(0), l(1, 2), l(1)), "StridedSlice: expected begin, end and strides"
        + " of equal length, got lengths 1, 2 and 1; got input: int32[2, 3]");
    fails(() -> x.stridedSlice(l(0), l(1), l(0)), "expected non-zero strides, but the stride for "
        + "axis 0 is 0");
    fails(() -> x.stridedSlice(l(0, 0), l(1, 1), l(1, 1), 0, 0, 3, 0, 0), "at most one ellipsis");
    fails(() -> x.stridedSlice(l(2), l(3), l(1), 0, 0, 0, 0, 1), "expected index 2 for shrunk axis"
        + " 0 in [-2, 2)");
    fails(() -> x.stridedSlice(l(-3), l(0), l(1), 0, 0, 0, 0, 1), "index -3");
    fails(() -> x.stridedSlice(l(1), l(0), l(-1), 0, 0, 0, 0, 1), "positive stride for shrunk "
        + "axis 0");
    fails(() -> x.stridedSlice(l(0, 0, 0), l(1, 1, 1), l(1, 1, 1)), "expected at most 2 indexing "
        + "entries", "entry 2 has no axis left");
    fails(() -> Tensor.scalar(1).stridedSlice(l(0), l(1), l(1)), "a scalar cannot be sliced");
    long[] many = new long[32];
    java.util.Arrays.fill(many, 1);
    fails(() -> x.stridedSlice(many, many, many), "at most 31 entries");
  }

  // ---------------------------------------------------------------- gather & one-hot

  @Test
  void gatherValues() {
    Tensor p = iota(DType.FLOAT32, 3, 4);
    Tensor g = p.gather(Tensor.of(2, 0, 2));
    assertEquals(Shape.of(3, 4), g.shape());
    assertArrayEquals(new float[] {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, g.toFloatArray());
    Tensor h = p.gather(Tensor.of(new long[] {3, 1, 0, 0}, 2, 2), 1);
    assertEquals(Shape.of(3, 2, 2), h.shape());
    assertArrayEquals(new float[] {3, 1, 0, 0, 7, 5, 4, 4, 11, 9, 8, 8}, h.toFloatArray());
    assertEquals(Shape.of(4), p.gather(Tensor.scalar(1)).shape());
    assertArrayEquals(new float[] {2, 6, 10}, Ops.gather(p, Tensor.scalar(2L), -1).toFloatArray());
    assertEquals(Shape.of(0, 4), p.gather(Tensor.of(new int[0])).shape());
    assertArrayEquals(new boolean[] {true, false, true},
        iota(DType.BOOL, 4).gather(Tensor.of(1, 2, 3)).toBooleanArray());
    assertArrayEquals(new long[] {3, 3}, iota(DType.INT64, 4).gather(Tensor.of(3, 3)).toLongArray());
  }

  @Test
  void gatherErrors() {
    Tensor p = iota(DType.FLOAT32, 3, 4);
    fails(() -> p.gather(Tensor.of(new int[] {0, 1, 7, 2}, 2, 2)), "GatherV2: expected indices in "
        + "[0, 3) (the size of params axis 0), got indices[1,0] = 7; got params: float32[3, 4], "
        + "indices: int32[2, 2]");
    fails(() -> p.gather(Tensor.of(-1L), 1), "indices[0] = -1", "[0, 4)");
    fails(() -> p.gather(Tensor.scalar(4), 1), "got indices = 4");
    fails(() -> p.gather(Tensor.of(1f)), "expected indices of dtype int32 or int64, got float32");
    fails(() -> Tensor.scalar(1f).gather(Tensor.of(0)), "expected params of rank >= 1");
    fails(() -> p.gather(Tensor.of(0), 2), "expected axis in [-2, 2), got 2");
    // an empty output checks nothing, as TensorFlow's kernel
    assertEquals(Shape.of(0, 2), iota(DType.FLOAT32, 0, 3).gather(Tensor.of(5, 9), 1).shape());
  }

  @Test
  void oneHotValues() {
    Tensor h = Tensor.of(0, 2, -1, 3).oneHot(3);
    assertEquals(Shape.of(4, 3), h.shape());
    assertEquals(DType.FLOAT32, h.dtype());
    assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, h.toFloatArray());
    Tensor a0 = Tensor.of(new long[] {1, 0}).oneHot(3, 5, -1, 0, DType.INT32);
    assertEquals(Shape.of(3, 2), a0.shape());
    assertArrayEquals(new int[] {-1, 5, 5, -1, -1, -1}, ints(a0));
    Tensor m = Tensor.of(new int[] {0, 1, 2, 1}, 2, 2).oneHot(2, 1, 0, 1, DType.BOOL);
    assertEquals(Shape.of(2, 2, 2), m.shape());
    // m[i, d, j] = indices[i, j] == d
    assertArrayEquals(new boolean[] {true, false, false, true, false, false, false, true},
        m.toBooleanArray());
    assertArrayEquals(new double[] {0, 0.5}, Tensor.scalar(1).oneHot(2, 0.5, 0, -1, DType.FLOAT64)
        .toDoubleArray());
    assertEquals(Shape.of(2, 0), Tensor.of(1, 2).oneHot(0).shape());
    assertArrayEquals(new long[] {7, 9}, Tensor.of(1).oneHot(2, 9, 7, 0, DType.INT64).toLongArray());
  }

  @Test
  void oneHotErrors() {
    Tensor i = Tensor.of(0, 1);
    fails(() -> i.oneHot(-1), "OneHot: expected depth >= 0, got -1; got indices: int32[2]");
    fails(() -> i.oneHot(3, 1, 0, 2, DType.FLOAT32), "expected axis -1 or in [0, 1] for indices of "
        + "rank 1, got 2");
    fails(() -> i.oneHot(3, 1.5, 0, -1, DType.INT32), "expected onValue to be a int32 value, got 1.5");
    fails(() -> i.oneHot(3, 1, 2, -1, DType.BOOL), "offValue to be a bool value");
    fails(() -> Tensor.of(1.0).oneHot(3), "expected indices of dtype int32 or int64, got float64");
    Tensor tall = Tensor.of(new int[0], 1L << 61, 0);
    fails(() -> tall.oneHot(8, 1, 0, 0, DType.FLOAT32), "at most Long.MAX_VALUE elements",
        "[8, 2305843009213693952, 0]");
  }

  // ---------------------------------------------------------------- tile & broadcast

  @Test
  void tileValuesAndErrors() {
    Tensor x = iota(DType.INT32, 2, 2);
    Tensor t = x.tile(2, 3);
    assertEquals(Shape.of(4, 6), t.shape());
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3, 0, 1, 0, 1, 0, 1, 2, 3, 2, 3,
        2, 3}, ints(t));
    assertEquals(Shape.of(0, 2), x.tile(0, 1).shape());
    assertArrayEquals(ints(x), ints(x.tile(1, 1)));
    assertEquals(7, Tensor.scalar(7).tile().item());
    assertArrayEquals(new boolean[] {false, true, false, true}, iota(DType.BOOL, 2).tile(2)
        .toBooleanArray());
    fails(() -> x.tile(2), "Tile: expected 2 multiples (one per axis of the input), got 1");
    fails(() -> x.tile(2, -1), "expected multiples >= 0, got multiples[1] = -1");
    fails(() -> x.tile(Long.MAX_VALUE, 1), "expected output dimensions below 2^63");
  }

  @Test
  void broadcastToValuesAndErrors() {
    Tensor x = Tensor.of(new double[] {1, 2, 3}, 3, 1);
    Tensor b = x.broadcastTo(2, 3, 2);
    assertEquals(Shape.of(2, 3, 2), b.shape());
    assertArrayEquals(new double[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, b.toDoubleArray());
    assertArrayEquals(new long[] {5, 5, 5}, Tensor.scalar(5L).broadcastTo(3).toLongArray());
    assertEquals(Shape.of(3, 0), x.broadcastTo(3, 0).shape());
    assertArrayEquals(x.toDoubleArray(), x.broadcastTo(3, 1).toDoubleArray());
    fails(() -> x.broadcastTo(2, 2), "BroadcastTo: expected a shape the input broadcasts to", "[3, 1]"
        + " does not broadcast to [2, 2] at axis 0");
    fails(() -> x.broadcastTo(3), "expected a shape of rank >= 2");
    fails(() -> x.broadcastTo(3, -1), "dimensions >= 0");
    fails(() -> iota(DType.INT32, 0).broadcastTo(1), "does not broadcast");
  }

  // ---------------------------------------------------------------- pad & fills

  @Test
  void padConstant() {
    Tensor a = iota(DType.INT32, 2, 3);
    Tensor p = a.pad(new long[][] {{0, 1}, {1, 0}}, 7);
    assertEquals(Shape.of(3, 4), p.shape());
    assertArrayEquals(new int[] {7, 0, 1, 2, 7, 3, 4, 5, 7, 7, 7, 7}, ints(p));
    Tensor q = a.pad(new long[][] {{0, 0}, {1, 0}}).reshape(8).pad(new long[][] {{2, 0}});
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 2, 0, 3, 4, 5}, ints(q));
    assertTrue(shares(a, a.pad(new long[][] {{0, 0}, {0, 0}}, 3)));
    assertArrayEquals(ints(a), ints(Ops.pad(a, new long[][] {{0, 0}, {0, 0}}, "constant")));
    assertArrayEquals(new float[] {-1, 3, -1}, Tensor.scalar(3f).reshape(1).pad(new long[][] {{1, 1}},
        -1).toFloatArray());
    assertArrayEquals(new boolean[] {true, false, true}, Tensor.of(false).pad(new long[][] {{1, 1}}, 1)
        .toBooleanArray());
    assertEquals(2.5, Tensor.scalar(2.5).pad(new long[0][]).item());
    assertArrayEquals(new double[] {9, 9}, iota(DType.FLOAT64, 0).pad(new long[][] {{1, 1}}, 9)
        .toDoubleArray());
  }

  @Test
  void padMirror() {
    Tensor a = iota(DType.INT64, 2, 3);
    assertArrayEquals(new long[] {5, 4, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 1, 0, 5, 4, 3, 4, 5, 4, 3, 2,
        1, 0, 1, 2, 1, 0}, a.pad(new long[][] {{1, 1}, {2, 2}}, "REFLECT").toLongArray());
    assertArrayEquals(new long[] {2, 1, 0, 0, 1, 2, 2, 2, 1, 0, 0, 1, 2, 2, 5, 4, 3, 3, 4, 5, 5, 5,
        4, 3, 3, 4, 5, 5, 2, 1, 0, 0, 1, 2, 2}, a.pad(new long[][] {{1, 2}, {3, 1}}, "symmetric")
        .toLongArray());
    assertEquals(Shape.of(0, 5), iota(DType.FLOAT32, 0, 3).pad(new long[][] {{0, 0}, {1, 1}},
        "SYMMETRIC").shape());
    assertArrayEquals(new boolean[] {true, false, true, false},
        iota(DType.BOOL, 2).pad(new long[][] {{1, 1}}, "REFLECT").toBooleanArray());
  }

  @Test
  void padErrors() {
    Tensor a = iota(DType.INT32, 2, 3);
    fails(() -> a.pad(new long[][] {{1, 1}}), "PadV2: expected paddings of shape [2, 2] (a [before,"
        + " after] pair per axis), got 1 pairs; got input: int32[2, 3]");
    fails(() -> a.pad(new long[][] {{1, 1}, {1}}), "PadV2: expected paddings of shape [2, 2]",
        "row 1 is [1]");
    fails(() -> a.pad(new long[][] {{0, 0}, null}), "row 1 is null");
    fails(() -> a.pad(new long[][] {{0, -1}, {0, 0}}), "expected paddings >= 0, got [0, -1] for "
        + "axis 0");
    fails(() -> a.pad(new long[][] {{0, 0}, {0, 0}}, 0.5), "expected constantValue to be a int32 "
        + "value, got 0.5");
    fails(() -> a.pad(new long[][] {{2, 0}, {0, 0}}, "REFLECT"), "MirrorPad: expected REFLECT "
        + "paddings less than the axis size, got [2, 0] for axis 0 of size 2");
    fails(() -> a.pad(new long[][] {{0, 0}, {0, 4}}, "SYMMETRIC"), "SYMMETRIC paddings no greater "
        + "than the axis size, got [0, 4] for axis 1 of size 3");
    fails(() -> a.pad(new long[][] {{0, 0}, {0, 0}}, "WRAP"), "expected mode REFLECT or SYMMETRIC, "
        + "got WRAP");
    // as TensorFlow: REFLECT needs each padding below the size, so an empty axis fails
    fails(() -> iota(DType.INT32, 0).pad(new long[][] {{0, 0}}, "REFLECT"), "of size 0");
    fails(() -> a.pad(new long[][] {{Long.MAX_VALUE, 0}, {0, 0}}), "below 2^63");
  }

  @Test
  void zerosAndOnesLike() {
    for (DType t : DType.values()) {
      Tensor x = iota(t, 2, 3);
      Tensor z = x.zerosLike();
      Tensor o = Ops.onesLike(x);
      assertEquals(t, z.dtype());
      assertEquals(x.shape(), o.shape());
      switch (t) {
        case FLOAT32 -> {
          assertArrayEquals(new float[6], z.toFloatArray());
          assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, o.toFloatArray());
        }
        case FLOAT64 -> assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, o.toDoubleArray());
        case INT32 -> assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, o.toIntArray());
        case INT64 -> assertArrayEquals(new long[6], z.toLongArray());
        case BOOL -> {
          assertArrayEquals(new boolean[6], z.toBooleanArray());
          assertArrayEquals(new boolean[] {true, true, true, true, true, true}, o.toBooleanArray());
        }
      }
    }
    assertEquals(1.0, Tensor.scalar(5.0).onesLike().item());
    assertEquals(Shape.of(0, 2), iota(DType.INT32, 0, 2).onesLike().shape());
  }
}
