package dev.isthmus.kernels.fusion;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A thin layer over a {@link CodeBuilder} for straight-line Vector API code: every value lives
 * in its own local ({@link Val}), and {@link #call} emits one Vector API method call (receiver
 * and arguments loaded, the call, the result stored), resolving the exact method by reflection
 * so that the descriptors are the JDK's. Species come from the class data (an {@code ldc} of a
 * dynamic constant, which C2 folds), the {@link VectorOperators} constants are {@code
 * getstatic}s of their static final fields, so C2 sees every operator as a constant and
 * intrinsifies it. When printing, each call is also written to a readable listing.
 */
final class Emit {
  /** A vector or mask in a local. */
  record Val(VKind kind, int slot) {}

  /** A scalar in a local. */
  record SVal(TypeKind kind, int slot) {}

  /** A {@link VectorOperators} constant, passed as a parameter of type {@code as}. */
  record Op(String name, Class<?> as) {}

  /** The species of a kind (from the class data). */
  record Spec(VKind kind) {}

  /** Anything else: pushed by {@code code}, passed as a parameter of type {@code type}. */
  record Push(Class<?> type, String text, Consumer<CodeBuilder> code) {}

  // Class data layout: species F, D, I, L, byte-of-W-lanes, native order, upper-half masks.
  static final int NATIVE = 5;
  static final int UPPER_F = 6;
  static final int UPPER_I = 7;

  /** A method looked up once, with its descriptor. */
  private record Resolved(Method method, MethodTypeDesc type) {}

  private record Key(Class<?> owner, String name, List<Class<?>> params) {}

  private static final Map<Key, Resolved> METHODS = new ConcurrentHashMap<>();
  private static final ClassValue<ClassDesc> DESCS = new ClassValue<>() {
    @Override
    protected ClassDesc computeValue(Class<?> c) {
      return c.describeConstable().orElseThrow();
    }
  };
  static final ClassDesc CD_SPECIES = desc(VectorSpecies.class);

  final CodeBuilder cb;
  private final StringBuilder listing;
  private final String indent;

  Emit(CodeBuilder cb, StringBuilder listing, String indent) {
    this.cb = cb;
    this.listing = listing;
    this.indent = indent;
  }

  static ClassDesc desc(Class<?> c) {
    return DESCS.get(c);
  }

  void note(String line) {
    if (listing != null) {
      listing.append(indent).append(line).append('\n');
    }
  }

