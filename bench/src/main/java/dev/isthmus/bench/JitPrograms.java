package dev.isthmus.bench;

import dev.isthmus.DType;
import dev.isthmus.Function;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Tensors;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.scopes.Scopes;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/**
 * The programs {@link JitBench} traces, and its checks: the expressions as op calls (traced into
 * a Function three ways: {@code jitCompile(true)}, the body in {@code Scopes.jitScope()}, and
 * plain), families of structurally distinct programs for compile latency and cold calls, and
 * what the fusion compiler's counters say.
 */
final class JitPrograms {
  private JitPrograms() {}

  /** How a program is traced. */
  enum Mode {
    /** {@code Function.builder().jitCompile(true)}: the whole graph is a jit candidate. */
    JIT_FUNCTION,
    /** A plain Function whose body runs in {@code Scopes.jitScope()}. */
    JIT_SCOPE,
    /** A plain Function: no jit attribute, every op runs by itself. */
    PLAIN
  }

  /** {@code relu(a*b + c) * d}. */
  static Tensor reluMulAdd(List<Tensor> in) {
    return Ops.mul(Ops.relu(Ops.add(Ops.mul(in.get(0), in.get(1)), in.get(2))), in.get(3));
  }

  /** The 6-op chain {@code tanh(sigmoid(a*b + c) * d - 0.5)} (FusionBench's chain). */
  static Tensor chain(List<Tensor> in) {
    return chainVariant(0, in);
  }

  /** The binary ops of {@link #chainVariant}. */
  private static final int BINARY = 5;

  /** How many {@link #chainVariant}s there are. */
  static final int CHAIN_VARIANTS = BINARY * BINARY * BINARY * BINARY;

  /**
   * The chain's variant {@code k}: {@code tanh(B4(B3(sigmoid(B2(B1(a, b), c)), d), 0.5))} with
   * each {@code Bi} one of mul, add, sub, maximum, minimum, chosen by the digits of {@code k} in
   * base 5. Every variant is a different expression of the same cost (one sigmoid, one tanh, four
   * one-instruction binary ops over the same operands), so a run of variants is a run of new
   * clusters for the kernel cache, each as expensive as the chain. Variant 0 is the chain.
   */
  static Tensor chainVariant(int k, List<Tensor> in) {
    if (k < 0 || k >= CHAIN_VARIANTS) {
      throw new IllegalStateException("chain variant " + k + " does not exist: there are "
          + CHAIN_VARIANTS + " (run fewer single shots)");
    }
    int[] ops = {0, 1, 0, 2}; // mul, add, mul, sub: the chain
    for (int i = 0; i < 4; i++) {
      ops[i] = (ops[i] + k % BINARY) % BINARY;
      k /= BINARY;
    }
    Tensor s = Ops.sigmoid(binary(ops[1], binary(ops[0], in.get(0), in.get(1)), in.get(2)));
    return Ops.tanh(binary(ops[3], binary(ops[2], s, in.get(3)), Tensor.scalar(0.5f)));
  }

  private static Tensor binary(int op, Tensor x, Tensor y) {
    return switch (op) {
      case 0 -> Ops.mul(x, y);
      case 1 -> Ops.add(x, y);
      case 2 -> Ops.sub(x, y);
      case 3 -> Ops.maximum(x, y);
      default -> Ops.minimum(x, y);
    };
  }

  /** The steps of a {@link #sequence}. */
  static final int SEQUENCE_LENGTH = 7;
  /** The ops a {@link #sequence} step chooses from: 5 binary, 6 unary. */
  private static final int SEQUENCE_OPS = 11;

  /** How many {@link #sequence}s there are: 11^7, about 19.5 million. */
  static final long SEQUENCES = pow(SEQUENCE_OPS, SEQUENCE_LENGTH);

  /**
   * Program {@code k} of a family of 11^7 structurally distinct elementwise chains over three
   * inputs: starting from {@code x}, each of 7 steps applies the op named by the next base-11
   * digit of {@code k}: add, sub, mul, maximum or minimum with the next input (x, y, z in turn),
   * or relu, sigmoid, tanh, neg, abs or square. Distinct {@code k} give distinct expressions
   * (each step's op is a node of the chain), so each is a kernel-cache miss.
   */
  static Tensor sequence(long k, List<Tensor> in) {
    if (k < 0 || k >= SEQUENCES) {
      throw new IllegalStateException("sequence " + k + " does not exist: there are "
          + SEQUENCES);
    }
    Tensor v = in.get(0);
    for (int i = 0; i < SEQUENCE_LENGTH; i++) {
      int op = (int) (k % SEQUENCE_OPS);
      k /= SEQUENCE_OPS;
      Tensor operand = in.get(i % in.size());
      v = switch (op) {
        case 0, 1, 2, 3, 4 -> binary(op, v, operand);
        case 5 -> Ops.relu(v);
        case 6 -> Ops.sigmoid(v);
        case 7 -> Ops.tanh(v);
        case 8 -> Ops.neg(v);
        case 9 -> Ops.abs(v);
        default -> Ops.square(v);
      };
    }
    return v;
  }

  private static long pow(long b, int e) {
    long r = 1;
    for (int i = 0; i < e; i++) {
      r *= b;
    }
    return r;
  }

