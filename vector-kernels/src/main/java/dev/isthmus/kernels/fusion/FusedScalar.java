package dev.isthmus.kernels.fusion;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.isthmus.kernels.BinaryScalar;
import dev.isthmus.kernels.CompareScalar;
import dev.isthmus.kernels.UnaryScalar;
import dev.isthmus.kernels.fusion.FusedNode.Binary;
import dev.isthmus.kernels.fusion.FusedNode.Cast;
import dev.isthmus.kernels.fusion.FusedNode.Compare;
import dev.isthmus.kernels.fusion.FusedNode.Fma;
import dev.isthmus.kernels.fusion.FusedNode.Input;
import dev.isthmus.kernels.fusion.FusedNode.Literal;
import dev.isthmus.kernels.fusion.FusedNode.Logic;
import dev.isthmus.kernels.fusion.FusedNode.Select;
import dev.isthmus.kernels.fusion.FusedNode.Unary;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The scalar reference twin of the fused kernels: an interpreter of {@link FusedExpr}, element by
 * element, each node through its per-op scalar twin ({@link UnaryScalar}, {@link BinaryScalar},
 * {@link CompareScalar}, Java's casts). This is the specification the property tests hold the
 * generated kernels to, and it needs no Vector API.
 *
 * <p>Reductions: SUM and MEAN of floats add in double with Neumaier's compensation (a reference
 * far tighter than any kernel's bound), integers wrap; MAX and MIN as {@link Math#max}.
 */
public final class FusedScalar {
  private FusedScalar() {}

  /**
   * Computes {@code e} over rows {@code [rowFrom, rowTo)} of {@code layout}: for each output
   * {@code m}, elementwise into {@code out[m]} from element offset {@code outOff[m] + r * inner},
   * or, with a reduction, one value per row at {@code outOff[0] + r} (INNER) or one at {@code
   * outOff[0]} (ALL). Inputs as {@link FusedKernels#run}. Trusts its arguments.
   */
  public static void run(FusedExpr e, MemorySegment[] in, long[] inOff, MemorySegment[] out,
      long[] outOff, FusedLayout layout, long rowFrom, long rowTo) {
    FusedExpr x = e.lowered();
    List<FusedNode> nodes = x.nodes();
    int n = nodes.size();
    double[] f = new double[n];
    long[] v = new long[n];
    long inner = layout.inner();
    Reduction red = x.reduction();
    ElementType rt = x.outputType(0);
    Acc all = new Acc(rt);
    for (long r = rowFrom; r < rowTo; r++) {
      Acc row = red != null && red.axes() == Reduction.Axes.INNER ? new Acc(rt) : all;
      for (long j = 0; j < inner; j++) {
        for (int i = 0; i < n; i++) {
          eval(x, i, nodes.get(i), f, v, in, inOff, layout, r, j);
        }
        if (red == null) {
          for (int m = 0; m < x.outputCount(); m++) {
            int o = x.outputNode(m);
            store(x.type(o), out[m], outOff[m] + r * inner + j, f[o], v[o]);
          }
        } else {
          int o = x.outputNode(0);
          row.add(red.op(), f[o], v[o]);
        }
      }
      if (red != null && red.axes() == Reduction.Axes.INNER) {
        row.store(red.op(), inner, out[0], outOff[0] + r);
      }
    }
    if (red != null && red.axes() == Reduction.Axes.ALL) {
      all.store(red.op(), (rowTo - rowFrom) * inner, out[0], outOff[0]);
    }
  }

  static void eval(FusedExpr x, int i, FusedNode node, double[] f, long[] v,
      MemorySegment[] in, long[] inOff, FusedLayout layout, long r, long j) {
    ElementType t = x.type(i);
    switch (node) {
      case Input p -> {
        int k = p.index();
        long at = inOff[k] + base(p.pattern(), layout, k, r) + (p.pattern().varying() ? j : 0);
        f[i] = loadF(t, in[k], at);
        v[i] = loadI(t, in[k], at);
      }
      case Literal l -> {
        f[i] = l.asDouble();
        v[i] = l.bits();
      }
      case Unary u -> {
        switch (t) {
          case FLOAT32 -> f[i] = UnaryScalar.apply(u.op(), (float) f[u.x()]);
          case FLOAT64 -> f[i] = UnaryScalar.apply(u.op(), f[u.x()]);
          case INT32 -> v[i] = UnaryScalar.apply(u.op(), (int) v[u.x()]);
          default -> v[i] = UnaryScalar.apply(u.op(), v[u.x()]);
        }
      }
      case Binary b -> {
        switch (t) {
          case FLOAT32 -> f[i] = BinaryScalar.apply(b.op(), (float) f[b.a()], (float) f[b.b()]);
          case FLOAT64 -> f[i] = BinaryScalar.apply(b.op(), f[b.a()], f[b.b()]);
          case INT32 -> v[i] = BinaryScalar.apply(b.op(), (int) v[b.a()], (int) v[b.b()]);
          default -> v[i] = BinaryScalar.apply(b.op(), v[b.a()], v[b.b()]);
        }
      }
      case Compare c -> {
        boolean z = switch (x.type(c.a())) {
          case FLOAT32 -> CompareScalar.apply(c.op(), (float) f[c.a()], (float) f[c.b()]);
          case FLOAT64 -> CompareScalar.apply(c.op(), f[c.a()], f[c.b()]);
          case INT32 -> CompareScalar.apply(c.op(), (int) v[c.a()], (int) v[c.b()]);
          default -> CompareScalar.apply(c.op(), v[c.a()], v[c.b()]);
        };
        v[i] = z ? 1 : 0;
      }
      case Logic l -> {
        boolean a = v[l.a()] != 0;
        boolean b = v[l.b()] != 0;
        boolean z = switch (l.op()) {
          case AND -> a && b;
          case OR -> a || b;
          case XOR -> a != b;
          case XNOR -> a == b;
          case NOT -> !a;
        };
        v[i] = z ? 1 : 0;
      }
      case Select s -> {
        int pick = v[s.cond()] != 0 ? s.a() : s.b();
        f[i] = f[pick];
        v[i] = v[pick];
      }
      case Cast c -> cast(x.type(c.x()), t, f[c.x()], v[c.x()], f, v, i);
      case Fma m -> {
        double a = m.negateProduct() ? -f[m.a()] : f[m.a()];
        double c = m.negateAddend() ? -f[m.c()] : f[m.c()];
        f[i] = t == ElementType.FLOAT32 ? Math.fma((float) a, (float) f[m.b()], (float) c)
            : Math.fma(a, f[m.b()], c);
      }
    }
  }

  static long base(Pattern p, FusedLayout layout, int k, long r) {
    return switch (p) {
      case ELEMENTWISE -> r * layout.inner();
      case SCALAR, ROW -> 0;
      case COLUMN -> r;
      case STRIDED_ROW, STRIDED_COLUMN -> layout.offset(k, r);
    };
  }

  private static void cast(ElementType from, ElementType to, double fx, long vx, double[] f,
      long[] v, int i) {
    if (from == ElementType.BOOL) {
      f[i] = vx;
      v[i] = vx;
      return;
    }
    boolean fl = from.floating();
    switch (to) {
      case FLOAT32 -> f[i] = fl ? (float) fx : (float) vx;
      case FLOAT64 -> f[i] = fl ? fx : (double) vx;
      case INT32 -> v[i] = fl ? (from == ElementType.FLOAT32 ? (int) (float) fx : (int) fx)
          : (int) vx;
      case INT64 -> v[i] = fl ? (long) fx : vx;
      case BOOL -> v[i] = (fl ? fx != 0 : vx != 0) ? 1 : 0;
    }
  }

  static double loadF(ElementType t, MemorySegment s, long at) {
    return switch (t) {
      case FLOAT32 -> s.getAtIndex(JAVA_FLOAT_UNALIGNED, at);
      case FLOAT64 -> s.getAtIndex(JAVA_DOUBLE_UNALIGNED, at);
      default -> 0;
    };
  }

  static long loadI(ElementType t, MemorySegment s, long at) {
    return switch (t) {
      case INT32 -> s.getAtIndex(JAVA_INT_UNALIGNED, at);
      case INT64 -> s.getAtIndex(JAVA_LONG_UNALIGNED, at);
      case BOOL -> s.get(JAVA_BYTE, at) != 0 ? 1 : 0;
      default -> 0;
    };
  }

  static void store(ElementType t, MemorySegment s, long at, double f, long v) {
    switch (t) {
      case FLOAT32 -> s.setAtIndex(JAVA_FLOAT_UNALIGNED, at, (float) f);
      case FLOAT64 -> s.setAtIndex(JAVA_DOUBLE_UNALIGNED, at, f);
      case INT32 -> s.setAtIndex(JAVA_INT_UNALIGNED, at, (int) v);
      case INT64 -> s.setAtIndex(JAVA_LONG_UNALIGNED, at, v);
      case BOOL -> s.set(JAVA_BYTE, at, (byte) (v != 0 ? 1 : 0));
    }
  }

  /** A reduction's running value: Neumaier-compensated in double for floats. */
  private static final class Acc {
    final ElementType t;
    double sum;
    double comp;
    double fm;
    long iv;
    boolean any;

    Acc(ElementType t) {
      this.t = t;
    }

    void add(Reduction.Op op, double f, long v) {
      switch (op) {
        case SUM, MEAN -> {
          if (t.floating()) {
            double s = sum + f;
            comp += FusedAccess.sumError(sum, f, s);
            sum = s;
          } else {
            iv += v;
          }
        }
        case MAX -> {
          fm = any ? Math.max(fm, f) : f;
          iv = any ? Math.max(iv, v) : v;
        }
        case MIN -> {
          fm = any ? Math.min(fm, f) : f;
          iv = any ? Math.min(iv, v) : v;
        }
      }
      any = true;
    }

    void store(Reduction.Op op, long count, MemorySegment out, long at) {
      double f;
      long v;
      switch (op) {
        case SUM -> {
          f = sum + comp;
          v = iv;
        }
        case MEAN -> {
          f = t == ElementType.FLOAT32 ? (float) (sum + comp) / (float) count
              : (sum + comp) / count;
          v = 0;
        }
        default -> {
          boolean max = op == Reduction.Op.MAX;
          f = any ? fm : max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
          v = any ? iv : identity(t, max);
        }
      }
      FusedScalar.store(t, out, at, f, v);
    }
  }

  /** The identity of MAX ({@code max} true) or MIN over an integer type. */
  static long identity(ElementType t, boolean max) {
    return t == ElementType.INT32 ? (max ? Integer.MIN_VALUE : Integer.MAX_VALUE)
        : (max ? Long.MIN_VALUE : Long.MAX_VALUE);
  }
}
