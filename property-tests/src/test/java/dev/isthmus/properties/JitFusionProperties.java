package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.scopes.Scopes;
import dev.isthmus.scopes.jit.JitKernels;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random elementwise DAGs (depth up to 8, unary and binary ops, numbers, compares with where,
 * logic, casts through the other float type and through INT32, over up to four inputs that
 * broadcast, FLOAT32 and FLOAT64; some reduced at the root over the last axis or all axes, some
 * also returning an intermediate) traced in a {@link Function} whose body runs in {@link
 * Scopes#jitScope()}, or in a {@code jitCompile(true)} Function: the fused run equals the same
 * program run eagerly without jit, bit for bit (NaNs as NaN), and floating sums and means
 * within twice the kernels' bound ({@code 32 eps sum|x|} each). The jitted function is run once
 * (op by op: it plans the cluster), then again after every generated kernel is hot, so the
 * generated code itself is checked. The operators are those whose kernels do not call Vector
 * API stubs (EXP, SIN, ...), whose results differ by an ulp between interpreted and compiled
 * code, as in {@link FusedKernelProperties}; programs ending with one of those (exp, sigmoid,
 * tanh, log1p, sin) are held to twice its documented ulps.
 */
class JitFusionProperties {
  static final int MAX_DEPTH = 8;

  /** One node: its kind, operands (indices of earlier values) and a raw operator choice. */
  record Node(int kind, int a, int b, int c, int op) {}

  /**
   * A program: inputs of {@code dtype} and {@code shapes}, nodes, an optional reduction of the
   * last value ({@code reduce} 0-3 sum, mean, max, min; -1 none), and a value also returned
   * ({@code extra}, or -1).
   */
  record Program(DType dtype, List<Shape> shapes, List<Node> nodes, int reduce, boolean all,
      boolean keep, int extra, UnaryOp finish) {
    @Override
    public String toString() {
      return dtype + " " + shapes + " nodes " + nodes + " reduce " + reduce + (all ? " all"
          : " last") + (keep ? " keep" : "") + " extra " + extra + " finish " + finish;
    }
  }

  /** The operators a transcendental program ends with (each calls a Vector API stub). */
  static final UnaryOp[] FINISH = {UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.LOG1P,
      UnaryOp.SIN};

  record Case(Program program, List<Tensor> inputs) {
    @Override
    public String toString() {
      return program.toString();
    }
  }

  static Program program(Draw d, boolean reduce) {
    return program(d, reduce, false);
  }

  static Program program(Draw d, boolean reduce, boolean finish) {
    DType t = d.oneOf(DType.FLOAT32, DType.FLOAT64);
    long[] full;
    if (d.between(0, 11) == 0) {
      full = new long[] {d.between(65_537, 140_000)}; // several 64K chunks and a rest
    } else {
      full = new long[d.intBetween(1, 3)];
      for (int i = 0; i < full.length; i++) {
        full[i] = d.between(1, 5) == 0 ? d.between(17, 130) : d.between(1, 9);
      }
    }
    int inputs = d.intBetween(1, 4);
    List<Shape> shapes = new ArrayList<>();
    for (int k = 0; k < inputs; k++) {
      int drop = k == 0 ? 0 : d.intBetween(0, full.length);
      long[] dims = new long[full.length - drop];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = k > 0 && d.between(0, 3) == 0 ? 1 : full[drop + i];
      }
      shapes.add(Shape.of(dims));
    }
    int[] depth = new int[inputs + 40];
    int values = inputs;
    int len = d.intBetween(1, 20);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < len; i++) {
      int a = shallow(d, depth, values);
      int b = shallow(d, depth, values);
      int c = shallow(d, depth, values);
      nodes.add(new Node(d.intBetween(0, 9), a, b, c, d.intBetween(0, 1 << 20)));
      depth[values++] = 1 + Math.max(depth[a], Math.max(depth[b], depth[c]));
    }
    int extra = d.between(0, 2) == 0 ? d.intBetween(inputs, values - 1) : -1;
    return new Program(t, shapes, nodes, reduce ? d.intBetween(0, 3) : -1, d.between(0, 1) == 0,
        d.between(0, 1) == 0, finish ? -1 : extra, finish ? d.oneOf(FINISH) : null);
  }

  /** A value of depth below the limit (inputs have depth 0). */
  private static int shallow(Draw d, int[] depth, int values) {
    while (true) {
      int v = d.intBetween(0, values - 1);
      if (depth[v] < MAX_DEPTH) {
        return v;
      }
    }
  }

  static Gen<Case> cases(boolean reduce) {
    return cases(reduce, false);
  }

  static Gen<Case> cases(boolean reduce, boolean finish) {
    return src -> {
      Draw d = TensorGens.draw(src);
      Program p = program(d, reduce, finish);
      List<Tensor> in = new ArrayList<>();
      for (Shape s : p.shapes()) {
        in.add(Generators.tensor(d, p.dtype(), s, -3, 3));
      }
      return new Case(p, in);
    };
  }

  // ---- the interpreter: the same ops on eager and symbolic tensors

  /** The program's results: the root (reduced or not), the extra value if any. */
  static List<Tensor> interpret(Program p, List<Tensor> inputs) {
    List<Tensor> v = new ArrayList<>(inputs);
    for (Node n : p.nodes()) {
      v.add(apply(p.dtype(), n, v));
    }
    Tensor root = p.finish() == null ? v.getLast() : switch (p.finish()) {
      case EXP -> Ops.exp(Ops.neg(Ops.abs(v.getLast())));
      case SIGMOID -> Ops.sigmoid(v.getLast());
      case TANH -> Ops.tanh(v.getLast());
      case LOG1P -> Ops.log1p(Ops.abs(v.getLast()));
      default -> Ops.sin(v.getLast());
    };
    List<Tensor> out = new ArrayList<>();
    out.add(p.reduce() < 0 ? root : reduce(p, root, p.reduce()));
    if (p.extra() >= 0) {
      out.add(v.get(p.extra()));
    }
    return out;
  }

  static Tensor reduce(Program p, Tensor x, int op) {
    int[] axes = p.all() || x.rank() == 0 ? new int[0] : new int[] {-1};
    return switch (op) {
      case 0 -> Ops.reduceSum(x, p.keep(), axes);
      case 1 -> Ops.reduceMean(x, p.keep(), axes);
      case 2 -> Ops.reduceMax(x, p.keep(), axes);
      default -> Ops.reduceMin(x, p.keep(), axes);
    };
  }

  private static Tensor apply(DType t, Node n, List<Tensor> v) {
    Tensor a = v.get(n.a());
    Tensor b = v.get(n.b());
    Tensor c = v.get(n.c());
    int op = n.op();
    DType other = t == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
    return switch (n.kind()) {
      case 0, 1 -> switch (op % (t == DType.FLOAT32 ? 13 : 12)) {
        case 0 -> Ops.neg(a);
        case 1 -> Ops.abs(a);
        case 2 -> Ops.square(a);
        case 3 -> Ops.relu(a);
        case 4 -> Ops.floor(a);
        case 5 -> Ops.sign(a);
        case 6 -> Ops.sqrt(a);
        case 7 -> Ops.rsqrt(a);
        case 8 -> Ops.reciprocal(a);
        case 9 -> Ops.relu6(a);
        case 10 -> Ops.ceil(a);
        case 11 -> Ops.round(a);
        default -> Ops.tanh(a); // FLOAT32 only: FLOAT64 tanh calls a stub
      };
      case 2, 3, 4 -> switch (op % 7) {
        case 0 -> Ops.add(a, b);
        case 1 -> Ops.sub(a, b);
        case 2 -> Ops.mul(a, b);
        case 3 -> Ops.div(a, b);
        case 4 -> Ops.maximum(a, b);
        case 5 -> Ops.minimum(a, b);
        default -> Ops.squaredDifference(a, b);
      };
      case 5 -> {
        double k = ((op >>> 3) % 13 - 6) * 0.25; // a Const node
        yield switch (op % 4) {
          case 0 -> Ops.add(a, k);
          case 1 -> Ops.mul(a, k);
          case 2 -> Ops.sub(a, k);
          default -> Ops.minimum(a, k);
        };
      }
      case 6 -> Ops.where(Ops.greater(a, b), c, a);
      case 7 -> Ops.where(Ops.logicalOr(Ops.less(a, b), Ops.greater(c, Ops.abs(a))), b, c);
      case 8 -> Ops.cast(Ops.mul(Ops.cast(a, other), Ops.cast(b, other)), t);
      default -> Ops.cast(Ops.add(Ops.cast(Ops.floor(a), DType.INT32),
          Ops.cast(Ops.ceil(b), DType.INT32)), t);
    };
  }

  // ---- the checks

  static void check(Case c, boolean jitCompile) {
    Program p = c.program();
    List<Tensor> in = c.inputs();
    List<Tensor> want = interpret(p, in);
    Function f = jitCompile
        ? Function.builder().jitCompile(true).buildList(x -> interpret(p, x))
        : Function.ofList(x -> {
          try (Scope s = Scopes.jitScope()) {
            return interpret(p, x);
          }
        });
    Tensor[] args = in.toArray(new Tensor[0]);
    compare(c, want, f.callAll(args)); // op by op, planning the cluster
    compare(c, want, f.callAll(args)); // the plan: fused kernels while cold run per op
    // a kernel C2 never compiles (its warm-up fails) stays on the per-op path: still checked
    JitKernels.awaitHot(180, TimeUnit.SECONDS);
    compare(c, want, f.callAll(args)); // the generated code
  }

  private static void compare(Case c, List<Tensor> want, List<Tensor> got) {
    Program p = c.program();
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      Tensor w = want.get(i);
      Tensor g = got.get(i);
      assertEquals(w.dtype(), g.dtype());
      assertEquals(w.shape(), g.shape());
      boolean bound = i == 0 && (p.reduce() == 0 || p.reduce() == 1);
      if (i == 0 && p.finish() != null) {
        // a stub's vector and scalar forms (and its interpreted and compiled code) each within
        // the operator's documented ulps of the exact value
        long ulps = w.dtype() == DType.FLOAT32 ? UnaryKernelProperties.ulps32(p.finish())
            : UnaryKernelProperties.ulps64(p.finish());
        double[] wd = toDoubles(w);
        double[] gd = toDoubles(g);
        for (int k = 0; k < wd.length; k++) {
          double ulp = w.dtype() == DType.FLOAT32
              ? Math.ulp((float) Math.max(Math.abs(wd[k]), Math.abs(gd[k])))
              : Math.ulp(Math.max(Math.abs(wd[k]), Math.abs(gd[k])));
          boolean same = Double.compare(wd[k], gd[k]) == 0
              || Double.isNaN(wd[k]) && Double.isNaN(gd[k]);
          assertTrue(same || Math.abs(wd[k] - gd[k]) <= 2 * ulps * ulp, "element " + k
              + ": want " + wd[k] + ", got " + gd[k] + " (" + ulps + " ulps each)");
        }
        continue;
      }
      if (!bound) {
        if (w.dtype() == DType.FLOAT32) {
          assertArrayEquals(w.toFloatArray(), g.toFloatArray(), "output " + i);
        } else {
          assertArrayEquals(w.toDoubleArray(), g.toDoubleArray(), "output " + i);
        }
        continue;
      }
      // sums and means: both within 32 eps sum|x| of the exact value (per mean: divided)
      List<Tensor> in = c.inputs();
      List<Tensor> v = new ArrayList<>(in);
      for (Node n : p.nodes()) {
        v.add(apply(p.dtype(), n, v));
      }
      double[] abs = toDoubles(reduce(p, Ops.abs(v.getLast()), p.reduce()));
      double[] wd = toDoubles(w);
      double[] gd = toDoubles(g);
      double eps = w.dtype() == DType.FLOAT32 ? 0x1p-23 : 0x1p-52;
      for (int k = 0; k < wd.length; k++) {
        if (!Double.isFinite(wd[k]) || !Double.isFinite(gd[k])) {
          assertEquals(wd[k], gd[k], "element " + k + " of the reduction");
          continue;
        }
        double tol = 64 * eps * abs[k] + 2 * Math.ulp(wd[k]);
        assertTrue(Math.abs(wd[k] - gd[k]) <= tol, "element " + k + ": want " + wd[k]
            + ", got " + gd[k] + ", bound " + tol);
      }
    }
  }

  private static double[] toDoubles(Tensor t) {
    if (t.dtype() == DType.FLOAT64) {
      return t.toDoubleArray();
    }
    float[] f = t.toFloatArray();
    double[] d = new double[f.length];
    Arrays.setAll(d, i -> f[i]);
    return d;
  }

  /** Runs {@code n} examples, and checks that generated code ran in some of them. */
  private static void property(int n, boolean reduce, boolean jitCompile) {
    long fused = Scopes.jitStats().fusedRuns();
    qt().withShrinkCycles(20).withExamples(n).forAll(cases(reduce))
        .checkAssert(c -> check(c, jitCompile));
    assertTrue(Scopes.jitStats().fusedRuns() > fused, "no generated kernel ever ran");
  }

  @Test
  void jitScopedDagsEqualTheUnjittedProgram() {
    property(60, false, false);
  }

  @Test
  void reducedDagsEqualTheUnjittedProgramWithinTheSumBound() {
    property(40, true, false);
  }

  @Test
  void jitCompiledFunctionsEqualTheUnjittedProgram() {
    property(30, true, true);
  }

  @Test
  void transcendentalRootsAreWithinTheirUlps() {
    // random programs may, now and then, all leave their transcendental outside a fused group
    // (twice in about ten full runs no generated kernel ran in all 30): the values are checked
    // here, and that a transcendental root does run as generated code, deterministically below
    qt().withShrinkCycles(20).withExamples(30).forAll(cases(false, true))
        .checkAssert(c -> check(c, false));
  }

  @Test
  void aTranscendentalRootRunsAsGeneratedCode() {
    float[] v = new float[4096];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 97) / 40f - 1.2f;
    }
    Tensor a = Tensor.of(v, 64, 64);
    Tensor b = Ops.mul(a, 0.5);
    Function plain = Function.of((x, y) -> Ops.tanh(Ops.add(Ops.mul(x, y), 0.25)));
    Function jit = Function.of((x, y) -> {
      try (Scope s = Scopes.jitScope()) {
        return Ops.tanh(Ops.add(Ops.mul(x, y), 0.25));
      }
    });
    float[] want = plain.call(a, b).toFloatArray();
    assertArrayEquals(want, jit.call(a, b).toFloatArray()); // op by op, planning the cluster
    if (!FusedKernels.enabled()) {
      return; // no Vector API: clusters run op by op, as checked above
    }
    // same shape, float32 only: the tanh stays in the group, equal to the per-op kernel bit
    // for bit, cold (per-op kernels) and hot (generated code) alike
    long fused = Scopes.jitStats().fusedRuns();
    long end = System.nanoTime() + 120_000_000_000L;
    while (Scopes.jitStats().fusedRuns() == fused) {
      assertArrayEquals(want, jit.call(a, b).toFloatArray());
      assertTrue(System.nanoTime() < end, "the kernel never ran generated code");
    }
    assertArrayEquals(want, jit.call(a, b).toFloatArray());
  }
}
