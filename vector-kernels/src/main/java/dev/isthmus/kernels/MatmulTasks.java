package dev.isthmus.kernels;

import java.util.function.IntConsumer;

/**
 * How a caller lends threads to a GEMM: runs numbered tasks, possibly at once. The kernels know
 * no thread pool (isthmus's core passes its intra-op pool); they only split a product into tasks
 * whose boundaries depend on the product's shape alone, and compute every element of C the same
 * way whichever thread runs its task, so a result does not depend on the runner. The segments
 * of a product run by several threads must be readable and writable from all of them (not
 * confined to one thread).
 */
@FunctionalInterface
public interface MatmulTasks {
  /** Runs the tasks one after another on the calling thread. */
  MatmulTasks SERIAL = (count, task) -> {
    for (int t = 0; t < count; t++) {
      task.accept(t);
    }
  };

  /**
   * Runs {@code task.accept(t)} exactly once for every {@code t} in {@code [0, count)}, in any
   * order and on any threads, and returns when all have finished; the first exception a task
   * throws is rethrown (other tasks may then be skipped). What the caller wrote before the call
   * happens-before each task, and each task happens-before the return. A task may run on the
   * caller while others never start until it ends, so the kernels never make a task wait for one
   * that has not begun.
   */
  void run(int count, IntConsumer task);
}
