package dev.isthmus.properties;

import dev.isthmus.DType;
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
 * GradientProperties}: one line per op (or per family of ops that share a recipe); the
 * elementwise ops and reductions here, the others in {@link MoveRecipes} and {@link
 * ContractionRecipes}. Floating inputs are FLOAT64, small (rank <= 3, dimensions <= 3 or 4,
 * now and then an empty one), and kept at least {@link #GAP} away from the points where the op
 * is not differentiable (0 for abs and relu, integers for floor, ties for max and maxPool, ...),
 * so that central differences with a step far below GAP never straddle one.
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
    unary(U, "Neg", "Square", "Sin", "Cos", "Atan", "Tanh", "Sigmoid", "Softplus", "Identity",
        "ZerosLike", "OnesLike", "Size");
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
    TABLE.put("ReluGrad", d -> { // features away from relu's kink
      long[] s = dims(d, 0, 3, 3);
      return ex(f64(d, s, U), f64(d, s, away(-3, 3, GAP, 0)));
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

}
