package dev.isthmus.examples;

import dev.isthmus.Adam;
import dev.isthmus.ConcreteFunction;
import dev.isthmus.DType;
import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.Mean;
import dev.isthmus.Operation;
import dev.isthmus.Ops;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.scopes.JitStats;
import dev.isthmus.scopes.Scopes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The demo's main job: trains an MLP on the UCI optical digits (8x8 images, 10 classes) the way
 * a TensorFlow user would, and prints what Keras prints.
 *
 * <p>The data come from the class path ({@code data/digits.csv.gz}, with its source and licence
 * in {@code data/README.md}), split 80/20 per class with a fixed seed. Training reads batches
 * of 32 from {@code Dataset.fromTensorSlices(x, y).shuffle(buffer, seed).batch(32)}; the train
 * step is a {@link Function} built with {@code jitCompile(true)} that takes the next batch from
 * the iterator itself, computes the gradients on a {@code GradientTape}, applies Adam and
 * updates a loss and an accuracy {@link Mean}. Each epoch runs TensorFlow's async pattern: a new
 * iterator, more steps than there are batches issued inside {@code Scopes.asyncScope()}, the
 * {@link OutOfRangeException} of the first step past the end caught, and
 * {@code Scopes.asyncClearError()}. At the end: the held-out accuracy, the number of jit
 * clusters in the traced step, a timing line (steps per second eager, traced and traced with
 * jit) and the traced train step's graph as {@code train_step.dot} (and {@code .svg} when
 * Graphviz is installed).
 */
public final class Digits {
  /** Batch size. */
  public static final int BATCH = 32;
  /** Adam's learning rate (Keras's default). */
  public static final double LEARNING_RATE = 1e-3;
  /** The fraction of each class held out for testing. */
  public static final double TEST_FRACTION = 0.2;
  /** Epochs by default. */
  public static final int EPOCHS = 10;
  /** The seed by default (split, initial weights, shuffling). */
  public static final long SEED = 42;
  /** Timing rounds by default. */
  public static final int TIMING_ROUNDS = 15;
  /** The attribute naming a node's jit cluster, as TensorFlow's XLA pass names it. */
  static final String CLUSTER_ATTR = "_XlaCluster";

  private Digits() {}

  /**
   * What to run: {@code epochs}, the {@code seed} of the split, the initial weights and the
   * shuffling, the directory the pictures go to ({@code outDir}), how many timing rounds to
   * measure each way of running a step ({@code timingRounds}, 0: no timing), and whether
   * {@code out} is a terminal ({@code tty}: progress bars are redrawn in place).
   */
  public record Options(int epochs, long seed, Path outDir, int timingRounds, boolean tty) {
    /** Checks the values. */
    public Options {
      if (epochs < 1 || timingRounds < 0) {
        throw new IllegalArgumentException("epochs " + epochs + ", timing rounds "
            + timingRounds + "; expected epochs >= 1, rounds >= 0");
      }
      if (outDir == null) {
        throw new IllegalArgumentException("outDir is null");
      }
    }

    /**
     * {@link #EPOCHS} epochs, seed {@link #SEED}, pictures into {@code target/digits} under the
     * working directory, {@link #TIMING_ROUNDS} timing rounds, and progress bars redrawn when
     * {@code System.out} is a terminal.
     */
    public static Options defaults() {
      java.io.Console c = System.console();
      return new Options(EPOCHS, SEED, Path.of("target", "digits"), TIMING_ROUNDS,
          c != null && c.isTerminal());
    }

    /** These options with {@code epochs}. */
    public Options withEpochs(int epochs) {
      return new Options(epochs, seed, outDir, timingRounds, tty);
    }

    /** These options with {@code seed}. */
    public Options withSeed(long seed) {
      return new Options(epochs, seed, outDir, timingRounds, tty);
    }

    /** These options with pictures written into {@code outDir}. */
    public Options withOutDir(Path outDir) {
      return new Options(epochs, seed, outDir, timingRounds, tty);
    }

