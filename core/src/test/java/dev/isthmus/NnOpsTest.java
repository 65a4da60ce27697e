package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * conv2d, depthwiseConv2d, maxPool and avgPool: hand-checked values, TensorFlow's output sizes
 * for SAME and VALID with strides and dilations, avgPool's division at SAME borders, and every
 * error. Larger cases use small integer values, so every sum is exact in float32 whatever the
 * order, against a naive reference written here.
 */
class NnOpsTest {
  private static final int[] ONE = {1, 1};

  /** 1, 2, ..., 9 as a [1, 3, 3, 1] image. */
  private static Tensor nine() {
    return Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
  }

  /** [[1, 2], [3, 4]] as a [2, 2, 1, 1] filter. */
  private static Tensor twoByTwo() {
    return Tensor.of(new float[] {1, 2, 3, 4}, 2, 2, 1, 1);
  }

  // ---------------------------------------------------------------- conv2d values

  @Test
  void conv2dThreeByThreeWithTwoByTwo() {
    // VALID: [[1*1 + 2*2 + 4*3 + 5*4, ...]]
    Tensor v = Ops.conv2d(nine(), twoByTwo(), ONE, "VALID");
    assertEquals(Shape.of(1, 2, 2, 1), v.shape());
    assertArrayEquals(new float[] {37, 47, 67, 77}, v.toFloatArray());
    // SAME: 1 padding row and column, both after (pad_total 1, pad_before 0)
    Tensor s = Ops.conv2d(nine(), twoByTwo(), ONE, "SAME");
    assertEquals(Shape.of(1, 3, 3, 1), s.shape());
    assertArrayEquals(new float[] {37, 47, 21, 67, 77, 33, 23, 26, 9}, s.toFloatArray());
    // stride 2: SAME keeps rows and columns 0 and 2; VALID only the first window
    assertArrayEquals(new float[] {37, 21, 23, 9},
        Ops.conv2d(nine(), twoByTwo(), new int[] {2, 2}, "SAME").toFloatArray());
    assertArrayEquals(new float[] {37},
        Ops.conv2d(nine(), twoByTwo(), new int[] {1, 2, 2, 1}, "VALID").toFloatArray());
    // one int means the same stride along both axes
    assertArrayEquals(new float[] {37, 21, 23, 9},
        Ops.conv2d(nine(), twoByTwo(), new int[] {2}, "SAME").toFloatArray());
  }

