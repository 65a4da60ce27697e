package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.Graph;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Session;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.UnconnectedGradients;
import dev.isthmus.Variable;
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
 * The one backprop engine gives the same gradients however a random program runs: on an eager
 * {@link GradientTape}, symbolically with {@link Ops#gradients} in a {@link Graph} run by a
 * {@link Session}, and on a tape inside a traced {@link Function} (also reading a
 * {@link Variable}, which the tape watches by itself).
 *
 * <p>A program is data: its inputs' dtype and broadcast-compatible shapes, and 3 to 15 steps,
 * each a family (unary, binary, binary with a number, reduce, matmul, softmax, shape) with raw
 * random choices that {@link #interpret} resolves from the values' shapes only, so eager and
 * symbolic runs build the same ops. The ops are differentiable ones (with their kinks: relu,
 * abs, maximum, max), and values stay bounded (tanh, sigmoid, softmax, a divisor 1 + y^2). Its
 * targets are the last value and one chosen earlier; a target that is not a scalar is summed.
 * All three ways run the same rules on the same kernels, so they agree to rounding (the Vector
 * API's transcendental operators may differ by an ulp between interpreted and compiled code):
 * {@code 1e-9 (1 + |g|)} in FLOAT64, {@code 1e-4 (1 + |g|)} in FLOAT32, and on which gradients
 * are unconnected (null).
 */
class TapeProgramProperties {
  /** Values larger than this are not made by matmul or broadcasting (keeps examples small). */
  private static final long MAX_ELEMENTS = 256;

  enum Family { UNARY, BINARY, NUMBER, REDUCE, MATMUL, SOFTMAX, SHAPE }

  /** One op of a program: its family and the raw choices the interpreter resolves. */
  record Step(Family family, int a, int b, long bits) {}

  /** A program: inputs of {@code dtype} and {@code shapes}, its steps, and a second target. */
  record Program(DType dtype, List<Shape> shapes, List<Step> steps, int extra) {}

  /** A program and two sets of input values for it. */
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
      int drop = d.intBetween(0, rank);
      long[] dims = new long[rank - drop];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = d.between(0, 3) == 0 ? 1 : full[drop + i];
      }
      shapes.add(Shape.of(dims));
    }
    int len = d.intBetween(3, 15);
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
      in.add(Generators.tensor(d, p.dtype(), s, -2, 2));
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

  /** Runs {@code p} on {@code inputs}: its two targets, the last value and an earlier one. */
  static List<Tensor> interpret(Program p, List<Tensor> inputs) {
    List<Tensor> vals = new ArrayList<>(inputs);
    for (Step s : p.steps()) {
      vals.add(apply(s, vals));
    }
    return List.of(vals.getLast(), vals.get(p.extra() % vals.size()));
  }

  private static Tensor apply(Step s, List<Tensor> vals) {
    Tensor x = vals.get(s.a() % vals.size());
    int op = (int) (s.bits() & 0xff);
    long more = s.bits() >>> 8;
    int r = x.rank();
    return switch (s.family()) {
      case UNARY -> switch (op % 8) {
        case 0 -> Ops.tanh(x);
        case 1 -> Ops.sigmoid(x);
        case 2 -> Ops.square(Ops.tanh(x));
        case 3 -> Ops.sin(x);
        case 4 -> Ops.relu(x);
        case 5 -> Ops.abs(x);
        case 6 -> Ops.softplus(x);
        default -> Ops.exp(Ops.tanh(x));
      };
      case BINARY -> {
        Tensor y = partner(x, vals, s.b());
        yield switch (op % 6) {
          case 0 -> Ops.add(x, y);
          case 1 -> Ops.sub(x, y);
          case 2 -> Ops.mul(x, y);
          case 3 -> Ops.div(x, Ops.add(Ops.square(y), 1.0));
          case 4 -> Ops.maximum(x, y);
          default -> Ops.squaredDifference(y, x);
        };
      }
      case NUMBER -> {
        double c = ((more % 13) - 6) * 0.25; // a literal: a Const node in graphs
        yield op % 2 == 0 ? Ops.add(x, c) : Ops.mul(x, c);
      }
      case REDUCE -> {
        int[] axes = new int[0];
        if (r > 0) {
          int mask = (int) (more % ((1 << r) - 1)) + 1; // a non-empty subset of the axes
          axes = new int[Integer.bitCount(mask)];
          for (int i = 0, k = 0; i < r; i++) {
            if ((mask & (1 << i)) != 0) {
              axes[k++] = ((more >>> (8 + i)) & 1) == 0 ? i : i - r;
            }
          }
        }
        boolean keep = ((more >>> 20) & 1) == 1;
        yield switch (op % 3) {
          case 0 -> Ops.reduceSum(x, keep, axes);
          case 1 -> Ops.reduceMean(x, keep, axes);
          default -> Ops.reduceMax(x, keep, axes);
        };
      }
      case MATMUL -> matmul(x, op);
      case SOFTMAX -> r == 0 ? Ops.tanh(x)
          : op % 2 == 0 ? Ops.softmax(x) : Ops.logSoftmax(x);
      case SHAPE -> switch (op % 3) {
        case 0 -> {
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
          yield r == 0 ? x : Ops.transpose(x, perm);
        }
        case 1 -> Ops.reshape(x, x.size());
        default -> r >= 4 ? Ops.reshape(x, x.size())
            : Ops.expandDims(x, (int) (more % (2 * r + 2)) - r - 1);
      };
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
  private static Shape broadcast(Shape a, Shape b) {
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

  /** {@code x x^T} or {@code x^T x} (batched over leading axes), at most MAX_ELEMENTS big. */
  private static Tensor matmul(Tensor x, int op) {
    Tensor m = x.rank() < 2 ? Ops.reshape(x, 1, x.size()) : x;
    long[] d = m.shape().dims();
    long rows = d[d.length - 2];
    long cols = d[d.length - 1];
    long batch = rows * cols == 0 ? 0 : m.size() / (rows * cols);
    boolean outer = (op & 1) == 1 && batch * cols * cols <= MAX_ELEMENTS;
    if (!outer && batch * rows * rows > MAX_ELEMENTS) {
      m = Ops.reshape(x, 1, x.size());
    }
    return outer ? Ops.matmul(m, m, true, false) : Ops.matmul(m, m, false, true);
  }

  // ---- the three ways to differentiate a program

  /** Gradients of both targets' sum for each input, on an eager tape (null: unconnected). */
  static List<Tensor> eagerTape(Program p, List<Tensor> in, UnconnectedGradients u) {
    GradientTape tape = GradientTape.open();
    List<Tensor> targets;
    try (tape) {
      tape.watch(in.toArray(new Tensor[0]));
      targets = interpret(p, in);
    }
    return tape.gradient(targets, in, null, u);
  }

  /** The same with {@code Ops.gradients} in a graph of placeholders, run by a session. */
  static List<Tensor> symbolic(Program p, List<Tensor> in) {
    Graph g = new Graph();
    List<Tensor> phs = new ArrayList<>();
    List<Tensor> grads;
    try (Scope s = g.asDefault()) {
      for (Shape sh : p.shapes()) {
        phs.add(Ops.placeholder(p.dtype(), sh.dims()));
      }
      grads = Ops.gradients(interpret(p, phs), phs);
    }
    Map<Tensor, Tensor> feeds = new HashMap<>();
    for (int i = 0; i < phs.size(); i++) {
      feeds.put(phs.get(i), in.get(i));
    }
    List<Tensor> fetch = grads.stream().filter(t -> t != null).toList();
    List<Tensor> got;
    try (Session sess = new Session(g)) {
      got = fetch.isEmpty() ? List.of() : sess.run(fetch, feeds);
    }
    List<Tensor> out = new ArrayList<>();
    for (int i = 0, f = 0; i < grads.size(); i++) {
      out.add(grads.get(i) == null ? null : got.get(f++));
    }
    return out;
  }

  /**
   * The program with input 0 held in a trainable variable: the targets and the gradients for
   * the variable then the other inputs (zeros when unconnected), from a tape that watches the
   * arguments and sees the variable read.
   */
  static List<Tensor> withVariable(Program p, Variable v, List<Tensor> args) {
    GradientTape tape = GradientTape.open();
    List<Tensor> targets;
    try (tape) {
      tape.watch(args.toArray(new Tensor[0]));
      List<Tensor> in = new ArrayList<>();
      in.add(v.read());
      in.addAll(args);
      targets = interpret(p, in);
    }
    List<Object> sources = new ArrayList<>();
    sources.add(v);
    sources.addAll(args);
    List<Tensor> out = new ArrayList<>(targets);
    out.addAll(tape.gradient(targets, sources, null, UnconnectedGradients.ZERO));
    return out;
  }

  static void assertClose(List<Tensor> want, List<Tensor> got, String how, Program p) {
    assertEquals(want.size(), got.size(), how);
    double tol = p.dtype() == DType.FLOAT64 ? 1e-9 : 1e-4;
    for (int i = 0; i < want.size(); i++) {
      String where = how + ", result " + i + " of " + p;
      Tensor w = want.get(i);
      Tensor g = got.get(i);
      assertEquals(w == null, g == null, where + ": connected in one way only");
      if (w == null) {
        continue;
      }
      assertEquals(w.dtype(), g.dtype(), where);
      assertEquals(w.shape(), g.shape(), where);
      double[] a = Ops.cast(w, DType.FLOAT64).toDoubleArray();
      double[] b = Ops.cast(g, DType.FLOAT64).toDoubleArray();
      for (int e = 0; e < a.length; e++) {
        if (!(Math.abs(a[e] - b[e]) <= tol * (1 + Math.abs(a[e])))
            && !(Double.isNaN(a[e]) && Double.isNaN(b[e]))) {
          throw new AssertionError(where + " element " + e + ": " + a[e] + " vs " + b[e]);
        }
      }
    }
  }

  // ---- the properties

  @Test
  void tapeAndSymbolicGradientsAgree() {
    qt().withExamples(120).forAll(cases()).checkAssert(c -> {
      Program p = c.program();
      assertClose(eagerTape(p, c.first(), UnconnectedGradients.NONE), symbolic(p, c.first()),
          "tape vs Ops.gradients", p);
    });
  }

  @Test
  void aTapeInsideAFunctionGivesTheEagerTapesGradients() {
    qt().withExamples(80).forAll(cases()).checkAssert(c -> {
      Program p = c.program();
      Variable v = Variable.of(c.first().get(0));
      List<Tensor> args1 = c.first().subList(1, c.first().size());
      List<Tensor> args2 = c.second().subList(1, c.second().size());
      Function f = Function.ofList(args -> withVariable(p, v, args));
      assertClose(withVariable(p, v, args1), f.callAll(args1.toArray(new Tensor[0])),
          "eager tape vs tape in a function", p);
      assertClose(withVariable(p, v, args2), f.callAll(args2.toArray(new Tensor[0])),
          "second call", p);
      assertEquals(1, f.tracingCount(), "one signature, one trace");
      // and the plain tape with the input as a tensor agrees with the variable's
      List<Tensor> plain = eagerTape(p, c.first(), UnconnectedGradients.ZERO);
      List<Tensor> viaVariable = withVariable(p, v, args1);
      assertClose(plain, viaVariable.subList(2, viaVariable.size()),
          "watched tensor vs variable", p);
    });
  }
}
