package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.GatherOps;
import dev.isthmus.internal.GradientSupport;
import dev.isthmus.internal.NnGradOps;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import dev.isthmus.internal.SliceOps;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradient rules where TensorFlow makes a choice a finite-difference check cannot see (ties,
 * zeros, non-differentiable points, dtypes, missing upstream gradients), the undo-broadcasting
 * helper, and the values and errors of the ops added for gradients (UnsortedSegmentSum,
 * StridedSliceGrad, the convolution and pooling gradient ops). The gradient of every op is
 * checked against central differences in property-tests' {@code GradientProperties}.
 */
class GradientRulesTest {
  /** The gradients of {@code op} at {@code in} for upstream {@code up}. */
  private static Tensor[] grad(String op, Attrs a, Tensor[] up, Tensor... in) {
    OpDef d = OpRegistry.get(op);
    Tensor[] out = Dispatch.run(d, a, in);
    return d.gradient().apply(in, out, up, a);
  }

  private static Tensor[] grad(String op, Attrs a, Tensor... in) {
    Tensor[] out = Dispatch.run(OpRegistry.get(op), a, in);
    Tensor[] up = new Tensor[out.length];
    for (int i = 0; i < out.length; i++) {
      up[i] = Ops.onesLike(out[i]);
    }
    return grad(op, a, up, in);
  }

  // ---------------------------------------------------------------- rules

  @Test
  void anOpWithoutARuleIsUnimplementedNamingIt() {
    var e = assertThrows(UnimplementedException.class,
        () -> OpRegistry.get("AssignVariableOp").gradient());
    assertTrue(e.getMessage().contains("AssignVariableOp"), e.getMessage());
  }

  @Test
  void notDifferentiableOpsGiveNoGradient() {
    Tensor x = Tensor.of(1.5, -2.5);
    assertNull(grad("ArgMax", Attrs.of("axis", 0, "output_type", DType.INT64), x)[0]);
    assertNull(grad("Floor", Attrs.EMPTY, x)[0]);
    Tensor[] g = grad("Equal", Attrs.EMPTY, new Tensor[] {Tensor.of(true, false)}, x, x);
    assertNull(g[0]);
    assertNull(g[1]);
    // Sign gives zeros, not none (TensorFlow's _SignGrad)
    assertArrayEquals(new double[] {0, 0}, grad("Sign", Attrs.EMPTY, x)[0].toDoubleArray());
  }

  @Test
  void integerInputsGetNoGradient() {
    assertNull(grad("Neg", Attrs.EMPTY, Tensor.of(1, 2))[0]);
    Tensor[] g = grad("GatherV2", Attrs.of("axis", 0), Tensor.of(1.0, 2.0, 3.0), Tensor.of(2, 2));
    assertArrayEquals(new double[] {0, 0, 2}, g[0].toDoubleArray());
    assertNull(g[1]);
  }

  @Test
  void castGradientsFlowBetweenFloatsOnly() {
    Tensor x = Tensor.of(1.5, 2.5);
    Tensor g = grad("Cast", Attrs.of("DstT", DType.FLOAT32), x)[0];
    assertEquals(DType.FLOAT64, g.dtype());
    assertArrayEquals(new double[] {1, 1}, g.toDoubleArray());
    assertNull(grad("Cast", Attrs.of("DstT", DType.INT32), x)[0]);
    assertNull(grad("Cast", Attrs.of("DstT", DType.FLOAT64), Tensor.of(1, 2))[0]);
  }