  @Test
  void conv2dDilatedAndMultiChannel() {
    // dilation 2 on a 2x2 filter spans 3x3: VALID gives one output, 1*1 + 2*3 + 3*7 + 4*9
    Tensor d = Ops.conv2d(nine(), twoByTwo(), ONE, "VALID", new int[] {2, 2});
    assertEquals(Shape.of(1, 1, 1, 1), d.shape());
    assertArrayEquals(new float[] {64}, d.toFloatArray());
    // SAME with dilation 2: effective 3x3, 1 padding on each side: the centre taps
    Tensor ds = Ops.conv2d(nine(), twoByTwo(), ONE, "SAME", new int[] {2, 2});
    assertEquals(Shape.of(1, 3, 3, 1), ds.shape());
    assertEquals(64f, ds.toFloatArray()[4]); // the centre pixel sees the four corners
    assertEquals(4 * 5f, ds.toFloatArray()[0]); // pixel (0, 0): only tap (1, 1) is inside
    // 2 input channels, 3 output channels, 1x1: a matmul per pixel
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2); // pixels (1, 2) and (3, 4)
    Tensor f = Tensor.of(new float[] {1, 0, -1, 10, 100, 1000}, 1, 1, 2, 3);
    assertArrayEquals(new float[] {21, 200, 1999, 43, 400, 3997},
        Ops.conv2d(x, f, ONE, "VALID").toFloatArray());
  }

  @Test
  void conv2dFloat64AndAgainstANaiveReference() {
    SplittableRandom r = new SplittableRandom(7);
    int[][] cases = { // n, h, w, c, kh, kw, outC, sh, sw, dh, dw, same
      {2, 5, 6, 3, 3, 2, 4, 2, 1, 1, 1, 1},
      {1, 7, 7, 5, 3, 3, 2, 1, 1, 2, 1, 1},
      {1, 6, 5, 4, 2, 3, 3, 3, 2, 1, 1, 0},
      {2, 4, 4, 9, 1, 1, 6, 1, 1, 1, 1, 1}, // 1x1 stride 1: no im2col
      {3, 3, 4, 2, 3, 4, 5, 1, 1, 1, 1, 0}, // the window covers the image: no im2col
      {1, 9, 9, 17, 4, 4, 3, 2, 2, 1, 1, 1},
    };
    for (int[] k : cases) {
      float[] xv = ints(r, k[0] * k[1] * k[2] * k[3]);
      float[] fv = ints(r, k[4] * k[5] * k[3] * k[6]);
      int[] s = {k[7], k[8]}, d = {k[9], k[10]};
      String pad = k[11] == 1 ? "SAME" : "VALID";
      Tensor x = Tensor.of(xv, k[0], k[1], k[2], k[3]);
      Tensor f = Tensor.of(fv, k[4], k[5], k[3], k[6]);
      Tensor got = Ops.conv2d(x, f, s, pad, d);
      Ref want = reference(xv, fv, k, false);
      assertEquals(Shape.of(k[0], want.oh, want.ow, k[6]), got.shape(), pad);
      assertArrayEquals(want.values, got.toFloatArray(), java.util.Arrays.toString(k));
      Tensor got64 = Ops.conv2d(Ops.cast(x, DType.FLOAT64), Ops.cast(f, DType.FLOAT64), s, pad, d);
      assertEquals(DType.FLOAT64, got64.dtype());
      assertArrayEquals(doubles(want.values), got64.toDoubleArray());
    }
  }

  @Test
  void conv2dOutputShapes() {
    Tensor x = Ops.zeros(DType.FLOAT32, 2, 7, 10, 3);
    Tensor f = Ops.zeros(DType.FLOAT32, 3, 3, 3, 5);
    int[] s = {2, 3};
    assertEquals(Shape.of(2, 4, 4, 5), Ops.conv2d(x, f, s, "SAME").shape()); // ceil(7/2), ceil(10/3)
    assertEquals(Shape.of(2, 3, 3, 5), Ops.conv2d(x, f, s, "VALID").shape()); // (7-3+2)/2, (10-3+3)/3
    // dilation 2: the effective window is 5x5
    assertEquals(Shape.of(2, 3, 6, 5), Ops.conv2d(x, f, ONE, "VALID", new int[] {2, 2}).shape());
    assertEquals(Shape.of(2, 7, 10, 5), Ops.conv2d(x, f, ONE, "SAME", new int[] {2, 2}).shape());
    // a window larger than the input: TensorFlow's (in - k + stride) / stride, truncated
    Tensor small = Ops.zeros(DType.FLOAT32, 1, 2, 2, 3);
    assertEquals(Shape.of(1, 0, 0, 5), Ops.conv2d(small, f, ONE, "VALID").shape());
    Tensor one = Ops.zeros(DType.FLOAT32, 1, 1, 1, 3);
    assertEquals(Shape.of(1, 0, 0, 5), Ops.conv2d(one, f, new int[] {2, 2}, "VALID").shape());
    assertEquals(Shape.of(1, 1, 1, 5), Ops.conv2d(one, f, ONE, "SAME").shape());
    // an empty batch gives an empty output
    assertEquals(Shape.of(0, 7, 10, 5),
        Ops.conv2d(Ops.zeros(DType.FLOAT32, 0, 7, 10, 3), f, ONE, "SAME").shape());
  }

  // ---------------------------------------------------------------- depthwise

  @Test
  void depthwiseConv2dValues() {
    // two channels, multiplier 2: output channels (c0 q0, c0 q1, c1 q0, c1 q1)
    Tensor x = Tensor.of(new float[] {1, 10, 2, 20, 3, 30, 4, 40}, 1, 2, 2, 2);
    Tensor f = Tensor.of(new float[] {1, -1, 2, 0.5f}, 1, 1, 2, 2);
    Tensor y = Ops.depthwiseConv2d(x, f, ONE, "VALID");
    assertEquals(Shape.of(1, 2, 2, 4), y.shape());
    assertArrayEquals(new float[] {1, -1, 20, 5, 2, -2, 40, 10, 3, -3, 60, 15, 4, -4, 80, 20},
        y.toFloatArray());
    // a 2x2 window, multiplier 1: each channel's own sum, weighted
    Tensor g = Tensor.of(new float[] {1, 1, 1, 2, 1, 3, 1, 4}, 2, 2, 2, 1);
    // channel 0: 1 + 2 + 3 + 4; channel 1: 10*1 + 20*2 + 30*3 + 40*4
    assertArrayEquals(new float[] {10, 300}, Ops.depthwiseConv2d(x, g, ONE, "VALID")
        .toFloatArray());
    // against the naive reference: strides, dilations, SAME, multipliers 1 and 3
    SplittableRandom r = new SplittableRandom(11);
    int[][] cases = { // n, h, w, c, kh, kw, mult, sh, sw, dh, dw, same
      {2, 6, 5, 9, 3, 3, 1, 2, 2, 1, 1, 1},
      {1, 7, 6, 5, 2, 3, 3, 1, 1, 2, 2, 1},
      {1, 5, 8, 17, 3, 2, 1, 1, 1, 1, 1, 0},
      {2, 4, 4, 3, 4, 4, 2, 3, 3, 1, 1, 1},
    };
    for (int[] k : cases) {
      float[] xv = ints(r, k[0] * k[1] * k[2] * k[3]);
      float[] fv = ints(r, k[4] * k[5] * k[3] * k[6]);
      Tensor got = Ops.depthwiseConv2d(Tensor.of(xv, k[0], k[1], k[2], k[3]),
          Tensor.of(fv, k[4], k[5], k[3], k[6]), new int[] {k[7], k[8]},
          k[11] == 1 ? "SAME" : "VALID", new int[] {k[9], k[10]});
      Ref want = reference(xv, fv, k, true);
      assertEquals(Shape.of(k[0], want.oh, want.ow, k[3] * k[6]), got.shape());
      assertArrayEquals(want.values, got.toFloatArray(), java.util.Arrays.toString(k));
    }
  }

  // ---------------------------------------------------------------- pooling

  @Test
  void maxPoolValues() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
        1, 4, 4, 1);
    assertArrayEquals(new float[] {6, 8, 14, 16},
        Ops.maxPool(x, new int[] {2, 2}, new int[] {2, 2}, "VALID").toFloatArray());
    // SAME, 3x3 window, stride 1 on 3x3: padding is ignored, even for negative inputs
    Tensor neg = Ops.neg(nine());
    assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -4, -4, -5},
        Ops.maxPool(neg, new int[] {3}, ONE, "SAME").toFloatArray());
    // NaN propagates; -inf stays -inf
    Tensor special = Tensor.of(new float[] {Float.NaN, 1, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY}, 1, 2, 2, 1);
    float[] m = Ops.maxPool(special, new int[] {1, 2}, ONE, "VALID").toFloatArray();
    assertTrue(Float.isNaN(m[0]));
    assertEquals(Float.NEGATIVE_INFINITY, m[1]);
    // channels pool separately; float64
    Tensor c2 = Tensor.of(new double[] {1, 8, 5, 2, 3, 7, 4, 6}, 1, 2, 2, 2);
    assertArrayEquals(new double[] {5, 8},
        Ops.maxPool(c2, new int[] {2, 2}, ONE, "VALID").toDoubleArray());
  }

  @Test
  void avgPoolDividesByTheElementsInsideAtSameBorders() {
    // 3x3 window, stride 1, SAME on 1..9: one padding cell on each side
    Tensor y = Ops.avgPool(nine(), new int[] {3, 3}, ONE, "SAME");
    assertEquals(Shape.of(1, 3, 3, 1), y.shape());
    // corners: 4 elements; edges: 6; centre: 9
    assertArrayEquals(new float[] {3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7}, y.toFloatArray());
    // 2x2 window, SAME: the padding is all after, so the last row and column average fewer
    assertArrayEquals(new float[] {3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9},
        Ops.avgPool(nine(), new int[] {2, 2}, ONE, "SAME").toFloatArray());
    // VALID, stride 2 on 4 columns, float64
    Tensor row = Tensor.of(new double[] {1, 2, 3, 5}, 1, 1, 4, 1);
    assertArrayEquals(new double[] {1.5, 4},
        Ops.avgPool(row, new int[] {1, 2}, new int[] {1, 2}, "VALID").toDoubleArray());
  }

  @Test
  void poolOutputShapes() {
    Tensor x = Ops.zeros(DType.FLOAT32, 2, 7, 10, 3);
    int[] k = {3, 2}, s = {2, 3};
    assertEquals(Shape.of(2, 4, 4, 3), Ops.maxPool(x, k, s, "SAME").shape());
    assertEquals(Shape.of(2, 3, 3, 3), Ops.avgPool(x, k, s, "VALID").shape());
    assertEquals(Shape.of(2, 0, 0, 3),
        Ops.maxPool(Ops.zeros(DType.FLOAT32, 2, 2, 2, 3), new int[] {3, 3}, ONE, "VALID").shape());
  }

  // ---------------------------------------------------------------- errors

  @Test
  void conv2dErrors() {
    Tensor x = Ops.zeros(DType.FLOAT32, 1, 5, 5, 3);
    Tensor f = Ops.zeros(DType.FLOAT32, 3, 3, 3, 2);
    fails(() -> Ops.conv2d(Ops.zeros(DType.FLOAT32, 5, 5, 3), f, ONE, "SAME"),
        "Conv2D: expected input of rank 4, [batch, height, width, channels] (NHWC)");
    fails(() -> Ops.conv2d(x, Ops.zeros(DType.FLOAT32, 3, 3, 3), ONE, "SAME"),
        "expected a filter of rank 4, [filter_height, filter_width, in_channels, out_channels]");
    fails(() -> Ops.conv2d(x, Ops.zeros(DType.FLOAT32, 3, 3, 4, 2), ONE, "SAME"),
        "expected the filter's in_channels (dimension 2 of filter, 4) to equal the input's"
            + " channels (dimension 3 of input, 3)");
    fails(() -> Ops.conv2d(x, f, ONE, "same"), "expected padding \"SAME\" or \"VALID\", got"
        + " \"same\"");
    fails(() -> Ops.conv2d(x, f, ONE, null), "expected padding \"SAME\" or \"VALID\", got null");
    fails(() -> Ops.conv2d(x, f, new int[] {0, 1}, "SAME"),
        "expected positive strides, got [1, 0, 1, 1]");
    fails(() -> Ops.conv2d(x, f, new int[] {1, -2}, "SAME"), "expected positive strides");
    fails(() -> Ops.conv2d(x, f, new int[] {2, 1, 1, 1}, "SAME"),
        "expected strides of 1 in the batch and channel dimensions");
    fails(() -> Ops.conv2d(x, f, new int[] {1, 1, 1}, "SAME"),
        "expected strides of 1, 2 or 4 ints");
    fails(() -> Ops.conv2d(x, f, null, "SAME"), "expected attribute strides");
    fails(() -> Ops.conv2d(x, f, ONE, "SAME", new int[] {1, 0}), "expected positive dilations");
    fails(() -> Ops.conv2d(x, f, new int[] {2, 1}, "SAME", new int[] {1, 2}),
        "expected strides of 1 when a dilation is above 1");
    fails(() -> Ops.conv2d(x, Ops.zeros(DType.FLOAT64, 3, 3, 3, 2), ONE, "SAME"),
        "expected input and filter of the same dtype");
    fails(() -> Ops.conv2d(Ops.zeros(DType.INT32, 1, 5, 5, 3), Ops.zeros(DType.INT32, 3, 3, 3, 2),
        ONE, "SAME"), "expected dtype float32 or float64");
    fails(() -> Ops.conv2d(x, Ops.zeros(DType.FLOAT32, 3, 3, 3, 0), ONE, "SAME"),
        "expected a filter with no zero dimension");
    // the window does not fit even once, and truncation does not save it: TensorFlow's error
    fails(() -> Ops.conv2d(Ops.zeros(DType.FLOAT32, 1, 1, 5, 3), f, ONE, "VALID"),
        "computed output size would be negative: -1 [input_size: 1, effective_filter_size: 3,"
            + " stride: 1]");
    fails(() -> Ops.conv2d(x, f, ONE, "VALID", new int[] {3, 3}),
        "along its height: computed output size would be negative: -1 [input_size: 5,"
            + " effective_filter_size: 7, stride: 1]");
    // the message names the op's inputs and attributes
    var e = assertThrows(InvalidArgumentException.class, () -> Ops.conv2d(x, f, ONE, "FULL"));
    assertTrue(e.getMessage().contains("got input: float32[1, 5, 5, 3], filter: float32[3, 3, 3,"
        + " 2], attrs {strides=[1, 1, 1, 1], padding=FULL, dilations=[1, 1, 1, 1]}"),
        e.getMessage());
  }

  @Test
  void depthwiseAndPoolErrors() {
    Tensor x = Ops.zeros(DType.FLOAT32, 1, 5, 5, 3);
    Tensor f = Ops.zeros(DType.FLOAT32, 3, 3, 3, 2);
    fails(() -> Ops.depthwiseConv2d(x, f, new int[] {1, 2}, "SAME"),
        "DepthwiseConv2dNative: expected equal strides along height and width");
    fails(() -> Ops.depthwiseConv2d(x, Ops.zeros(DType.FLOAT32, 3, 3, 2, 2), ONE, "SAME"),
        "(dimension 2 of filter, 2) to equal the input's channels (dimension 3 of input, 3)");
    fails(() -> Ops.depthwiseConv2d(x, Ops.zeros(DType.FLOAT32, 3, 3, 3), ONE, "SAME"),
        "[filter_height, filter_width, in_channels, channel_multiplier]");
    fails(() -> Ops.depthwiseConv2d(x, f, new int[] {2, 2}, "SAME", new int[] {2, 2}),
        "expected strides of 1 when a dilation is above 1");
    // a zero multiplier is an empty output, as TensorFlow's
    assertEquals(Shape.of(1, 5, 5, 0),
        Ops.depthwiseConv2d(x, Ops.zeros(DType.FLOAT32, 3, 3, 3, 0), ONE, "SAME").shape());
    int[] k = {2, 2};
    fails(() -> Ops.maxPool(Ops.zeros(DType.FLOAT32, 5, 5), k, ONE, "SAME"),
        "MaxPool: expected input of rank 4");
    fails(() -> Ops.avgPool(Ops.zeros(DType.FLOAT32, 5, 5, 1), k, ONE, "SAME"),
        "AvgPool: expected value of rank 4");
    fails(() -> Ops.maxPool(x, new int[] {1, 2, 2, 2}, ONE, "SAME"),
        "expected ksize of 1 in the batch and channel dimensions");
    fails(() -> Ops.avgPool(x, new int[] {0, 2}, ONE, "SAME"), "expected positive ksize");
    fails(() -> Ops.maxPool(x, k, new int[] {1, 0}, "VALID"), "expected positive strides");
    fails(() -> Ops.avgPool(x, k, ONE, "EXPLICIT"), "expected padding \"SAME\" or \"VALID\"");
    fails(() -> Ops.maxPool(Ops.zeros(DType.INT32, 1, 2, 2, 1), k, ONE, "SAME"),
        "expected dtype float32 or float64");
    fails(() -> Ops.avgPool(x, new int[] {7, 1}, ONE, "VALID"),
        "computed output size would be negative");
  }

  private static void fails(Executable call, String expected) {
    var e = assertThrows(InvalidArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  // ---------------------------------------------------------------- reference

  private static float[] ints(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(-4, 5);
    }
    return v;
  }

  private static double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private record Ref(int oh, int ow, float[] values) {}

  /**
   * Direct convolution in double, TensorFlow's sizes; k as in the tests (n, h, w, c, kh, kw,
   * outC or multiplier, sh, sw, dh, dw, same).
   */
  private static Ref reference(float[] x, float[] f, int[] k, boolean depthwise) {
    int n = k[0], h = k[1], w = k[2], c = k[3], kh = k[4], kw = k[5], m = k[6];
    int sh = k[7], sw = k[8], dh = k[9], dw = k[10];
    boolean same = k[11] == 1;
    int eh = (kh - 1) * dh + 1, ew = (kw - 1) * dw + 1;
    int oh = same ? (h + sh - 1) / sh : (h - eh + sh) / sh;
    int ow = same ? (w + sw - 1) / sw : (w - ew + sw) / sw;
    int pt = same ? Math.max((oh - 1) * sh + eh - h, 0) / 2 : 0;
    int pl = same ? Math.max((ow - 1) * sw + ew - w, 0) / 2 : 0;
    int oc = depthwise ? c * m : m;
    float[] y = new float[n * oh * ow * oc];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < oc; o++) {
            double acc = 0;
            for (int u = 0; u < kh; u++) {
              for (int v = 0; v < kw; v++) {
                int iy = i * sh - pt + u * dh, ix = j * sw - pl + v * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                  continue;
                }
                int px = ((b * h + iy) * w + ix) * c;
                if (depthwise) {
                  acc += x[px + o / m] * f[(u * kw + v) * c * m + o];
                } else {
                  for (int ci = 0; ci < c; ci++) {
                    acc += x[px + ci] * f[((u * kw + v) * c + ci) * m + o];
                  }
                }
              }
            }
            y[((b * oh + i) * ow + j) * oc + o] = (float) acc;
          }
        }
      }
    }
    return new Ref(oh, ow, y);
  }
}
