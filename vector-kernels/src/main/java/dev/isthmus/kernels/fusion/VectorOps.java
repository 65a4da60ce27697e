package dev.isthmus.kernels.fusion;

import static dev.isthmus.kernels.fusion.Emit.num;
import static dev.isthmus.kernels.fusion.Emit.op;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.fusion.Emit.Spec;
import dev.isthmus.kernels.fusion.Emit.Val;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector form of each elementwise operator on one vector (one <em>part</em>): the same
 * Vector API calls, in the same order, as the hand-written loop of that operator and type
 * ({@code UnaryVector}, {@code UnaryVector64}, {@code UnaryVectorInt}, {@code BinaryVectorF32}
 * and friends), so that a fused kernel computes each element exactly as the per-op kernels do.
 * The property tests hold the two equal bit for bit. The longer formulas (tanh, GELU, rounding)
 * are in {@link VectorMath}.
 */
final class VectorOps {
  final Emit e;
  final VectorMath math;

  VectorOps(Emit e) {
    this.e = e;
    this.math = new VectorMath(this);
  }

  /**
   * Why {@code op} on {@code t} has no vector form (the per-op kernels run it on the scalar
   * twin), or null when it has one.
   */
  static String unsupported(BinaryOp op, ElementType t) {
    if (t.floating() && op == BinaryOp.FLOOR_MOD) {
      return "FLOOR_MOD on " + t.shortName() + " has no exact vector form";
    }
    if (t.integral() && switch (op) {
      case DIV, FLOOR_DIV, FLOOR_MOD, POW -> true;
      default -> false;
    }) {
      return op + " on " + t.shortName() + " has no vector form (no SIMD integer division)";
    }
    return null;
  }

  // ---- shorthands: each emits one call

  Val abs(Val v) {
    return e.on(v, "abs");
  }

  Val neg(Val v) {
    return e.on(v, "neg");
  }

  Val add(Val a, Val b) {
    return e.on(a, "add", b);
  }

  Val addS(Val a, double x) {
    return e.on(a, "add", num(a.kind(), x));
  }

  Val sub(Val a, Val b) {
    return e.on(a, "sub", b);
  }

  Val subS(Val a, double x) {
    return e.on(a, "sub", num(a.kind(), x));
  }

  Val mul(Val a, Val b) {
    return e.on(a, "mul", b);
  }

  Val mulS(Val a, double x) {
    return e.on(a, "mul", num(a.kind(), x));
  }

  Val div(Val a, Val b) {
    return e.on(a, "div", b);
  }

  Val fma(Val a, Val b, Val c) {
    return e.on(a, "fma", b, c);
  }

  Val maxS(Val a, double x) {
    return e.on(a, "max", num(a.kind(), x));
  }

  Val minS(Val a, double x) {
    return e.on(a, "min", num(a.kind(), x));
  }

  Val lanewise(Val v, String op) {
    return e.on(v, "lanewise", op(op));
  }

  Val cmp(Val a, String op, Val b) {
    return e.mask(a, "compare", op(op), b);
  }

  Val cmpS(Val a, String op, double x) {
    return e.mask(a, "compare", op(op), num(a.kind(), x));
  }

  Val blend(Val a, Val b, Val m) {
    return e.on(a, "blend", b, m);
  }

  Val blendS(Val a, double x, Val m) {
    return e.on(a, "blend", num(a.kind(), x), m);
  }

  Val broadcast(VKind k, double x) {
    return e.broadcast(k, num(k, x));
  }

  Val integral(Val v) {
    return e.call(v.kind() == VKind.F ? VKind.I : VKind.L, null, v, "viewAsIntegralLanes");
  }

  Val floating(Val v) {
    return e.call(v.kind() == VKind.I ? VKind.F : VKind.D, null, v, "viewAsFloatingLanes");
  }

  Val maskAnd(Val a, Val b) {
    return e.on(a, "and", b);
  }

  Val maskOr(Val a, Val b) {
    return e.on(a, "or", b);
  }

  // ---- operators

  /** {@code op(v)} on a float or integer vector, as the per-op kernel of its type. */
  Val unary(UnaryOp op, Val v) {
    return switch (v.kind()) {
      case F, D -> floatUnary(op, v);
      default -> intUnary(op, v);
    };
  }

