package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.BinaryKernels;
import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CastKernels;
import dev.isthmus.kernels.ColdRouting;
import dev.isthmus.kernels.CompareKernels;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.FillKernels;
import dev.isthmus.kernels.LogicKernels;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.ReduceKernels;
import dev.isthmus.kernels.ReduceOp;
import dev.isthmus.kernels.SelectKernels;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.fusion.FusedNode.Binary;
import dev.isthmus.kernels.fusion.FusedNode.Cast;
import dev.isthmus.kernels.fusion.FusedNode.Compare;
import dev.isthmus.kernels.fusion.FusedNode.Fma;
import dev.isthmus.kernels.fusion.FusedNode.Input;
import dev.isthmus.kernels.fusion.FusedNode.Logic;
import dev.isthmus.kernels.fusion.FusedNode.Select;
import dev.isthmus.kernels.fusion.FusedNode.Unary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A fused expression run op by op through the per-op kernels ({@link UnaryKernels}, {@link
 * BinaryKernels}, ...), each node into a temporary: what the engine does without fusion, and the
 * path {@link FusedKernels#run} takes while a generated kernel is cold. Uniform and per-row nodes
 * are computed by the scalar twin ({@link FusedScalar}) and passed to the kernels as the single
 * operand of their {@code vs}/{@code sv} forms. Varying nodes run over each row, or over all rows
 * at once when the expression is {@link FusedExpr#flat()}; the generated kernels split the work
 * the same way (vector loop, then the scalar twin for the tail), so with FMA contraction off the
 * two agree bit for bit.
 */
final class OpByOp {
  private OpByOp() {}

  /** An operand: a run of elements in a segment, or one value. */
  private record Opnd(MemorySegment s, long off, boolean one, double f, long v) {}

  /** Temporaries up to this many bytes are kept for the next call of the same thread. */
  static final long KEEP_BYTES = 1L << 20;

  static void run(FusedExpr e, MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout, long rowFrom, long rowTo) {
    run(e, in, inOff, out, outOff, layout, rowFrom, rowTo, null);
  }

  /**
   * As above; {@code kept} (one slot per node of the lowered expression, or null) holds
   * temporaries from an earlier call of this thread, reused when large enough.
   */
  static void run(FusedExpr e, MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout, long rowFrom, long rowTo, MemorySegment[] kept) {
    // The generated loops compute as the vector kernels do, so this path stands in for them
    // only if it runs the vector kernels too, never their cold-start scalar routing.
    ColdRouting.vectorOnly(() -> runOps(e, in, inOff, out, outOff, layout, rowFrom, rowTo, kept));
  }

  private static void runOps(FusedExpr e, MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout, long rowFrom, long rowTo, MemorySegment[] kept) {
    FusedExpr x = e.lowered();
    Reduction red = x.reduction();
    long inner = layout.inner();
    boolean flat = x.flat() && (red == null || red.axes() == Reduction.Axes.ALL);
    long len = flat ? (rowTo - rowFrom) * inner : inner;
    long steps = flat ? (rowTo > rowFrom ? 1 : 0) : rowTo - rowFrom;
    int n = x.nodes().size();
    double[] f = new double[n];
    long[] v = new long[n];
    MemorySegment[] buf = new MemorySegment[n];
    Opnd[] ops = new Opnd[n];
    double total = 0;
    double comp = 0;
    long itotal = 0;
    boolean anyRow = false;
    for (long step = 0; step < steps; step++) {
      long r = rowFrom + step;
      for (int i = 0; i < n; i++) {
        FusedNode node = x.nodes().get(i);
        if (x.extent(i) != FusedExpr.VARYING) {
          FusedScalar.eval(x, i, node, f, v, in, inOff, layout, r, 0);
          ops[i] = new Opnd(null, 0, true, f[i], v[i]);
        } else if (node instanceof Input p) {
          long base = flat ? rowFrom * inner : FusedScalar.base(p.pattern(), layout, p.index(), r);
          ops[i] = new Opnd(in[p.index()], inOff[p.index()] + base, false, 0, 0);
        } else {
          if (buf[i] == null) {
            long bytes = len * x.type(i).bytes();
            MemorySegment k = kept == null ? null : kept[i];
            buf[i] = k != null && k.byteSize() >= bytes ? k : allocate(x.type(i), len);
            if (kept != null && bytes <= KEEP_BYTES) {
              kept[i] = buf[i];
            }
          }
          compute(x, node, x.type(i), ops, buf[i], len);
          ops[i] = new Opnd(buf[i], 0, false, 0, 0);
        }
      }
      if (red == null) {
        for (int m = 0; m < x.outputCount(); m++) {
          int o = x.outputNode(m);
          long at = outOff[m] + (flat ? rowFrom : r) * inner;
          put(x.type(o), ops[o], out[m], at, len);
        }
        continue;
      }
      int o = x.outputNode(0);
      ElementType t = x.type(o);
      Opnd src = ops[o];
      if (src.one()) {
        MemorySegment filled = allocate(t, len);
        put(t, src, filled, 0, len);
        src = new Opnd(filled, 0, false, 0, 0);
      }
      ReduceOp op = switch (red.op()) {
        case SUM, MEAN -> ReduceOp.SUM;
        case MAX -> ReduceOp.MAX;
        case MIN -> ReduceOp.MIN;
      };
      double pf = 0;
      long pv = 0;
      switch (t) {
        case FLOAT32 -> pf = ReduceKernels.f32(op, src.s(), src.off(), len);
        case FLOAT64 -> pf = ReduceKernels.f64(op, src.s(), src.off(), len);
        case INT32 -> pv = ReduceKernels.i32(op, src.s(), src.off(), len);
        default -> pv = ReduceKernels.i64(op, src.s(), src.off(), len);
      }
      if (red.axes() == Reduction.Axes.INNER) {
        if (red.op() == Reduction.Op.MEAN) {
          pf = t == ElementType.FLOAT32 ? (float) pf / (float) inner : pf / inner;
        }
        FusedScalar.store(t, out[0], outOff[0] + r, pf, pv);
      } else if (red.op() == Reduction.Op.SUM || red.op() == Reduction.Op.MEAN) {
        double s = total + pf;
        comp += FusedAccess.sumError(total, pf, s);
        total = s;
        itotal += pv;
      } else {
        boolean max = red.op() == Reduction.Op.MAX;
        total = !anyRow ? pf : max ? Math.max(total, pf) : Math.min(total, pf);
        itotal = !anyRow ? pv : max ? Math.max(itotal, pv) : Math.min(itotal, pv);
      }
      anyRow = true;
    }
    if (red != null && red.axes() == Reduction.Axes.ALL) {
      ElementType t = x.outputType(0);
      boolean sum = red.op() == Reduction.Op.SUM || red.op() == Reduction.Op.MEAN;
      boolean max = red.op() == Reduction.Op.MAX;
      double fr = sum ? total + comp
          : anyRow ? total : max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      if (!sum && !anyRow && t.integral()) {
        itotal = FusedScalar.identity(t, max);
      }
      if (red.op() == Reduction.Op.MEAN) {
        long count = (rowTo - rowFrom) * inner;
        fr = t == ElementType.FLOAT32 ? (float) fr / (float) count : fr / count;
      }
      FusedScalar.store(t, out[0], outOff[0], fr, itotal);
    }
  }

  static MemorySegment allocate(ElementType t, long len) {
    if (len * t.bytes() > Integer.MAX_VALUE - 64) {
      return Arena.ofAuto().allocate(len * t.bytes(), 8);
    }
    int n = (int) len;
    return switch (t) {
      case FLOAT32 -> MemorySegment.ofArray(new float[n]);
      case FLOAT64 -> MemorySegment.ofArray(new double[n]);
      case INT32 -> MemorySegment.ofArray(new int[n]);
      case INT64 -> MemorySegment.ofArray(new long[n]);
      case BOOL -> MemorySegment.ofArray(new byte[n]);
    };
  }

  /** The raw bits of a scalar operand, as the fill kernels take them. */
  private static long bits(ElementType t, Opnd o) {
    return switch (t) {
      case FLOAT32 -> Float.floatToRawIntBits((float) o.f());
      case FLOAT64 -> Double.doubleToRawLongBits(o.f());
      default -> o.v();
    };
  }

  /** Writes {@code len} elements of {@code o} (a run, or one value repeated) at {@code at}. */
  private static void put(ElementType t, Opnd o, MemorySegment dst, long at, long len) {
    int w = t.bytes();
    if (o.one()) {
      FillKernels.fill(w, dst, at, len, bits(t, o));
    } else {
      MemorySegment.copy(o.s(), o.off() * w, dst, at * w, len * w);
    }
  }

  /** A one-element segment holding a scalar operand (for the select kernels' repeated form). */
  private static MemorySegment single(ElementType t, Opnd o) {
    MemorySegment s = allocate(t, 1);
    FillKernels.fill(t.bytes(), s, 0, 1, bits(t, o));
    return s;
  }

  private static void compute(FusedExpr x, FusedNode node, ElementType t, Opnd[] ops,
      MemorySegment y, long n) {
    switch (node) {
      case Unary u -> {
        Opnd a = ops[u.x()];
        switch (t) {
          case FLOAT32 -> UnaryKernels.f32(u.op(), a.s(), a.off(), y, 0, n);
          case FLOAT64 -> UnaryKernels.f64(u.op(), a.s(), a.off(), y, 0, n);
          case INT32 -> UnaryKernels.i32(u.op(), a.s(), a.off(), y, 0, n);
          default -> UnaryKernels.i64(u.op(), a.s(), a.off(), y, 0, n);
        }
      }
      case Binary b -> binary(b.op(), t, ops[b.a()], ops[b.b()], y, n);
      case Compare c -> compare(c.op(), x.type(c.a()), ops[c.a()], ops[c.b()], y, n);
      case Logic l -> {
        Opnd a = ops[l.a()];
        Opnd b = ops[l.b()];
        if (l.op() == LogicOp.NOT) {
          LogicKernels.not(a.s(), a.off(), y, 0, n);
        } else if (a.one()) {
          LogicKernels.sv(l.op(), a.v() != 0, b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          LogicKernels.vs(l.op(), a.s(), a.off(), b.v() != 0, y, 0, n);
        } else {
          LogicKernels.vv(l.op(), a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
      case Select s -> {
        Opnd c = ops[s.cond()];
        Opnd a = ops[s.a()];
        Opnd b = ops[s.b()];
        MemorySegment cs = c.one() ? single(ElementType.BOOL, c) : c.s();
        MemorySegment as = a.one() ? single(t, a) : a.s();
        MemorySegment bs = b.one() ? single(t, b) : b.s();
        long co = c.one() ? 0 : c.off();
        long ao = a.one() ? 0 : a.off();
        long bo = b.one() ? 0 : b.off();
        switch (t.bytes()) {
          case 1 -> SelectKernels.select8(cs, co, c.one(), as, ao, a.one(), bs, bo, b.one(), y, 0,
              n);
          case 4 -> SelectKernels.select32(cs, co, c.one(), as, ao, a.one(), bs, bo, b.one(), y,
              0, n);
          default -> SelectKernels.select64(cs, co, c.one(), as, ao, a.one(), bs, bo, b.one(), y,
              0, n);
        }
      }
      case Cast c -> cast(x.type(c.x()), t, ops[c.x()], y, n);
      case Fma m -> fma(t, m, ops, y, n);
      default -> throw new AssertionError(node);
    }
  }

  private static void binary(BinaryOp op, ElementType t, Opnd a, Opnd b, MemorySegment y,
      long n) {
    switch (t) {
      case FLOAT32 -> {
        if (a.one()) {
          BinaryKernels.f32sv(op, (float) a.f(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          BinaryKernels.f32vs(op, a.s(), a.off(), (float) b.f(), y, 0, n);
        } else {
          BinaryKernels.f32vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
      case FLOAT64 -> {
        if (a.one()) {
          BinaryKernels.f64sv(op, a.f(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          BinaryKernels.f64vs(op, a.s(), a.off(), b.f(), y, 0, n);
        } else {
          BinaryKernels.f64vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
      case INT32 -> {
        if (a.one()) {
          BinaryKernels.i32sv(op, (int) a.v(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          BinaryKernels.i32vs(op, a.s(), a.off(), (int) b.v(), y, 0, n);
        } else {
          BinaryKernels.i32vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
      default -> {
        if (a.one()) {
          BinaryKernels.i64sv(op, a.v(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          BinaryKernels.i64vs(op, a.s(), a.off(), b.v(), y, 0, n);
        } else {
          BinaryKernels.i64vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
    }
  }

  private static void compare(CompareOp op, ElementType t, Opnd a, Opnd b, MemorySegment y,
      long n) {
    switch (t) {
      case FLOAT32 -> {
        if (a.one()) {
          CompareKernels.f32sv(op, (float) a.f(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          CompareKernels.f32vs(op, a.s(), a.off(), (float) b.f(), y, 0, n);
        } else {
          CompareKernels.f32vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
      case FLOAT64 -> {
        if (a.one()) {
          CompareKernels.f64sv(op, a.f(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          CompareKernels.f64vs(op, a.s(), a.off(), b.f(), y, 0, n);
        } else {
          CompareKernels.f64vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
      case INT32 -> {
        if (a.one()) {
          CompareKernels.i32sv(op, (int) a.v(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          CompareKernels.i32vs(op, a.s(), a.off(), (int) b.v(), y, 0, n);
        } else {
          CompareKernels.i32vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
      default -> {
        if (a.one()) {
          CompareKernels.i64sv(op, a.v(), b.s(), b.off(), y, 0, n);
        } else if (b.one()) {
          CompareKernels.i64vs(op, a.s(), a.off(), b.v(), y, 0, n);
        } else {
          CompareKernels.i64vv(op, a.s(), a.off(), b.s(), b.off(), y, 0, n);
        }
      }
    }
  }

  private static void cast(ElementType from, ElementType to, Opnd a, MemorySegment y, long n) {
    MemorySegment s = a.s();
    long o = a.off();
    switch (from) {
      case FLOAT32 -> {
        switch (to) {
          case FLOAT64 -> CastKernels.f32ToF64(s, o, y, 0, n);
          case INT32 -> CastKernels.f32ToI32(s, o, y, 0, n);
          case INT64 -> CastKernels.f32ToI64(s, o, y, 0, n);
          case BOOL -> CastKernels.f32ToBool(s, o, y, 0, n);
          default -> throw new AssertionError(to);
        }
      }
      case FLOAT64 -> {
        switch (to) {
          case FLOAT32 -> CastKernels.f64ToF32(s, o, y, 0, n);
          case INT32 -> CastKernels.f64ToI32(s, o, y, 0, n);
          case INT64 -> CastKernels.f64ToI64(s, o, y, 0, n);
          case BOOL -> CastKernels.f64ToBool(s, o, y, 0, n);
          default -> throw new AssertionError(to);
        }
      }
      case INT32 -> {
        switch (to) {
          case FLOAT32 -> CastKernels.i32ToF32(s, o, y, 0, n);
          case FLOAT64 -> CastKernels.i32ToF64(s, o, y, 0, n);
          case INT64 -> CastKernels.i32ToI64(s, o, y, 0, n);
          case BOOL -> CastKernels.i32ToBool(s, o, y, 0, n);
          default -> throw new AssertionError(to);
        }
      }
      case INT64 -> {
        switch (to) {
          case FLOAT32 -> CastKernels.i64ToF32(s, o, y, 0, n);
          case FLOAT64 -> CastKernels.i64ToF64(s, o, y, 0, n);
          case INT32 -> CastKernels.i64ToI32(s, o, y, 0, n);
          case BOOL -> CastKernels.i64ToBool(s, o, y, 0, n);
          default -> throw new AssertionError(to);
        }
      }
      case BOOL -> {
        switch (to) {
          case FLOAT32 -> CastKernels.boolToF32(s, o, y, 0, n);
          case FLOAT64 -> CastKernels.boolToF64(s, o, y, 0, n);
          case INT32 -> CastKernels.boolToI32(s, o, y, 0, n);
          case INT64 -> CastKernels.boolToI64(s, o, y, 0, n);
          default -> throw new AssertionError(to);
        }
      }
    }
  }

  /** No per-op kernel contracts: FMA nodes run element by element, as {@link Math#fma}. */
  private static void fma(ElementType t, Fma m, Opnd[] ops, MemorySegment y, long n) {
    Opnd a = ops[m.a()];
    Opnd b = ops[m.b()];
    Opnd c = ops[m.c()];
    for (long i = 0; i < n; i++) {
      double av = value(t, a, i);
      double cv = value(t, c, i);
      av = m.negateProduct() ? -av : av;
      cv = m.negateAddend() ? -cv : cv;
      double r = t == ElementType.FLOAT32
          ? Math.fma((float) av, (float) value(t, b, i), (float) cv)
          : Math.fma(av, value(t, b, i), cv);
      FusedScalar.store(t, y, i, r, 0);
    }
  }

  private static double value(ElementType t, Opnd o, long i) {
    return o.one() ? o.f() : FusedScalar.loadF(t, o.s(), o.off() + i);
  }
}