  /** A Function of any number of tensors computing {@code body}, traced as {@code mode} says. */
  static Function function(String name, Mode mode, java.util.function.Function<List<Tensor>,
      Tensor> body) {
    Objects.requireNonNull(body);
    Function.Builder b = Function.builder().name(name).jitCompile(mode == Mode.JIT_FUNCTION);
    if (mode == Mode.JIT_SCOPE) {
      return b.buildList(args -> {
        try (Scope jit = Scopes.jitScope()) {
          return List.of(body.apply(args));
        }
      });
    }
    return b.buildList(args -> List.of(body.apply(args)));
  }

  /** A FLOAT32 tensor over {@code values} itself (not a copy), rank 1 or {@code dims}. */
  static Tensor wrap(float[] values, long... dims) {
    Shape shape = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
    return Tensors.wrap(DType.FLOAT32, shape, MemorySegment.ofArray(values));
  }

  /**
   * Whether {@code f}'s trace for {@code args} (called at least once) has jit clusters, i.e.
   * nodes with {@code _XlaCluster}: a jit Function must, a plain one must not.
   */
  static boolean clustered(Function f, Tensor... args) {
    return f.getConcreteFunction(args).graph().operations().stream()
        .anyMatch(o -> o.attr("_XlaCluster") != null);
  }

  /** Throws unless {@code f}'s trace is clustered exactly when {@code jit} (see above). */
  static void checkClustered(String what, Function f, boolean jit, Tensor... args) {
    if (clustered(f, args) != jit) {
      throw new IllegalStateException(what + ": expected " + (jit ? "jit clusters" : "no jit"
          + " cluster") + " in the traced graph of " + f.name() + ", found "
          + (jit ? "none" : "some"));
    }
  }

  /**
   * Throws unless {@code got} equals {@code want} within {@code ulps} ulps of the larger
   * magnitude (at least 1): a check that two sides of a comparison compute the same thing, not
   * a numerics test (fused kernels may contract {@code a*b + c} into an FMA, and the hand loops'
   * scalar tails call {@code Math} where the kernels call their twins).
   */
  static void checkClose(String what, float[] want, float[] got, int ulps) {
    if (want.length != got.length) {
      throw new IllegalStateException(what + ": " + got.length + " elements, expected "
          + want.length);
    }
    for (int i = 0; i < want.length; i++) {
      float scale = Math.max(1f, Math.max(Math.abs(want[i]), Math.abs(got[i])));
      if (!(Math.abs(want[i] - got[i]) <= ulps * Math.ulp(scale))) {
        throw new IllegalStateException(what + " differs at element " + i + ": " + got[i]
            + " instead of " + want[i] + ": the comparison would not be like for like");
      }
    }
  }

  /** Compiled plus refused expressions so far: what a kernel-cache miss increments. */
  static long compilations() {
    FusedKernels.Stats s = FusedKernels.stats();
    return s.compiled() + s.refused();
  }

  /** Every counter that tells the fusion compiler was asked for a kernel. */
  private static long lookups() {
    FusedKernels.Stats s = FusedKernels.stats();
    return s.compiled() + s.refused() + s.cacheHits();
  }

  private static volatile Boolean wired;

  /**
   * True when jit clusters reach the fusion compiler here: calling a jit Function of a new
   * structure asked {@code FusedKernels} for a kernel. False while clusters run op by op (the
   * runner before the fusion compiler is wired in), or when code generation is off; the
   * benchmarks then run, measure op by op on both sides, and say so once.
   */
  static boolean fusionReached() {
    Boolean w = wired;
    if (w == null) {
      synchronized (JitPrograms.class) {
        w = wired;
        if (w == null) {
          float[] x = new float[4096]; // over the runner's size threshold (1024 elements)
          java.util.Arrays.fill(x, 0.25f);
          Tensor t = wrap(x);
          long before = lookups();
          // the last sequence: the benchmarks' own runs count up from 0 and never get here
          function("probe", Mode.JIT_FUNCTION, in -> sequence(SEQUENCES - 1, in))
              .call(t, t, t);
          w = lookups() > before;
          wired = w;
          if (!w) {
            System.out.println("JitBench: jit clusters did not reach the fusion compiler here"
                + " (FusedKernels counters unchanged" + (FusedKernels.enabled() ? ""
                : ", code generation off") + "): clusters run op by op, so jit and unfused"
                + " measure the same work");
          }
        }
      }
    }
    return w;
  }

  /**
   * Calls {@code f} on {@code args} until its fused kernels are hot: until 20 calls in a row
   * ran no cold (op-by-op) call, at most {@code seconds}. Returns at once when clusters do not
   * reach the fusion compiler.
   */
  static void awaitHot(Function f, Tensor[] args, int seconds) {
    if (!fusionReached()) {
      return;
    }
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      long cold = FusedKernels.stats().coldRuns();
      for (int i = 0; i < 20; i++) {
        f.call(args);
      }
      if (FusedKernels.stats().coldRuns() == cold) {
        return;
      }
      if (System.nanoTime() > deadline) {
        System.out.println("JitBench: " + f.name() + " still ran cold calls after " + seconds
            + " s: it is measured as it runs");
        return;
      }
    }
  }

  /** Calls {@code f} at least {@code calls} times and for at least {@code millis} ms. */
  static void warm(Function f, Tensor[] args, int calls, long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    for (int i = 0; i < calls || System.nanoTime() < end; i++) {
      f.call(args);
    }
  }
}
