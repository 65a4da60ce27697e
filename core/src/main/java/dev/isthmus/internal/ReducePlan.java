package dev.isthmus.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.DType;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import dev.isthmus.kernels.SoftmaxKernels;
import java.lang.foreign.MemorySegment;

/**
 * Maps a reduction over any set of axes onto the kernels' two forms, and runs it.
 *
 * <p>The shape is first collapsed: size-1 axes are dropped (reducing them changes nothing) and
 * neighbouring axes of the same kind merge, leaving alternating kept and reduced blocks, e.g.
 * {@code [K R K R]}. Each reduced block is then one {@code (outer, r, inner)} view: {@code outer}
 * the product of the blocks before it, {@code inner} of those after. With {@code inner == 1} the
 * reduced elements are contiguous and each output is an inner kernel call; otherwise the outer
 * kernel reduces over r vectorised along the contiguous inner index. Several reduced blocks are
 * reduced one at a time, last first, each step shrinking the data (so no permuting copy of the
 * whole input is ever made). Every operator here is associative, so the steps compose; floating
 * sums are then accurate to the sum of the steps' bounds (see {@link ReduceKernels}).
 *
 * <p><b>Parallelism.</b> Each step splits its outputs into fixed chunks of rows, or, when the
 * reduced block is followed by kept axes ({@code inner > 1}), of (outer index, column range)
 * ({@link IntraOp}); every output is still computed as by one kernel call, so results do not
 * change at all. A reduction
 * to one value of more than {@link IntraOp#FULL_REDUCTION_GRAIN} elements is split into chunks of
 * that size instead, combined in a fixed order ({@link ReduceChunks}); the float sum bound is
 * unchanged. Both depend on the shape only, never on the thread count.
 *
 * <p>Mean is a sum, then one division by the number of reduced elements at the end; INT32 mean
 * sums in INT64 from the first step (as TensorFlow does), so only the final mean is narrowed.
 */
final class ReducePlan {
  /** What a reduction computes. */
  enum Kind {
    SUM(ReduceOp.SUM), PROD(ReduceOp.PROD), MAX(ReduceOp.MAX), MIN(ReduceOp.MIN),
    ALL(ReduceOp.ALL), ANY(ReduceOp.ANY), MEAN(ReduceOp.SUM);

    final ReduceOp op;

    Kind(ReduceOp op) {
      this.op = op;
    }
  }

  private ReducePlan() {}

  /**
   * Reduces the dense row-major {@code x} of shape {@code dims} and dtype {@code t} over the
   * axes marked in {@code reduced}: a fresh buffer of the kept dimensions' product, dtype {@code
   * t}.
   */
  static MemorySegment reduce(Kind kind, DType t, MemorySegment x, long[] dims, boolean[] reduced) {
    // Collapse into alternating blocks.
    long[] size = new long[dims.length];
    boolean[] red = new boolean[dims.length];
    int nb = 0;
    long count = 1, outSize = 1;
    for (int i = 0; i < dims.length; i++) {
      if (reduced[i]) {
        count *= dims[i];
      } else {
        outSize *= dims[i];
      }
      if (dims[i] == 1) {
        continue;
      }
      if (nb > 0 && red[nb - 1] == reduced[i]) {
        size[nb - 1] *= dims[i];
      } else {
        size[nb] = dims[i];
        red[nb++] = reduced[i];
      }
    }
    if (outSize == 0) {
      return Buffers.allocate(t, 0);
    }
    int last = lastReduced(red, nb);
    if (last < 0) { // nothing to reduce: every reduced axis has size 1
      MemorySegment copy = Buffers.allocate(t, outSize);
      MemorySegment.copy(x, 0, copy, 0, outSize * t.byteSize());
      return copy;
    }
    MemorySegment cur = x;
    DType curT = t;
    while (last >= 0) {
      long outer = 1, inner = 1;
      for (int i = 0; i < last; i++) {
        outer *= size[i];
      }
      for (int i = last + 1; i < nb; i++) {
        inner *= size[i];
      }
      boolean wide = kind == Kind.MEAN && curT == DType.INT32;
      DType nextT = wide ? DType.INT64 : curT;
      MemorySegment next = Buffers.allocate(nextT, outer * inner);
      step(kind.op, curT, wide, cur, outer, size[last], inner, next);
      cur = next;
      curT = nextT;
      // Drop the block; its kept neighbours (if both exist) merge.
      if (last > 0 && last + 1 < nb) {
        size[last - 1] *= size[last + 1];
        System.arraycopy(size, last + 2, size, last, nb - last - 2);
        System.arraycopy(red, last + 2, red, last, nb - last - 2);
        nb -= 2;
      } else {
        System.arraycopy(size, last + 1, size, last, nb - last - 1);
        System.arraycopy(red, last + 1, red, last, nb - last - 1);
        nb -= 1;
      }
      last = lastReduced(red, nb);
    }
    if (kind != Kind.MEAN) {
      return cur;
    }
    switch (t) {
      case FLOAT32 -> ReduceKernels.divF32(cur, 0, outSize, (float) count);
      case FLOAT64 -> ReduceKernels.divF64(cur, 0, outSize, (double) count);
      case INT64 -> ReduceKernels.meanFromI64(cur, 0, cur, 0, outSize, count, false);
      case INT32 -> {
        MemorySegment y = Buffers.allocate(DType.INT32, outSize);
        ReduceKernels.meanFromI64(cur, 0, y, 0, outSize, count, true);
        return y;
      }
      case BOOL -> throw new AssertionError("Mean of bool passed the shape rule");
    }
    return cur;
  }

