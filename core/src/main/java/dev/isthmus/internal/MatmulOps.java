package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.Epilogue;
import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.MatmulTasks;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Declarations of the matrix products: {@code MatMul} (rank 2) and {@code BatchMatMulV2} (rank
 * 2 or more, batch dimensions broadcast like numpy). {@code Ops.matmul} picks one by rank, as
 * {@code tf.matmul} does. FLOAT32, FLOAT64 and INT32 (which wraps on overflow).
 */
public final class MatmulOps {
  private MatmulOps() {}

  /** {@code op(a) * op(b)} for matrices; attrs {@code transpose_a}, {@code transpose_b}. */
  public static final OpDef MATMUL = OpDef.builder("MatMul")
      .inputs("a", "b")
      .flags(OpDef.Flag.CONTRACTION)
      .gradient(GradientSupport.floating((in, out, up, a) ->
          grad(in, up[0], flag(a, "transpose_a"), flag(a, "transpose_b"), false)))
      .shape((d, in, a) -> infer(d, in, a, "transpose_a", "transpose_b", false))
      .kernel((in, a, outs) -> compute(in, flag(a, "transpose_a"), flag(a, "transpose_b"), outs))
      .build();

  /**
   * {@code op(x) * op(y)} over broadcast batch dimensions {@code [..., m, k] * [..., k, n]};
   * attrs {@code adj_x}, {@code adj_y} (the transpose, for real dtypes).
   */
  public static final OpDef BATCH_MATMUL = OpDef.builder("BatchMatMulV2")
      .inputs("x", "y")
      .flags(OpDef.Flag.CONTRACTION)
      .gradient(GradientSupport.floating((in, out, up, a) ->
          grad(in, up[0], flag(a, "adj_x"), flag(a, "adj_y"), true)))
      .shape((d, in, a) -> infer(d, in, a, "adj_x", "adj_y", true))
      .kernel((in, a, outs) -> compute(in, flag(a, "adj_x"), flag(a, "adj_y"), outs))
      .build();

  /** A boolean attr, false when absent (TensorFlow's default). */
  private static boolean flag(Attrs a, String name) {
    return a.has(name) && a.getBool(name);
  }

  // ---------------------------------------------------------------- gradient

  /**
   * TensorFlow's _MatMulGrad and _BatchMatMulV2Grad: per transpose combination, two products of
   * g with the other operand, each only when {@link GradientSupport#needed}; batched, each is
   * summed over the batch axes its operand was broadcast along and reshaped to the operand's
   * shape. The transposes are the kernel's flags, never materialised.
   */
  private static Tensor[] grad(Tensor[] in, Tensor g, boolean ta, boolean tb, boolean batched) {
    Tensor x = in[0], y = in[1], gx = null, gy = null;
    // an operand no source depends on (the data, in a layer) gets no product at all
    boolean wx = GradientSupport.needed(0), wy = GradientSupport.needed(1);
    if (!ta && !tb) {
      gx = wx ? product(g, y, false, true, batched) : null;
      gy = wy ? product(x, g, true, false, batched) : null;
    } else if (!ta) {
      gx = wx ? product(g, y, false, false, batched) : null;
      gy = wy ? product(g, x, true, false, batched) : null;
    } else if (!tb) {
      gx = wx ? product(y, g, false, true, batched) : null;
      gy = wy ? product(x, g, false, false, batched) : null;
    } else {
      gx = wx ? product(y, g, true, true, batched) : null;
      gy = wy ? product(g, x, true, true, batched) : null;
    }
    return new Tensor[] {GradientSupport.unbroadcast(gx, x.shape()),
        GradientSupport.unbroadcast(gy, y.shape())};
  }

  private static Tensor product(Tensor a, Tensor b, boolean ta, boolean tb, boolean batched) {
    return batched
        ? Dispatch.run1(BATCH_MATMUL, Attrs.of("adj_x", ta, "adj_y", tb), a, b)
        : Dispatch.run1(MATMUL, Attrs.of("transpose_a", ta, "transpose_b", tb), a, b);
  }

  // ---------------------------------------------------------------- shape rule

