package dev.isthmus.examples;

import dev.isthmus.Adam;
import dev.isthmus.ConcreteFunction;
import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.Mean;
import dev.isthmus.Operation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Set;

/**
 * Steps per second of the digits train step run three ways: eager (the same Java code called
 * directly, every op dispatched as it comes), traced (a {@link Function}, jitCompile false) and
 * traced with jit (jitCompile true). Each way trains its own fresh model on the data repeated,
 * so none of them disturbs the others or the demo's model; the rounds are interleaved so that a
 * change in the machine's load hits all three alike, and the best round counts.
 *
 * <p>Rounds are timed by the calling thread's CPU time when the JVM measures it (every step
 * runs on that thread: the tensors are far below the intra-op parallel threshold), so that
 * other processes on a busy machine do not skew the comparison; on an idle machine it is the
 * wall-clock rate. Otherwise by wall clock.
 */
final class DigitsTiming {
  /** Steps per round; each way first runs {@code 4 x rounds} steps to warm up. */
  static final int STEPS = 20;

  private DigitsTiming() {}

  /** Measures the three ways on {@code ds} (batches of images and labels), best of rounds. */
  static Digits.Timing measure(Dataset ds, long seed, int rounds) {
    Dataset forever = ds.repeat();
    Runnable eager = eagerStep(forever, seed);
    Function traced = tracedStep(forever, seed, false);
    Function jit = tracedStep(forever, seed, true);
    Runnable[] ways = {eager, traced::callAll, jit::callAll};
    for (Runnable w : ways) {
      for (int i = 0; i < 4 * rounds; i++) {
        w.run();
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < ways.length; k++) {
        long t0 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        for (int i = 0; i < STEPS; i++) {
          ways[k].run();
        }
        long t1 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        best[k] = Math.min(best[k], (t1 - t0) / 1e9);
      }
    }
    return new Digits.Timing(STEPS / best[0], STEPS / best[1], STEPS / best[2], rounds, STEPS,
        cpu ? "thread CPU time" : "wall clock", clusters(jit.getConcreteFunction()));
  }

  private static Runnable eagerStep(Dataset ds, long seed) {
    DigitsModel m = new DigitsModel(seed);
    DatasetIterator it = ds.iterator();
    Adam adam = new Adam(1e-3);
    Mean loss = new Mean("loss");
    Mean acc = new Mean("accuracy");
    return () -> m.trainStep(it, adam, loss, acc, false);
  }

  private static Function tracedStep(Dataset ds, long seed, boolean jit) {
    DigitsModel m = new DigitsModel(seed);
    DatasetIterator it = ds.iterator();
    Adam adam = new Adam(1e-3);
    Mean loss = new Mean("loss");
    Mean acc = new Mean("accuracy");
    return Function.builder().name("train_step").jitCompile(jit)
        .buildList(args -> m.trainStep(it, adam, loss, acc, true));
  }

  /** The distinct {@code _XlaCluster} values of the graph's nodes. */
  static int clusters(ConcreteFunction f) {
    Set<Object> c = new HashSet<>();
    for (Operation o : f.graph().operations()) {
      Object v = o.attr("_XlaCluster");
      if (v != null) {
        c.add(v);
      }
    }
    return c.size();
  }
}
