package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import dev.isthmus.properties.ReduceKernelProperties.OpCase;
import java.util.Arrays;
import java.util.SplittableRandom;

/** The naive reference: visits every input index and accumulates into its output index. */
final class ReduceReference {
  private ReduceReference() {}

  static Tensor tensor(OpCase c, ReduceOp op) {
    SplittableRandom r = new SplittableRandom(c.seed());
    int pattern = r.nextInt(4);
    int n = Math.toIntExact(Shape.of(c.dims()).size());
    boolean small = op == ReduceOp.MAX || op == ReduceOp.MIN;
    switch (c.dtype()) {
      case FLOAT32: {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) ReduceKernelProperties.value(op, r, pattern);
        }
        return Tensor.of(v, c.dims());
      }
      case FLOAT64: {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = ReduceKernelProperties.value(op, r, pattern);
        }
        return Tensor.of(v, c.dims());
      }
      case INT32: {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = small ? r.nextInt(-8, 9) : r.nextInt();
        }
        return Tensor.of(v, c.dims());
      }
      case INT64: {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = small ? r.nextInt(-8, 9) : r.nextLong();
        }
        return Tensor.of(v, c.dims());
      }
      default: {
        byte[] b = ReduceKernelProperties.bools(r.nextLong(), n);
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = b[i] != 0;
        }
        return Tensor.of(v, c.dims());
      }
    }
  }

  private static double[] asDoubles(Tensor x) {
    return switch (x.dtype()) {
      case FLOAT32 -> {
        float[] f = x.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          d[i] = f[i];
        }
        yield d;
      }
      case FLOAT64 -> x.toDoubleArray();
      case INT32 -> Arrays.stream(x.toIntArray()).asDoubleStream().toArray();
      case INT64 -> Arrays.stream(x.toLongArray()).asDoubleStream().toArray();
      case BOOL -> {
        boolean[] b = x.toBooleanArray();
        double[] d = new double[b.length];
        for (int i = 0; i < b.length; i++) {
          d[i] = b[i] ? 1 : 0;
        }
        yield d;
      }
    };
  }

  private static long[] asLongs(Tensor x) {
    return x.dtype() == DType.INT32
        ? Arrays.stream(x.toIntArray()).asLongStream().toArray()
        : x.toLongArray();
  }

  /** Checks a reduction ({@code kind}: SUM, PROD, MAX, MIN, MEAN, ALL or ANY) of {@code x}. */
  static void check(String kind, Tensor x, OpCase c, Tensor got) {
    long[] dims = c.dims();
    int rank = dims.length;
    boolean[] red = new boolean[rank];
    for (int a : c.axes()) {
      red[a < 0 ? a + rank : a] = true;
    }
    if (c.axes().length == 0) {
      Arrays.fill(red, true);
    }
    long[] want = new long[rank];
    int wr = 0;
    long count = 1;
    for (int i = 0; i < rank; i++) {
      if (!red[i]) {
        want[wr++] = dims[i];
      } else {
        count *= dims[i];
        if (c.keep()) {
          want[wr++] = 1;
        }
      }
    }
    assertEquals(Shape.of(Arrays.copyOf(want, wr)), got.shape(), "shape");
    assertEquals(x.dtype(), got.dtype(), "dtype");
    int outN = Math.toIntExact(got.size());
    boolean integer = x.dtype().isInteger();
    double[] xd = integer ? null : asDoubles(x);
    long[] xl = integer ? asLongs(x) : null;
    double[] acc = new double[outN], abs = new double[outN];
    long[] accL = new long[outN];
    double init = switch (kind) {
      case "PROD", "ALL" -> 1;
      case "MAX" -> Double.NEGATIVE_INFINITY;
      case "MIN" -> Double.POSITIVE_INFINITY;
      default -> 0;
    };
    Arrays.fill(acc, init);
    long initL = switch (kind) {
      case "PROD" -> 1;
      case "MAX" -> x.dtype() == DType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
      case "MIN" -> x.dtype() == DType.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
      default -> 0;
    };
    Arrays.fill(accL, initL);
    long n = x.size();
    for (long i = 0; i < n; i++) {
      long rem = i, mult = 1;
      int o = 0;
      for (int a = rank - 1; a >= 0; a--) {
        long idx = rem % dims[a];
        rem /= dims[a];
        if (!red[a]) {
          o += (int) (idx * mult);
          mult *= dims[a];
        }
      }
      if (integer) {
        long v = xl[(int) i];
        long r = switch (kind) {
          case "SUM", "MEAN" -> accL[o] + v;
          case "PROD" -> accL[o] * v;
          case "MAX" -> Math.max(accL[o], v);
          default -> Math.min(accL[o], v);
        };
        // INT32 sums and products wrap at 32 bits; an INT32 mean sums in 64 bits.
        accL[o] = x.dtype() == DType.INT32 && !kind.equals("MEAN") ? (int) r : r;
      } else {
        double v = xd[(int) i];
        acc[o] = switch (kind) {
          case "SUM", "MEAN" -> acc[o] + v;
          case "PROD" -> acc[o] * v;
          case "MAX" -> Math.max(acc[o], v);
          case "MIN" -> Math.min(acc[o], v);
          case "ALL" -> Math.min(acc[o], v);
          default -> Math.max(acc[o], v); // ANY
        };
        abs[o] += Math.abs(v);
      }
    }
    if (integer) {
      long[] g = asLongs(got);
      for (int o = 0; o < outN; o++) {
        long w = accL[o];
        if (kind.equals("MEAN")) {
          w = count == 0 ? 0 : w / count;
          w = x.dtype() == DType.INT32 ? (int) w : w;
        }
        assertEquals(w, g[o], kind + " at output " + o);
      }
      return;
    }
    double[] g = asDoubles(got);
    boolean f32 = x.dtype() == DType.FLOAT32;
    double eps = f32 ? 0x1p-23 : 0x1p-52;
    long factor = (rank + 1) * (f32 ? ReduceKernels.sumErrorFactorF32(count)
        : ReduceKernels.sumErrorFactorF64(count));
    for (int o = 0; o < outN; o++) {
      double w = kind.equals("MEAN") ? acc[o] / count : acc[o];
      double tol = switch (kind) {
        case "SUM" -> factor * eps * abs[o];
        case "MEAN" ->
            factor * eps * abs[o] / count + 2 * (f32 ? Math.ulp((float) w) : Math.ulp(w));
        case "PROD" -> (count + 1) * eps * Math.abs(w);
        default -> 0;
      };
      double gv = g[o];
      int at = o;
      if (Double.isNaN(w) || Double.isNaN(gv)) {
        assertEquals(Double.isNaN(w), Double.isNaN(gv), () -> kind + " at output " + at + ": "
            + w + " vs " + gv);
      } else {
        assertTrue(w == gv || Math.abs(w - gv) <= tol, () -> kind + " at output " + at + ": "
            + gv + ", expected " + w + " within " + tol);
      }
    }
  }

  /** Checks ArgMax (op MAX) or ArgMin (MIN) of {@code x} along {@code axis}. */
  static void checkArg(ReduceOp op, Tensor x, int axis, Tensor got) {
    long[] dims = x.shape().dims();
    long outer = 1, inner = 1, r = dims[axis];
    for (int i = 0; i < axis; i++) {
      outer *= dims[i];
    }
    for (int i = axis + 1; i < dims.length; i++) {
      inner *= dims[i];
    }
    long[] want = new long[dims.length - 1];
    for (int i = 0, k = 0; i < dims.length; i++) {
      if (i != axis) {
        want[k++] = dims[i];
      }
    }
    assertEquals(Shape.of(want), got.shape());
    assertEquals(DType.INT64, got.dtype());
    double[] v = asDoubles(x);
    long[] g = got.toLongArray();
    for (long o = 0; o < outer; o++) {
      for (long j = 0; j < inner; j++) {
        long best = 0;
        double bv = v[(int) (o * r * inner + j)];
        for (long k = 1; k < r && !Double.isNaN(bv); k++) {
          double e = v[(int) ((o * r + k) * inner + j)];
          if (Double.isNaN(e) || (op == ReduceOp.MAX ? e > bv : e < bv)) {
            best = k;
            bv = e;
          }
        }
        assertEquals(best, g[(int) (o * inner + j)], op + " at " + o + ", " + j);
      }
    }
  }
}
