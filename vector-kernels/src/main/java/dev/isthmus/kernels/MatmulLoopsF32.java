package dev.isthmus.kernels;

import static dev.isthmus.kernels.MatmulPackedF32.KC;
import static dev.isthmus.kernels.MatmulPackedF32.MC;
import static dev.isthmus.kernels.MatmulPackedF32.MR;
import static dev.isthmus.kernels.MatmulPackedF32.NC;
import static dev.isthmus.kernels.MatmulPackedF32.NR;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The loop nest of the packed FLOAT32 GEMM (arguments as {@link MatmulKernels}), GotoBLAS / BLIS
 * style, on one thread or on the threads of a {@link MatmulTasks}:
 *
 * <pre>
 * for jc in n by NC:                 a panel of op(B) columns
 *   for pc in k by KC:               one phase: every row of C gains a KC-deep product
 *     for part in parts (tasks):     fixed ranges of at most MC rows, one A block each (L2)
 *       pack op(A)[part rows, pc:+KC]
 *       for each sliver of the panel (NR columns, KC x NR, shared by all parts; L3):
 *         packed by the first part to need it, then read by all
 *         for ir in part rows by MR: the MR x NR register tile, merged into C
 * </pre>
 *
 * <p>Every part of a phase shares one packed panel of op(B): it is packed once per phase, not
 * once per thread or per row block, and the slivers are packed by whichever part first needs
 * each (parts start at different slivers, so two threads pack different halves), with no
 * separate packing pass and no barrier but the end of the phase. A sliver claimed by another
 * part and not yet ready is put off and revisited, so a part waits only when nothing else is
 * left.
 *
 * <p>When C has a single part of rows (m at most MC), a large product's tasks are instead
 * {@link #GROUPS} groups of the panel's slivers, each with its own copy of the small A block.
 *
 * <p>Results do not depend on the threads: the tasks are fixed by the shape alone, and an
 * element of C is summed the same way (over the KC blocks in order, each by the same register
 * tile code) whichever part, thread or sliver order computes it. Parts are whole register tiles
 * of rows, so threads write disjoint rows of C (no two write the same cache line except where a
 * row of C ends inside one). Parts shrink towards the end of C (each a quarter of the rows
 * left, between 2 register tiles and MC rows), so the threads of a phase finish within a small
 * part of each other (with 12 equal parts, a phase ended on average half a part after one
 * thread ran out of work: two threads at 1024 took 1.75x less time than one, and 1.95x with
 * these, measured).
 *
 * <p>Buffers (one panel per running product, one A block per running part) are pooled and
 * reused from call to call: after the first calls nothing but a few small objects is allocated.
 */
final class MatmulLoopsF32 {
  private MatmulLoopsF32() {}

  /**
   * Products of fewer multiply-adds ({@code m n k}, about 70 us on one core) run all their parts
   * on the calling thread: below that a hand-off to another thread costs about what it saves.
   */
  static final long PARALLEL_WORK = 1L << 23;

  /** An A block and a register tile's buffer: what one running part needs for itself. */
  static final class Block {
    final float[] a = new float[MC * KC];
    final float[] t = new float[MR * NR];
    /** Slivers put off because another part was packing them. */
    final int[] later = new int[NC / NR];
    /** A narrow last sliver of B, for the small kernel (allocated on first use). */
    float[] narrow;
  }

  private static final ConcurrentLinkedDeque<Block> BLOCKS = new ConcurrentLinkedDeque<>();

  /** An idle block (or a new one); give it back with {@link #release}. */
  static Block acquire() {
    Block blk = BLOCKS.pollFirst();
    return blk != null ? blk : new Block();
  }

  /** Returns a block from {@link #acquire}. */
  static void release(Block blk) {
    BLOCKS.offerFirst(blk);
  }

  /** Idle panels of B, most recently used first (one is taken per running product). */
  private static final ConcurrentLinkedDeque<float[]> PANELS = new ConcurrentLinkedDeque<>();

  /** {@code C = epilogue(op(A) op(B))}, its parts run by {@code tasks}. */
  static void gemm(boolean transA, boolean transB, long m, long n, long k, MemorySegment a,
      long ao, long lda, MemorySegment b, long bo, long ldb, MemorySegment c, long co, long ldc,
      Epilogue ep, MatmulTasks tasks) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      MatmulEpilogue.zeroF32(c, co, ldc, m, n);
      MatmulEpilogue.rowsF32(c, co, ldc, m, n, ep, 0);
      return;
    }
    boolean parallel = m * n * k >= PARALLEL_WORK;
    int[] parts = parts(m);
    // Too few rows to share out: the columns of each panel go in groups instead.
    int groups = parallel && parts.length == 2 ? GROUPS : 1;
    int need = (int) Math.min(NC, round(n, NR)) * (int) Math.min(KC, k);
    float[] panel = PANELS.pollFirst();
    if (panel == null || panel.length < need) {
      panel = new float[need];
    }
    try {
      new Product(transA, transB, m, k, a, ao, lda, b, bo, ldb, c, co, ldc, ep, panel, parts,
          groups).run(n, parallel ? tasks : MatmulTasks.SERIAL);
    } finally {
      PANELS.offerFirst(panel);
    }
  }

  /**
   * The row parts of C, as the slivers of MR rows where each starts, then the total: each part
   * takes a quarter of the slivers left, at least 2 and at most MC rows (its A block's size). By
   * {@code m} alone.
   */
  static int[] parts(long m) {
    int slivers = (int) ((m + MR - 1) / MR), most = MC / MR;
    int count = 0;
    for (int at = 0; at < slivers; count++) {
      at += Math.max(2, Math.min(most, (slivers - at + 3) / 4));
    }
    int[] starts = new int[count + 1];
    for (int i = 0, at = 0; i < count; i++) {
      starts[i] = at;
      at += Math.max(2, Math.min(most, (slivers - at + 3) / 4));
    }
    starts[count] = slivers;
    return starts;
  }

  /**
   * Column groups of a panel when C has a single part of rows (m at most MC, e.g. a dense layer
   * on a small batch): the tasks of a phase are then groups of slivers, each packing the (small) A
   * block itself.
   */
  static final int GROUPS = 4;

  private static long round(long x, int r) {
    return (x + r - 1) / r * r;
  }

  /** One product in flight: its operands, its shared panel, and the phase being computed. */
  private static final class Product {
    final boolean transA, transB;
    final long m, k, ao, lda, bo, ldb, co, ldc;
    final MemorySegment a, b, c, bias;
    final Epilogue ep;
    final float[] panel;
    /** Where each row part starts, in slivers of MR rows, then the total (see {@link #parts}). */
    final int[] starts;
    final int parts;
    final int groups;
    /** Per sliver: 2g once packed for phase g, 2g - 1 while being packed, FAILED if that threw. */
    final AtomicIntegerArray state = new AtomicIntegerArray(NC / NR);
    /** Relu (1) and relu6 (2) are applied in the merge; other activations after each block. */
    final int act;
    final Epilogue late;

    // The phase: written by the caller before the tasks start (the runner's hand-off publishes
    // them), only read by the tasks.
    long jc;
    long pc;
    int nc;
    int kc;
    int slivers;
    int phase;

    Product(boolean transA, boolean transB, long m, long k, MemorySegment a, long ao, long lda,
        MemorySegment b, long bo, long ldb, MemorySegment c, long co, long ldc, Epilogue ep,
        float[] panel, int[] starts, int groups) {
      this.transA = transA;
      this.transB = transB;
      this.m = m;
      this.k = k;
      this.a = a;
      this.ao = ao;
      this.lda = lda;
      this.b = b;
      this.bo = bo;
      this.ldb = ldb;
      this.c = c;
      this.co = co;
      this.ldc = ldc;
      this.ep = ep;
      this.bias = ep.bias();
      this.panel = panel;
      this.starts = starts;
      this.parts = starts.length - 1;
      this.groups = groups;
      UnaryOp op = ep.activation().op();
      act = op == UnaryOp.RELU ? 1 : op == UnaryOp.RELU6 ? 2 : 0;
      late = act == 0 && op != null ? Epilogue.activation(ep.activation()) : null;
    }

    void run(long n, MatmulTasks tasks) {
      for (jc = 0; jc < n; jc += NC) {
        nc = (int) Math.min(NC, n - jc);
        slivers = (nc + NR - 1) / NR;
        for (pc = 0; pc < k; pc += KC) {
          kc = (int) Math.min(KC, k - pc);
          phase++;
          int count = parts * Math.min(groups, slivers);
          if (count == 1) {
            task(0);
          } else {
            tasks.run(count, this::task);
          }
        }
      }
    }

    /** The first row of part {@code p} (or {@code m} for {@code p = parts}). */
    long rowStart(int p) {
      return Math.min(m, (long) starts[p] * MR);
    }

    /**
     * Task {@code t} of the current phase: row part {@code t / g}, slivers of column group {@code
     * t % g} ({@code g} groups of the panel's slivers, spread evenly).
     */
    void task(int t) {
      int g = Math.min(groups, slivers), p = t / g, q = t % g;
      long i0 = rowStart(p);
      int mc = (int) (rowStart(p + 1) - i0);
      int s0 = slivers * q / g, s1 = slivers * (q + 1) / g, count = s1 - s0;
      if (mc <= 0 || count <= 0) {
        return;
      }
      Block blk = acquire();
      try {
        MatmulPackF32.packA(transA, a, ao, lda, i0, mc, pc, kc, blk.a);
        // Parts start half a group apart, so two threads begin by packing different slivers.
        int start = (p & 1) * (count / 2), deferred = 0;
        for (int i = 0; i < count; i++) {
          int s = s0 + (start + i < count ? start + i : start + i - count);
          if (ready(s, false)) {
            tile(blk, i0, mc, s);
          } else {
            blk.later[deferred++] = s;
          }
        }
        for (int i = 0; i < deferred; i++) {
          ready(blk.later[i], true);
          tile(blk, i0, mc, blk.later[i]);
        }
        if (pc + kc == k && late != null) {
          int j0 = s0 * NR, j1 = Math.min(nc, s1 * NR);
          MatmulEpilogue.rowsF32(c, co + i0 * ldc + jc + j0, ldc, mc, j1 - j0, late, 0);
        }
      } finally {
        release(blk);
      }
    }

    private static final int FAILED = -1;

    /**
     * True when sliver {@code s} is packed for this phase: packs it if nobody has; if another
     * part is packing it, false, or with {@code wait} spins until it is ready.
     */
    boolean ready(int s, boolean wait) {
      int done = 2 * phase;
      int st = state.get(s);
      if (st == done) {
        return true;
      }
      if (st != FAILED && st < done - 1 && state.compareAndSet(s, st, done - 1)) {
        try {
          int j = s * NR;
          MatmulPackF32.packB(transB, b, bo, ldb, pc, kc, jc + j, Math.min(NR, nc - j), panel,
              j * kc);
        } catch (Throwable e) {
          state.set(s, FAILED);
          throw e;
        }
        state.set(s, done);
        return true;
      }
      if (!wait) {
        return false;
      }
      for (int spins = 0; (st = state.get(s)) != done; spins++) {
        if (st == FAILED) {
          throw new IllegalStateException("GEMM: packing a panel of B failed in another task");
        }
        if (spins < 1000) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
      return true;
    }

    /**
     * The rows of the next register tile when {@code left} rows remain: MR, but a last 12 + r
     * rows (r <= 4) go as 8 and 4 + r, two 8-row tiles instead of a full one and a 4-row one
     * (whose 8 accumulators barely cover the FMA latency, with 6 loads per 8 FMAs). Any split
     * computes the same values, row by row.
     */
    private static int rows(int left) {
      return MR == 12 && left > MR && left <= MR + 4 ? 8 : Math.min(MR, left);
    }

    /** The tiles of rows {@code [i0, i0 + mc)} and sliver {@code s}, merged into C. */
    void tile(Block blk, long i0, int mc, int s) {
      int jr = s * NR, nr = Math.min(NR, nc - jr);
      boolean first = pc == 0, last = pc + kc == k;
      long biasB = last && bias != null ? (ep.biasOffset() + jc + jr) * Float.BYTES : -1;
      long cb = (co + i0 * ldc + jc + jr) * Float.BYTES, ldcB = ldc * Float.BYTES;
      float[] ap = blk.a, t = blk.t;
      for (int ir = 0, mr; ir < mc; ir += mr) {
        mr = rows(mc - ir);
        MatmulPackedF32.kernel(kc, ap, ir * KC, panel, jr * kc, t, mr);
        MatmulPackedF32.merge(t, c, cb + ir * ldcB, ldcB, mr, nr, first, bias, biasB,
            last ? act : 0);
      }
    }
  }
}
