package dev.isthmus.properties;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.fusion.ElementType;
import dev.isthmus.kernels.fusion.FusedExpr;
import dev.isthmus.kernels.fusion.FusedLayout;
import dev.isthmus.kernels.fusion.Reduction;
import dev.isthmus.testkit.Draw;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Random fused expressions for the fusion properties: a broadcast of up to four inputs of random
 * shapes (so every {@link dev.isthmus.kernels.fusion.Pattern} comes up, through {@link
 * FusedLayout#broadcast}), a random DAG over them of depth at most 8 mixing unary, binary,
 * compare, logic, select and cast nodes over FLOAT32 and FLOAT64 (with INT32, INT64 and BOOL
 * along the way), literals, and the operands in every kind of memory.
 */
final class FusedDags {
  private FusedDags() {}

  static final int MAX_DEPTH = 8;

  /** Operators whose vector form calls no Vector API stub: identical in every JIT state. */
  static boolean pure(UnaryOp op, ElementType t) {
    return switch (op) {
      case EXP, EXPM1, LOG, LOG1P, SIN, COS, ATAN, SIGMOID, ELU, GELU, GELU_TANH, SOFTPLUS -> false;
      case TANH -> t == ElementType.FLOAT32; // float64 tanh calls EXPM1
      default -> true;
    };
  }

  /** Operators whose vector form equals the scalar twin bit for bit. */
  static boolean exact(UnaryOp op, ElementType t) {
    return switch (op) {
      case NEG, ABS, SIGN, SQRT, SQUARE, RECIPROCAL, RELU, RELU6, FLOOR, CEIL, ROUND -> true;
      case RSQRT -> t == ElementType.FLOAT64;
      default -> false;
    };
  }

  /** One generated case. */
  record Case(FusedExpr expr, FusedLayout layout, MemorySegment[] in, long[] inOff,
      int[] outKinds, long[] outOff, boolean exact, String shapes) {
    @Override
    public String toString() {
      return shapes + "\n" + expr;
    }
  }

  /** Options: pure operators only, allow operators the compiler refuses, a reduction. */
  record Options(boolean pureOnly, boolean allowRefused, Reduction reduction) {}

  static Case draw(Draw d, Options o) {
    ElementType ft = d.between(0, 2) == 0 ? ElementType.FLOAT64 : ElementType.FLOAT32;
    int lanes = ft == ElementType.FLOAT32 ? Simd.floatLanes() : Simd.doubleLanes();
    long[] out = shape(d, lanes, o.reduction() != null);
    int k = d.intBetween(1, 4);
    long[][] shapes = new long[k][];
    ElementType[] types = new ElementType[k];
    for (int i = 0; i < k; i++) {
      shapes[i] = broadcastable(d, out);
      types[i] = i == 0 || d.between(0, 3) > 0 ? ft : d.oneOf(ElementType.FLOAT32,
          ElementType.FLOAT64, ElementType.INT32, ElementType.INT64, ElementType.BOOL);
    }
    boolean inner = o.reduction() != null && o.reduction().axes() == Reduction.Axes.INNER;
    FusedLayout layout = inner ? FusedLayout.reduceInner(out, shapes)
        : FusedLayout.broadcast(out, shapes);
    Builder g = new Builder(d, o, ft);
    for (int i = 0; i < k; i++) {
      g.add(g.b.input(i, types[i], layout.pattern(i)), 0);
    }
    int lits = d.intBetween(0, 2);
    for (int i = 0; i < lits; i++) {
      g.add(g.literal(d.oneOf(ft, ft, ElementType.INT32, ElementType.BOOL)), 0);
    }
    int ops = d.intBetween(1, 14);
    for (int i = 0; i < ops; i++) {
      g.step();
    }
    if (o.reduction() != null) {
      FusedExpr.Ref root = g.last(t -> t.numeric()
          && (o.reduction().op() != Reduction.Op.MEAN || t.floating()));
      if (root == null) {
        root = g.b.cast(g.refs.get(g.refs.size() - 1), ft);
      }
      g.b.output(root).reduce(o.reduction().op(), o.reduction().axes());
    } else {
      g.b.output(g.refs.get(g.refs.size() - 1));
      if (d.between(0, 2) == 0) {
        g.b.output(g.refs.get(d.intBetween(0, g.refs.size() - 1)));
      }
    }
    g.b.contractFma(d.between(0, 3) == 0);
    FusedExpr e = g.b.build();
    MemorySegment[] in = new MemorySegment[e.inputCount()];
    long[] inOff = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      long n = Arrays.stream(shapes[i]).reduce(1, (a, b) -> a * b);
      inOff[i] = d.intBetween(0, 3);
      in[i] = memory(d.intBetween(0, 3), e.input(i).type(), inOff[i] + n);
      fill(d, in[i], e.input(i).type(), inOff[i], n);
    }
    int[] outKinds = new int[e.outputCount()];
    long[] outOff = new long[e.outputCount()];
    for (int m = 0; m < outKinds.length; m++) {
      outKinds[m] = d.intBetween(0, 3);
      outOff[m] = d.intBetween(0, 3);
    }
    StringBuilder s = new StringBuilder("out ").append(Arrays.toString(out)).append(" inputs");
    for (long[] sh : shapes) {
      s.append(' ').append(Arrays.toString(sh));
    }
    s.append(" layout ").append(layout);
    return new Case(e, layout, in, inOff, outKinds, outOff, g.exact, s.toString());
  }

  /** An output shape: rank 1-4, a flat awkward size now and then. */
  private static long[] shape(Draw d, int lanes, boolean reduce) {
    if (d.between(0, 3) == 0) {
      return new long[] {d.between(0, 4) == 0 ? d.between(0, 5000) : d.oneOf(0L, 1L,
          (long) lanes - 1, (long) lanes, lanes + 1L, 4097L, 3L * lanes + 5)};
    }
    int r = d.intBetween(1, 4);
    long[] s = new long[r];
    for (int j = 0; j < r - 1; j++) {
      s[j] = d.oneOf(1L, 2L, 3L, 5L, 7L);
    }
    s[r - 1] = d.oneOf(1L, (long) lanes - 1, (long) lanes, lanes + 1L, 2L * lanes + 3, 37L,
        reduce ? 200L : 65L);
    return s;
  }

  /** Drops some leading axes of {@code out} and sets some dimensions to 1. */
  private static long[] broadcastable(Draw d, long[] out) {
    int drop = d.between(0, 3) == 0 ? d.intBetween(0, out.length) : 0;
    long[] s = Arrays.copyOfRange(out, drop, out.length);
    for (int j = 0; j < s.length; j++) {
      if (d.between(0, 3) == 0) {
        s[j] = 1;
      }
    }
    return s;
  }

  /** A segment of n elements of t: 0 its array, 1 native, 2 a slice of its array, 3 a long[]. */
  static MemorySegment memory(int kind, ElementType t, long n) {
    int w = t.bytes();
    int count = (int) n;
    return switch (kind) {
      case 0 -> heap(t, count);
      case 1 -> Arena.ofAuto().allocate(Math.max(1, n * w), 8).asSlice(0, n * w);
      case 2 -> heap(t, count + 2).asSlice(2L * w, n * w);
      default -> MemorySegment.ofArray(new long[(int) ((n * w + 7) / 8)]).asSlice(0, n * w);
    };
  }

  private static MemorySegment heap(ElementType t, int n) {
    return switch (t) {
      case FLOAT32 -> MemorySegment.ofArray(new float[n]);
      case FLOAT64 -> MemorySegment.ofArray(new double[n]);
      case INT32 -> MemorySegment.ofArray(new int[n]);
      case INT64 -> MemorySegment.ofArray(new long[n]);
      case BOOL -> MemorySegment.ofArray(new byte[n]);
    };
  }

  static void fill(Draw d, MemorySegment s, ElementType t, long off, long n) {
    for (long i = 0; i < off + n; i++) {
      switch (t) {
        case FLOAT32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) value(d));
        case FLOAT64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, value(d));
        case INT32 -> s.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, (int) intValue(d));
        case INT64 -> s.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, intValue(d));
        case BOOL -> s.set(JAVA_BYTE, i, (byte) d.between(0, 1));
      }
    }
  }

  private static final double[] SPECIALS = {
    Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1, -1, 0.5, -0.5,
    1.5, -2.5, 6, 0x1p23 + 1, -0x1p52 - 1, Double.MIN_VALUE, Float.MIN_VALUE, 1e300, -1e-300,
    0.625, 9.1, 2147483648.0, -9.3e18,
  };

  static double value(Draw d) {
    return switch (d.intBetween(0, 9)) {
      case 0 -> SPECIALS[d.intBetween(0, SPECIALS.length - 1)];
      case 1 -> d.between(-300, 300) + 0.5;
      case 2 -> d.doubleBetween(-1e6, 1e6);
      default -> d.doubleBetween(-8, 8);
    };
  }

  static long intValue(Draw d) {
    return switch (d.intBetween(0, 6)) {
      case 0 -> d.oneOf(Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MIN_VALUE, 0L, -1L);
      case 1 -> d.between(Long.MIN_VALUE, Long.MAX_VALUE);
      default -> d.between(-100, 100);
    };
  }

  /** The DAG under construction. */
  private static final class Builder {
    final Draw d;
    final Options o;
    final ElementType ft;
    final FusedExpr.Builder b = FusedExpr.builder();
    final List<FusedExpr.Ref> refs = new ArrayList<>();
    final List<Integer> depth = new ArrayList<>();
    boolean exact = true;

    Builder(Draw d, Options o, ElementType ft) {
      this.d = d;
      this.o = o;
      this.ft = ft;
    }

    void add(FusedExpr.Ref r, int dep) {
      refs.add(r);
      depth.add(dep);
    }

    FusedExpr.Ref literal(ElementType t) {
      return switch (t) {
        case BOOL -> b.literal(d.between(0, 1) == 0);
        case INT32 -> b.literal((int) d.between(-5, 5));
        default -> b.literal(t, d.oneOf(0.5, 2.0, -1.0, 3.25, 0.0));
      };
    }

    /** A random operand of type t (or of any type when t is null) of depth < MAX_DEPTH. */
    FusedExpr.Ref pick(java.util.function.Predicate<ElementType> ok) {
      List<Integer> c = new ArrayList<>();
      for (int i = 0; i < refs.size(); i++) {
        if (ok.test(refs.get(i).type()) && depth.get(i) < MAX_DEPTH) {
          c.add(i);
        }
      }
      if (c.isEmpty()) {
        return null;
      }
      // favour recent nodes, so that chains get deep
      int i = d.between(0, 1) == 0 ? c.get(c.size() - 1) : c.get(d.intBetween(0, c.size() - 1));
      return refs.get(i);
    }

    FusedExpr.Ref last(java.util.function.Predicate<ElementType> ok) {
      for (int i = refs.size() - 1; i >= 0; i--) {
        if (ok.test(refs.get(i).type())) {
          return refs.get(i);
        }
      }
      return null;
    }

    int depthOf(FusedExpr.Ref... rs) {
      int m = 0;
      for (FusedExpr.Ref r : rs) {
        int i = refs.indexOf(r);
        m = Math.max(m, i < 0 ? 0 : depth.get(i));
      }
      return m + 1;
    }

    FusedExpr.Ref ofType(ElementType t) {
      FusedExpr.Ref r = pick(x -> x == t);
      if (r == null) {
        FusedExpr.Ref any = pick(x -> true);
        r = any == null ? literal(t) : b.cast(any, t);
        add(r, any == null ? 0 : depthOf(any));
      }
      return r;
    }

    void step() {
      int kind = d.intBetween(0, 9);
      try {
        switch (kind) {
          case 0, 1, 2 -> unary();
          case 3, 4, 5 -> binary();
          case 6 -> compare();
          case 7 -> select();
          case 8 -> cast();
          default -> logic();
        }
      } catch (IllegalArgumentException e) {
        throw new AssertionError("the generator built an ill-typed node", e);
      }
    }

    private ElementType numericType() {
      return d.between(0, 3) > 0 ? ft : d.oneOf(ElementType.FLOAT32, ElementType.FLOAT64,
          ElementType.INT32, ElementType.INT64);
    }

    void unary() {
      ElementType t = numericType();
      FusedExpr.Ref x = ofType(t);
      UnaryOp op;
      do {
        op = d.oneOf(UnaryOp.values());
      } while (t.integral() && !op.integral() || o.pureOnly() && !pure(op, t));
      exact &= t.integral() || exact(op, t);
      FusedExpr.Ref r = b.unary(op, x);
      add(r, depthOf(x));
    }

    void binary() {
      ElementType t = numericType();
      FusedExpr.Ref x = ofType(t);
      FusedExpr.Ref y = d.between(0, 4) == 0 ? literal(t) : ofType(t);
      BinaryOp op;
      while (true) {
        op = d.oneOf(BinaryOp.values());
        if (t.integral() && op.floatingOnly()) {
          continue;
        }
        boolean refused = t.floating() ? op == BinaryOp.FLOOR_MOD : switch (op) {
          case DIV, FLOOR_DIV, FLOOR_MOD, POW -> true;
          default -> false;
        };
        if (refused && !o.allowRefused()) {
          continue;
        }
        if (o.pureOnly() && t.floating() && (op == BinaryOp.POW || op == BinaryOp.ATAN2)) {
          continue;
        }
        break;
      }
      exact &= t.integral() || (op != BinaryOp.POW && op != BinaryOp.ATAN2);
      FusedExpr.Ref r = b.binary(op, x, y);
      add(r, depthOf(x, y));
    }

    void compare() {
      ElementType t = numericType();
      FusedExpr.Ref x = ofType(t);
      FusedExpr.Ref y = d.between(0, 3) == 0 ? literal(t) : ofType(t);
      add(b.compare(d.oneOf(CompareOp.values()), x, y), depthOf(x, y));
    }

    void select() {
      FusedExpr.Ref c = ofType(ElementType.BOOL);
      ElementType t = d.between(0, 5) == 0 ? ElementType.BOOL : numericType();
      FusedExpr.Ref x = ofType(t);
      FusedExpr.Ref y = ofType(t);
      add(b.select(c, x, y), depthOf(c, x, y));
    }

    void cast() {
      FusedExpr.Ref x = pick(t -> true);
      ElementType to = d.oneOf(ElementType.values());
      FusedExpr.Ref r = b.cast(x, to);
      add(r, depthOf(x));
    }

    void logic() {
      FusedExpr.Ref x = ofType(ElementType.BOOL);
      if (d.between(0, 3) == 0) {
        add(b.not(x), depthOf(x));
        return;
      }
      FusedExpr.Ref y = ofType(ElementType.BOOL);
      LogicOp op = d.oneOf(LogicOp.AND, LogicOp.OR, LogicOp.XOR, LogicOp.XNOR);
      add(b.logic(op, x, y), depthOf(x, y));
    }
  }
}