    /** These options with {@code rounds} timing rounds (0: no timing line). */
    public Options withTimingRounds(int rounds) {
      return new Options(epochs, seed, outDir, rounds, tty);
    }

    /** These options with progress bars redrawn in place ({@code tty}) or printed once. */
    public Options withTty(boolean tty) {
      return new Options(epochs, seed, outDir, timingRounds, tty);
    }
  }

  /** One epoch: steps that ran, seconds, and the loss and accuracy metrics at its end. */
  public record Epoch(int steps, double seconds, double loss, double accuracy) {}

  /**
   * The jit in the traced train step: its graph's {@code nodes}, how many of them the
   * clustering pass put in a jit cluster ({@code clustered}), and the distinct clusters.
   */
  public record Jit(int nodes, int clustered, int clusters) {
    /** The line the demo prints. */
    public String line() {
      return String.format(Locale.ROOT, "jit: the traced train_step has %d jit cluster%s (%d of"
          + " its %d nodes)", clusters, clusters == 1 ? "" : "s", clustered, nodes);
    }
  }

  /**
   * What a run measured: each epoch, the held-out accuracy, the jit clusters of the traced
   * step, the timing (null when off) and the pictures written ({@code svg} null without
   * Graphviz).
   */
  public record Result(List<Epoch> epochs, double testAccuracy, int testSize, Jit jit,
      Timing timing, Path dot, Path svg) {}

  /**
   * Steps per second of the train step run eagerly, traced, and traced with jit (medians over
   * {@code rounds} rounds of {@code steps} steps, after {@code warmup} steps, timed by
   * {@code clock}), and the largest difference between the weights the eager and the
   * jit-compiled ways ended with ({@code maxWeightDifference}: the same steps on the same
   * batches, so rounding only). Measured by {@code DigitsTiming}.
   */
  public record Timing(double eager, double traced, double jit, int rounds, int steps,
      int warmup, String clock, double maxWeightDifference) {
    /** The two lines the demo prints (without the last line break). */
    public String line() {
      return String.format(Locale.ROOT, "steps/s: eager %.0f, traced %.0f (%.2fx), traced + jit"
          + " %.0f (%.2fx)%n         (same step, same batches; medians of %d rounds of %d steps"
          + " after %d warm-up steps; %s)", eager, traced, traced / eager, jit, jit / eager,
          rounds, steps, warmup, clock);
    }
  }