  @Test
  void tiesFollowTensorFlow() {
    // reduce_max: tied maxima share the gradient equally
    Tensor g = grad("Max", Attrs.of("axes", new int[] {0}, "keep_dims", false),
        Tensor.of(1.0, 3.0, 3.0))[0];
    assertArrayEquals(new double[] {0, 0.5, 0.5}, g.toDoubleArray());
    // maximum and minimum: a tie goes to x
    Tensor[] m = grad("Maximum", Attrs.EMPTY, Tensor.of(2.0, 1.0), Tensor.of(2.0, 5.0));
    assertArrayEquals(new double[] {1, 0}, m[0].toDoubleArray());
    assertArrayEquals(new double[] {0, 1}, m[1].toDoubleArray());
    // relu at 0: no gradient; abs at 0: sign(0) = 0
    assertArrayEquals(new double[] {0, 1}, grad("Relu", Attrs.EMPTY, Tensor.of(0.0, 2.0))[0]
        .toDoubleArray());
    assertArrayEquals(new double[] {0}, grad("Abs", Attrs.EMPTY, Tensor.of(0.0))[0]
        .toDoubleArray());
    // max pooling: the first of tied maxima takes the whole gradient
    Tensor x = Tensor.of(new double[] {1, 3, 3, 2}, 1, 2, 2, 1);
    Attrs pool = Attrs.of("ksize", new int[] {1, 2, 2, 1}, "strides", new int[] {1, 1, 1, 1},
        "padding", "VALID");
    assertArrayEquals(new double[] {0, 1, 0, 0}, grad("MaxPool", pool, x)[0].toDoubleArray());
  }

