package dev.isthmus.examples;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.DType;
import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.GradientTape;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.IsthmusException;
import dev.isthmus.Losses;
import dev.isthmus.Mean;
import dev.isthmus.NodeDef;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.SGD;
import dev.isthmus.Scope;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.kernels.Simd;
import dev.isthmus.scopes.Scopes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The isthmus demo, started by the README's first command ({@code ./isthmus demo}).
 *
 * <p>Its main job is {@link Digits}: an MLP learns the UCI handwritten digits from a
 * {@code Dataset} with a jit-compiled train step {@link Function}, Adam and the async epoch
 * pattern, printing Keras's progress bars, the held-out accuracy, the jit clusters of the traced
 * step, a timing line (eager, traced, traced with jit) and where it drew the step's graph.
 *
 * <p>With {@code --tour} it shows the pieces instead, on data it makes: eager ops on two seeded
 * Gaussian clusters and a logistic regression with the gradients written out as ops, softmax,
 * error messages, a traced {@link Function} and its graph, a small graph timed traced and eager,
 * an MLP trained with automatic differentiation, and async_scope's reference example (a train
 * step called more times than there are batches inside an async scope until the data end).
 * Every number either prints is computed here, by isthmus's kernels.
 */
public final class Demo {
  private static final float[] CENTRE_0 = {-1f, -0.5f};
  private static final float[] CENTRE_1 = {1.2f, 1f};

  /** What {@code --help} prints. */
  static final String USAGE = """
      usage: ./isthmus demo [--epochs N] [--seed S] [--out DIR] [--no-timing]
             ./isthmus demo --tour
        (no option)   train the digits classifier: 10 epochs, seed 42, pictures in target/digits
        --epochs N    train N epochs
        --seed S      seed of the split, the initial weights and the shuffling
        --out DIR     write train_step.dot (and .svg with Graphviz) into DIR
        --no-timing   skip the eager / traced / jit timing
        --tour        instead: a tour of eager ops, errors, softmax, traced functions, autodiff
                      and an asyncScope, on data the demo makes
      """;

  private Demo() {}

