package dev.isthmus.scopes.jit;

import dev.isthmus.DType;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.BinaryOps;
import dev.isthmus.internal.IntraOp;
import dev.isthmus.internal.MatmulOps;
import dev.isthmus.internal.TensorSpec;
import dev.isthmus.internal.Tensors;
import dev.isthmus.kernels.Epilogue;
import dev.isthmus.kernels.MatmulKernels;
import dev.isthmus.kernels.MatmulTasks;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A 2-D FLOAT32 or FLOAT64 MatMul with the bias add ({@code AddV2} of a {@code [n]} or {@code
 * [1, n]} bias) and/or the activation that follow it, as one GEMM call whose {@link Epilogue}
 * applies them while each tile is in registers: no intermediate product is stored. Taken only
 * when each absorbed value has that one reader and is not returned. Threads as core's MatMul
 * (one matrix, its tiles over the intra-op pool). Batched products (BatchMatMulV2) are not
 * lowered: they run op by op.
 */
final class GemmStep implements FusionPlan.Step {
  /** The GEMM's tiles on the intra-op pool, as core's MatMul runs them. */
  private static final MatmulTasks TASKS = (count, task) ->
      IntraOp.forEachChunk(count, 1, (s, e) -> {
        for (long t = s; t < e; t++) {
          task.accept((int) t);
        }
      });

  private final ClusterMembers m;
  private final int matmul;
  private final int add; // or -1
  private final int act; // or -1
  private final int bias; // the bias value, or -1
  private final Epilogue.Activation activation;
  private final int out;
  private final DType dtype;
  private final Shape shape;

  private GemmStep(FusionPlanner p, int matmul, int add, int bias, int act) {
    this.m = p.members;
    this.matmul = matmul;
    this.add = add;
    this.act = act;
    this.bias = bias;
    this.activation = act < 0 ? Epilogue.Activation.NONE
        : FusibleOps.activation(m.defs[act], m.attrs[act]);
    this.out = m.first[act >= 0 ? act : add];
    this.dtype = p.dtypes[out];
    this.shape = p.shapes[out];
  }

  /** The matmuls of the plan's cluster that take an epilogue. */
  static List<GemmStep> find(FusionPlanner p) {
    ClusterMembers m = p.members;
    List<GemmStep> found = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      if (m.defs[i] != MatmulOps.MATMUL) {
        continue;
      }
      int c = m.first[i];
      DType t = p.dtypes[c];
      if (t != DType.FLOAT32 && t != DType.FLOAT64) {
        continue;
      }
      long n = p.shapes[c].dim(1);
      int add = -1;
      int bias = -1;
      int r = soleReader(p, c);
      if (r >= 0 && m.defs[r] == BinaryOps.ADD && p.shapes[m.first[r]].equals(p.shapes[c])) {
        int other = m.in[r][0] == c ? m.in[r][1] : m.in[r][0];
        Shape bs = p.shapes[other];
        boolean row = bs.rank() == 1 && bs.dim(0) == n
            || bs.rank() == 2 && bs.dim(0) == 1 && bs.dim(1) == n;
        if (other != c && row && p.dtypes[other] == t) {
          add = r;
          bias = other;
          c = m.first[r];
          r = soleReader(p, c);
        }
      }
      int act = -1;
      if (r >= 0 && FusibleOps.activation(m.defs[r], m.attrs[r]) != null
          && p.dtypes[m.first[r]] == t) {
        act = r;
      }
      if (add >= 0 || act >= 0) {
        found.add(new GemmStep(p, i, add, bias, act));
      }
    }
    return found;
  }

  /** The one member reading value {@code v} if the cluster does not return it, else -1. */
  private static int soleReader(FusionPlanner p, int v) {
    int[] rs = p.readers(v);
    return rs.length == 1 && !p.returned(v) ? rs[0] : -1;
  }

  /** The members this step runs. */
  int[] members() {
    return add < 0 ? new int[] {matmul, act}
        : act < 0 ? new int[] {matmul, add} : new int[] {matmul, add, act};
  }

  @Override
  public int[] reads() {
    int[] in = m.in[matmul];
    return bias < 0 ? new int[] {in[0], in[1]} : new int[] {in[0], in[1], bias};
  }

  @Override
  public int[] writes() {
    return new int[] {out};
  }

  @Override
  public int firstMember() {
    return matmul;
  }

  @Override
  public void run(Tensor[] v) {
    Tensor x = v[m.in[matmul][0]];
    Tensor y = v[m.in[matmul][1]];
    Attrs a = m.attrs[matmul];
    boolean ta = a.has("transpose_a") && a.getBool("transpose_a");
    boolean tb = a.has("transpose_b") && a.getBool("transpose_b");
    long rows = shape.dim(0);
    long cols = shape.dim(1);
    long k = x.shape().dim(ta ? 0 : 1);
    if (rows * cols == 0 || k == 0) { // nothing to multiply: the members say what it is
      for (int i : members()) {
        m.compute(i, v);
      }
      return;
    }
    MemorySegment c = Tensors.allocate(new TensorSpec(dtype, shape));
    Epilogue ep = bias < 0 ? Epilogue.activation(activation)
        : Epilogue.of(Tensors.data(v[bias]), 0, activation);
    MemorySegment xs = Tensors.data(x);
    MemorySegment ys = Tensors.data(y);
    long lda = x.shape().dim(1);
    long ldb = y.shape().dim(1);
    if (dtype == DType.FLOAT32) {
      MatmulKernels.f32(ta, tb, rows, cols, k, xs, 0, lda, ys, 0, ldb, c, 0, cols, ep, TASKS);
    } else {
      MatmulKernels.f64(ta, tb, rows, cols, k, xs, 0, lda, ys, 0, ldb, c, 0, cols, ep, TASKS);
    }
    v[out] = Tensors.wrap(dtype, shape, c);
  }

  @Override
  public String describe() {
    StringBuilder s = new StringBuilder("gemm with epilogue (").append(bias < 0 ? "" : "bias, ")
        .append(activation.name().toLowerCase(java.util.Locale.ROOT)).append("):");
    for (int i : members()) {
      s.append(' ').append(m.ops[i].name());
    }
    return s.toString();
  }
}
