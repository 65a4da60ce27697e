package dev.isthmus.properties;

import static dev.isthmus.properties.GradientRecipes.TABLE;
import static dev.isthmus.properties.GradientRecipes.U;
import static dev.isthmus.properties.GradientRecipes.anyForm;
import static dev.isthmus.properties.GradientRecipes.dims;
import static dev.isthmus.properties.GradientRecipes.ex;
import static dev.isthmus.properties.GradientRecipes.f64;
import static dev.isthmus.properties.GradientRecipes.full;
import static dev.isthmus.properties.GradientRecipes.ints;
import static dev.isthmus.properties.GradientRecipes.size;
import static dev.isthmus.properties.GradientRecipes.squash;

import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.testkit.Draw;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link GradientRecipes} of the shape, concat, slice, gather and pad ops. */
final class MoveRecipes {
  private MoveRecipes() {}

  static void register() {
    TABLE.put("Reshape", d -> {
      long[] s = dims(d, 0, 3, 3);
      long[] to = new long[s.length]; // the dimensions reversed, one maybe -1
      for (int i = 0; i < s.length; i++) {
        to[i] = s[s.length - 1 - i];
      }
      if (to.length > 0 && size(s) > 0 && d.between(0, 1) == 0) {
        to[d.intBetween(0, to.length - 1)] = -1;
      }
      return ex(Attrs.of("shape", d.between(0, 3) == 0 ? new long[] {size(s)} : to),
          f64(d, s, U));
    });
    TABLE.put("ExpandDims", d -> {
      long[] s = dims(d, 0, 3, 3);
      return ex(Attrs.of("axis", d.intBetween(-s.length - 1, s.length)), f64(d, s, U));
    });
    TABLE.put("Squeeze", d -> {
      long[] s = dims(d, 0, 3, 3);
      for (int i = 0; i < s.length; i++) {
        s[i] = d.between(0, 1) == 0 ? 1 : s[i];
      }
      int[] axes = new int[s.length];
      int n = 0;
      for (int i = 0; i < s.length && d.between(0, 2) > 0; i++) { // some of the 1s, or all
        if (s[i] == 1 && d.between(0, 1) == 0) {
          axes[n++] = anyForm(d, i, s.length);
        }
      }
      return ex(Attrs.of("axis", Arrays.copyOf(axes, n)), f64(d, s, U));
    });
    TABLE.put("Transpose", d -> {
      long[] s = dims(d, 0, 3, 3);
      int[] p = new int[s.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = i;
      }
      for (int i = p.length - 1; i > 0; i--) {
        int j = d.intBetween(0, i), t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      for (int i = 0; i < p.length; i++) {
        p[i] = anyForm(d, p[i], p.length);
      }
      return ex(Attrs.of("perm", p), f64(d, s, U));
    });
    TABLE.put("Tile", d -> {
      long[] s = dims(d, 0, 3, 3), m = new long[s.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = d.between(0, 9) == 0 ? 0 : d.between(1, 3);
      }
      return ex(Attrs.of("multiples", m), f64(d, s, U));
    });
    TABLE.put("BroadcastTo", d -> {
      long[] to = dims(d, 0, 3, 3);
      return ex(Attrs.of("shape", to), f64(d, squash(d, to), U));
    });
    TABLE.put("ConcatV2", d -> {
      long[] s = dims(d, 1, 3, 3);
      int axis = d.intBetween(0, s.length - 1);
      Tensor[] in = new Tensor[d.intBetween(1, 3)];
      for (int i = 0; i < in.length; i++) {
        s[axis] = d.between(0, 3);
        in[i] = f64(d, s, U);
      }
      return ex(Attrs.of("axis", anyForm(d, axis, s.length)), in);
    });
    TABLE.put("Pack", d -> {
      long[] s = dims(d, 0, 3, 3);
      Tensor[] in = new Tensor[d.intBetween(1, 3)];
      for (int i = 0; i < in.length; i++) {
        in[i] = f64(d, s, U);
      }
      return ex(Attrs.of("axis", d.intBetween(-s.length - 1, s.length)), in);
    });
    TABLE.put("Split", d -> {
      long[] s = dims(d, 1, 3, 3);
      int axis = d.intBetween(0, s.length - 1), n = d.intBetween(1, 3);
      s[axis] = n * d.between(0, 2);
      return ex(Attrs.of("numSplit", n, "axis", anyForm(d, axis, s.length)), f64(d, s, U));
    });
    TABLE.put("SplitV", d -> {
      long[] s = dims(d, 1, 3, 3), sizes = new long[d.intBetween(1, 3)];
      int axis = d.intBetween(0, s.length - 1);
      long total = 0;
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = d.between(0, 2);
        total += sizes[i];
      }
      s[axis] = total;
      if (d.between(0, 1) == 0) {
        sizes[d.intBetween(0, sizes.length - 1)] = -1;
      }
      return ex(Attrs.of("sizeSplits", sizes, "axis", anyForm(d, axis, s.length)),
          f64(d, s, U));
    });
    TABLE.put("Slice", d -> {
      long[] s = dims(d, 0, 3, 4), b = new long[s.length], z = new long[s.length];
      for (int i = 0; i < s.length; i++) {
        b[i] = d.between(0, s[i]);
        z[i] = d.between(0, 3) == 0 ? -1 : d.between(0, s[i] - b[i]);
      }
      return ex(Attrs.of("begin", b, "size", z), f64(d, s, U));
    });
    TABLE.put("StridedSlice", d -> {
      Tensor x = f64(d, dims(d, 0, 3, 4), U);
      return ex(stridedSpec(d, x.shape().dims()), x);
    });
    TABLE.put("StridedSliceGrad", d -> {
      long[] s = dims(d, 0, 3, 4);
      Attrs a = stridedSpec(d, s);
      long[] out = stridedSlice(Ops.zeros(DType.FLOAT64, s), a).shape().dims();
      Map<String, Object> m = new LinkedHashMap<>(a.asMap());
      m.put("shape", s);
      return ex(attrs(m), f64(d, out, U));
    });
    TABLE.put("GatherV2", d -> {
      long[] s = full(d, 1, 3, 3);
      int axis = d.intBetween(0, s.length - 1);
      Tensor idx = ints(d, dims(d, 0, 2, 4), 0, s[axis] - 1); // repeats are likely
      return ex(Attrs.of("axis", anyForm(d, axis, s.length)), f64(d, s, U), idx);
    });
    TABLE.put("UnsortedSegmentSum", d -> {
      long[] s = dims(d, 0, 3, 3);
      long num = d.between(0, 4);
      Tensor ids = ints(d, Arrays.copyOf(s, d.intBetween(0, s.length)), -1, num - 1);
      return ex(Attrs.of("num_segments", num), f64(d, s, U), ids);
    });
    TABLE.put("OneHot", d -> ex(Attrs.of("depth", 3L, "onValue", 1.0, "offValue", 0.0, "axis",
        -1, "dtype", DType.FLOAT64), ints(d, dims(d, 0, 2, 3), -1, 3)));
    TABLE.put("PadV2", d -> {
      long[] s = dims(d, 0, 3, 3), p = new long[2 * s.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = d.between(0, 2);
      }
      return ex(Attrs.of("paddings", p, "constantValue", U.next(d)), f64(d, s, U));
    });
    TABLE.put("MirrorPad", d -> {
      boolean reflect = d.between(0, 1) == 0;
      long[] s = full(d, 0, 3, 3), p = new long[2 * s.length]; // REFLECT needs sizes >= 1
      for (int i = 0; i < p.length; i++) {
        p[i] = d.between(0, reflect ? Math.max(0, s[i / 2] - 1) : s[i / 2]);
      }
      return ex(Attrs.of("paddings", p, "mode", reflect ? "REFLECT" : "SYMMETRIC"),
          f64(d, s, U));
    });
  }

