package dev.isthmus.properties;

import static dev.isthmus.properties.GradientRecipes.TABLE;
import static dev.isthmus.properties.GradientRecipes.U;
import static dev.isthmus.properties.GradientRecipes.broadcasting;
import static dev.isthmus.properties.GradientRecipes.dims;
import static dev.isthmus.properties.GradientRecipes.distinct;
import static dev.isthmus.properties.GradientRecipes.ex;
import static dev.isthmus.properties.GradientRecipes.f64;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpRegistry;
import dev.isthmus.testkit.Draw;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link GradientRecipes} of MatMul and BatchMatMulV2, and of the convolution and pooling ops
 * and their gradient ops.
 */
final class ContractionRecipes {
  private ContractionRecipes() {}

  /** A matrix {@code rows x cols}, or its transpose when {@code t}, after {@code batch}. */
  static Tensor matrix(Draw d, long[] batch, long rows, long cols, boolean t) {
    long[] s = Arrays.copyOf(batch, batch.length + 2);
    s[batch.length] = t ? cols : rows;
    s[batch.length + 1] = t ? rows : cols;
    return f64(d, s, U);
  }

  static void register() {
    TABLE.put("MatMul", d -> {
      boolean ta = d.between(0, 1) == 0, tb = d.between(0, 1) == 0;
      long m = d.between(1, 4), k = d.between(1, 4), n = d.between(1, 4);
      long[] none = {};
      return ex(Attrs.of("transpose_a", ta, "transpose_b", tb), matrix(d, none, m, k, ta),
          matrix(d, none, k, n, tb));
    });
    TABLE.put("BatchMatMulV2", d -> {
      boolean ta = d.between(0, 1) == 0, tb = d.between(0, 1) == 0;
      long m = d.between(1, 3), k = d.between(0, 3), n = d.between(1, 3);
      long[][] b = broadcasting(d, 2, 2, 3);
      return ex(Attrs.of("adj_x", ta, "adj_y", tb), matrix(d, b[0], m, k, ta),
          matrix(d, b[1], k, n, tb));
    });
    registerNn();
  }

  // ---------------------------------------------------------------- convolution and pooling

  /** A window over an NHWC input: input dims, window, its attributes (VALID always fits). */
  record Window(long[] x, int kh, int kw, Attrs attrs) {}

  /**
   * A random window: batch 1-2, channels 1-3, strides 1-2 (equal for depthwise) or else
   * dilations 1-2, SAME or VALID, and an input at least as large as the effective window.
   */
  static Window window(Draw d, boolean pool, boolean depthwise) {
    int kh = d.intBetween(1, 3), kw = d.intBetween(1, 3);
    int sh = d.intBetween(1, 2), sw = depthwise ? sh : d.intBetween(1, 2);
    boolean strided = sh > 1 || sw > 1;
    boolean dilated = !pool && !strided;
    int dh = dilated ? d.intBetween(1, 2) : 1, dw = dilated ? d.intBetween(1, 2) : 1;
    long[] x = {d.between(1, 2), (kh - 1) * dh + 1 + d.between(0, 2),
        (kw - 1) * dw + 1 + d.between(0, 2), d.between(1, 3)};
    String padding = d.oneOf("SAME", "VALID");
    Attrs a = pool
        ? Attrs.of("ksize", new int[] {1, kh, kw, 1}, "strides", new int[] {1, sh, sw, 1},
            "padding", padding)
        : Attrs.of("strides", new int[] {1, sh, sw, 1}, "padding", padding, "dilations",
            new int[] {1, dh, dw, 1});
    return new Window(x, kh, kw, a);
  }

  /** The filter dims of a window: [kh, kw, C, out channels or multiplier]. */
  static long[] filter(Draw d, Window w, boolean depthwise) {
    return new long[] {w.kh(), w.kw(), w.x()[3], depthwise ? d.between(1, 2) : d.between(1, 3)};
  }

  static Attrs with(Attrs a, String name, long[] v) {
    Map<String, Object> m = new LinkedHashMap<>(a.asMap());
    m.put(name, v);
    return MoveRecipes.attrs(m);
  }

  /** The forward op's output dims, by running it on zeros. */
  static long[] forward(String op, Attrs a, long[]... dims) {
    Tensor[] in = new Tensor[dims.length];
    for (int i = 0; i < dims.length; i++) {
      in[i] = Ops.zeros(DType.FLOAT64, dims[i]);
    }
    return Dispatch.run1(OpRegistry.get(op), a, in)
        .shape().dims();
  }

  /** Conv2D, DepthwiseConv2dNative, MaxPool, AvgPool, and their gradient ops. */
  static void registerNn() {
    for (boolean dw : new boolean[] {false, true}) {
      String conv = dw ? "DepthwiseConv2dNative" : "Conv2D";
      String prefix = dw ? "DepthwiseConv2dNative" : "Conv2D";
      TABLE.put(conv, d -> {
        Window w = window(d, false, dw);
        return ex(w.attrs(), f64(d, w.x(), U), f64(d, filter(d, w, dw), U));
      });
      TABLE.put(prefix + "BackpropInput", d -> {
        Window w = window(d, false, dw);
        long[] f = filter(d, w, dw);
        return ex(with(w.attrs(), "input_sizes", w.x()), f64(d, f, U),
            f64(d, forward(conv, w.attrs(), w.x(), f), U));
      });
      TABLE.put(prefix + "BackpropFilter", d -> {
        Window w = window(d, false, dw);
        long[] f = filter(d, w, dw);
        return ex(with(w.attrs(), "filter_sizes", f), f64(d, w.x(), U),
            f64(d, forward(conv, w.attrs(), w.x(), f), U));
      });
    }
    TABLE.put("MaxPool", d -> {
      Window w = window(d, true, false);
      return ex(w.attrs(), distinct(d, w.x()));
    });
    TABLE.put("AvgPool", d -> {
      Window w = window(d, true, false);
      return ex(w.attrs(), f64(d, w.x(), U));
    });
    for (boolean twice : new boolean[] {false, true}) {
      TABLE.put(twice ? "MaxPoolGradGrad" : "MaxPoolGrad", d -> {
        Window w = window(d, true, false);
        Tensor x = distinct(d, w.x());
        Tensor y = dev.isthmus.internal.Dispatch.run1(
            dev.isthmus.internal.OpRegistry.get("MaxPool"), w.attrs(), x);
        return ex(w.attrs(), x, y, f64(d, twice ? w.x() : y.shape().dims(), U));
      });
    }
    TABLE.put("AvgPoolGrad", d -> {
      Window w = window(d, true, false);
      return ex(with(w.attrs(), "orig_input_shape", w.x()),
          f64(d, forward("AvgPool", w.attrs(), w.x()), U));
    });
  }
}
