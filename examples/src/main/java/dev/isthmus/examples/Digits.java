package dev.isthmus.examples;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.DType;
import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.Mean;
import dev.isthmus.Ops;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.Adam;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.scopes.Scopes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Handwritten digits: trains an MLP on the UCI optical digits (8x8 images, 10 classes) the way
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
 * {@code Scopes.asyncClearError()}. At the end: the held-out accuracy, a timing line (steps per
 * second eager, traced and traced with jit) and the traced train step's graph as
 * {@code train_step.dot} (and {@code .svg} when Graphviz is installed).
 */
public final class Digits {
  /** Batch size. */
  public static final int BATCH = 32;
  /** The fraction of each class held out for testing. */
  public static final double TEST_FRACTION = 0.2;
  /** Timing rounds by default. */
  public static final int TIMING_ROUNDS = 15;

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
     * 10 epochs, seed 42, pictures into {@code target/digits} under the working directory,
     * {@link #TIMING_ROUNDS} timing rounds, and progress bars redrawn when
     * {@code System.out} is a terminal.
     */
    public static Options defaults() {
      java.io.Console c = System.console();
      return new Options(10, 42, Path.of("target", "digits"), TIMING_ROUNDS,
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
   * What a run measured: each epoch, the held-out accuracy, the timing (null when off) and the
   * pictures written ({@code svg} null without Graphviz).
   */
  public record Result(List<Epoch> epochs, double testAccuracy, int testSize,
      Timing timing, Path dot, Path svg) {}

  /**
   * Steps per second of the train step run eagerly (the same Java code without a Function),
   * traced, and traced with jit; the best of {@code rounds} rounds of {@code steps} steps timed
   * by {@code clock} ("thread CPU time" or "wall clock"); and how many jit clusters the
   * jit-compiled step's graph has (0: it ran as traced).
   */
  public record Timing(double eager, double traced, double jit, int rounds, int steps,
      String clock, int jitClusters) {
    /** The line the demo prints. */
    public String line() {
      return String.format(Locale.ROOT, "steps/s (batch %d, best of %d x %d steps, %s): eager"
          + " %.0f, traced %.0f (%.2fx), traced + jit %.0f (%.2fx)%s", BATCH, rounds, steps,
          clock, eager, traced, traced / eager, jit, jit / eager,
          jitClusters == 0 ? "; jit formed no clusters here, so it ran as traced"
              : "; " + jitClusters + " jit clusters");
    }
  }

  /**
   * Runs the demo with the defaults; arguments: {@code --epochs N}, {@code --seed S},
   * {@code --out DIR}, {@code --no-timing}.
   */
  public static void main(String[] args) {
    Options o = Options.defaults();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--epochs" -> o = o.withEpochs(Integer.parseInt(value(args, ++i)));
        case "--seed" -> o = o.withSeed(Long.parseLong(value(args, ++i)));
        case "--out" -> o = o.withOutDir(Path.of(value(args, ++i)));
        case "--no-timing" -> o = o.withTimingRounds(0);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --epochs N, --seed S, --out DIR, --no-timing");
      }
    }
    run(System.out, o);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** Loads, trains, evaluates, times and draws, printing to {@code out}; what it measured. */
  @SuppressWarnings("try") // the async scope is entered for its effect
  public static Result run(PrintStream out, Options o) {
    long start = System.nanoTime();
    DigitsData.Split split = DigitsData.split(DigitsData.load(), TEST_FRACTION, o.seed());
    DigitsData.Digits train = split.train();
    DigitsData.Digits test = split.test();
    out.printf(Locale.ROOT, "UCI optical digits: 8x8 images of 10 digits, %d to train, %d held"
        + " out%n", train.size(), test.size());
    Dataset ds = Dataset.fromTensorSlices(train.x(), train.y())
        .shuffle(train.size(), o.seed())
        // Whole batches only: a traced step's gradients are built for the batch shape it was
        // traced with (reduce_mean's gradient divides by 32), so a short last batch would fail.
        .batch(BATCH, true);
    DigitsModel model = new DigitsModel(o.seed());
    Adam adam = new Adam(1e-3);
    Mean loss = new Mean("loss");
    Mean accuracy = new Mean("accuracy");
    out.printf(Locale.ROOT, "model: MLP 64-%d-10, relu, Adam(1e-3), batch %d, %d epochs%n",
        DigitsModel.HIDDEN, BATCH, o.epochs());

    int batches = train.size() / BATCH;
    out.printf(Locale.ROOT, "each epoch: a new iterator, %d calls of the jit-compiled train_step"
        + " in an asyncScope for %d batches; the last call ends the epoch (OutOfRangeException)%n",
        batches + 1, batches);
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

    Timing rates = null;
    if (o.timingRounds() > 0) {
      rates = DigitsTiming.measure(ds, o.seed(), o.timingRounds());
      out.println(rates.line());
    }
    GraphPictures.Written pics = GraphPictures.write(traced, o.outDir(), out);
    out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - start) / 1e9);
    return new Result(List.copyOf(epochs), testAccuracy, test.size(), rates, pics.dot(),
        pics.svg());
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