  /**
   * StridedSlice attributes for dimensions {@code s} (the draws of SliceOpProperties: any
   * bounds, steps of both signs, every mask); a spec the op rejects becomes the empty spec
   * (the whole tensor).
   */
  static Attrs stridedSpec(Draw d, long[] s) {
    int n = d.intBetween(0, s.length + 1);
    long[] b = new long[n], e = new long[n], st = new long[n];
    int bm = 0, em = 0, el = 0, na = 0, sh = 0;
    for (int i = 0; i < n; i++) {
      long dim = i < s.length ? s[i] : 3;
      b[i] = d.between(-dim - 2, dim + 2);
      e[i] = d.between(-dim - 2, dim + 2);
      st[i] = d.oneOf(1L, 1L, 2L, 3L, -1L, -1L, -2L);
      bm |= d.between(0, 3) == 0 ? 1 << i : 0;
      em |= d.between(0, 3) == 0 ? 1 << i : 0;
      na |= d.between(0, 5) == 0 ? 1 << i : 0;
      if (d.between(0, 4) == 0) {
        sh |= 1 << i;
        st[i] = 1;
        b[i] = d.between(-dim, Math.max(0, dim - 1));
      }
    }
    if (n > 0 && d.between(0, 2) == 0) {
      el = 1 << d.intBetween(0, n - 1);
    }
    Attrs a = Attrs.of("begin", b, "end", e, "strides", st, "beginMask", bm, "endMask", em,
        "ellipsisMask", el, "newAxisMask", na, "shrinkAxisMask", sh);
    try {
      stridedSlice(Ops.zeros(DType.FLOAT64, s), a);
      return a;
    } catch (InvalidArgumentException rejected) {
      return Attrs.of("begin", new long[0], "end", new long[0], "strides", new long[0],
          "beginMask", 0, "endMask", 0, "ellipsisMask", 0, "newAxisMask", 0,
          "shrinkAxisMask", 0);
    }
  }

  static Tensor stridedSlice(Tensor x, Attrs a) {
    return Ops.stridedSlice(x, a.getLongs("begin"), a.getLongs("end"), a.getLongs("strides"),
        a.getInt("beginMask"), a.getInt("endMask"), a.getInt("ellipsisMask"),
        a.getInt("newAxisMask"), a.getInt("shrinkAxisMask"));
  }

  static Attrs attrs(Map<String, Object> m) {
    Object[] kv = new Object[2 * m.size()];
    int i = 0;
    for (var e : m.entrySet()) {
      kv[i++] = e.getKey();
      kv[i++] = e.getValue();
    }
    return Attrs.of(kv);
  }
}
