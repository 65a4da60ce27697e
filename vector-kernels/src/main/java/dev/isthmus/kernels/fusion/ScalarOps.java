package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.BinaryScalar;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.CompareScalar;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.UnaryScalar;
import dev.isthmus.kernels.fusion.Emit.SVal;
import dev.isthmus.kernels.fusion.FusedNode.Literal;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * The scalar form of each operator, for the tail of each row and for uniform and per-row nodes:
 * calls of the per-op scalar twins ({@link UnaryScalar#apply}, {@link BinaryScalar#apply},
 * {@link CompareScalar#apply}) with the operator a {@code getstatic} constant, Java's primitive
 * conversions for casts, and {@link Math#fma}. BOOL values are ints, 0 or 1.
 */
final class ScalarOps {
  private final Emit e;
  private final CodeBuilder cb;

  ScalarOps(Emit e) {
    this.e = e;
    this.cb = e.cb;
  }

  private static final ClassDesc ACCESS = Emit.desc(FusedAccess.class);

  private static Class<?> prim(TypeKind k) {
    return switch (k) {
      case FLOAT -> float.class;
      case DOUBLE -> double.class;
      case LONG -> long.class;
      default -> int.class;
    };
  }

  private SVal store(TypeKind k, String text) {
    SVal s = e.newScalar(k);
    cb.storeLocal(k, s.slot());
    e.note("s" + s.slot() + " = " + text);
    return s;
  }

  private void load(SVal s) {
    cb.loadLocal(s.kind(), s.slot());
  }

  private void getstaticEnum(Enum<?> op) {
    ClassDesc c = Emit.desc(op.getDeclaringClass());
    cb.getstatic(c, op.name(), c);
  }

  private void twin(Class<?> owner, Enum<?> op, TypeKind ret, SVal... args) {
    getstaticEnum(op);
    for (SVal a : args) {
      load(a);
    }
    ClassDesc[] ps = new ClassDesc[args.length + 1];
    ps[0] = Emit.desc(op.getDeclaringClass());
    for (int i = 0; i < args.length; i++) {
      ps[i + 1] = Emit.desc(prim(args[i].kind()));
    }
    cb.invokestatic(Emit.desc(owner), "apply", MethodTypeDesc.of(Emit.desc(prim(ret)), ps));
  }

  SVal literal(Literal l) {
    TypeKind k = VKind.scalarOf(l.type());
    switch (l.type()) {
      case FLOAT32 -> cb.loadConstant(Float.intBitsToFloat((int) l.bits()));
      case FLOAT64 -> cb.loadConstant(Double.longBitsToDouble(l.bits()));
      case INT64 -> cb.loadConstant(l.bits());
      default -> cb.loadConstant((int) l.bits());
    }
    return store(k, FusedExpr.describe(l));
  }

  SVal unary(UnaryOp op, SVal x) {
    twin(UnaryScalar.class, op, x.kind(), x);
    return store(x.kind(), op + "(s" + x.slot() + ")");
  }

  SVal binary(BinaryOp op, SVal a, SVal b) {
    twin(BinaryScalar.class, op, a.kind(), a, b);
    return store(a.kind(), op + "(s" + a.slot() + ", s" + b.slot() + ")");
  }

  SVal compare(CompareOp op, SVal a, SVal b) {
    getstaticEnum(op);
    load(a);
    load(b);
    ClassDesc p = Emit.desc(prim(a.kind()));
    cb.invokestatic(Emit.desc(CompareScalar.class), "apply",
        MethodTypeDesc.of(Emit.desc(boolean.class), Emit.desc(CompareOp.class), p, p));
    return store(TypeKind.INT, op + "(s" + a.slot() + ", s" + b.slot() + ")");
  }

  SVal logic(LogicOp op, SVal a, SVal b) {
    load(a);
    switch (op) {
      case AND -> {
        load(b);
        cb.iand();
      }
      case OR -> {
        load(b);
        cb.ior();
      }
      case XOR -> {
        load(b);
        cb.ixor();
      }
      case XNOR -> {
        load(b);
        cb.ixor();
        cb.iconst_1();
        cb.ixor();
      }
      case NOT -> {
        cb.iconst_1();
        cb.ixor();
      }
    }
    return store(TypeKind.INT, op + "(s" + a.slot() + ", s" + b.slot() + ")");
  }

  SVal select(SVal c, SVal a, SVal b) {
    load(c);
    load(a);
    load(b);
    ClassDesc p = Emit.desc(prim(a.kind()));
    cb.invokestatic(ACCESS, "select", MethodTypeDesc.of(p, Emit.desc(boolean.class), p, p));
    return store(a.kind(), "select(s" + c.slot() + ", s" + a.slot() + ", s" + b.slot() + ")");
  }

  SVal fma(SVal a, SVal b, SVal c, boolean negateProduct, boolean negateAddend) {
    boolean f = a.kind() == TypeKind.FLOAT;
    load(a);
    if (negateProduct) {
      if (f) {
        cb.fneg();
      } else {
        cb.dneg();
      }
    }
    load(b);
    load(c);
    if (negateAddend) {
      if (f) {
        cb.fneg();
      } else {
        cb.dneg();
      }
    }
    ClassDesc p = Emit.desc(prim(a.kind()));
    cb.invokestatic(Emit.desc(Math.class), "fma", MethodTypeDesc.of(p, p, p, p));
    return store(a.kind(), "fma(s" + a.slot() + ", s" + b.slot() + ", s" + c.slot() + ")");
  }

  /** {@code (to) x} with Java's conversions; BOOL to a number is 0 or 1, a number to BOOL x != 0. */
  SVal cast(ElementType from, ElementType to, SVal x) {
    load(x);
    if (to == ElementType.BOOL) {
      cb.invokestatic(ACCESS, "nonZero", MethodTypeDesc.of(Emit.desc(boolean.class),
          Emit.desc(prim(x.kind()))));
      return store(TypeKind.INT, "s" + x.slot() + " != 0");
    }
    TypeKind src = from == ElementType.BOOL ? TypeKind.INT : x.kind();
    TypeKind dst = VKind.scalarOf(to);
    if (src != dst) {
      cb.conversion(src, dst);
    }
    return store(dst, "(" + to.shortName() + ") s" + x.slot());
  }
}