  /** Runs the demo; see {@link #USAGE} for the arguments. Exits with 2 on a bad argument. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err, Digits.Options.defaults());
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs what {@code args} ask for, printing to {@code out} (usage errors to {@code err}), from
   * the digits options {@code base}; returns the exit status (0, or 2 for a bad argument).
   */
  static int run(String[] args, PrintStream out, PrintStream err, Digits.Options base) {
    Digits.Options o = base;
    boolean tour = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--epochs" -> o = o.withEpochs((int) number(args, ++i, Integer.MAX_VALUE));
          case "--seed" -> o = o.withSeed(number(args, ++i, Long.MAX_VALUE));
          case "--out" -> o = o.withOutDir(Path.of(value(args, ++i)));
          case "--no-timing" -> o = o.withTimingRounds(0);
          case "--tour" -> tour = true;
          case "--help", "-h" -> {
            out.print(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (tour && args.length > 1) {
        throw new IllegalArgumentException("--tour takes no other argument");
      }
    } catch (IllegalArgumentException e) {
      err.println("isthmus demo: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    out.println(tour ? "isthmus demo: a tour of eager ops, graphs, autodiff and async on the JVM"
        : "isthmus demo: a handwritten-digit classifier, trained on the JVM");
    out.println(Simd.VECTOR
        ? "kernels: Vector API, " + Simd.floatLanes() + " float lanes per vector"
        : "kernels: scalar twins (" + Simd.WHY_SCALAR + ")");
    out.println();
    if (tour) {
      tour(out);
    } else {
      Digits.run(out, o);
      out.println();
      out.println("more: ./isthmus demo --tour (eager ops, errors, traced functions, autodiff,"
          + " async), --help for options");
    }
    return 0;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static long number(String[] args, int i, long max) {
    String v = value(args, i);
    try {
      long n = Long.parseLong(v);
      if (n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(args[i - 1] + " needs a whole number up to " + max
        + ", got '" + v + "'");
  }

  /** The tour: seven sections on data it makes, printed to {@code out}. */
  static void tour(PrintStream out) {
    // 1. Data: two clusters in 2-D. Seeds 1, 2 train; seeds 3, 4 are held out.
    Tensor[] train = clusters(1, 800);
    Tensor[] test = clusters(3, 200);
    Tensor x = train[0]; // [1600, 2]
    Tensor y = train[1]; // [1600, 1], 0 or 1
    out.println("1. Data: two Gaussian clusters, " + x.shape().dim(0) + " training points, "
        + test[0].shape().dim(0) + " held out");
    out.println("x_train =\n" + x);
    Tensor notY = Ops.sub(Ops.onesLike(y), y);                                       // [1600, 1]
    Tensor mean1 = Ops.reduceSum(x.mul(y), 0).div(Ops.reduceSum(y));                // [2]
    Tensor mean0 = Ops.reduceSum(x.mul(notY), 0).div(Ops.reduceSum(notY));
    out.println("class means: " + mean0 + " and " + mean1);
    Tensor centred = x.sub(Ops.reduceMean(x, true, 0));
    out.println("std of x:    " + Ops.sqrt(Ops.reduceMean(centred.square(), 0)));
    out.println();

    // 2. Logistic regression: p = sigmoid(x w + b), loss = mean(softplus(z) - y z).
    out.println("2. Logistic regression by gradient descent, gradients written as ops");
    Tensor[] wb = fit(x, y, 200, 0.5, out);
    Tensor w = wb[0];
    Tensor b = wb[1];
    out.println("   w = " + Ops.reshape(w, 2) + ", b = " + b);
    Tensor pTest = Ops.sigmoid(Ops.matmul(test[0], w).add(b));
    out.printf(Locale.ROOT, "   held-out accuracy: %.1f%% of %d points%n",
        100 * accuracy(pTest, test[1]), test[0].shape().dim(0));
    out.println();

    // 3. Softmax over a batch of logits: each row sums to one.
    out.println("3. Softmax of three rows of logits, and each row's sum");
    Tensor logits = Tensor.of(new float[] {2f, 1f, 0.1f, 1f, 1f, 1f, -3f, 0f, 3f}, 3, 3);
    Tensor probs = Ops.softmax(logits);
    out.println(probs);
    out.println("row sums: " + Ops.reduceSum(probs, 1));
    out.println("argMax:   " + Ops.argMax(logits, 1));
    out.println();

    // 4. Bad input is a clear exception naming the op, the shapes and the dtypes.
    out.println("4. Errors say what was expected");
    try {
      Ops.add(x, Ops.ones(DType.FLOAT32, 3));
    } catch (InvalidArgumentException e) {
      out.println("   " + e.getMessage());
    }
    try {
      Ops.matmul(x, Ops.ones(DType.FLOAT64, 2, 1));
    } catch (InvalidArgumentException e) {
      out.println("   " + e.getMessage());
    }
    out.println();

    // 5. A traced function: the lambda is recorded as a graph once per input signature.
    out.println("5. Traced functions: Function.of records the lambda as a graph, once per"
        + " input signature");
    traced(test[0], w, b, out);

    // 6. Training with automatic differentiation: a traced step, GradientTape and Adam.
    out.println("6. Training: a 2-" + TrainingDemo.HIDDEN + "-" + TrainingDemo.CLASSES
        + " MLP learns three spirals (" + TrainingDemo.CLASSES * TrainingDemo.PER_CLASS
        + " points); one traced step = forward on a GradientTape, gradients, Adam");
    TrainingDemo.train(out);

    // 7. The same model trained from a Dataset by a Function, asynchronously, until the data ends.
    out.println("7. Async training: more steps than batches, in an asyncScope");
    Epoch epoch = trainUntilDataEnds(x, y, 100, 20, true);
    out.println("   " + epoch.issued() + " train steps issued; " + epoch.ran()
        + " ran (one per batch of 100 of the " + x.shape().dim(0) + " shuffled points)");
    List<String> lines = epoch.error().lines().toList();
    out.println("   the scope's close threw " + lines.getFirst());
    out.println("     " + lines.getLast().strip()); // the op and the line that issued it
    out.printf(Locale.ROOT, "   mean loss over the epoch (a Mean metric): %.4f%n",
        epoch.meanLoss());
    out.println("   w = " + Ops.reshape(epoch.w(), 2) + ", b = " + epoch.b());
    Tensor pEpoch = Ops.sigmoid(Ops.matmul(test[0], epoch.w()).add(epoch.b()));
    out.printf(Locale.ROOT, "   held-out accuracy after this one epoch: %.1f%%%n",
        100 * accuracy(pEpoch, test[1]));
  }

  /**
   * Section 5: traces the model's prediction (capturing {@code b}), calls it several times,
   * prints its graph, and times a small graph traced and eager.
   */
  static void traced(Tensor xTest, Tensor w, Tensor b, PrintStream out) {
    int[] javaRuns = {0};
    Function predict = Function.builder().name("predict").build((xs, wt) -> {
      javaRuns[0]++; // Java code in the lambda runs only while tracing
      return Ops.sigmoid(Ops.matmul(xs, wt).add(b)); // b: an eager tensor, captured
    });
    for (int i = 0; i < 3; i++) {
      predict.call(xTest, w);
    }
    Tensor four = predict.call(Ops.slice(xTest, new long[] {0, 0}, new long[] {4, 2}), w);
    out.printf(Locale.ROOT, "   4 calls (3 on %s, 1 on 4 rows): the lambda ran %d times, traced %d"
        + " times%n", xTest.shape(), javaRuns[0], predict.tracingCount());
    out.println("   p of 4 held-out points: " + Ops.reshape(four, 4));
    ConcreteFunction cf = predict.getConcreteFunction(xTest, w);
    out.println("   the graph of " + cf + ", node by node:");
    for (Operation o : cf.graph().operations()) {
      NodeDef n = o.nodeDef();
      out.printf(Locale.ROOT, "     %-10s %-12s %-22s -> %s%n", n.name(), n.op(),
          String.join(", ", n.inputs()), o.outputs().get(0).describe());
    }
    String[] dot = cf.graph().toDot().split("\n");
    out.println("   and as Graphviz (toDot), first lines:");
    for (int i = 0; i < Math.min(5, dot.length); i++) {
      out.println("     " + dot[i]);
    }

    // The same small graph of scalar ops, eager and traced: each node runs the same kernel.
    Tensor u = Tensor.scalar(1.5f);
    Tensor v = Tensor.scalar(0.5f);
    Function chain = Function.of(Demo::chain);
    if (chain.call(u, v).item() != chain(u, v).item()) {
      throw new IllegalStateException("traced and eager differ");
    }
    int calls = 40_000;
    double eagerNs = Double.MAX_VALUE;
    double tracedNs = Double.MAX_VALUE;
    for (int round = 0; round < 6; round++) { // the first rounds warm the JIT up; keep the best
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        chain(u, v);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        chain.call(u, v);
      }
      long t2 = System.nanoTime();
      eagerNs = Math.min(eagerNs, (t1 - t0) / (double) calls);
      tracedNs = Math.min(tracedNs, (t2 - t1) / (double) calls);
    }
    out.printf(Locale.ROOT, "   a graph of %d scalar ops (best of 6 x %d calls): eager %.2f us per"
        + " call, traced %.2f us (%.0f ns per node), traced/eager speed %.2fx%n", CHAIN, calls,
        eagerNs / 1e3, tracedNs / 1e3, tracedNs / CHAIN, eagerNs / tracedNs);
    out.println("   (the same kernels run either way; a graph skips Java dispatch and unchanged"
        + " shape checks, an eager op skips the call; see ./isthmus bench graph)");
  }

  /** The number of ops {@link #chain} applies. */
  static final int CHAIN = 16;

  /** {@link #CHAIN} scalar ops on {@code u} and {@code v}: add, mul, sub, maximum in turn. */
  static Tensor chain(Tensor u, Tensor v) {
    Tensor a = u;
    for (int i = 0; i < CHAIN; i++) {
      a = switch (i % 4) {
        case 0 -> a.add(u);
        case 1 -> a.mul(v);
        case 2 -> a.sub(u);
        default -> Ops.maximum(a, v);
      };
    }
    return a;
  }


  /**
   * What one pass of {@link #trainUntilDataEnds} left: steps issued and run, the error that
   * ended it, the loss metric's value and the weights.
   */
  record Epoch(int issued, int ran, String error, double meanLoss, Tensor w, Tensor b) {}

  /**
   * async_scope's reference example: a train step {@link Function} that reads the next batch of
   * a shuffled {@link Dataset} of {@code (x, y)}, takes an SGD step on the logistic loss and adds
   * the batch's losses to a {@link Mean}, called {@code numSteps} times (more than there are
   * batches) inside {@link Scopes#asyncScope()} when {@code async}, else synchronously. Reading
   * past the end throws {@link OutOfRangeException}: from the scope's close when async (the steps
   * after it are cancelled), from the call itself when not. Either way it is caught and
   * {@link Scopes#asyncClearError()} is called, as in the reference example (outside the scope,
   * as there, it has nothing left to reset: the close already did).
   */
  @SuppressWarnings("try") // the scope is entered for its effect
  static Epoch trainUntilDataEnds(Tensor x, Tensor y, int batch, int numSteps, boolean async) {
    DatasetIterator iterator = Dataset.fromTensorSlices(x, y).shuffle(x.shape().dim(0), 7)
        .batch(batch).iterator();
    Variable w = Variable.of(Ops.zeros(DType.FLOAT32, x.shape().dim(1), 1));
    Variable b = Variable.of(Ops.zeros(DType.FLOAT32, 1));
    SGD sgd = new SGD(0.5);
    Mean lossMetric = new Mean("loss");
    Function trainStep = Function.of(() -> {
      List<Tensor> xy = iterator.getNextAll();
      Tensor losses;
      Tensor loss;
      GradientTape tape = GradientTape.open();
      try (tape) {
        Tensor z = Ops.matmul(xy.get(0), w.read()).add(b.read());
        losses = Losses.sigmoidCrossEntropyWithLogits(xy.get(1), z);
        loss = Ops.reduceMean(losses);
      }
      sgd.apply(tape.gradient(loss, List.of(w, b)), List.of(w, b));
      lossMetric.updateState(losses);
      return loss;
    });
    List<Tensor> stepLosses = new ArrayList<>();
    String error = "nothing";
    try (Scope scope = async ? Scopes.asyncScope() : () -> { }) {
      for (int i = 0; i < numSteps; i++) {
        stepLosses.add(trainStep.call());
      }
    } catch (OutOfRangeException e) {
      error = "OutOfRangeException: " + e.getMessage();
      Scopes.asyncClearError();
    }
    int ran = 0;
    for (Tensor l : stepLosses) {
      try {
        l.item();
        ran++;
      } catch (IsthmusException cancelled) {
        // issued after the end of the data: cancelled with the scope's first error
      }
    }
    return new Epoch(stepLosses.size(), ran, error, lossMetric.result().item(), w.read(),
        b.read());
  }

  /**
   * Fits {@code p = sigmoid(x w + b)} to 0/1 labels {@code y} by full-batch gradient descent on
   * the mean logistic loss, printing the loss every 40 steps to {@code log} (if not null).
   * Returns {@code {w, b}}.
   */
  static Tensor[] fit(Tensor x, Tensor y, int steps, double lr, PrintStream log) {
    Tensor w = Ops.zeros(DType.FLOAT32, x.shape().dim(1), 1);
    Tensor b = Ops.constant(0f);
    float n = x.shape().dim(0);
    for (int step = 0; step <= steps; step++) {
      Tensor z = Ops.matmul(x, w).add(b);                                            // [n, 1]
      Tensor p = Ops.sigmoid(z);
      if (log != null && step % 40 == 0) {
        log.printf(Locale.ROOT, "   step %3d   loss %.4f   train accuracy %5.1f%%%n",
            step, loss(z, y), 100 * accuracy(p, y));
      }
      Tensor g = p.sub(y).div(n);                                                    // dloss/dz
      w = w.sub(Ops.matmul(x, g, true, false).mul(lr));                              // x^T g
      b = b.sub(Ops.reduceSum(g).mul(lr));
    }
    return new Tensor[] {w, b};
  }

  /** The mean logistic loss of logits {@code z} against 0/1 labels, computed stably. */
  static double loss(Tensor z, Tensor y) {
    return Ops.reduceMean(Ops.softplus(z).sub(y.mul(z))).item();
  }

  /** Points of both clusters from seeds {@code seed} and {@code seed + 1}, and 0/1 labels. */
  static Tensor[] clusters(long seed, long perClass) {
    Tensor a = Ops.randomNormal(seed, DType.FLOAT32, Shape.of(perClass, 2), 0, 0.8)
        .add(Tensor.of(CENTRE_0));
    Tensor b = Ops.randomNormal(seed + 1, DType.FLOAT32, Shape.of(perClass, 2), 0, 0.8)
        .add(Tensor.of(CENTRE_1));
    Tensor x = Ops.concat(List.of(a, b), 0);
    Tensor y = Ops.concat(List.of(Ops.zeros(DType.FLOAT32, perClass, 1),
        Ops.ones(DType.FLOAT32, perClass, 1)), 0);
    return new Tensor[] {x, y};
  }

  /** The fraction of rows where {@code p > 0.5} agrees with the 0/1 label. */
  static double accuracy(Tensor p, Tensor y) {
    Tensor predicted = Ops.cast(Ops.greater(p, Ops.constant(0.5f)), DType.FLOAT32);
    return Ops.reduceMean(Ops.cast(Ops.equal(predicted, y), DType.FLOAT32)).item();
  }
}