  /** Loads class data entry {@code index} as a constant of {@code type}. */
  void classData(int index, Class<?> type) {
    cb.ldc(DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT,
        ConstantDescs.DEFAULT_NAME, desc(type), index));
  }

  void species(VKind k) {
    classData(k.species, VectorSpecies.class);
  }

  void nativeOrder() {
    classData(NATIVE, ByteOrder.class);
  }

  /** A {@link VectorOperators} constant passed as its own field type. */
  static Op op(String name) {
    try {
      return new Op(name, VectorOperators.class.getField(name).getType());
    } catch (NoSuchFieldException e) {
      throw new IllegalArgumentException("no operator " + name, e);
    }
  }

  /** A {@link VectorOperators} constant passed as {@code as} (e.g. ADD as a Binary). */
  static Op op(String name, Class<?> as) {
    return new Op(name, as);
  }

  private void push(Object arg) {
    switch (arg) {
      case Val v -> cb.aload(v.slot());
      case SVal s -> cb.loadLocal(s.kind(), s.slot());
      case Op o -> {
        try {
          Class<?> t = VectorOperators.class.getField(o.name()).getType();
          cb.getstatic(desc(VectorOperators.class), o.name(), desc(t));
        } catch (NoSuchFieldException e) {
          throw new IllegalArgumentException(o.name(), e);
        }
      }
      case Spec s -> species(s.kind());
      case Push p -> p.code().accept(cb);
      case Float f -> cb.loadConstant(f.floatValue());
      case Double d -> cb.loadConstant(d.doubleValue());
      case Integer i -> cb.loadConstant(i.intValue());
      case Long l -> cb.loadConstant(l.longValue());
      case Byte b -> cb.loadConstant((int) b);
      case Boolean z -> cb.loadConstant(z ? 1 : 0);
      default -> throw new IllegalArgumentException("cannot pass " + arg);
    }
  }

  private static Class<?> paramType(Object arg) {
    return switch (arg) {
      case Val v -> v.kind().mask() ? VectorMask.class : Vector.class;
      case SVal s -> switch (s.kind()) {
        case FLOAT -> float.class;
        case DOUBLE -> double.class;
        case LONG -> long.class;
        default -> int.class;
      };
      case Op o -> o.as();
      case Spec s -> VectorSpecies.class;
      case Push p -> p.type();
      case Float f -> float.class;
      case Double d -> double.class;
      case Integer i -> int.class;
      case Long l -> long.class;
      case Byte b -> byte.class;
      case Boolean z -> boolean.class;
      default -> throw new IllegalArgumentException("cannot pass " + arg);
    };
  }

  private static String text(Object arg) {
    return switch (arg) {
      case Val v -> "v" + v.slot();
      case SVal s -> "s" + s.slot();
      case Op o -> o.name();
      case Spec s -> "species(" + s.kind() + ")";
      case Push p -> p.text();
      default -> String.valueOf(arg);
    };
  }

  static Method method(Class<?> owner, String name, Class<?>... params) {
    return resolve(owner, name, params).method();
  }

  private static Resolved resolve(Class<?> owner, String name, Class<?>... params) {
    return METHODS.computeIfAbsent(new Key(owner, name, List.of(params)), k -> {
      try {
        Method m = owner.getMethod(name, params);
        ClassDesc[] ps = Arrays.stream(m.getParameterTypes()).map(Emit::desc)
            .toArray(ClassDesc[]::new);
        return new Resolved(m, MethodTypeDesc.of(desc(m.getReturnType()), ps));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("no method " + owner.getName() + "." + name
            + Arrays.toString(params), e);
      }
    });
  }

  /** Emits the invoke of {@code m} through {@code owner}. */
  void invoke(Class<?> owner, Method m) {
    Resolved r = resolve(owner, m.getName(), m.getParameterTypes());
    if (Modifier.isStatic(m.getModifiers())) {
      cb.invokestatic(desc(owner), m.getName(), r.type(), owner.isInterface());
    } else if (owner.isInterface()) {
      cb.invokeinterface(desc(owner), m.getName(), r.type());
    } else {
      cb.invokevirtual(desc(owner), m.getName(), r.type());
    }
  }

  /**
   * Emits {@code recv.name(args)} (or the static {@code owner.name(args)} when {@code recv} is
   * null), stores the result, a value of kind {@code result}, in a new local and returns it.
   */
  Val call(VKind result, Class<?> owner, Val recv, String name, Object... args) {
    Class<?> on = recv != null ? recv.kind().cls : owner;
    Method m = method(on, name, Arrays.stream(args).map(Emit::paramType).toArray(Class[]::new));
    if (recv != null) {
      cb.aload(recv.slot());
    }
    for (Object a : args) {
      push(a);
    }
    invoke(on, m);
    if (!result.cls.isAssignableFrom(m.getReturnType())) {
      cb.checkcast(desc(result.cls));
    }
    int slot = cb.allocateLocal(TypeKind.REFERENCE);
    cb.astore(slot);
    if (listing != null) {
      note("v" + slot + " = " + (recv != null ? "v" + recv.slot() : on.getSimpleName()) + "."
          + name + "(" + String.join(", ", Arrays.stream(args).map(Emit::text).toList()) + ")");
    }
    return new Val(result, slot);
  }

  /** Emits {@code recv.name(args)} for a method returning nothing (a store). */
  void callVoid(Val recv, String name, Object... args) {
    Method m = method(recv.kind().cls, name,
        Arrays.stream(args).map(Emit::paramType).toArray(Class[]::new));
    cb.aload(recv.slot());
    for (Object a : args) {
      push(a);
    }
    invoke(recv.kind().cls, m);
    note("v" + recv.slot() + "." + name + "("
        + String.join(", ", Arrays.stream(args).map(Emit::text).toList()) + ")");
  }

  /** A method on the value's own class: {@code v.name(args)}, of the same kind. */
  Val on(Val v, String name, Object... args) {
    return call(v.kind(), null, v, name, args);
  }

  /** {@code v.name(args)} giving a mask over v's lanes. */
  Val mask(Val v, String name, Object... args) {
    return call(v.kind().maskKind(), null, v, name, args);
  }

  /** A scalar result: emits the call and stores it in a new local of {@code kind}. */
  SVal callScalar(TypeKind kind, Val recv, String name, Object... args) {
    Method m = method(recv.kind().cls, name,
        Arrays.stream(args).map(Emit::paramType).toArray(Class[]::new));
    cb.aload(recv.slot());
    for (Object a : args) {
      push(a);
    }
    invoke(recv.kind().cls, m);
    int slot = cb.allocateLocal(kind);
    cb.storeLocal(kind, slot);
    note("s" + slot + " = v" + recv.slot() + "." + name + "("
        + String.join(", ", Arrays.stream(args).map(Emit::text).toList()) + ")");
    return new SVal(kind, slot);
  }

  /** A scalar constant of a kind's element type, boxed so that {@link #push} loads it. */
  static Object num(VKind k, double v) {
    return switch (k.laneKind()) {
      case F -> (float) v;
      case D -> v;
      case I -> (int) v;
      case L -> (long) v;
      default -> (byte) v;
    };
  }

  /** {@code k.broadcast(species, v)}. */
  Val broadcast(VKind k, Object v) {
    return call(k, k.cls, null, "broadcast", new Spec(k), v);
  }

  /** {@code k.zero(species)}. */
  Val zero(VKind k) {
    return call(k, k.cls, null, "zero", new Spec(k));
  }

  /** Copies a value into an existing local (for accumulators). */
  void move(Val from, Val to) {
    cb.aload(from.slot());
    cb.astore(to.slot());
    note("v" + to.slot() + " = v" + from.slot());
  }

  Val newLocal(VKind k) {
    return new Val(k, cb.allocateLocal(TypeKind.REFERENCE));
  }

  SVal newScalar(TypeKind k) {
    return new SVal(k, cb.allocateLocal(k));
  }
}
