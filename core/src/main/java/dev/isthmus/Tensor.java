package dev.isthmus;

import dev.isthmus.internal.Buffers;
import dev.isthmus.internal.Pending;
import dev.isthmus.internal.TensorAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * An immutable n-dimensional array of one {@link DType}, as TensorFlow's {@code tf.Tensor}.
 *
 * <p>Dense, row-major and contiguous, over a {@link MemorySegment}: heap memory by default,
 * off-heap with {@link #toOffHeap()}. Tensors are values; only {@code Variable}s change.
 *
 * <p>Every op is available both as {@code Ops.op(x, ...)} and as {@code x.op(...)}; the two go
 * through the same dispatch path.
 */
public final class Tensor {
  static {
    TensorAccess.install(new TensorAccess() {
      @Override
      public Tensor create(DType dtype, Shape shape, MemorySegment data) {
        return new Tensor(dtype, shape, data);
      }

      @Override
      public MemorySegment data(Tensor t) {
        return t.data();
      }

      @Override
      public boolean isLiteral(Tensor t) {
        return t.literal;
      }

      @Override
      public Tensor pending(DType dtype, Shape shape, Pending p, int index) {
        return new Tensor(dtype, shape, p, index);
      }

      @Override
      public Pending pendingOf(Tensor t) {
        return t.pending;
      }
    });
  }

  private final DType dtype;
  private final Shape shape;
  private final MemorySegment data; // shape.size() elements of dtype, native order; null if symbolic
  private final Operation op; // the producing graph node of a symbolic tensor, else null
  private final int outputIndex;
  // A value the user wrote down (Tensor.of, scalars), as opposed to the result of an eager op.
  // Graphs turn literals into Const nodes, as TensorFlow converts numpy values; an eager op's
  // result can only enter a graph by being captured into a function.
  private final boolean literal;
  // An async scope's output not computed yet (or computed since): the op that produces it.
  private final Pending pending;

  private Tensor(DType dtype, Shape shape, MemorySegment data) {
    this(dtype, shape, data, false);
  }

  private Tensor(DType dtype, Shape shape, MemorySegment data, boolean literal) {
    assert data.byteSize() == shape.size() * dtype.byteSize();
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
    this.op = null;
    this.outputIndex = 0;
    this.literal = literal;
    this.pending = null;
  }

  /** A pending tensor: output {@code index} of an op an async scope has queued. */
  private Tensor(DType dtype, Shape shape, Pending p, int index) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = null;
    this.op = null;
    this.outputIndex = index;
    this.literal = false;
    this.pending = p;
  }

  /** A symbolic tensor: output {@code index} of graph node {@code op}. */
  Tensor(Operation op, int index, DType dtype, Shape shape) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = null;
    this.op = op;
    this.outputIndex = index;
    this.literal = false;
    this.pending = null;
  }

  MemorySegment data() {
    if (data != null) {
      return data;
    }
    if (pending != null) {
      return pending.await(outputIndex).data();
    }
    throw new FailedPreconditionException(
        "tensor '" + name() + "' " + describe() + " is symbolic: the output of op "
            + op.type() + " in graph '" + op.graph().name() + "' has no value. "
            + "Evaluate it with Session.run, or call a Function to get eager tensors");
  }

  // ---------------------------------------------------------------- factories

  /** A FLOAT32 tensor of the given shape; {@code values} is copied. No shape: rank 1. */
  public static Tensor of(float[] values, long... shape) {
    return copyOf("Tensor.of", DType.FLOAT32, MemorySegment.ofArray(values), values.length, shape);
  }

  /** A rank-1 FLOAT32 tensor; a scalar is {@link #scalar(float)}. */
  public static Tensor of(float... values) {
    return of(values, new long[] {values.length});
  }

  /** A FLOAT64 tensor of the given shape; {@code values} is copied. */
  public static Tensor of(double[] values, long... shape) {
    return copyOf("Tensor.of", DType.FLOAT64, MemorySegment.ofArray(values), values.length, shape);
  }

  /** A rank-1 FLOAT64 tensor. */
  public static Tensor of(double... values) {
    return of(values, new long[] {values.length});
  }

  /** An INT32 tensor of the given shape; {@code values} is copied. */
  public static Tensor of(int[] values, long... shape) {
    return copyOf("Tensor.of", DType.INT32, MemorySegment.ofArray(values), values.length, shape);
  }

  /** A rank-1 INT32 tensor. */
  public static Tensor of(int... values) {
    return of(values, new long[] {values.length});
  }

  /** An INT64 tensor of the given shape; {@code values} is copied. */
  public static Tensor of(long[] values, long... shape) {
    return copyOf("Tensor.of", DType.INT64, MemorySegment.ofArray(values), values.length, shape);
  }

  /** A rank-1 INT64 tensor. */
  public static Tensor of(long... values) {
    return of(values, new long[] {values.length});
  }

  /** A BOOL tensor of the given shape; {@code values} is copied. */
  public static Tensor of(boolean[] values, long... shape) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (values[i] ? 1 : 0);
    }
    return copyOf("Tensor.of", DType.BOOL, MemorySegment.ofArray(b), b.length, shape);
  }

  /** A rank-1 BOOL tensor. */
  public static Tensor of(boolean... values) {
    return of(values, new long[] {values.length});
  }

  /** A FLOAT32 scalar. */
  public static Tensor scalar(float v) {
    return of(new float[] {v}, new long[0]);
  }

  /** A FLOAT64 scalar. */
  public static Tensor scalar(double v) {
    return of(new double[] {v}, new long[0]);
  }

  /** An INT32 scalar. */
  public static Tensor scalar(int v) {
    return of(new int[] {v}, new long[0]);
  }

  /** An INT64 scalar. */
  public static Tensor scalar(long v) {
    return of(new long[] {v}, new long[0]);
  }

  /** A BOOL scalar. */
  public static Tensor scalar(boolean v) {
    return of(new boolean[] {v}, new long[0]);
  }

  private static Tensor copyOf(String op, DType t, MemorySegment src, int n, long[] dims) {
    Shape s = Shape.of(dims);
    if (s.size() != n) {
      throw new InvalidArgumentException(
          op + ": " + n + " " + t.numpyName() + " values cannot fill shape " + s + " ("
              + s.size() + " elements); expected exactly " + s.size() + " values");
    }
    MemorySegment dst = Buffers.allocate(t, n);
    MemorySegment.copy(src, 0, dst, 0, (long) n * t.byteSize());
    return new Tensor(t, s, dst, true);
  }

  // ---------------------------------------------------------------- properties

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The dimensions. */
  public Shape shape() {
    if (pending != null && !pending.shapeExact()) {
      return pending.await(outputIndex).shape();
    }
    return shape;
  }

  /** The number of dimensions: {@code shape().rank()}. */
  public int rank() {
    return shape().rank();
  }

  /** The number of elements: {@code shape().size()}. */
  public long size() {
    return shape().size();
  }

  /** True when this tensor's memory is off the Java heap. */
  public boolean isOffHeap() {
    return data().isNative();
  }

  /** A copy of this tensor in off-heap memory, freed when the copy becomes unreachable. */
  public Tensor toOffHeap() {
    MemorySegment d = data();
    MemorySegment dst = Arena.ofAuto().allocate(d.byteSize(), 64);
    MemorySegment.copy(d, 0, dst, 0, d.byteSize());
    return new Tensor(dtype, shape(), dst, literal);
  }

  /**
   * True for a graph node's output, which has a dtype and shape but no value (a TensorFlow
   * symbolic tensor); false for a concrete (eager) tensor.
   */
  public boolean isSymbolic() {
    return op != null;
  }

  /** The graph node that produces this symbolic tensor, or null for a concrete tensor. */
  public Operation op() {
    return op;
  }

  /** Which output of {@link #op()} this symbolic tensor is (0 for concrete tensors). */
  public int outputIndex() {
    return outputIndex;
  }

  /**
   * TensorFlow's tensor name, {@code "<op name>:<output index>"} (e.g. {@code "add:0"}), for a
   * symbolic tensor; {@code null} for a concrete one.
   */
  public String name() {
    return op == null ? null : op.name() + ":" + outputIndex;
  }

  // ---------------------------------------------------------------- reads

  /** The elements, row-major. Needs FLOAT32. */
  public float[] toFloatArray() {
    return (float[]) toArray("toFloatArray", DType.FLOAT32);
  }

  /** The elements, row-major. Needs FLOAT64. */
  public double[] toDoubleArray() {
    return (double[]) toArray("toDoubleArray", DType.FLOAT64);
  }

  /** The elements, row-major. Needs INT32. */
  public int[] toIntArray() {
    return (int[]) toArray("toIntArray", DType.INT32);
  }

  /** The elements, row-major. Needs INT64. */
  public long[] toLongArray() {
    return (long[]) toArray("toLongArray", DType.INT64);
  }

  /** The elements, row-major. Needs BOOL. */
  public boolean[] toBooleanArray() {
    MemorySegment d = checkedData("toBooleanArray", DType.BOOL);
    boolean[] out = new boolean[Math.toIntExact(shape().size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.get(ValueLayout.JAVA_BYTE, i) != 0;
    }
    return out;
  }

  private Object toArray(String op, DType want) {
    MemorySegment d = checkedData(op, want);
    if (shape().size() > Integer.MAX_VALUE - 8) {
      throw new InvalidArgumentException(
          op + ": tensor " + describe() + " has " + shape().size()
              + " elements, more than a Java array holds");
    }
    return switch (want) {
      case FLOAT32 -> d.toArray(ValueLayout.JAVA_FLOAT);
      case FLOAT64 -> d.toArray(ValueLayout.JAVA_DOUBLE);
      case INT32 -> d.toArray(ValueLayout.JAVA_INT);
      case INT64 -> d.toArray(ValueLayout.JAVA_LONG);
      case BOOL -> d.toArray(ValueLayout.JAVA_BYTE);
    };
  }

  private MemorySegment checkedData(String op, DType want) {
    if (dtype != want) {
      throw new InvalidArgumentException(
          op + ": tensor " + describe() + " has dtype " + dtype.numpyName() + "; expected "
              + want.numpyName() + " (convert with Ops.cast)");
    }
    return data();
  }

  /** The FLOAT32 element at {@code index} (one index per axis). */
  public float getFloat(long... index) {
    return checkedData("getFloat", DType.FLOAT32)
        .getAtIndex(ValueLayout.JAVA_FLOAT, offset("getFloat", index));
  }

  /** The FLOAT64 element at {@code index}. */
  public double getDouble(long... index) {
    return checkedData("getDouble", DType.FLOAT64)
        .getAtIndex(ValueLayout.JAVA_DOUBLE, offset("getDouble", index));
  }

  /** The INT32 element at {@code index}. */
  public int getInt(long... index) {
    return checkedData("getInt", DType.INT32).getAtIndex(ValueLayout.JAVA_INT, offset("getInt", index));
  }

  /** The INT64 element at {@code index}. */
  public long getLong(long... index) {
    return checkedData("getLong", DType.INT64)
        .getAtIndex(ValueLayout.JAVA_LONG, offset("getLong", index));
  }

  /** The BOOL element at {@code index}. */
  public boolean getBoolean(long... index) {
    return checkedData("getBoolean", DType.BOOL)
        .get(ValueLayout.JAVA_BYTE, offset("getBoolean", index)) != 0;
  }

  /**
   * The value of a rank-0 tensor as a double (BOOL gives 0 or 1), as numpy's {@code item()}.
   *
   * @throws InvalidArgumentException if this tensor is not a scalar
   */
  public double item() {
    if (shape().rank() != 0) {
      throw new InvalidArgumentException(
          "item: tensor " + describe() + " is not a scalar; expected shape []");
    }
    MemorySegment d = data();
    return switch (dtype) {
      case FLOAT32 -> d.get(ValueLayout.JAVA_FLOAT, 0);
      case FLOAT64 -> d.get(ValueLayout.JAVA_DOUBLE, 0);
      case INT32 -> d.get(ValueLayout.JAVA_INT, 0);
      case INT64 -> d.get(ValueLayout.JAVA_LONG, 0);
      case BOOL -> d.get(ValueLayout.JAVA_BYTE, 0);
    };
  }

  private long offset(String op, long[] index) {
    if (index.length != shape().rank()) {
      throw new InvalidArgumentException(
          op + ": " + index.length + " indices " + Arrays.toString(index) + " for tensor "
              + describe() + "; expected " + shape().rank());
    }
    long off = 0;
    for (int i = 0; i < index.length; i++) {
      long d = shape().dim(i);
      if (index[i] < 0 || index[i] >= d) {
        throw new InvalidArgumentException(
            op + ": index " + Arrays.toString(index) + " is out of range for tensor "
                + describe() + " at axis " + i + "; expected 0 <= index < " + d);
      }
      off = off * d + index[i];
    }
    return off;
  }

  /** {@code float32[2, 3]}: the dtype and shape, as error messages name a tensor. */
  public String describe() {
    return dtype.numpyName() + shape();
  }

  /**
   * numpy-like text, as TensorFlow prints a tensor: {@code tf.Tensor([1. 2.], shape=(2,),
   * dtype=float32)}. Large tensors are summarised with {@code ...}.
   */
  @Override
  public String toString() {
    if (op != null) {
      return "Tensor(\"" + name() + "\", shape=" + TensorFormat.shapeText(shape()) + ", dtype="
          + dtype.numpyName() + ")";
    }
    return TensorFormat.format(this);
  }

  // ---------------------------------------------------------------- fluent ops (= Ops.*)
  // Each method is exactly Ops.<name>(this, ...). Sections by op family.

  // ---- unary
  /** {@link Ops#neg}. */
  public Tensor neg() {
    return Ops.neg(this);
  }

  /** {@link Ops#abs}. */
  public Tensor abs() {
    return Ops.abs(this);
  }

  /** {@link Ops#sign}. */
  public Tensor sign() {
    return Ops.sign(this);
  }

  /** {@link Ops#exp}. */
  public Tensor exp() {
    return Ops.exp(this);
  }

  /** {@link Ops#expm1}. */
  public Tensor expm1() {
    return Ops.expm1(this);
  }

  /** {@link Ops#log}. */
  public Tensor log() {
    return Ops.log(this);
  }

  /** {@link Ops#log1p}. */
  public Tensor log1p() {
    return Ops.log1p(this);
  }

  /** {@link Ops#sqrt}. */
  public Tensor sqrt() {
    return Ops.sqrt(this);
  }

  /** {@link Ops#rsqrt}. */
  public Tensor rsqrt() {
    return Ops.rsqrt(this);
  }

  /** {@link Ops#square}. */
  public Tensor square() {
    return Ops.square(this);
  }

  /** {@link Ops#reciprocal}. */
  public Tensor reciprocal() {
    return Ops.reciprocal(this);
  }

  /** {@link Ops#sin}. */
  public Tensor sin() {
    return Ops.sin(this);
  }

  /** {@link Ops#cos}. */
  public Tensor cos() {
    return Ops.cos(this);
  }

  /** {@link Ops#atan}. */
  public Tensor atan() {
    return Ops.atan(this);
  }

  /** {@link Ops#tanh}. */
  public Tensor tanh() {
    return Ops.tanh(this);
  }

  /** {@link Ops#sigmoid}. */
  public Tensor sigmoid() {
    return Ops.sigmoid(this);
  }

  /** {@link Ops#relu}. */
  public Tensor relu() {
    return Ops.relu(this);
  }

  /** {@link Ops#relu6}. */
  public Tensor relu6() {
    return Ops.relu6(this);
  }

  /** {@link Ops#elu}. */
  public Tensor elu() {
    return Ops.elu(this);
  }

  /** {@link Ops#gelu(Tensor)}. */
  public Tensor gelu() {
    return Ops.gelu(this);
  }

  /** {@link Ops#gelu(Tensor, boolean)}. */
  public Tensor gelu(boolean approximate) {
    return Ops.gelu(this, approximate);
  }

  /** {@link Ops#softplus}. */
  public Tensor softplus() {
    return Ops.softplus(this);
  }

  /** {@link Ops#floor}. */
  public Tensor floor() {
    return Ops.floor(this);
  }

  /** {@link Ops#ceil}. */
  public Tensor ceil() {
    return Ops.ceil(this);
  }

  /** {@link Ops#round}. */
  public Tensor round() {
    return Ops.round(this);
  }
  // ---- end unary

  // ---- binary
  /** {@link Ops#add(Tensor, Tensor)}. */
  public Tensor add(Tensor y) {
    return Ops.add(this, y);
  }

  /** {@link Ops#add(Tensor, double)}. */
  public Tensor add(double y) {
    return Ops.add(this, y);
  }

  /** {@link Ops#sub(Tensor, Tensor)}. */
  public Tensor sub(Tensor y) {
    return Ops.sub(this, y);
  }

  /** {@link Ops#sub(Tensor, double)}. */
  public Tensor sub(double y) {
    return Ops.sub(this, y);
  }

  /** {@link Ops#mul(Tensor, Tensor)}. */
  public Tensor mul(Tensor y) {
    return Ops.mul(this, y);
  }

  /** {@link Ops#mul(Tensor, double)}. */
  public Tensor mul(double y) {
    return Ops.mul(this, y);
  }

  /** {@link Ops#div(Tensor, Tensor)}. */
  public Tensor div(Tensor y) {
    return Ops.div(this, y);
  }

  /** {@link Ops#div(Tensor, double)}. */
  public Tensor div(double y) {
    return Ops.div(this, y);
  }

  /** {@link Ops#floorDiv(Tensor, Tensor)}. */
  public Tensor floorDiv(Tensor y) {
    return Ops.floorDiv(this, y);
  }

  /** {@link Ops#floorMod(Tensor, Tensor)}. */
  public Tensor floorMod(Tensor y) {
    return Ops.floorMod(this, y);
  }

  /** {@link Ops#pow(Tensor, Tensor)}. */
  public Tensor pow(Tensor y) {
    return Ops.pow(this, y);
  }

  /** {@link Ops#pow(Tensor, double)}. */
  public Tensor pow(double y) {
    return Ops.pow(this, y);
  }

  /** {@link Ops#maximum(Tensor, Tensor)}. */
  public Tensor maximum(Tensor y) {
    return Ops.maximum(this, y);
  }

  /** {@link Ops#maximum(Tensor, double)}. */
  public Tensor maximum(double y) {
    return Ops.maximum(this, y);
  }

  /** {@link Ops#minimum(Tensor, Tensor)}. */
  public Tensor minimum(Tensor y) {
    return Ops.minimum(this, y);
  }

  /** {@link Ops#minimum(Tensor, double)}. */
  public Tensor minimum(double y) {
    return Ops.minimum(this, y);
  }

  /** {@link Ops#squaredDifference(Tensor, Tensor)}. */
  public Tensor squaredDifference(Tensor y) {
    return Ops.squaredDifference(this, y);
  }

  /** {@link Ops#atan2(Tensor, Tensor)}. */
  public Tensor atan2(Tensor y) {
    return Ops.atan2(this, y);
  }

  /** {@link Ops#equal}. */
  public Tensor equal(Tensor y) {
    return Ops.equal(this, y);
  }

  /** {@link Ops#notEqual}. */
  public Tensor notEqual(Tensor y) {
    return Ops.notEqual(this, y);
  }

  /** {@link Ops#less}. */
  public Tensor less(Tensor y) {
    return Ops.less(this, y);
  }

  /** {@link Ops#lessEqual}. */
  public Tensor lessEqual(Tensor y) {
    return Ops.lessEqual(this, y);
  }

  /** {@link Ops#greater}. */
  public Tensor greater(Tensor y) {
    return Ops.greater(this, y);
  }

  /** {@link Ops#greaterEqual}. */
  public Tensor greaterEqual(Tensor y) {
    return Ops.greaterEqual(this, y);
  }

  /** {@link Ops#logicalAnd}. */
  public Tensor logicalAnd(Tensor y) {
    return Ops.logicalAnd(this, y);
  }

  /** {@link Ops#logicalOr}. */
  public Tensor logicalOr(Tensor y) {
    return Ops.logicalOr(this, y);
  }

  /** {@link Ops#logicalNot}. */
  public Tensor logicalNot() {
    return Ops.logicalNot(this);
  }

  /** {@link Ops#where}, with this tensor as the condition. */
  public Tensor where(Tensor x, Tensor y) {
    return Ops.where(this, x, y);
  }

  /** {@link Ops#cast}. */
  public Tensor cast(DType dtype) {
    return Ops.cast(this, dtype);
  }

  /** {@link Ops#clipByValue(Tensor, Tensor, Tensor)}. */
  public Tensor clipByValue(Tensor min, Tensor max) {
    return Ops.clipByValue(this, min, max);
  }

  /** {@link Ops#clipByValue(Tensor, double, double)}. */
  public Tensor clipByValue(double min, double max) {
    return Ops.clipByValue(this, min, max);
  }
  // ---- end binary

  // ---- reduction

  /** {@link Ops#reduceSum(Tensor, int...)}. */
  public Tensor reduceSum(int... axes) {
    return Ops.reduceSum(this, axes);
  }

  /** {@link Ops#reduceSum(Tensor, boolean, int...)}. */
  public Tensor reduceSum(boolean keepDims, int... axes) {
    return Ops.reduceSum(this, keepDims, axes);
  }

  /** {@link Ops#reduceMean(Tensor, int...)}. */
  public Tensor reduceMean(int... axes) {
    return Ops.reduceMean(this, axes);
  }

  /** {@link Ops#reduceMean(Tensor, boolean, int...)}. */
  public Tensor reduceMean(boolean keepDims, int... axes) {
    return Ops.reduceMean(this, keepDims, axes);
  }

  /** {@link Ops#reduceMax(Tensor, int...)}. */
  public Tensor reduceMax(int... axes) {
    return Ops.reduceMax(this, axes);
  }

  /** {@link Ops#reduceMax(Tensor, boolean, int...)}. */
  public Tensor reduceMax(boolean keepDims, int... axes) {
    return Ops.reduceMax(this, keepDims, axes);
  }

  /** {@link Ops#reduceMin(Tensor, int...)}. */
  public Tensor reduceMin(int... axes) {
    return Ops.reduceMin(this, axes);
  }

  /** {@link Ops#reduceMin(Tensor, boolean, int...)}. */
  public Tensor reduceMin(boolean keepDims, int... axes) {
    return Ops.reduceMin(this, keepDims, axes);
  }

  /** {@link Ops#reduceProd(Tensor, int...)}. */
  public Tensor reduceProd(int... axes) {
    return Ops.reduceProd(this, axes);
  }

  /** {@link Ops#reduceProd(Tensor, boolean, int...)}. */
  public Tensor reduceProd(boolean keepDims, int... axes) {
    return Ops.reduceProd(this, keepDims, axes);
  }

  /** {@link Ops#reduceAll(Tensor, int...)}. */
  public Tensor reduceAll(int... axes) {
    return Ops.reduceAll(this, axes);
  }

  /** {@link Ops#reduceAll(Tensor, boolean, int...)}. */
  public Tensor reduceAll(boolean keepDims, int... axes) {
    return Ops.reduceAll(this, keepDims, axes);
  }

  /** {@link Ops#reduceAny(Tensor, int...)}. */
  public Tensor reduceAny(int... axes) {
    return Ops.reduceAny(this, axes);
  }

  /** {@link Ops#reduceAny(Tensor, boolean, int...)}. */
  public Tensor reduceAny(boolean keepDims, int... axes) {
    return Ops.reduceAny(this, keepDims, axes);
  }

  /** {@link Ops#argMax}. */
  public Tensor argMax(int axis) {
    return Ops.argMax(this, axis);
  }

  /** {@link Ops#argMin}. */
  public Tensor argMin(int axis) {
    return Ops.argMin(this, axis);
  }

  /** {@link Ops#softmax(Tensor)}. */
  public Tensor softmax() {
    return Ops.softmax(this);
  }

  /** {@link Ops#softmax(Tensor, int)}. */
  public Tensor softmax(int axis) {
    return Ops.softmax(this, axis);
  }

  /** {@link Ops#logSoftmax(Tensor)}. */
  public Tensor logSoftmax() {
    return Ops.logSoftmax(this);
  }

  /** {@link Ops#logSoftmax(Tensor, int)}. */
  public Tensor logSoftmax(int axis) {
    return Ops.logSoftmax(this, axis);
  }
  // ---- end reduction

  // ---- shape
  /** {@link Ops#reshape}. */
  public Tensor reshape(long... shape) {
    return Ops.reshape(this, shape);
  }

  /** {@link Ops#transpose}. */
  public Tensor transpose(int... perm) {
    return Ops.transpose(this, perm);
  }

  /** {@link Ops#expandDims}. */
  public Tensor expandDims(int axis) {
    return Ops.expandDims(this, axis);
  }

  /** {@link Ops#squeeze}. */
  public Tensor squeeze(int... axes) {
    return Ops.squeeze(this, axes);
  }

  /** {@link Ops#split(Tensor, int, int)}. */
  public java.util.List<Tensor> split(int numSplits, int axis) {
    return Ops.split(this, numSplits, axis);
  }

  /** {@link Ops#split(Tensor, long[], int)}. */
  public java.util.List<Tensor> split(long[] sizeSplits, int axis) {
    return Ops.split(this, sizeSplits, axis);
  }

  /** {@link Ops#slice}. */
  public Tensor slice(long[] begin, long[] size) {
    return Ops.slice(this, begin, size);
  }

  /** {@link Ops#stridedSlice(Tensor, long[], long[], long[])}. */
  public Tensor stridedSlice(long[] begin, long[] end, long[] strides) {
    return Ops.stridedSlice(this, begin, end, strides);
  }

  /** {@link Ops#stridedSlice(Tensor, long[], long[], long[], int, int, int, int, int)}. */
  public Tensor stridedSlice(long[] begin, long[] end, long[] strides, int beginMask,
      int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask) {
    return Ops.stridedSlice(this, begin, end, strides, beginMask, endMask, ellipsisMask,
        newAxisMask, shrinkAxisMask);
  }

  /** {@link Ops#gather(Tensor, Tensor, int)}, this tensor being the params. */
  public Tensor gather(Tensor indices, int axis) {
    return Ops.gather(this, indices, axis);
  }

  /** {@link Ops#gather(Tensor, Tensor)}, this tensor being the params. */
  public Tensor gather(Tensor indices) {
    return Ops.gather(this, indices);
  }

  /** {@link Ops#oneHot(Tensor, int)}, this tensor being the indices. */
  public Tensor oneHot(int depth) {
    return Ops.oneHot(this, depth);
  }

  /** {@link Ops#oneHot(Tensor, int, double, double, int, DType)}, this being the indices. */
  public Tensor oneHot(int depth, double onValue, double offValue, int axis, DType dtype) {
    return Ops.oneHot(this, depth, onValue, offValue, axis, dtype);
  }

  /** {@link Ops#tile}. */
  public Tensor tile(long... multiples) {
    return Ops.tile(this, multiples);
  }

  /** {@link Ops#broadcastTo}. */
  public Tensor broadcastTo(long... shape) {
    return Ops.broadcastTo(this, shape);
  }

  /** {@link Ops#pad(Tensor, long[][])}. */
  public Tensor pad(long[][] paddings) {
    return Ops.pad(this, paddings);
  }

  /** {@link Ops#pad(Tensor, long[][], double)}. */
  public Tensor pad(long[][] paddings, double constantValue) {
    return Ops.pad(this, paddings, constantValue);
  }

  /** {@link Ops#pad(Tensor, long[][], String)}. */
  public Tensor pad(long[][] paddings, String mode) {
    return Ops.pad(this, paddings, mode);
  }

  /** {@link Ops#zerosLike}. */
  public Tensor zerosLike() {
    return Ops.zerosLike(this);
  }

  /** {@link Ops#onesLike}. */
  public Tensor onesLike() {
    return Ops.onesLike(this);
  }
  // ---- end shape

  // ---- matmul
  /** {@link Ops#matmul(Tensor, Tensor)}: {@code this * b} over the last two axes. */
  public Tensor matmul(Tensor b) {
    return Ops.matmul(this, b);
  }
  // ---- end matmul

  // ---- npy
  /**
   * Reads a numpy {@code .npy} file, as {@code np.load}: format versions 1.0, 2.0 and 3.0, either
   * byte order, C or Fortran order (Fortran data are transposed into row-major), dtypes
   * {@code f4 f8 i4 i8 b1}, scalars and empty arrays. Files of 4 MB or more whose data need no
   * conversion (native byte order, C order, aligned) are memory-mapped read-only, not copied: the
   * tensor is then off-heap and the file must not change while it lives; the mapping is released
   * when the tensor is garbage-collected.
   *
   * @throws InvalidArgumentException naming the file and the problem, for anything that is not a
   *     well-formed .npy file of a supported dtype (bad magic or version, a malformed header, a
   *     shape that does not match the data, truncated or trailing data, ...)
   * @throws java.io.UncheckedIOException if the file cannot be read (missing, no permission)
   */
  public static Tensor fromNpy(java.nio.file.Path path) {
    return Npy.read(path);
  }

  /**
   * Writes this tensor as a numpy {@code .npy} file, as {@code np.save}: version 1.0, C order,
   * native byte order, byte for byte what numpy writes for the same array. The file is written
   * beside {@code path} and then moved over it, so a failed write leaves no partial file.
   *
   * @throws InvalidArgumentException if the tensor has more than numpy's 64 dimensions
   * @throws java.io.UncheckedIOException if the file cannot be written
   */
  public void toNpy(java.nio.file.Path path) {
    Npy.write(this, path);
  }

  /** A tensor over data read from a file: a value the user supplied, as {@code Tensor.of}. */
  static Tensor ofNpyData(DType dtype, Shape shape, MemorySegment data) {
    return new Tensor(dtype, shape, data, true);
  }
  // ---- end npy
}
