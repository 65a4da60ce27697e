package dev.isthmus.kernels;

/**
 * Fixed blocks of rows of C as tasks, for the GEMM paths that do not pack (small and thin
 * products, the scalar twin, INT32), whose rows of C are independent. The blocks depend on the
 * product's shape alone, so a result does not depend on the tasks' runner.
 */
final class MatmulRows {
  private MatmulRows() {}

  /** Products of fewer multiply-adds ({@code m n k}) are one block. */
  static final long WORK = 1L << 18;

  /** Rows of a block: a multiple of every row tile (4, MR), so blocks start on tile rows. */
  static final int ROWS = 96;

  /** The rows {@code [i0, i0 + h)} of C. */
  @FunctionalInterface
  interface Body {
    void rows(long i0, long h);
  }

  /** Runs {@code body} over blocks of {@link #ROWS} rows on {@code tasks}, or once when small. */
  static void split(long m, long n, long k, MatmulTasks tasks, Body body) {
    if (m <= ROWS || m * n * k < WORK) {
      body.rows(0, m);
      return;
    }
    int blocks = (int) ((m + ROWS - 1) / ROWS);
    tasks.run(blocks, t -> {
      long i0 = (long) t * ROWS;
      body.rows(i0, Math.min(ROWS, m - i0));
    });
  }
}