  private Val floatUnary(UnaryOp op, Val v) {
    VKind k = v.kind();
    return switch (op) {
      case NEG -> neg(v);
      case ABS -> abs(v);
      case SIGN -> blendS(blendS(blendS(v, 0, cmpS(v, "EQ", 0)), 1, cmpS(v, "GT", 0)), -1,
          cmpS(v, "LT", 0));
      case EXP, EXPM1, LOG, LOG1P, SIN, COS, ATAN -> lanewise(v, op.name());
      case SQRT -> e.on(v, "sqrt");
      case RSQRT -> div(broadcast(k, 1), e.on(v, "sqrt"));
      case SQUARE -> mul(v, v);
      case RECIPROCAL -> div(broadcast(k, 1), v);
      case TANH -> k == VKind.F ? math.tanhF32(v) : math.tanhF64(v);
      case SIGMOID -> {
        Val one = broadcast(k, 1);
        Val ex = lanewise(neg(abs(v)), "EXP");
        Val r = div(one, add(ex, one));
        yield blend(r, mul(ex, r), cmpS(v, "LT", 0));
      }
      case RELU -> maxS(v, 0);
      case RELU6 -> minS(maxS(v, 0), 6);
      case ELU -> blend(v, lanewise(v, "EXPM1"), cmpS(v, "LT", 0));
      case GELU -> k == VKind.F ? math.widened(v, false) : math.gelu(v);
      case GELU_TANH -> k == VKind.F ? math.widened(v, true) : math.geluTanh(v);
      case SOFTPLUS -> add(maxS(v, 0), lanewise(lanewise(neg(abs(v)), "EXP"), "LOG1P"));
      case FLOOR -> math.floor(v);
      case CEIL -> math.ceil(v);
      case ROUND -> math.rint(v);
    };
  }

  private Val intUnary(UnaryOp op, Val v) {
    int bits = v.kind().bytes * 8 - 1;
    Object shift = v.kind() == VKind.I ? (Object) bits : (Object) (long) bits;
    return switch (op) {
      case NEG -> neg(v);
      case ABS -> abs(v);
      case SIGN -> e.on(e.on(v, "lanewise", op("ASHR", VectorOperators.Binary.class), shift),
          "or", e.on(neg(v), "lanewise", op("LSHR", VectorOperators.Binary.class), shift));
      case SQUARE -> mul(v, v);
      case RELU -> maxS(v, 0);
      case RELU6 -> minS(maxS(v, 0), 6);
      case ROUND -> v;
      default -> throw new IllegalArgumentException(op + " on integers");
    };
  }

  /** {@code op(a, b)}, as the per-op kernel of the type ({@link #unsupported} is checked first). */
  Val binary(BinaryOp op, Val a, Val b) {
    boolean fl = a.kind() == VKind.F || a.kind() == VKind.D;
    return switch (op) {
      case ADD -> add(a, b);
      case SUB -> sub(a, b);
      case MUL -> mul(a, b);
      case DIV -> div(a, b);
      case MAXIMUM -> e.on(a, "max", b);
      case MINIMUM -> e.on(a, "min", b);
      case SQUARED_DIFFERENCE -> {
        Val d = sub(a, b);
        yield mul(d, d);
      }
      case FLOOR_DIV -> math.floorQuotient(div(a, b));
      case POW -> {
        Val p = e.on(a, "lanewise", op("POW", VectorOperators.Binary.class), b);
        Val one = e.mask(a, "eq", num(a.kind(), 1));
        Val minusOne = e.mask(a, "eq", num(a.kind(), -1));
        Val inf = e.mask(b, "test", op("IS_INFINITE"));
        yield blendS(p, 1, maskOr(one, maskAnd(minusOne, inf)));
      }
      case ATAN2 -> e.on(a, "lanewise", op("ATAN2", VectorOperators.Binary.class), b);
      case FLOOR_MOD -> throw new IllegalArgumentException(
          "FLOOR_MOD has no vector form" + (fl ? "" : " on integers"));
    };
  }

  /** {@code op(a, b)} as a mask over a's lanes. */
  Val compare(CompareOp op, Val a, Val b) {
    String c = switch (op) {
      case EQUAL -> "EQ";
      case NOT_EQUAL -> "NE";
      case LESS -> "LT";
      case LESS_EQUAL -> "LE";
      case GREATER -> "GT";
      case GREATER_EQUAL -> "GE";
    };
    return cmp(a, c, b);
  }

  /** {@code fma(±a, b, ±c)}. */
  Val fma(Val a, Val b, Val c, boolean negateProduct, boolean negateAddend) {
    return fma(negateProduct ? neg(a) : a, b, negateAddend ? neg(c) : c);
  }

  /** A numeric vector of kind {@code k} that is 1 where {@code m} is set and 0 elsewhere. */
  Val fromMask(VKind k, Val m) {
    return blendS(e.zero(k), 1, m);
  }

  /** {@code v != 0}, a mask (casts to BOOL; NaN is true). */
  Val nonZero(Val v) {
    return cmpS(v, "NE", 0);
  }

  /** The same lanes as a mask over kind {@code to}'s lanes (equal lane counts). */
  Val castMask(Val m, VKind to) {
    return m.kind() == to ? m : e.call(to, null, m, "cast", new Spec(to.laneKind()));
  }
}
