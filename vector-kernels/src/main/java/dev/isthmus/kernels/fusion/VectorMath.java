package dev.isthmus.kernels.fusion;

import static dev.isthmus.kernels.fusion.Emit.op;
import static dev.isthmus.kernels.fusion.KernelConstants.ERFCX;
import static dev.isthmus.kernels.fusion.KernelConstants.ERFCX_K;
import static dev.isthmus.kernels.fusion.KernelConstants.ERF_SMALL;
import static dev.isthmus.kernels.fusion.KernelConstants.EXP_C;
import static dev.isthmus.kernels.fusion.KernelConstants.GELU_CLAMP;
import static dev.isthmus.kernels.fusion.KernelConstants.GELU_CUBIC;
import static dev.isthmus.kernels.fusion.KernelConstants.GELU_TANH_CLAMP;
import static dev.isthmus.kernels.fusion.KernelConstants.INV_SQRT2;
import static dev.isthmus.kernels.fusion.KernelConstants.SQRT_2_OVER_PI;
import static dev.isthmus.kernels.fusion.KernelConstants.TANH_P;

import dev.isthmus.kernels.fusion.Emit.Push;
import dev.isthmus.kernels.fusion.Emit.Spec;
import dev.isthmus.kernels.fusion.Emit.Val;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The long vector formulas, emitted call for call as the hand-written kernels evaluate them:
 * float32 tanh ({@code UnaryVector.tanhF32}, with its inline exp), float64 tanh ({@code
 * UnaryVector64.tanhF64}), the GELUs ({@code UnaryVectorMath.gelu}, {@code geluTanh}; float32
 * widened to double lanes and narrowed back), floor, ceil and rint ({@code UnaryVectorMath}),
 * and the floor of a quotient of FLOOR_DIV ({@code BinaryVectorF32.floor}).
 */
final class VectorMath {
  private final VectorOps v;
  private final Emit e;

  VectorMath(VectorOps ops) {
    this.v = ops;
    this.e = ops.e;
  }

  private double two(Val x) {
    return x.kind() == VKind.F ? KernelConstants.TWO23 : KernelConstants.TWO52;
  }

  /** |m| with the sign of s. */
  private Val withSignOf(Val m, Val s) {
    Object min = m.kind() == VKind.F ? (Object) Integer.MIN_VALUE : (Object) Long.MIN_VALUE;
    Val bits = e.on(v.integral(v.abs(m)), "or", e.on(v.integral(s), "and", min));
    return v.floating(bits);
  }

  private Val rintSmall(Val x) {
    return withSignOf(v.subS(v.addS(v.abs(x), two(x)), two(x)), x);
  }

  Val rint(Val x) {
    return v.blend(x, rintSmall(x), v.cmpS(v.abs(x), "LT", two(x)));
  }

  Val floor(Val x) {
    Val r = rintSmall(x);
    r = e.on(r, "sub", Emit.num(x.kind(), 1), v.cmp(r, "GT", x));
    return v.blend(x, r, v.cmpS(v.abs(x), "LT", two(x)));
  }

  Val ceil(Val x) {
    Val r = rintSmall(x);
    r = withSignOf(e.on(r, "add", Emit.num(x.kind(), 1), v.cmp(r, "LT", x)), x);
    return v.blend(x, r, v.cmpS(v.abs(x), "LT", two(x)));
  }

  /** FLOOR_DIV's floor of the quotient, as the binary kernels compute it. */
  Val floorQuotient(Val q) {
    Val aq = v.abs(q);
    Val r = v.subS(v.addS(aq, two(q)), two(q));
    r = v.blend(r, v.neg(r), e.mask(q, "test", op("IS_NEGATIVE")));
    r = e.on(r, "lanewise", op("SUB", VectorOperators.Binary.class), Emit.num(q.kind(), 1),
        v.cmp(r, "GT", q));
    return v.blend(q, r, v.cmpS(aq, "LT", two(q)));
  }

  /** float32 tanh: an odd polynomial below TANH_SMALL, (1 - e)/(1 + e) with an inline exp above. */
  Val tanhF32(Val x) {
    VKind f = VKind.F;
    Val one = v.broadcast(f, 1);
    Val log2e = v.broadcast(f, KernelConstants.LOG2E);
    Val rounder = v.broadcast(f, KernelConstants.ROUNDER);
    Val ln2hi = v.broadcast(f, -KernelConstants.LN2_HI);
    Val ln2lo = v.broadcast(f, -KernelConstants.LN2_LO);
    int bias = 127 - KernelConstants.ROUNDER_BITS;
    Val a = v.abs(x);
    Val t = v.mulS(v.blendS(a, KernelConstants.TANH_CLAMP,
        v.cmpS(a, "GT", KernelConstants.TANH_CLAMP)), -2);
    Val z = v.fma(t, log2e, rounder);
    Val k = v.sub(z, rounder);
    Val r = v.fma(k, ln2lo, v.fma(k, ln2hi, t));
    Val p = v.broadcast(f, EXP_C[6]);
    for (int i = 5; i >= 0; i--) {
      p = v.fma(p, r, v.broadcast(f, EXP_C[i]));
    }
    Val scale = v.floating(e.on(e.on(v.integral(z), "add", bias), "lanewise",
        op("LSHL", VectorOperators.Binary.class), 23));
    Val ex = v.mul(p, scale);
    Val big = v.div(v.sub(one, ex), v.add(one, ex));
    Val s = v.mul(a, a);
    Val q = v.broadcast(f, TANH_P[4]);
    for (int i = 3; i >= 0; i--) {
      q = v.fma(q, s, v.broadcast(f, TANH_P[i]));
    }
    Val small = v.fma(q, v.mul(a, s), a);
    Val m = v.blend(big, small, v.cmpS(a, "LT", KernelConstants.TANH_SMALL));
    return v.floating(e.on(v.integral(m), "or",
        e.on(v.integral(x), "and", Integer.MIN_VALUE)));
  }

