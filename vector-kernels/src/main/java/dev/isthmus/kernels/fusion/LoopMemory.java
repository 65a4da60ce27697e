package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.fusion.Emit.Push;
import dev.isthmus.kernels.fusion.Emit.SVal;
import dev.isthmus.kernels.fusion.Emit.Spec;
import dev.isthmus.kernels.fusion.Emit.Val;
import dev.isthmus.kernels.fusion.FusedNode.Input;
import dev.isthmus.kernels.fusion.LoopWriter.Shape;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Loads and stores of the generated loop: vectors from and into the operands' arrays ({@code
 * fromArray}, {@code intoArray}, int indices) or segments ({@code fromMemorySegment}, long byte
 * offsets, native order), BOOL bytes through a byte vector of {@code W} lanes and a mask, and the
 * scalar accesses of the tail ({@code xaload}, or {@code getAtIndex} with unaligned layouts).
 */
final class LoopMemory {
  private final LoopWriter w;
  private final boolean arrays;
  private final Shape shape;
  private final Emit e;
  private final CodeBuilder cb;
  private final FusedExpr x;
  NodeForms forms;

  LoopMemory(LoopWriter w) {
    this.w = w;
    this.arrays = w.arrays();
    this.shape = w.shape();
    this.e = w.emit();
    this.cb = w.code();
    this.x = w.expr();
  }

  private Push at(int k, int part, int bytes) {
    return arrays
        ? new Push(int.class, "b" + k + "+j" + (part > 0 ? "+" + part : ""), c -> {
            c.iload(w.base[k]);
            c.iload(w.jSlot());
            c.iadd();
            if (part > 0) {
              c.loadConstant(part);
              c.iadd();
            }
          })
        : new Push(long.class, "(b" + k + "+j)*" + bytes, c -> {
            c.lload(w.base[k]);
            c.lload(w.jSlot());
            c.ladd();
            if (part > 0) {
              c.loadConstant((long) part);
              c.ladd();
            }
            if (bytes > 1) {
              c.loadConstant((long) bytes);
              c.lmul();
            }
          });
  }

  private Push ref(int operand, Class<?> type) {
    int slot = w.refSlot(operand);
    return new Push(arrays ? type : MemorySegment.class, "in" + operand, c -> c.aload(slot));
  }

  private Push nativeOrder() {
    return new Push(java.nio.ByteOrder.class, "NATIVE", c -> e.nativeOrder());
  }

  Val[] load(Input in) {
    int k = in.index();
    ElementType t = in.type();
    if (t == ElementType.BOOL) {
      Val bytes = arrays
          ? e.call(VKind.B, VKind.B.cls, null, "fromArray", new Spec(VKind.B),
              ref(k, byte[].class), at(k, 0, 1))
          : e.call(VKind.B, VKind.B.cls, null, "fromMemorySegment", new Spec(VKind.B),
              ref(k, null), at(k, 0, 1), nativeOrder());
      return new Val[] {e.mask(bytes, "compare", Emit.op("NE"), (byte) 0)};
    }
    VKind kind = VKind.of(t);
    int parts = shape.parts(kind);
    Val[] out = new Val[parts];
    int lanes = shape.w() / parts;
    for (int p = 0; p < parts; p++) {
      out[p] = arrays
          ? e.call(kind, kind.cls, null, "fromArray", new Spec(kind), ref(k, LoopWriter.arrayClass(t)),
              at(k, p * lanes, t.bytes()))
          : e.call(kind, kind.cls, null, "fromMemorySegment", new Spec(kind), ref(k, null),
              at(k, p * lanes, t.bytes()), nativeOrder());
    }
    return out;
  }

  void storeVector(int m, Val[] v) {
    int operand = x.inputCount() + m;
    ElementType t = x.outputType(m);
    int slot = w.obase[m];
    if (t == ElementType.BOOL) {
      Val mask = forms.maskTo(v, VKind.MB)[0];
      Val bytes = e.on(e.zero(VKind.B), "blend", (byte) 1, mask);
      store(bytes, operand, slot, 0, 1, byte[].class);
      return;
    }
    int lanes = shape.w() / v.length;
    for (int p = 0; p < v.length; p++) {
      store(v[p], operand, slot, p * lanes, t.bytes(), LoopWriter.arrayClass(t));
    }
  }