  private static int lastReduced(boolean[] red, int nb) {
    for (int i = nb - 1; i >= 0; i--) {
      if (red[i]) {
        return i;
      }
    }
    return -1;
  }

  /**
   * One (outer, r, inner) reduction of {@code x} (dtype {@code t}) into {@code y}. With {@code
   * inner > 1} and columns enough for several chunks of {@link IntraOp#columnGrain} columns, each
   * chunk is one outer index and one range of columns (a sum over axis 0 of a matrix splits its
   * columns, never the reduced axis); otherwise the outer index is split into fixed chunks of
   * rows. Either way each output is computed exactly as by one kernel call over its whole block,
   * whichever thread runs it. A reduction to one value of more than {@link
   * IntraOp#FULL_REDUCTION_GRAIN} elements goes to {@link ReduceChunks#full}.
   */
  private static void step(ReduceOp op, DType t, boolean wide, MemorySegment x,
      long outer, long r, long inner, MemorySegment y) {
    if (outer == 1 && inner == 1 && r > IntraOp.FULL_REDUCTION_GRAIN) {
      ReduceChunks.full(op, t, wide, x, r, y);
      return;
    }
    long cg = inner > 1 ? IntraOp.columnGrain(r) : inner;
    if (cg < inner) {
      long per = IntraOp.chunks(inner, cg); // column chunks per outer index
      IntraOp.forEachChunk(outer * per, 1, (s, e) -> {
        for (long c = s; c < e; c++) {
          long o = c / per, j0 = (c % per) * cg;
          columns(op, t, wide, x, o * r * inner + j0, r, inner, Math.min(cg, inner - j0), y,
              o * inner + j0);
        }
      });
      return;
    }
    IntraOp.forEachChunk(outer, IntraOp.rowGrain(r * inner),
        (s, e) -> rows(op, t, wide, x, s, e, r, inner, y));
  }

  /** Outputs {@code [o0, o1)} of an (outer, r, inner) reduction. */
  private static void rows(ReduceOp op, DType t, boolean wide, MemorySegment x,
      long o0, long o1, long r, long inner, MemorySegment y) {
    for (long o = o0; o < o1; o++) {
      long xo = o * r * inner;
      if (inner > 1) {
        columns(op, t, wide, x, xo, r, inner, inner, y, o * inner);
        continue;
      }
      switch (t) {
        case FLOAT32 -> y.setAtIndex(JAVA_FLOAT, o, ReduceKernels.f32(op, x, xo, r));
        case FLOAT64 -> y.setAtIndex(JAVA_DOUBLE, o, ReduceKernels.f64(op, x, xo, r));
        case INT32 -> {
          if (wide) {
            y.setAtIndex(JAVA_LONG, o, ReduceKernels.i32Wide(x, xo, r));
          } else {
            y.setAtIndex(JAVA_INT, o, ReduceKernels.i32(op, x, xo, r));
          }
        }
        case INT64 -> y.setAtIndex(JAVA_LONG, o, ReduceKernels.i64(op, x, xo, r));
        case BOOL -> y.set(JAVA_BYTE, o, (byte) (ReduceKernels.bool(op, x, xo, r) ? 1 : 0));
      }
    }
  }

  /** Columns {@code [0, cols)} of the {@code [r, stride]} block at {@code xo}, into {@code yo}. */
  private static void columns(ReduceOp op, DType t, boolean wide, MemorySegment x, long xo,
      long r, long stride, long cols, MemorySegment y, long yo) {
    switch (t) {
      case FLOAT32 -> ReduceKernels.f32OuterColumns(op, x, xo, r, stride, cols, y, yo);
      case FLOAT64 -> ReduceKernels.f64OuterColumns(op, x, xo, r, stride, cols, y, yo);
      case INT32 -> {
        if (wide) {
          ReduceKernels.i32WideOuterColumns(x, xo, r, stride, cols, y, yo);
        } else {
          ReduceKernels.i32OuterColumns(op, x, xo, r, stride, cols, y, yo);
        }
      }
      case INT64 -> ReduceKernels.i64OuterColumns(op, x, xo, r, stride, cols, y, yo);
      case BOOL -> ReduceKernels.boolOuterColumns(op, x, xo, r, stride, cols, y, yo);
    }
  }