  /** float64 tanh: em/(em + 2), em = expm1(2 min(|x|, 20)), with x's sign. */
  Val tanhF64(Val x) {
    double clamp = KernelConstants.TANH_CLAMP_64;
    Val a = v.abs(x);
    Val em = v.lanewise(v.mulS(v.blendS(a, clamp, v.cmpS(a, "GT", clamp)), 2), "EXPM1");
    Val t = v.div(em, v.addS(em, 2));
    return v.floating(e.on(v.integral(t), "or", e.on(v.integral(x), "and", Long.MIN_VALUE)));
  }

  private Val poly(double[] c, Val z) {
    Val r = v.broadcast(VKind.D, c[0]);
    for (int i = 1; i < c.length; i++) {
      r = v.fma(r, z, v.broadcast(VKind.D, c[i]));
    }
    return r;
  }

  /** Exact GELU in double lanes: both branches, then blends. */
  Val gelu(Val x) {
    Val xc = v.minS(v.maxS(x, -GELU_CLAMP), GELU_CLAMP);
    Val t = v.mulS(xc, INV_SQRT2);
    Val at = v.abs(t);
    Val small = v.mul(v.mulS(x, 0.5), v.addS(v.fma(poly(ERF_SMALL, v.mul(t, t)), t, t), 1));
    Val w = v.div(v.broadcast(VKind.D, 1), v.addS(at, ERFCX_K));
    Val g = v.mul(poly(ERFCX, v.mul(v.subS(at, ERFCX_K), w)), w);
    Val sq = v.mul(xc, xc);
    Val lo = v.mulS(v.fma(xc, xc, v.neg(sq)), 0.5);
    Val ex = v.lanewise(v.mulS(sq, -0.5), "EXP");
    Val pos = v.fma(v.mulS(xc, -0.5), v.mul(v.fma(v.neg(g), lo, g), ex), x);
    Val gn = v.mul(v.mulS(xc, 0.5), g);
    Val neg = v.mul(v.fma(v.neg(gn), lo, gn), ex);
    return v.blend(v.blend(neg, pos, v.cmpS(t, "GT", 0)), small, v.cmpS(at, "LT", 1));
  }

  /** Tanh-approximated GELU in double lanes: {@code x * sigmoid(2u)}. */
  Val geluTanh(Val x) {
    Val xm = v.maxS(x, -GELU_TANH_CLAMP);
    Val u2 = v.mulS(v.mulS(v.fma(v.mulS(xm, GELU_CUBIC), v.mul(xm, xm), xm), SQRT_2_OVER_PI), 2);
    Val ex = v.lanewise(v.neg(v.abs(u2)), "EXP");
    Val r = v.div(v.broadcast(VKind.D, 1), v.addS(ex, 1));
    return v.mul(xm, v.blend(r, v.mul(ex, r), v.cmpS(u2, "LT", 0)));
  }

  /** A float32 GELU: each half widened to double lanes, computed there, narrowed back. */
  Val widened(Val x, boolean tanh) {
    Val lo = e.call(VKind.D, null, x, "convertShape", op("F2D"), new Spec(VKind.D), 0);
    Val hi = e.call(VKind.D, null, x, "convertShape", op("F2D"), new Spec(VKind.D), 1);
    lo = tanh ? geluTanh(lo) : gelu(lo);
    hi = tanh ? geluTanh(hi) : gelu(hi);
    return narrow(lo, hi, VKind.F, "D2F");
  }

  /** Two halves of kind D or L converted to the 4-byte kind {@code to} and joined. */
  Val narrow(Val lo, Val hi, VKind to, String conversion) {
    Val a = e.call(to, null, lo, "convertShape", op(conversion), new Spec(to), 0);
    Val b = e.call(to, null, hi, "convertShape", op(conversion), new Spec(to), -1);
    int upper = to == VKind.F ? Emit.UPPER_F : Emit.UPPER_I;
    return e.on(a, "blend", b, upper(e, upper));
  }

  /** The class-data mask of the upper half of a 4-byte kind's lanes. */
  static Push upper(Emit e, int index) {
    return new Push(VectorMask.class, "upperHalf", cb -> e.classData(index, VectorMask.class));
  }
}