  private static TensorSpec[] infer(OpDef op, Tensor[] in, Attrs attrs, String tA, String tB,
      boolean batched) {
    String nx = op.inputNames().get(0), ny = op.inputNames().get(1);
    Tensor x = in[0], y = in[1];
    if (x.dtype() != y.dtype()) {
      throw op.invalid(in, attrs, "expected " + nx + " and " + ny + " to have the same dtype");
    }
    Rules.requireDType(op, in, attrs, x, DType.FLOAT32, DType.FLOAT64, DType.INT32);
    for (Tensor t : in) {
      if (batched ? t.rank() < 2 : t.rank() != 2) {
        throw op.invalid(in, attrs, "expected " + (batched
            ? "inputs of rank 2 or more ([..., rows, columns])"
            : "matrices (rank 2)"));
      }
    }
    boolean ta = flag(attrs, tA), tb = flag(attrs, tB);
    int rx = x.rank(), ry = y.rank();
    int kxAxis = ta ? rx - 2 : rx - 1, kyAxis = tb ? ry - 1 : ry - 2;
    long kx = x.shape().dim(kxAxis), ky = y.shape().dim(kyAxis);
    if (kx != ky) {
      throw op.invalid(in, attrs, "expected matching inner dimensions: dimension " + kxAxis
          + " of " + nx + " (" + kx + ") must equal dimension " + kyAxis + " of " + ny + " ("
          + ky + ") with " + tA + "=" + ta + ", " + tB + "=" + tb);
    }
    long m = x.shape().dim(ta ? rx - 1 : rx - 2), n = y.shape().dim(tb ? ry - 2 : ry - 1);
    long[] bx = Arrays.copyOf(x.shape().dims(), rx - 2);
    long[] by = Arrays.copyOf(y.shape().dims(), ry - 2);
    long[] batch = broadcastBatch(bx, by);
    if (batch == null) {
      throw op.invalid(in, attrs, "expected broadcastable batch dimensions: "
          + Arrays.toString(bx) + " of " + nx + " and " + Arrays.toString(by) + " of " + ny
          + " differ where neither is 1");
    }
    long[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = m;
    out[batch.length + 1] = n;
    return new TensorSpec[] {new TensorSpec(x.dtype(), Shape.of(out))};
  }

  /** numpy broadcasting of two batch shapes, or null if incompatible. */
  private static long[] broadcastBatch(long[] a, long[] b) {
    int r = Math.max(a.length, b.length);
    long[] out = new long[r];
    for (int i = 1; i <= r; i++) {
      long p = i <= a.length ? a[a.length - i] : 1, q = i <= b.length ? b[b.length - i] : 1;
      if (p != q && p != 1 && q != 1) {
        return null;
      }
      out[r - i] = p == 1 ? q : p;
    }
    return out;
  }

  // ---------------------------------------------------------------- kernel

  private static Tensor[] compute(Tensor[] in, boolean ta, boolean tb, TensorSpec[] outs) {
    Tensor x = in[0], y = in[1];
    TensorSpec spec = outs[0];
    long[] xd = x.shape().dims(), yd = y.shape().dims(), od = spec.shape().dims();
    int rx = xd.length, ry = yd.length, rb = od.length - 2;
    long m = od[rb], n = od[rb + 1], k = ta ? xd[rx - 2] : xd[rx - 1];
    long lda = xd[rx - 1], ldb = yd[ry - 1];
    long xMat = xd[rx - 2] * xd[rx - 1], yMat = yd[ry - 2] * yd[ry - 1], cMat = m * n;
    MemorySegment c = Tensors.allocate(spec); // zeros: right already when m, n or batches is 0
    long batches = 1;
    for (int i = 0; i < rb; i++) {
      batches *= od[i];
    }
    if (cMat > 0 && batches > 0) {
      MemorySegment xs = Tensors.data(x), ys = Tensors.data(y);
      long[] sx = batchStrides(xd, rb, xMat), sy = batchStrides(yd, rb, yMat);
      DType dt = spec.dtype();
      long work = m * n * k;
      if (batches > 1 && work < LARGE) {
        // Many matrices: chunks of whole matrices (fixed by the shape), one thread each.
        long grain = Math.max(1, SMALL / Math.max(1, work));
        IntraOp.forEachChunk(batches, grain, (s, e) -> {
          for (long t = s; t < e; t++) {
            gemm(dt, ta, tb, m, n, k, xs, offset(t, od, rb, sx), lda, ys, offset(t, od, rb, sy),
                ldb, c, t * cMat, n, MatmulTasks.SERIAL);
          }
        });
      } else {
        // One matrix at a time, each on all the threads (the kernel splits it by its shape).
        for (long t = 0; t < batches; t++) {
          gemm(dt, ta, tb, m, n, k, xs, offset(t, od, rb, sx), lda, ys, offset(t, od, rb, sy),
              ldb, c, t * cMat, n, TASKS);
        }
      }
    }
    return new Tensor[] {Tensors.wrap(spec.dtype(), spec.shape(), c)};
  }

  /** Batches of matrices of fewer multiply-adds ({@code m n k}) go in chunks of at least this. */
  static final long SMALL = 1L << 18;

  /**
   * Matrices of at least this many multiply-adds (about 130 us on one core) are each split over
   * the threads; smaller ones in a batch go to the threads whole.
   */
  static final long LARGE = 1L << 24;

  /** The GEMM kernels' tasks on the intra-op pool (on the caller alone at parallelism 1). */
  private static final MatmulTasks TASKS = (count, task) ->
      IntraOp.forEachChunk(count, 1, (s, e) -> {
        for (long t = s; t < e; t++) {
          task.accept((int) t);
        }
      });

  /** The element offset of batch {@code t} (row-major over the output batch dims) in an operand. */
  private static long offset(long t, long[] od, int rb, long[] strides) {
    long off = 0;
    for (int ax = rb - 1; ax >= 0; ax--) {
      off += t % od[ax] * strides[ax];
      t /= od[ax];
    }
    return off;
  }

  /**
   * Element strides of an operand along the {@code rb} output batch axes: 0 where the operand
   * broadcasts (dimension 1 or missing).
   */
  private static long[] batchStrides(long[] dims, int rb, long matrix) {
    long[] s = new long[rb];
    long acc = matrix;
    int own = dims.length - 2;
    for (int i = own - 1; i >= 0; i--) {
      s[rb - own + i] = dims[i] == 1 ? 0 : acc;
      acc *= dims[i];
    }
    return s;
  }

  private static void gemm(DType t, boolean ta, boolean tb, long m, long n, long k,
      MemorySegment a, long ao, long lda, MemorySegment b, long bo, long ldb,
      MemorySegment c, long co, long ldc, MatmulTasks tasks) {
    switch (t) {
      case FLOAT32 -> MatmulKernels.f32(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc,
          Epilogue.NONE, tasks);
      case FLOAT64 -> MatmulKernels.f64(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc,
          Epilogue.NONE, tasks);
      case INT32 -> MatmulKernels.i32(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, tasks);
      default -> throw new AssertionError("MatMul kernel for " + t);
    }
  }
}
