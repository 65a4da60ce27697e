package dev.isthmus.kernels.fusion;

import static java.lang.classfile.ClassFile.ACC_FINAL;
import static java.lang.classfile.ClassFile.ACC_PRIVATE;
import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static java.lang.classfile.ClassFile.ACC_STATIC;
import static java.lang.classfile.ClassFile.ACC_SYNTHETIC;

import dev.isthmus.kernels.fusion.FusedNode.Binary;
import dev.isthmus.kernels.fusion.LoopWriter.Shape;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Compiles a {@link FusedExpr} into a hidden class, generated with {@code java.lang.classfile}
 * and defined with {@link MethodHandles.Lookup#defineHiddenClassWithClassData}. The class has two
 * static loop methods, {@code a} (over heap arrays) and {@code s} (over segments), each one
 * self-contained vector loop plus scalar tail ({@link LoopWriter}), and the two {@link
 * FusedKernel} entry points that unpack the operands and call them. The species, the native
 * byte order and two lane masks are the class data, loaded by {@code ldc} of dynamic constants
 * ({@link MethodHandles#classDataAt}), which C2 treats as constants.
 */
final class FusedCompiler {
  private FusedCompiler() {}

  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final ClassDesc SELF = ClassDesc.of(FusedCompiler.class.getPackageName(),
      "Fused");
  private static final VectorSpecies<Byte> BW = bytes(FloatVector.SPECIES_PREFERRED.length());
  private static final VectorSpecies<Byte> BW8 = bytes(DoubleVector.SPECIES_PREFERRED.length());
  private static final List<Object> DATA = data(BW);
  private static final List<Object> DATA8 = data(BW8);

  private static VectorSpecies<Byte> bytes(int lanes) {
    try {
      return VectorSpecies.of(byte.class, VectorShape.forBitSize(lanes * 8));
    } catch (IllegalArgumentException e) {
      return null; // e.g. 4 lanes: no 32-bit shape
    }
  }

  private static List<Object> data(VectorSpecies<Byte> bw) {
    int half = DoubleVector.SPECIES_PREFERRED.length();
    return Arrays.asList(FloatVector.SPECIES_PREFERRED, DoubleVector.SPECIES_PREFERRED,
        IntVector.SPECIES_PREFERRED, LongVector.SPECIES_PREFERRED, bw, ByteOrder.nativeOrder(),
        FloatVector.SPECIES_PREFERRED.indexInRange(-half, half),
        IntVector.SPECIES_PREFERRED.indexInRange(-half, half));
  }

  /** The outcome: a kernel, or why not. */
  record Output(FusedKernel kernel, Refusal refusal, int arraysBytes, int segmentsBytes,
      int lanes, String listing) {}

  static Output compile(FusedExpr expr, boolean print) {
    FusedExpr x = expr.lowered();
    Shape shape = shape(x);
    String why = check(x, shape);
    if (why != null) {
      return new Output(null, new Refusal(Refusal.Kind.UNSUPPORTED, why, 0), 0, 0, 0, null);
    }
    StringBuilder listing = print ? new StringBuilder() : null;
    byte[] bytes = ClassFile.of().build(SELF, clb -> {
      clb.withFlags(ACC_FINAL | ACC_SYNTHETIC);
      clb.withInterfaceSymbols(Emit.desc(FusedKernel.class));
      clb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ACC_PUBLIC, cb -> {
        cb.aload(0);
        cb.invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME,
            ConstantDescs.MTD_void);
        cb.return_();
      });
      MethodTypeDesc entry = MethodTypeDesc.of(ConstantDescs.CD_int,
          Emit.desc(MemorySegment[].class), Emit.desc(long[].class),
          Emit.desc(MemorySegment[].class), Emit.desc(long[].class),
          Emit.desc(FusedLayout.class), ConstantDescs.CD_long, ConstantDescs.CD_long,
          ConstantDescs.CD_long, ConstantDescs.CD_int);
      clb.withMethodBody("run", entry, ACC_PUBLIC, cb -> entry(cb, x));
      clb.withMethodBody("a", LoopWriter.type(x, true), ACC_PRIVATE | ACC_STATIC,
          cb -> new LoopWriter(x, true, shape, cb, listing).write());
      clb.withMethodBody("s", LoopWriter.type(x, false), ACC_PRIVATE | ACC_STATIC,
          cb -> new LoopWriter(x, false, shape, cb, null).write());
    });
    int a = codeLength(bytes, "a");
    int s = codeLength(bytes, "s");
    int max = Math.max(a, s);
    if (max > FusedKernels.MAX_METHOD_BYTES) {
      return new Output(null, new Refusal(Refusal.Kind.TOO_LARGE, "the loop method would be "
          + max + " bytes of bytecode, over HotSpot's " + FusedKernels.MAX_METHOD_BYTES
          + "-byte limit for compiling a method: split the expression", max), a, s,
          shape.w(), null);
    }
    try {
      MethodHandles.Lookup hidden = LOOKUP.defineHiddenClassWithClassData(bytes,
          shape.minBytes() == 8 ? DATA8 : DATA, true);
      FusedKernel k = (FusedKernel) hidden.findConstructor(hidden.lookupClass(),
          MethodType.methodType(void.class)).invoke();
      return new Output(k, null, a, s, shape.w(), listing == null ? null : listing.toString());
    } catch (Throwable t) {
      throw new IllegalStateException("the generated kernel for\n" + expr + "\ndid not load", t);
    }
  }

  /** The loop step: lanes of the narrowest numeric type (4-byte lanes if there is none). */
  static Shape shape(FusedExpr x) {
    int min = 8;
    boolean numeric = false;
    for (int i = 0; i < x.nodes().size(); i++) {
      ElementType t = x.type(i);
      if (t.numeric()) {
        numeric = true;
        min = Math.min(min, t.bytes());
      }
    }
    min = numeric ? min : 4;
    int w = min == 4 ? FloatVector.SPECIES_PREFERRED.length()
        : DoubleVector.SPECIES_PREFERRED.length();
    return new Shape(min, w);
  }

  /** Why {@code x} cannot be compiled here, or null. */
  static String check(FusedExpr x, Shape shape) {
    int operands = x.inputCount() + x.outputCount();
    if (operands > 80) {
      return operands + " inputs and outputs; at most 80 fit a method's parameters";
    }
    boolean bools = false;
    for (int i = 0; i < x.nodes().size(); i++) {
      if (x.type(i) == ElementType.BOOL) {
        bools = true;
      }
      if (x.extent(i) == FusedExpr.VARYING && x.nodes().get(i) instanceof Binary b) {
        String why = VectorOps.unsupported(b.op(), x.type(i));
        if (why != null) {
          return why;
        }
      }
    }
    if (bools && (shape.minBytes() == 8 ? BW8 : BW) == null) {
      return "bool values need a byte vector of " + shape.w() + " lanes, and this machine has"
          + " none";
    }
    if (shape.w() < 2) {
      return "the preferred species has one lane";
    }
    return null;
  }

  private static int codeLength(byte[] bytes, String method) {
    ClassModel m = ClassFile.of().parse(bytes);
    for (MethodModel mm : m.methods()) {
      if (mm.methodName().equalsString(method)) {
        return mm.code().map(c -> ((CodeAttribute) c).codeLength()).orElse(0);
      }
    }
    return 0;
  }

  /**
   * The entry point: finds the array behind each operand (inline, so that the {@code heapBase}
   * calls profile this kernel's operands only), then calls {@code a} with the arrays and their
   * indices, or {@code s} with the segments, if allowed.
   */
  private static void entry(CodeBuilder cb, FusedExpr x) {
    int in = cb.parameterSlot(0);
    int inOff = cb.parameterSlot(1);
    int out = cb.parameterSlot(2);
    int outOff = cb.parameterSlot(3);
    int allowed = cb.parameterSlot(8);
    int k = x.inputCount();
    int ops = k + x.outputCount();
    int[] arr = new int[ops];
    int[] idx = new int[ops];
    Label segments = cb.newLabel();
    ClassDesc seg = Emit.desc(MemorySegment.class);
    ClassDesc optional = Emit.desc(java.util.Optional.class);
    for (int i = 0; i < ops; i++) {
      boolean input = i < k;
      int at = input ? i : i - k;
      ElementType t = input ? x.input(i).type() : x.outputType(at);
      ClassDesc ac = Emit.desc(LoopWriter.arrayClass(t));
      int s = cb.allocateLocal(TypeKind.REFERENCE);
      int obj = cb.allocateLocal(TypeKind.REFERENCE);
      arr[i] = cb.allocateLocal(TypeKind.REFERENCE);
      idx[i] = cb.allocateLocal(TypeKind.LONG);
      cb.aload(input ? in : out);
      cb.loadConstant(at);
      cb.aaload();
      cb.astore(s);
      cb.aload(s);
      cb.invokeinterface(seg, "heapBase", MethodTypeDesc.of(optional));
      cb.aconst_null();
      cb.invokevirtual(optional, "orElse", MethodTypeDesc.of(ConstantDescs.CD_Object,
          ConstantDescs.CD_Object));
      cb.astore(obj);
      cb.aload(obj);
      cb.instanceOf(ac);
      cb.ifeq(segments);
      if (t.bytes() > 1) { // the elements must be the array's (a slice could be misaligned)
        cb.aload(s);
        cb.invokeinterface(seg, "address", MethodTypeDesc.of(ConstantDescs.CD_long));
        cb.loadConstant((long) t.bytes());
        cb.lrem();
        cb.lconst_0();
        cb.lcmp();
        cb.ifne(segments);
      }
      cb.aload(obj);
      cb.checkcast(ac);
      cb.astore(arr[i]);
      cb.aload(input ? inOff : outOff);
      cb.loadConstant(at);
      cb.laload();
      cb.aload(s);
      cb.invokeinterface(seg, "address", MethodTypeDesc.of(ConstantDescs.CD_long));
      cb.loadConstant((long) t.bytes());
      cb.ldiv(); // a heap segment's address is its byte offset in the array
      cb.ladd();
      cb.lstore(idx[i]);
    }
    Label runArrays = cb.newLabel();
    cb.iload(allowed);
    cb.loadConstant(FusedKernel.ARRAYS);
    cb.iand();
    cb.ifne(runArrays);
    cb.loadConstant(FusedKernel.ARRAYS);
    cb.ireturn();
    cb.labelBinding(runArrays);
    for (int i = 0; i < ops; i++) {
      cb.aload(arr[i]);
      cb.lload(idx[i]);
    }
    tail(cb);
    cb.invokestatic(SELF, "a", LoopWriter.type(x, true));
    cb.iconst_0();
    cb.ireturn();
    cb.labelBinding(segments);
    Label runSegments = cb.newLabel();
    cb.iload(allowed);
    cb.loadConstant(FusedKernel.SEGMENTS);
    cb.iand();
    cb.ifne(runSegments);
    cb.loadConstant(FusedKernel.SEGMENTS);
    cb.ireturn();
    cb.labelBinding(runSegments);
    for (int i = 0; i < ops; i++) {
      boolean input = i < k;
      int at = input ? i : i - k;
      cb.aload(input ? in : out);
      cb.loadConstant(at);
      cb.aaload();
      cb.aload(input ? inOff : outOff);
      cb.loadConstant(at);
      cb.laload();
    }
    tail(cb);
    cb.invokestatic(SELF, "s", LoopWriter.type(x, false));
    cb.iconst_0();
    cb.ireturn();
  }

  /** Pushes the layout and the row range. */
  private static void tail(CodeBuilder cb) {
    cb.aload(cb.parameterSlot(4));
    cb.lload(cb.parameterSlot(5));
    cb.lload(cb.parameterSlot(6));
    cb.lload(cb.parameterSlot(7));
  }
}
