package dev.isthmus.bench;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The ops whose first call {@link ColdStart} times, each with its inputs, and the child side of
 * the harness: {@code main(op)} builds the inputs, then times the op's first call (and its second)
 * with {@link System#nanoTime} and prints one line. A fresh JVM per call, so the first call pays
 * what a user's first call pays: class loading and initialisation of the op's family and kernels,
 * and kernels that still run interpreted.
 *
 * <p>The twenty ops are those of the demo's training step and of Keras' common layers: Dense is
 * matmul + add + an activation (relu, sigmoid, tanh), a classifier's loss is softmax / exp with
 * reduceSum and reduceMean over oneHot labels, accuracy is argMax; conv2d and maxPool make a small
 * CNN; sub and mul are the optimizers' arithmetic; reshape, transpose, concat, cast and where move
 * and convert data between them. numpy has the same operations under its own names (see {@code
 * coldstart_numpy.py}; conv2d and maxPool are written with sliding windows there).
 */
final class ColdStartOps {
  private ColdStartOps() {}

  /** Elementwise operands are 256 x 256 float32 (64K elements, 256 KiB). */
  static final int SIDE = 256;

  /** One op: its inputs (not timed) and the call (timed). */
  record Op(String name, String shapes, Supplier<Tensor[]> inputs,
      Function<Tensor[], Tensor> call) {}

  /** The op table, in report order. */
  static final List<Op> ALL = List.of(
      op("add", "f32[256,256] + f32[256,256]", () -> two(), t -> Ops.add(t[0], t[1])),
      op("sub", "f32[256,256] - f32[256,256]", () -> two(), t -> Ops.sub(t[0], t[1])),
      op("mul", "f32[256,256] * f32[256,256]", () -> two(), t -> Ops.mul(t[0], t[1])),
      op("matmul", "f32[128,128] @ f32[128,128]",
          () -> new Tensor[] {floats(128, 128), floats(128, 128)}, t -> Ops.matmul(t[0], t[1])),
      op("relu", "f32[256,256]", () -> one(), t -> Ops.relu(t[0])),
      op("sigmoid", "f32[256,256]", () -> one(), t -> Ops.sigmoid(t[0])),
      op("tanh", "f32[256,256]", () -> one(), t -> Ops.tanh(t[0])),
      op("exp", "f32[256,256]", () -> one(), t -> Ops.exp(t[0])),
      op("softmax", "f32[256,256], last axis", () -> one(), t -> Ops.softmax(t[0])),
      op("reduceSum", "f32[256,256], axis 1", () -> one(), t -> Ops.reduceSum(t[0], 1)),
      op("reduceMean", "f32[256,256], all axes", () -> one(), t -> Ops.reduceMean(t[0])),
      op("argMax", "f32[256,256], axis 1", () -> one(), t -> Ops.argMax(t[0], 1)),
      op("reshape", "f32[256,256] to [65536]", () -> one(), t -> Ops.reshape(t[0], -1)),
      op("transpose", "f32[256,256], perm [1,0]", () -> one(), t -> Ops.transpose(t[0], 1, 0)),
      op("concat", "2 x f32[256,256], axis 0", () -> two(), t -> Ops.concat(0, t[0], t[1])),
      op("cast", "f32[256,256] to int32", () -> one(), t -> Ops.cast(t[0], DType.INT32)),
      op("where", "bool/f32/f32 [256,256]",
          () -> new Tensor[] {mask(), floats(SIDE, SIDE), floats(SIDE, SIDE)},
          t -> Ops.where(t[0], t[1], t[2])),
      op("conv2d", "f32[8,32,32,16] * f32[3,3,16,32], SAME",
          () -> new Tensor[] {floats(8, 32, 32, 16), floats(3, 3, 16, 32)},
          t -> Ops.conv2d(t[0], t[1], new int[] {1}, "SAME")),
      op("maxPool", "f32[8,32,32,16], 2x2 stride 2, VALID",
          () -> new Tensor[] {floats(8, 32, 32, 16)},
          t -> Ops.maxPool(t[0], new int[] {2}, new int[] {2}, "VALID")),
      op("oneHot", "int32[4096], depth 10", () -> new Tensor[] {labels(4096)},
          t -> Ops.oneHot(t[0], 10)));

  static final Map<String, Op> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Op::name, o -> o));

  private static Op op(String name, String shapes, Supplier<Tensor[]> in,
      Function<Tensor[], Tensor> call) {
    return new Op(name, shapes, in, call);
  }

  private static Tensor[] one() {
    return new Tensor[] {floats(SIDE, SIDE)};
  }

  private static Tensor[] two() {
    return new Tensor[] {floats(SIDE, SIDE), floats(SIDE, SIDE)};
  }

  /** Deterministic values in about [-2, 2], no two neighbours alike. */
  static Tensor floats(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((i * 37) % 101) / 25f - 2f;
    }
    return Tensor.of(v, shape);
  }

  private static Tensor mask() {
    boolean[] b = new boolean[SIDE * SIDE];
    for (int i = 0; i < b.length; i++) {
      b[i] = (i * 7) % 3 == 0;
    }
    return Tensor.of(b, SIDE, SIDE);
  }

  private static Tensor labels(int n) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i * 7) % 10;
    }
    return Tensor.of(v, n);
  }

  /**
   * Child process: {@code ColdStartOps OP} builds OP's inputs, times its first and second call,
   * and prints {@code coldstart OP FIRST_NS SECOND_NS INPUTS_NS ENGINE_NS ELEMENTS} (ENGINE: the
   * engine's own start, paid before the op by an identity on one element). {@code ColdStartOps
   * all} runs every op twice and prints one line: a training run for an ahead-of-time cache.
   */
  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("all")) {
      // a training run for an ahead-of-time cache (-XX:AOTCacheOutput): every op, twice
      for (Op op : ALL) {
        Tensor[] in = op.inputs().get();
        op.call().apply(in);
        op.call().apply(in);
      }
      System.out.println("coldstart all: ran " + ALL.size() + " ops");
      return;
    }
    if (args.length != 1 || !BY_NAME.containsKey(args[0])) {
      System.err.println("usage: ColdStartOps OP|all   (OP one of " + names() + ")");
      System.exit(2);
    }
    Op op = BY_NAME.get(args[0]);
    long t0 = System.nanoTime();
    Tensor[] in = op.inputs().get();
    // The engine's own start (registry, dispatch, eager context) is paid by whichever op comes
    // first; an identity on one element pays it here, so FIRST is the op's own cold cost.
    long b0 = System.nanoTime();
    Tensor boot = Ops.identity(Tensor.of(new float[] {1f}, 1));
    long t1 = System.nanoTime();
    Tensor first = op.call().apply(in);
    long t2 = System.nanoTime();
    Tensor second = op.call().apply(in);
    long t3 = System.nanoTime();
    if (first.size() != second.size()) {
      throw new AssertionError("the two calls disagree on the output size");
    }
    System.out.printf("coldstart %s %d %d %d %d %d%n", op.name(), t2 - t1, t3 - t2, b0 - t0,
        t1 - b0, first.size() + boot.size() - 1);
  }

  static String names() {
    return ALL.stream().map(Op::name).collect(Collectors.joining(", "));
  }
}