  /** Loads, trains, evaluates, times and draws, printing to {@code out}; what it measured. */
  @SuppressWarnings("try") // the async scope is entered for its effect
  public static Result run(PrintStream out, Options o) {
    long start = System.nanoTime();
    DigitsData.Split split = DigitsData.split(DigitsData.load(), TEST_FRACTION, o.seed());
    DigitsData.Digits train = split.train();
    DigitsData.Digits test = split.test();
    Tensor trainX = train.x();
    Tensor trainY = train.y();
    out.printf(Locale.ROOT, "data:  UCI optical digits (8x8 images, 10 classes): %d to train,"
        + " %d held out%n", train.size(), test.size());
    Dataset ds = Dataset.fromTensorSlices(trainX, trainY)
        .shuffle(train.size(), o.seed())
        // Whole batches only: a traced step's gradients are built for the batch shape it was
        // traced with (reduce_mean's gradient divides by 32), so a short last batch would fail.
        .batch(BATCH, true);
    DigitsModel model = new DigitsModel(o.seed());
    Adam adam = new Adam(LEARNING_RATE);
    Mean loss = new Mean("loss");
    Mean accuracy = new Mean("accuracy");
    out.printf(Locale.ROOT, "model: MLP 64-%d-10 (relu), Adam(%s), batch %d, %d epoch%s%n",
        DigitsModel.HIDDEN, LEARNING_RATE, BATCH, o.epochs(), o.epochs() == 1 ? "" : "s");

    int batches = train.size() / BATCH;
    out.printf(Locale.ROOT, "train: a jit-compiled train_step Function; each epoch issues %d"
        + " steps for its %d batches in an%n       asyncScope, the last ends the epoch with"
        + " OutOfRangeException, then asyncClearError()%n", batches + 1, batches);
    List<Epoch> epochs = new ArrayList<>();
    ConcreteFunction traced = null;
    for (int e = 1; e <= o.epochs(); e++) {
      DatasetIterator iterator = ds.iterator();
      // The iterator is a node of the traced graph: a new iterator is a new trace.
      Function trainStep = Function.builder().name("train_step").jitCompile(true)
          .buildList(args -> model.trainStep(iterator, adam, loss, accuracy, true));
      loss.reset();
      accuracy.reset();
      ProgressBar bar = new ProgressBar(out, o.tty(), "Epoch " + e + "/" + o.epochs(), batches);
      List<List<Tensor>> results = new ArrayList<>();
      long t0 = System.nanoTime();
      try (Scope async = Scopes.asyncScope()) {
        for (int i = 0; i < batches + 1; i++) { // one step more than there are batches
          results.add(trainStep.callAll());       // returns at once: pending tensors
        }
        follow(results, bar);
      } catch (OutOfRangeException endOfData) {
        Scopes.asyncClearError();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Epoch ep = new Epoch(stepsDone(results), seconds, loss.result().item(),
          accuracy.result().item());
      bar.finish(ep.steps(), seconds, ep.loss(), ep.accuracy());
      epochs.add(ep);
      traced = trainStep.getConcreteFunction();
    }

    Tensor predicted = Ops.argMax(model.predict(test.x()), 1);
    double testAccuracy = Ops.reduceMean(
        Ops.cast(Ops.equal(predicted, test.y()), DType.FLOAT64)).item();
    out.printf(Locale.ROOT, "test accuracy: %.4f (%d held-out images)%n", testAccuracy,
        test.size());
    Jit jit = jit(traced);
    out.println(jit.line());
    JitStats js = Scopes.jitStats();
    out.printf(Locale.ROOT, "     %d cluster plans, %d generated kernels compiled (%d found in the"
        + " cache), %d runs of generated code%n", js.clustersPrepared(), js.kernelsCompiled(),
        js.kernelCacheHits(), js.fusedRuns());

    Timing rates = null;
    if (o.timingRounds() > 0) {
      rates = DigitsTiming.measure(trainX, trainY, o.seed(), o.timingRounds());
      out.println(rates.line());
    }
    GraphPictures.Written pics = GraphPictures.write(traced, o.outDir(), out);
    out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - start) / 1e9);
    return new Result(List.copyOf(epochs), testAccuracy, test.size(), jit, rates, pics.dot(),
        pics.svg());
  }

  /**
   * Counts the jit clusters of {@code f}'s graph: the distinct {@code _XlaCluster} attributes
   * of its nodes (recorded by the clustering pass at the first call), and the nodes that have
   * one.
   */
  static Jit jit(ConcreteFunction f) {
    Set<Object> clusters = new HashSet<>();
    int nodes = 0;
    int clustered = 0;
    for (Operation op : f.graph().operations()) {
      nodes++;
      Object c = op.nodeDef().attr(CLUSTER_ATTR);
      if (c != null) {
        clusters.add(c);
        clustered++;
      }
    }
    return new Jit(nodes, clustered, clusters.size());
  }

  /**
   * Waits for each step's results in turn and redraws the bar; stops at the first step that
   * failed (past the end of the data), whose error the scope's close then throws.
   */
  private static void follow(List<List<Tensor>> results, ProgressBar bar) {
    int done = 0;
    for (List<Tensor> r : results) {
      try {
        double l = r.get(1).item();
        double a = r.get(2).item();
        bar.update(++done, l, a);
      } catch (OutOfRangeException end) {
        return;
      }
    }
  }

  /** How many steps finished: the results that hold values, up to the first that failed. */
  private static int stepsDone(List<List<Tensor>> results) {
    int n = 0;
    for (List<Tensor> r : results) {
      try {
        r.get(0).item();
      } catch (OutOfRangeException end) {
        break;
      }
      n++;
    }
    return n;
  }
}