  /** ArgMax (op MAX) or ArgMin (MIN) of {@code x} along {@code axis}: an INT64 buffer. */
  static MemorySegment arg(ReduceOp op, DType t, MemorySegment x, long[] dims, int axis) {
    long outer = 1, inner = 1, r = dims[axis];
    for (int i = 0; i < axis; i++) {
      outer *= dims[i];
    }
    for (int i = axis + 1; i < dims.length; i++) {
      inner *= dims[i];
    }
    MemorySegment y = Buffers.allocate(DType.INT64, outer * inner);
    if (outer * inner == 0) {
      return y;
    }
    if (outer == 1 && inner == 1 && r > IntraOp.FULL_REDUCTION_GRAIN) {
      y.setAtIndex(JAVA_LONG, 0, ReduceChunks.fullArg(op, t, x, r));
      return y;
    }
    long in = inner;
    IntraOp.forEachChunk(outer, IntraOp.rowGrain(r * in),
        (s, e) -> argRows(op, t, x, s, e, r, in, y));
    return y;
  }

  /** Outputs {@code [o0, o1)} of an arg reduction. */
  private static void argRows(ReduceOp op, DType t, MemorySegment x, long o0, long o1, long r,
      long inner, MemorySegment y) {
    for (long o = o0; o < o1; o++) {
      long xo = o * r * inner;
      if (inner == 1) {
        y.setAtIndex(JAVA_LONG, o, switch (t) {
          case FLOAT32 -> ReduceKernels.argF32(op, x, xo, r);
          case FLOAT64 -> ReduceKernels.argF64(op, x, xo, r);
          case INT32 -> ReduceKernels.argI32(op, x, xo, r);
          case INT64 -> ReduceKernels.argI64(op, x, xo, r);
          case BOOL -> ReduceKernels.argBool(op, x, xo, r);
        });
      } else {
        long yo = o * inner;
        switch (t) {
          case FLOAT32 -> ReduceKernels.argF32Outer(op, x, xo, r, inner, y, yo);
          case FLOAT64 -> ReduceKernels.argF64Outer(op, x, xo, r, inner, y, yo);
          case INT32 -> ReduceKernels.argI32Outer(op, x, xo, r, inner, y, yo);
          case INT64 -> ReduceKernels.argI64Outer(op, x, xo, r, inner, y, yo);
          case BOOL -> ReduceKernels.argBoolOuter(op, x, xo, r, inner, y, yo);
        }
      }
    }
  }

  /** Softmax (or log-softmax) of FLOAT32/FLOAT64 {@code x} along {@code axis}. */
  static MemorySegment softmax(boolean log, DType t, MemorySegment x, long[] dims, int axis) {
    long outer = 1, inner = 1, r = dims[axis];
    for (int i = 0; i < axis; i++) {
      outer *= dims[i];
    }
    for (int i = axis + 1; i < dims.length; i++) {
      inner *= dims[i];
    }
    MemorySegment y = Buffers.allocate(t, outer * r * inner);
    long in = inner, cg = inner > 1 ? IntraOp.columnGrain(r) : inner;
    if (cg < inner) { // split the columns, as step() does
      long per = IntraOp.chunks(inner, cg);
      IntraOp.forEachChunk(outer * per, 1, (s, e) -> {
        for (long c = s; c < e; c++) {
          long o = c / per, j0 = (c % per) * cg;
          softmaxColumns(log, t, x, o * r * in + j0, r, in, Math.min(cg, in - j0), y);
        }
      });
      return y;
    }
    IntraOp.forEachChunk(outer, IntraOp.rowGrain(r * in),
        (s, e) -> softmaxRows(log, t, x, s, e, r, in, y));
    return y;
  }

  /** Rows {@code [o0, o1)} of a softmax: one kernel call for all (or one per [r, inner] block). */
  private static void softmaxRows(boolean log, DType t, MemorySegment x, long o0, long o1,
      long r, long inner, MemorySegment y) {
    boolean f32 = t == DType.FLOAT32;
    if (inner == 1) { // contiguous rows: one kernel call for the whole chunk
      long off = o0 * r, rows = o1 - o0;
      if (f32) {
        if (log) {
          SoftmaxKernels.logSoftmaxRowsF32(x, off, y, off, rows, r);
        } else {
          SoftmaxKernels.softmaxRowsF32(x, off, y, off, rows, r);
        }
      } else if (log) {
        SoftmaxKernels.logSoftmaxRowsF64(x, off, y, off, rows, r);
      } else {
        SoftmaxKernels.softmaxRowsF64(x, off, y, off, rows, r);
      }
      return;
    }
    for (long o = o0; o < o1; o++) {
      softmaxColumns(log, t, x, o * r * inner, r, inner, inner, y);
    }
  }

  /** Columns {@code [0, cols)} of the {@code [r, inner]} block at {@code off} (x and y alike). */
  private static void softmaxColumns(boolean log, DType t, MemorySegment x, long off, long r,
      long inner, long cols, MemorySegment y) {
    if (t == DType.FLOAT32) {
      if (log) {
        SoftmaxKernels.logSoftmaxF32OuterColumns(x, off, r, inner, cols, y, off);
      } else {
        SoftmaxKernels.softmaxF32OuterColumns(x, off, r, inner, cols, y, off);
      }
    } else if (log) {
      SoftmaxKernels.logSoftmaxF64OuterColumns(x, off, r, inner, cols, y, off);
    } else {
      SoftmaxKernels.softmaxF64OuterColumns(x, off, r, inner, cols, y, off);
    }
  }
}
