package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Graph;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random programs give the same values eagerly, traced through {@link Function} and run from a
 * {@link Session} graph with placeholders: bit for bit (NaNs compared as NaN), since all three
 * run the same kernels on the same shapes.
 *
 * <p>A program is data: its inputs' dtype and broadcast-compatible shapes, and 5 to 30 steps,
 * each a family (unary, binary, binary with a number, reduce, matmul, shape) with raw random
 * choices. {@link #interpret} turns it into ops on whatever tensors it is given, resolving the
 * choices from the values' shapes only, so eager, symbolic and fed runs build the same ops. The
 * ops are those whose kernels are exact in every execution mode (arithmetic, sqrt, rounding,
 * reductions, matmul, movement); the Vector API's transcendental operators can differ by an ulp
 * between interpreted and compiled code, so they are left out.
 */
class TracedProgramProperties {
  /** Values larger than this are not made by matmul or broadcasting (keeps examples small). */
  private static final long MAX_ELEMENTS = 256;

  enum Family { UNARY, BINARY, NUMBER, REDUCE, MATMUL, SHAPE }

  /** One op of a program: its family and the raw choices the interpreter resolves. */
  record Step(Family family, int a, int b, long bits) {}

  /** A program: inputs of {@code dtype} and {@code shapes}, its steps, and a second output. */
  record Program(DType dtype, List<Shape> shapes, List<Step> steps, int extra) {}

  /** A program and two sets of input values for it (same dtypes and shapes). */
  record Case(Program program, List<Tensor> first, List<Tensor> second) {}

  static Program program(Draw d) {
    DType t = d.oneOf(DType.FLOAT32, DType.FLOAT64);
    int rank = d.intBetween(0, 3);
    long[] full = new long[rank];
    for (int i = 0; i < rank; i++) {
      full[i] = d.between(1, 3);
    }
    int n = d.intBetween(1, 3);
    List<Shape> shapes = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      // broadcast-compatible: drop some leading axes, set some dimensions to 1
      int drop = d.intBetween(0, rank);
      long[] dims = new long[rank - drop];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = d.between(0, 3) == 0 ? 1 : full[drop + i];
      }
      shapes.add(Shape.of(dims));
    }
    int len = d.intBetween(5, 30);
    List<Step> steps = new ArrayList<>(len);
    Family[] fams = Family.values();
    for (int i = 0; i < len; i++) {
      steps.add(new Step(fams[d.intBetween(0, fams.length - 1)], d.intBetween(0, 1 << 20),
          d.intBetween(0, 1 << 20), d.between(0, Long.MAX_VALUE)));
    }
    return new Program(t, shapes, steps, d.intBetween(0, 1 << 20));
  }

  static List<Tensor> inputs(Draw d, Program p) {
    List<Tensor> in = new ArrayList<>();
    for (Shape s : p.shapes()) {
      in.add(Generators.tensor(d, p.dtype(), s, -3, 3));
    }
    return in;
  }

  static Gen<Case> cases() {
    return src -> {
      Draw d = TensorGens.draw(src);
      Program p = program(d);
      return new Case(p, inputs(d, p), inputs(d, p));
    };
  }

  // ---- the interpreter: the same ops whatever the tensors are (eager, symbolic)

  /** Runs {@code p} on {@code inputs} with {@link Ops}; the last value and one chosen earlier. */
  static List<Tensor> interpret(Program p, List<Tensor> inputs) {
    List<Tensor> vals = new ArrayList<>(inputs);
    for (Step s : p.steps()) {
      vals.add(apply(s, vals));
    }
    return List.of(vals.getLast(), vals.get(p.extra() % vals.size()));
  }

  private static Tensor apply(Step s, List<Tensor> vals) {
    Tensor x = vals.get(s.a() % vals.size());
    long bits = s.bits();
    int op = (int) (bits & 0xff);
    long more = bits >>> 8;
    return switch (s.family()) {
      case UNARY -> switch (op % 7) {
        case 0 -> Ops.neg(x);
        case 1 -> Ops.abs(x);
        case 2 -> Ops.square(x);
        case 3 -> Ops.relu(x);
        case 4 -> Ops.floor(x);
        case 5 -> Ops.sign(x);
        default -> Ops.sqrt(x);
      };
      case BINARY -> {
        Tensor y = partner(x, vals, s.b());
        yield switch (op % 7) {
          case 0 -> Ops.add(x, y);
          case 1 -> Ops.sub(x, y);
          case 2 -> Ops.mul(x, y);
          case 3 -> Ops.div(x, y);
          case 4 -> Ops.maximum(x, y);
          case 5 -> Ops.minimum(x, y);
          default -> Ops.squaredDifference(y, x);
        };
      }
      case NUMBER -> {
        double c = ((more % 13) - 6) * 0.25; // a literal: a Const node in graphs
        yield switch (op % 4) {
          case 0 -> Ops.add(x, c);
          case 1 -> Ops.mul(x, c);
          case 2 -> Ops.sub(x, c);
          default -> Ops.maximum(x, c);
        };
      }
      case REDUCE -> reduce(x, op, more);
      case MATMUL -> matmul(x, op);
      case SHAPE -> reshape(x, op, more);
    };
  }

  /** The first value from index {@code b} on that broadcasts with {@code x} to a small shape. */
  private static Tensor partner(Tensor x, List<Tensor> vals, int b) {
    for (int k = 0; k < vals.size(); k++) {
      Tensor y = vals.get((b + k) % vals.size());
      Shape s = broadcast(x.shape(), y.shape());
      if (s != null && s.size() <= MAX_ELEMENTS) {
        return y;
      }
    }
    return x;
  }

  /** numpy's broadcast of two shapes, or null if they do not broadcast. */
  static Shape broadcast(Shape a, Shape b) {
    long[] x = a.dims();
    long[] y = b.dims();
    long[] out = new long[Math.max(x.length, y.length)];
    for (int i = 0; i < out.length; i++) {
      long p = i < out.length - x.length ? 1 : x[i - (out.length - x.length)];
      long q = i < out.length - y.length ? 1 : y[i - (out.length - y.length)];
      if (p != q && p != 1 && q != 1) {
        return null;
      }
      out[i] = p == 1 ? q : p;
    }
    return Shape.of(out);
  }

  private static Tensor reduce(Tensor x, int op, long more) {
    int r = x.rank();
    int[] axes;
    if (r == 0) {
      axes = new int[0];
    } else {
      int mask = (int) (more % ((1 << r) - 1)) + 1; // a non-empty subset of the axes
      int[] pick = new int[Integer.bitCount(mask)];
      int k = 0;
      for (int i = 0; i < r; i++) {
        if ((mask & (1 << i)) != 0) {
          pick[k++] = ((more >>> (8 + i)) & 1) == 0 ? i : i - r; // negative axes too
        }
      }
      axes = pick;
    }
    boolean keep = ((more >>> 20) & 1) == 1;
    return switch (op % 4) {
      case 0 -> Ops.reduceSum(x, keep, axes);
      case 1 -> Ops.reduceMean(x, keep, axes);
      case 2 -> Ops.reduceMax(x, keep, axes);
      default -> Ops.reduceMin(x, keep, axes);
    };
  }

  /** {@code x x^T} or {@code x^T x} (batched over leading axes), at most MAX_ELEMENTS big. */
  private static Tensor matmul(Tensor x, int op) {
    Tensor m = x.rank() < 2 ? Ops.reshape(x, 1, x.size()) : x;
    long[] d = m.shape().dims();
    long batch = m.size() / (d[d.length - 2] * d[d.length - 1]);
    long rows = d[d.length - 2];
    long cols = d[d.length - 1];
    boolean outer = (op & 1) == 1 && batch * cols * cols <= MAX_ELEMENTS; // x^T x
    if (!outer && batch * rows * rows > MAX_ELEMENTS) {
      m = Ops.reshape(x, 1, x.size());
    }
    return outer ? Ops.matmul(m, m, true, false) : Ops.matmul(m, m, false, true);
  }

  private static Tensor reshape(Tensor x, int op, long more) {
    int r = x.rank();
    switch (op % 4) {
      case 0 -> { // a random permutation
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
          perm[i] = i;
        }
        long z = more;
        for (int i = r - 1; i > 0; i--) {
          int j = (int) (z % (i + 1));
          z /= i + 1;
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
        return r == 0 ? Ops.transpose(x) : Ops.transpose(x, perm);
      }
      case 1 -> {
        return Ops.reshape(x, x.size());
      }
      case 2 -> {
        return r >= 4 ? Ops.reshape(x, x.size()) : Ops.expandDims(x, (int) (more % (2 * r + 2)) - r - 1);
      }
      default -> {
        for (long dim : x.shape().dims()) {
          if (dim == 1) {
            return Ops.squeeze(x);
          }
        }
        return Ops.reshape(x, 1, x.size());
      }
    }
  }

  // ---- the three ways to run a program

  static Function traced(Program p) {
    return Function.ofList(args -> interpret(p, args));
  }

  /** The program as a graph with placeholders, run by a session for each set of inputs. */
  static List<List<Tensor>> session(Program p, List<List<Tensor>> inputSets) {
    Graph g = new Graph();
    List<Tensor> phs = new ArrayList<>();
    List<Tensor> outs;
    try (Scope s = g.asDefault()) {
      for (Shape sh : p.shapes()) {
        phs.add(Ops.placeholder(p.dtype(), sh.dims()));
      }
      outs = interpret(p, phs);
    }
    List<List<Tensor>> results = new ArrayList<>();
    try (Session sess = new Session(g)) {
      for (List<Tensor> in : inputSets) {
        Map<Tensor, Tensor> feeds = new HashMap<>();
        for (int i = 0; i < phs.size(); i++) {
          feeds.put(phs.get(i), in.get(i));
        }
        results.add(sess.run(outs, feeds));
      }
    }
    return results;
  }

  static void assertSameValues(List<Tensor> want, List<Tensor> got, String how, Program p) {
    assertEquals(want.size(), got.size(), how);
    for (int i = 0; i < want.size(); i++) {
      Tensor w = want.get(i);
      Tensor g = got.get(i);
      String where = how + ", output " + i + " of " + p;
      assertEquals(w.dtype(), g.dtype(), where);
      assertEquals(w.shape(), g.shape(), where);
      assertArrayEquals(bits(w), bits(g), where);
    }
  }

  /** The values' bits, every NaN as the canonical NaN. */
  private static long[] bits(Tensor t) {
    if (t.dtype() == DType.FLOAT32) {
      float[] v = t.toFloatArray();
      long[] b = new long[v.length];
      for (int i = 0; i < v.length; i++) {
        b[i] = Float.floatToIntBits(v[i]);
      }
      return b;
    }
    double[] v = t.toDoubleArray();
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Double.doubleToLongBits(v[i]);
    }
    return b;
  }

  // ---- the property

  @Test
  void randomProgramsGiveTheSameValuesEagerTracedAndInASession() {
    qt().withExamples(150).forAll(cases()).checkAssert(c -> {
      Program p = c.program();
      List<Tensor> eager1 = interpret(p, c.first());
      List<Tensor> eager2 = interpret(p, c.second());
      Function f = traced(p);
      Tensor[] in1 = c.first().toArray(new Tensor[0]);
      Tensor[] in2 = c.second().toArray(new Tensor[0]);
      assertSameValues(eager1, f.callAll(in1), "traced", p);
      assertSameValues(eager2, f.callAll(in2), "traced, second call", p);
      assertSameValues(eager1, f.callAll(in1), "traced, third call", p);
      assertEquals(1, f.tracingCount(), "one signature, one trace");
      List<List<Tensor>> fed = session(p, List.of(c.first(), c.second()));
      assertSameValues(eager1, fed.get(0), "session", p);
      assertSameValues(eager2, fed.get(1), "session, second run", p);
    });
  }
}
