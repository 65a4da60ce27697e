package dev.isthmus.examples;

import dev.isthmus.Adam;
import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.Mean;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Steps per second of the digits train step run three ways: eager (the same Java code called
 * directly, every op dispatched as it comes), traced (a {@link Function}, jitCompile false) and
 * traced with jit (jitCompile true).
 *
 * <p>Fair by construction: each way trains its own model from the same initial weights on its
 * own copy of the same batch stream (a fresh {@code shuffle(seed).batch(32).repeat()} of the
 * same training data, so the same batches in the same order), synchronously, so all three do
 * the same arithmetic and end with the same weights (to rounding). Each first runs
 * {@link #WARMUP} steps; then rounds of {@link #STEPS} steps are timed, the three ways in turn
 * within each round so that a change in the machine's load hits all three alike, and the
 * median round counts.
 *
 * <p>Rounds are timed by the calling thread's CPU time when the JVM measures it (every step
 * runs on that thread: these tensors are far below the kernels' intra-op parallel threshold),
 * so that other processes on a busy machine do not skew the comparison; on an idle machine it
 * is the wall-clock rate. Otherwise by wall clock.
 */
final class DigitsTiming {
  /** Steps per timed round. */
  static final int STEPS = 20;
  /** Untimed steps each way runs first (tracing, and the JVM's JIT compiling the hot code). */
  static final int WARMUP = 60;

  private DigitsTiming() {}

  /** Measures the three ways on the images {@code x} and labels {@code y}, median of rounds. */
  static Digits.Timing measure(Tensor x, Tensor y, long seed, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds " + rounds + "; expected >= 1");
    }
    Way[] ways = {new Way(x, y, seed, null), new Way(x, y, seed, false),
        new Way(x, y, seed, true)};
    for (Way w : ways) {
      for (int i = 0; i < WARMUP; i++) {
        w.step();
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    double[][] rates = new double[ways.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < ways.length; k++) {
        long t0 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        for (int i = 0; i < STEPS; i++) {
          ways[k].step();
        }
        long t1 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        rates[k][r] = STEPS / (Math.max(1, t1 - t0) / 1e9);
      }
    }
    double diff = 0;
    for (int v = 0; v < ways[0].model.vars.size(); v++) {
      diff = Math.max(diff, maxAbsDifference(ways[0].model.vars.get(v), ways[2].model.vars.get(v)));
    }
    return new Digits.Timing(median(rates[0]), median(rates[1]), median(rates[2]), rounds,
        STEPS, WARMUP, cpu ? "thread CPU time" : "wall clock", diff);
  }

  /**
   * One way of running the step, with its own model, optimizer, metrics and iterator over its
   * own copy of the batch stream; {@code jit} null means eager.
   */
  private static final class Way {
    final DigitsModel model;
    private final Runnable step;

    Way(Tensor x, Tensor y, long seed, Boolean jit) {
      // a Dataset of its own: shuffle's pass counter starts at 0, so every way sees the
      // same batches in the same order
      Dataset ds = Dataset.fromTensorSlices(x, y).shuffle(x.shape().dim(0), seed)
          .batch(Digits.BATCH, true).repeat();
      DatasetIterator it = ds.iterator();
      model = new DigitsModel(seed);
      Adam adam = new Adam(Digits.LEARNING_RATE);
      Mean loss = new Mean("loss");
      Mean acc = new Mean("accuracy");
      if (jit == null) {
        step = () -> model.trainStep(it, adam, loss, acc, false);
      } else {
        Function f = Function.builder().name("train_step").jitCompile(jit)
            .buildList(args -> model.trainStep(it, adam, loss, acc, true));
        step = f::callAll;
      }
    }

    void step() {
      step.run();
    }
  }

  private static double maxAbsDifference(Variable a, Variable b) {
    float[] p = a.read().toFloatArray();
    float[] q = b.read().toFloatArray();
    double d = 0;
    for (int i = 0; i < p.length; i++) {
      d = Math.max(d, Math.abs((double) p[i] - q[i]));
    }
    return d;
  }

  /** The median of {@code v} (the mean of the middle two for an even count). */
  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