  private void store(Val v, int operand, int slot, int part, int bytes, Class<?> arrayType) {
    Push index = arrays
        ? new Push(int.class, "o+j", c -> {
            c.iload(slot);
            c.iload(w.jSlot());
            c.iadd();
            if (part > 0) {
              c.loadConstant(part);
              c.iadd();
            }
          })
        : new Push(long.class, "(o+j)*" + bytes, c -> {
            c.lload(slot);
            c.lload(w.jSlot());
            c.ladd();
            if (part > 0) {
              c.loadConstant((long) part);
              c.ladd();
            }
            if (bytes > 1) {
              c.loadConstant((long) bytes);
              c.lmul();
            }
          });
    if (arrays) {
      e.callVoid(v, "intoArray", ref(operand, arrayType), index);
    } else {
      e.callVoid(v, "intoMemorySegment", ref(operand, null), index, nativeOrder());
    }
  }

  /** Pushes the index of input k's element: at its offset, its row base, or base + j. */
  private void pushScalarIndex(Input in, boolean tail) {
    int k = in.index();
    if (in.pattern() == Pattern.SCALAR) {
      cb.lload(w.idxSlot(k));
      if (arrays) {
        cb.l2i();
      }
      return;
    }
    w.loadIdx(w.base[k]);
    if (tail) {
      w.loadIdx(w.jSlot());
      w.addIdx();
    }
  }

  SVal loadScalar(Input in, boolean tail) {
    ElementType t = in.type();
    TypeKind k = VKind.scalarOf(t);
    if (arrays) {
      cb.aload(w.refSlot(in.index()));
      pushScalarIndex(in, tail);
      cb.arrayLoad(t == ElementType.BOOL ? TypeKind.BYTE : k);
    } else {
      cb.aload(w.refSlot(in.index()));
      layoutConstant(t);
      pushScalarIndex(in, tail);
      cb.invokeinterface(Emit.desc(MemorySegment.class), t == ElementType.BOOL ? "get"
          : "getAtIndex", MethodTypeDesc.of(Emit.desc(t == ElementType.BOOL ? byte.class
          : prim(k)), Emit.desc(layoutClass(t)), Emit.desc(long.class)));
    }
    if (t == ElementType.BOOL) {
      cb.invokestatic(Emit.desc(FusedAccess.class), "nonZero", MethodTypeDesc.of(
          Emit.desc(boolean.class), Emit.desc(int.class)));
    }
    SVal s = e.newScalar(k);
    cb.storeLocal(k, s.slot());
    e.note("s" + s.slot() + " = in" + in.index() + "[" + (tail ? "b+j" : "b") + "]");
    return s;
  }

  void storeScalar(int m, SVal v) {
    int operand = x.inputCount() + m;
    storeScalarAt(operand, x.outputType(m), v, () -> {
      w.loadIdx(w.obase[m]);
      w.loadIdx(w.jSlot());
      w.addIdx();
    });
  }

  /** Stores v as element {@code index} (pushed as the index kind) of an output operand. */
  void storeScalarAt(int operand, ElementType t, SVal v, Runnable index) {
    TypeKind k = VKind.scalarOf(t);
    cb.aload(w.refSlot(operand));
    if (!arrays) {
      layoutConstant(t);
    }
    index.run();
    cb.loadLocal(k, v.slot());
    if (t == ElementType.BOOL) {
      cb.i2b();
    }
    if (arrays) {
      cb.arrayStore(t == ElementType.BOOL ? TypeKind.BYTE : k);
    } else {
      cb.invokeinterface(Emit.desc(MemorySegment.class), t == ElementType.BOOL ? "set"
          : "setAtIndex", MethodTypeDesc.of(Emit.desc(void.class), Emit.desc(layoutClass(t)),
          Emit.desc(long.class), Emit.desc(t == ElementType.BOOL ? byte.class : prim(k))));
    }
  }

  private static Class<?> prim(TypeKind k) {
    return switch (k) {
      case FLOAT -> float.class;
      case DOUBLE -> double.class;
      case LONG -> long.class;
      default -> int.class;
    };
  }

  private static Class<?> layoutClass(ElementType t) {
    return switch (t) {
      case FLOAT32 -> ValueLayout.OfFloat.class;
      case FLOAT64 -> ValueLayout.OfDouble.class;
      case INT32 -> ValueLayout.OfInt.class;
      case INT64 -> ValueLayout.OfLong.class;
      case BOOL -> ValueLayout.OfByte.class;
    };
  }

  private void layoutConstant(ElementType t) {
    String name = switch (t) {
      case FLOAT32 -> "JAVA_FLOAT_UNALIGNED";
      case FLOAT64 -> "JAVA_DOUBLE_UNALIGNED";
      case INT32 -> "JAVA_INT_UNALIGNED";
      case INT64 -> "JAVA_LONG_UNALIGNED";
      case BOOL -> "JAVA_BYTE";
    };
    cb.getstatic(Emit.desc(ValueLayout.class), name, Emit.desc(layoutClass(t)));
  }
}
