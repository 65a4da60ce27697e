package dev.isthmus.properties;

import dev.isthmus.DType;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.CastOps;
import dev.isthmus.internal.ReduceOps;
import dev.isthmus.testkit.Draw;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to make valid inputs and attributes for each op with a gradient rule, for {@link
 * GradientProperties}: one line per op (or per family of ops that share a recipe). Floating
 * inputs are FLOAT64, small (rank <= 3, dimensions <= 3 or 4, now and then an empty one), and
 * kept at least {@link #GAP} away from the points where the op is not differentiable (0 for
 * abs and relu, integers for floor, ties for max and maxPool, ...), so that central
 * differences with a step far below GAP never straddle one.
 */
final class GradientRecipes {
  private GradientRecipes() {}

  /** An op call: its inputs and attributes. */
  record Example(Tensor[] inputs, Attrs attrs) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (Tensor t : inputs) {
        sb.append(t.describe()).append(' ').append(t).append("; ");
      }
      return sb.append("attrs ").append(attrs).toString();
    }
  }

  /** Draws an example. */
  @FunctionalInterface
  interface Recipe {
    Example draw(Draw d);
  }

  /** Draws one value. */
  @FunctionalInterface
  interface Values {
    double next(Draw d);
  }

  /** The least distance of an input from a point where its op is not differentiable. */
  static final double GAP = 0.05;

  static final Map<String, Recipe> TABLE = new TreeMap<>();

  // ---------------------------------------------------------------- values and shapes

  static Values uniform(double lo, double hi) {
    return d -> d.doubleBetween(lo, hi);
  }

  /** Uniform in [lo, hi), pushed to at least {@code gap} from each of {@code points}. */
  static Values away(double lo, double hi, double gap, double... points) {
    return d -> {
      double v = d.doubleBetween(lo, hi);
      for (double p : points) {
        if (Math.abs(v - p) < gap) {
          v = v < p ? p - gap : p + gap;
        }
      }
      return v;
    };
  }

  /** {@code step * k + offset} for k in [lo, hi]: two lattices with offsets never meet. */
  static Values lattice(double step, int lo, int hi, double offset) {
    return d -> step * d.intBetween(lo, hi) + offset;
  }

  /** Integer plus [0.1, 0.4): away from integers and halves (floor, ceil, round). */
  static final Values FRACTIONAL = d -> d.intBetween(-3, 3) + d.doubleBetween(0.1, 0.4);
  static final Values U = uniform(-3, 3);

  /** {@code v}, or exactly 0 one time in {@code n}. */
  static Values sometimesZero(Values v, int n) {
    return d -> d.between(0, n - 1) == 0 ? 0.0 : v.next(d);
  }

  /** Dimensions: rank in [minRank, maxRank], each in [1, maxDim], one in 12 with a 0. */
  static long[] dims(Draw d, int minRank, int maxRank, int maxDim) {
    long[] s = new long[d.intBetween(minRank, maxRank)];
    for (int i = 0; i < s.length; i++) {
      s[i] = d.intBetween(1, maxDim);
    }
    if (s.length > 0 && d.between(0, 11) == 0) {
      s[d.intBetween(0, s.length - 1)] = 0;
    }
    return s;
  }

  /** Dimensions with no zero. */
  static long[] full(Draw d, int minRank, int maxRank, int maxDim) {
    long[] s = new long[d.intBetween(minRank, maxRank)];
    for (int i = 0; i < s.length; i++) {
      s[i] = d.intBetween(1, maxDim);
    }
    return s;
  }

  /** {@code n} shapes that broadcast together: leading axes dropped, dimensions set to 1. */
  static long[][] broadcasting(Draw d, int n, int maxRank, int maxDim) {
    long[] all = dims(d, 0, maxRank, maxDim);
    long[][] out = new long[n][];
    for (int k = 0; k < n; k++) {
      out[k] = squash(d, all);
    }
    return out;
  }

  /** {@code dims} with some leading axes dropped and some dimensions set to 1. */
  static long[] squash(Draw d, long[] dims) {
    long[] s = Arrays.copyOfRange(dims, d.intBetween(0, dims.length), dims.length);
    for (int i = 0; i < s.length; i++) {
      s[i] = d.between(0, 2) == 0 ? 1 : s[i];
    }
    return s;
  }

  static long size(long[] dims) {
    long n = 1;
    for (long v : dims) {
      n *= v;
    }
    return n;
  }

  static Tensor f64(Draw d, long[] dims, Values v) {
    double[] a = new double[(int) size(dims)];
    for (int i = 0; i < a.length; i++) {
      a[i] = v.next(d);
    }
    return Tensor.of(a, dims);
  }

  /** Distinct values (a shuffled lattice of step 0.25): no ties for max, min or maxPool. */
  static Tensor distinct(Draw d, long[] dims) {
    int n = (int) size(dims);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = 0.25 * (i - n / 2);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = d.intBetween(0, i);
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return Tensor.of(a, dims);
  }

  static Tensor bools(Draw d, long[] dims) {
    boolean[] a = new boolean[(int) size(dims)];
    for (int i = 0; i < a.length; i++) {
      a[i] = d.between(0, 1) == 1;
    }
    return Tensor.of(a, dims);
  }

  /** Integers in [lo, hi], INT32 or INT64 at random. */
  static Tensor ints(Draw d, long[] dims, long lo, long hi) {
    long[] a = new long[(int) size(dims)];
    for (int i = 0; i < a.length; i++) {
      a[i] = d.between(lo, hi);
    }
    return d.between(0, 1) == 0 ? Tensor.of(a, dims)
        : Tensor.of(Arrays.stream(a).mapToInt(v -> (int) v).toArray(), dims);
  }

  static Example ex(Attrs a, Tensor... in) {
    return new Example(in, a);
  }

  static Example ex(Tensor... in) {
    return new Example(in, Attrs.EMPTY);
  }

  /** Axis {@code i} of rank {@code r}, written negative half the time. */
  static int anyForm(Draw d, int i, int r) {
    return d.between(0, 1) == 0 ? i : i - r;
  }

  // ---------------------------------------------------------------- the table

  static void unary(Values v, String... ops) {
    for (String op : ops) {
      TABLE.put(op, d -> ex(f64(d, dims(d, 0, 3, 3), v)));
    }
  }

  static void binary(Values vx, Values vy, String... ops) {
    for (String op : ops) {
      TABLE.put(op, d -> {
        long[][] s = broadcasting(d, 2, 3, 3);
        return ex(f64(d, s[0], vx), f64(d, s[1], vy));
      });
    }
  }

  static {
    unary(U, "Neg", "Square", "Sin", "Cos", "Tanh", "Sigmoid", "Softplus", "Identity",
        "ZerosLike", "OnesLike");
    unary(uniform(-2, 2), "Exp", "Expm1");
    unary(away(-3, 3, GAP, 0), "Abs", "Sign", "Relu", "Elu");
    unary(away(-2, 8, GAP, 0, 6), "Relu6");
    unary(uniform(0.2, 3), "Log", "Sqrt", "Rsqrt");
    unary(uniform(-0.5, 2), "Log1p");
    unary(away(-3, 3, 0.3, 0), "Reciprocal");
    unary(FRACTIONAL, "Floor", "Ceil", "Round");
    TABLE.put("Gelu", d -> ex(Attrs.of("approximate", d.between(0, 1) == 1),
        f64(d, dims(d, 0, 3, 3), sometimesZero(U, 8))));
    TABLE.put("LogicalNot", d -> ex(bools(d, dims(d, 0, 3, 3))));
    TABLE.put("Cast", d -> ex(CastOps.castAttrs(DType.FLOAT64), d.between(0, 3) == 0
        ? ints(d, dims(d, 0, 3, 3), -5, 5) : f64(d, dims(d, 0, 3, 3), U)));

    binary(U, U, "AddV2", "Sub", "Mul", "SquaredDifference", "Equal", "NotEqual", "Less",
        "LessEqual", "Greater", "GreaterEqual");
    binary(U, away(-3, 3, 0.3, 0), "RealDiv");
    binary(uniform(0.3, 2), uniform(-2, 2), "Pow");
    binary(away(-2, 2, 0.3, 0), away(-2, 2, 0.3, 0), "Atan2");
    // distinct lattices: x on even tenths, y on odd ones, so no ties
    binary(lattice(0.2, -10, 10, 0), lattice(0.2, -10, 10, 0.1), "Maximum", "Minimum");
    // x = 4k + [0.1, 0.2) and y = ±1, ±2 or ±4: x / y stays 0.025 or more from an integer
    binary(d -> 4 * d.intBetween(-2, 2) + d.doubleBetween(0.1, 0.2),
        d -> d.oneOf(1.0, 2.0, 4.0, -1.0, -2.0, -4.0), "FloorDiv", "FloorMod");
    for (String op : new String[] {"LogicalAnd", "LogicalOr"}) {
      TABLE.put(op, d -> {
        long[][] s = broadcasting(d, 2, 3, 3);
        return ex(bools(d, s[0]), bools(d, s[1]));
      });
    }
    TABLE.put("SelectV2", d -> {
      long[][] s = broadcasting(d, 3, 3, 3);
      return ex(bools(d, s[0]), f64(d, s[1], U), f64(d, s[2], U));
    });
    TABLE.put("ClipByValue", d -> { // x on even tenths, the bounds on odd ones
      long[] s = dims(d, 0, 3, 3);
      return ex(f64(d, s, lattice(0.2, -6, 6, 0)), f64(d, squash(d, s), lattice(-0.2, 0, 5, -0.1)),
          f64(d, squash(d, s), lattice(0.2, 0, 5, 0.1)));
    });
    ReductionRecipes.register();
    MoveRecipes.register();
    ContractionRecipes.register();
  }

  // ---------------------------------------------------------------- reductions

  /** Sum, Mean, Max, Min, Prod, All, Any, ArgMax, ArgMin, Softmax, LogSoftmax. */
  static final class ReductionRecipes {
    private ReductionRecipes() {}

    /** A reduction over a random subset of axes (none: all), with keep_dims at random. */
    static Example reduce(Draw d, Tensor x) {
      int r = x.rank();
      int[] axes = new int[r];
      int n = 0;
      for (int i = 0; i < r; i++) {
        if (d.between(0, 1) == 0) {
          axes[n++] = anyForm(d, i, r);
        }
      }
      return ex(ReduceOps.reduceAttrs(x, d.between(0, 1) == 0, Arrays.copyOf(axes, n)), x);
    }

    static void register() {
      TABLE.put("Sum", d -> reduce(d, f64(d, dims(d, 0, 3, 3), U)));
      TABLE.put("Mean", d -> reduce(d, f64(d, dims(d, 0, 3, 3), U)));
      TABLE.put("Max", d -> reduce(d, distinct(d, dims(d, 0, 3, 3))));
      TABLE.put("Min", d -> reduce(d, distinct(d, dims(d, 0, 3, 3))));
      // magnitudes near 1 with both signs, and now and then exact zeros (one, or several)
      TABLE.put("Prod", d -> reduce(d, f64(d, dims(d, 0, 3, 3),
          sometimesZero(dd -> dd.oneOf(1.0, -1.0) * dd.doubleBetween(0.5, 1.5), 6))));
      TABLE.put("All", d -> reduce(d, bools(d, dims(d, 0, 3, 3))));
      TABLE.put("Any", d -> reduce(d, bools(d, dims(d, 0, 3, 3))));
      for (String op : new String[] {"ArgMax", "ArgMin"}) {
        TABLE.put(op, d -> {
          Tensor x = f64(d, full(d, 1, 3, 3), U);
          return ex(ReduceOps.argAttrs(x, anyForm(d, d.intBetween(0, x.rank() - 1), x.rank())), x);
        });
      }
      for (String op : new String[] {"Softmax", "LogSoftmax"}) {
        TABLE.put(op, d -> {
          Tensor x = f64(d, dims(d, 1, 3, 4), U);
          return ex(ReduceOps.softmaxAttrs(x, anyForm(d, d.intBetween(0, x.rank() - 1),
              x.rank())), x);
        });
      }
    }
  }

  // ---------------------------------------------------------------- movement

  /** Shape, concat, slice, gather and pad ops. */
  static final class MoveRecipes {
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
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(a.asMap());
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

  // ---------------------------------------------------------------- contractions

  /** MatMul and BatchMatMulV2; the convolution and pooling ops and their gradient ops. */
  static final class ContractionRecipes {
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
      NnRecipes.register();
    }
  }

  // ---------------------------------------------------------------- convolution and pooling

  /** Conv2D, DepthwiseConv2dNative, MaxPool, AvgPool, and their gradient ops. */
  static final class NnRecipes {
    private NnRecipes() {}

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
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(a.asMap());
      m.put(name, v);
      return MoveRecipes.attrs(m);
    }

    /** The forward op's output dims, by running it on zeros. */
    static long[] forward(String op, Attrs a, long[]... dims) {
      Tensor[] in = new Tensor[dims.length];
      for (int i = 0; i < dims.length; i++) {
        in[i] = Ops.zeros(DType.FLOAT64, dims[i]);
      }
      return dev.isthmus.internal.Dispatch.run1(dev.isthmus.internal.OpRegistry.get(op), a, in)
          .shape().dims();
    }

    static void register() {
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
}