  @Test
  void prodGradientHandlesZeros() {
    Attrs all = Attrs.of("axes", new int[] {0}, "keep_dims", false);
    assertArrayEquals(new double[] {0, 6, 0},
        grad("Prod", all, Tensor.of(2.0, 0.0, 3.0))[0].toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 0},
        grad("Prod", all, Tensor.of(0.0, 0.0, 3.0))[0].toDoubleArray());
    assertArrayEquals(new double[] {6, 4, 24, 0, 0, 0},
        grad("Prod", Attrs.of("axes", new int[] {1}, "keep_dims", true),
            Tensor.of(new double[] {4, 6, 1, 0, 0, 5}, 2, 3))[0].toDoubleArray());
  }

  @Test
  void powGradientOfTheExponentIsZeroWhereTheBaseIsNotPositive() {
    Tensor[] g = grad("Pow", Attrs.EMPTY, Tensor.of(0.0, -2.0, Math.E), Tensor.of(2.0, 2.0, 1.0));
    assertArrayEquals(new double[] {0, -4, 1}, g[0].toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0, 0, Math.E}, g[1].toDoubleArray(), 1e-12);
  }

  @Test
  void splitReadsAMissingUpstreamAsZeros() {
    Tensor x = Tensor.of(1.0, 2.0, 3.0, 4.0);
    Attrs a = Attrs.of("numSplit", 2, "axis", 0);
    Tensor[] g = grad("Split", a, new Tensor[] {null, Tensor.of(5.0, 6.0)}, x);
    assertArrayEquals(new double[] {0, 0, 5, 6}, g[0].toDoubleArray());
  }

  @Test
  void unbroadcastSumsOverBroadcastAxes() {
    Tensor g = Ops.ones(DType.FLOAT64, 2, 3, 4);
    Tensor r = GradientSupport.unbroadcast(g, Shape.of(3, 1));
    assertEquals(Shape.of(3, 1), r.shape());
    assertArrayEquals(new double[] {8, 8, 8}, r.toDoubleArray());
    assertArrayEquals(new double[] {24}, GradientSupport.unbroadcast(g, Shape.scalar())
        .toDoubleArray());
    assertEquals(g, GradientSupport.unbroadcast(g, Shape.of(2, 3, 4)));
    // through an op: AddV2 of [2, 1] and [3] gives [2, 3]; each side sums back
    Tensor[] a = grad("AddV2", Attrs.EMPTY, Tensor.of(new double[] {1, 2}, 2, 1),
        Tensor.of(1.0, 2.0, 3.0));
    assertArrayEquals(new double[] {3, 3}, a[0].toDoubleArray());
    assertEquals(Shape.of(2, 1), a[0].shape());
    assertArrayEquals(new double[] {2, 2, 2}, a[1].toDoubleArray());
  }

  @Test
  void rulesBuildGraphNodes() {
    Graph g = new Graph();
    Tensor gx;
    Tensor a;
    try (Scope s = g.asDefault()) {
      a = Ops.placeholder(DType.FLOAT32, 2, 3);
      Tensor b = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
      Tensor y = Ops.matmul(a, b);
      gx = OpRegistry.get("MatMul").gradient().apply(new Tensor[] {a, b}, new Tensor[] {y},
          new Tensor[] {Ops.onesLike(y)}, Attrs.of("transpose_a", false, "transpose_b", false))[0];
    }
    assertTrue(gx.isSymbolic());
    try (Session session = new Session(g)) {
      Tensor v = session.run(gx, Map.of(a, Ops.zeros(DType.FLOAT32, 2, 3)));
      assertArrayEquals(new float[] {3, 7, 11, 3, 7, 11}, v.toFloatArray());
    }
  }

  // ---------------------------------------------------------------- new ops

  private static Tensor segmentSum(Tensor data, Tensor ids, long num) {
    return Dispatch.run1(GatherOps.UNSORTED_SEGMENT_SUM, Attrs.of("num_segments", num), data, ids);
  }

  @Test
  void unsortedSegmentSumValuesAndErrors() {
    Tensor data = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    assertArrayEquals(new float[] {6, 8, 0, 0, 0, 0},
        segmentSum(data, Tensor.of(0, -1, 0), 3).toFloatArray());
    assertEquals(Shape.of(3, 2), segmentSum(data, Tensor.of(0, -1, 0), 3).shape());
    // ids of the whole shape: each element its own row
    assertArrayEquals(new float[] {11, 10}, // 2 + 4 + 5 and 1 + 3 + 6
        segmentSum(data, Tensor.of(new long[] {1, 0, 1, 0, 0, 1}, 3, 2), 2).toFloatArray());
    var e = assertThrows(InvalidArgumentException.class,
        () -> segmentSum(data, Tensor.of(0, 3, 0), 3));
    assertTrue(e.getMessage().startsWith("UnsortedSegmentSum: ") && e.getMessage().contains(
        "segment_ids[1] = 3"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> segmentSum(data, Tensor.of(0, 1), 3));
    assertTrue(e.getMessage().contains("prefix"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> segmentSum(data, Tensor.of(0, 1, 0),
        -1));
    assertTrue(e.getMessage().contains("num_segments >= 0"), e.getMessage());
    assertThrows(InvalidArgumentException.class,
        () -> segmentSum(Tensor.of(true, false), Tensor.of(0, 1), 2));
    assertThrows(InvalidArgumentException.class,
        () -> segmentSum(data, Tensor.of(0.0, 1.0, 0.0), 2));
  }

  @Test
  void stridedSliceGradScattersIntoZeros() {
    Attrs a = Attrs.of("begin", new long[] {3}, "end", new long[] {0}, "strides", new long[] {-2},
        "beginMask", 0, "endMask", 0, "ellipsisMask", 0, "newAxisMask", 0, "shrinkAxisMask", 0,
        "shape", new long[] {5});
    Tensor g = Dispatch.run1(SliceOps.STRIDED_SLICE_GRAD, a, Tensor.of(7f, 9f));
    assertArrayEquals(new float[] {0, 9, 0, 7, 0}, g.toFloatArray());
    var e = assertThrows(InvalidArgumentException.class,
        () -> Dispatch.run1(SliceOps.STRIDED_SLICE_GRAD, a, Tensor.of(7f, 9f, 1f)));
    assertTrue(e.getMessage().startsWith("StridedSliceGrad: expected dy of the slice's shape [2]"),
        e.getMessage());
  }

  @Test
  void convolutionGradientOpsValuesAndErrors() {
    // 1x1 filter [[2]]: the input gradient is 2 dy, the filter gradient sum(x dy)
    Attrs conv = Attrs.of("strides", new int[] {1, 1, 1, 1}, "padding", "VALID", "dilations",
        new int[] {1, 1, 1, 1});
    Tensor f = Tensor.of(new float[] {2}, 1, 1, 1, 1);
    Tensor dy = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1);
    Tensor dx = Dispatch.run1(NnGradOps.CONV2D_BACKPROP_INPUT,
        GradientSupport.with(conv, "input_sizes", new long[] {1, 2, 2, 1}), f, dy);
    assertArrayEquals(new float[] {2, 4, 6, 8}, dx.toFloatArray());
    Tensor df = Dispatch.run1(NnGradOps.CONV2D_BACKPROP_FILTER,
        GradientSupport.with(conv, "filter_sizes", new long[] {1, 1, 1, 1}), dy, dy);
    assertArrayEquals(new float[] {30}, df.toFloatArray());
    var e = assertThrows(InvalidArgumentException.class, () -> Dispatch.run1(
        NnGradOps.CONV2D_BACKPROP_INPUT, GradientSupport.with(conv, "input_sizes",
            new long[] {1, 3, 2, 1}), f, dy));
    assertTrue(e.getMessage().startsWith("Conv2DBackpropInput: expected out_backprop of the"
        + " forward op's output shape [1, 3, 2, 1]"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> Dispatch.run1(
        NnGradOps.CONV2D_BACKPROP_INPUT, GradientSupport.with(conv, "input_sizes",
            new long[] {1, -2, 2, 1}), f, dy));
    assertTrue(e.getMessage().contains("input_sizes: 4 dimensions >= 0"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> Dispatch.run1(
        NnGradOps.CONV2D_BACKPROP_INPUT, conv, f, dy));
    assertTrue(e.getMessage().startsWith("Conv2DBackpropInput: "), e.getMessage());
  }

  @Test
  void poolingGradientOpsValuesAndErrors() {
    // SAME 2x2 windows, stride 2, on a 3x3 image: the border windows cover 2 and 1 elements
    Attrs pool = Attrs.of("ksize", new int[] {1, 2, 2, 1}, "strides", new int[] {1, 2, 2, 1},
        "padding", "SAME", "orig_input_shape", new long[] {1, 3, 3, 1});
    Tensor g = Dispatch.run1(NnGradOps.AVG_POOL_GRAD, pool,
        Tensor.of(new double[] {4, 4, 4, 4}, 1, 2, 2, 1));
    assertArrayEquals(new double[] {1, 1, 2, 1, 1, 2, 2, 2, 4}, g.toDoubleArray());
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
    Attrs max = GradientSupport.without(pool, "orig_input_shape");
    Tensor y = Ops.maxPool(x, new int[] {2, 2}, new int[] {2, 2}, "SAME");
    Tensor dx = Dispatch.run1(NnGradOps.MAX_POOL_GRAD, max, x, y,
        Tensor.of(new double[] {1, 2, 3, 4}, 1, 2, 2, 1));
    assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 3, 4}, dx.toDoubleArray());
    var e = assertThrows(InvalidArgumentException.class,
        () -> Dispatch.run1(NnGradOps.MAX_POOL_GRAD, max, x, y, x));
    assertTrue(e.getMessage().startsWith("MaxPoolGrad: expected grad of the forward op's output"
        + " shape [1, 2, 2, 1]"), e.getMessage());
    // MaxPoolGrad's own gradient: zeros for the input and output, MaxPoolGradGrad for grad
    Tensor[] gg = OpRegistry.get("MaxPoolGrad").gradient().apply(new Tensor[] {x, y, y},
        new Tensor[] {dx}, new Tensor[] {x}, max);
    assertArrayEquals(new double[9], gg[0].toDoubleArray());
    assertArrayEquals(new double[] {5, 6, 8, 9}, gg[2].toDoubleArray());
  }
}
