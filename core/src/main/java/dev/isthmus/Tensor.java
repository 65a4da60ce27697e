package dev.isthmus;

import dev.isthmus.internal.Buffers;
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
    });
  }

  private final DType dtype;
  private final Shape shape;
  private final MemorySegment data; // shape.size() elements of dtype, native order

  private Tensor(DType dtype, Shape shape, MemorySegment data) {
    assert data.byteSize() == shape.size() * dtype.byteSize();
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  MemorySegment data() {
    return data;
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
    return new Tensor(t, s, dst);
  }

  // ---------------------------------------------------------------- properties

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The dimensions. */
  public Shape shape() {
    return shape;
  }

  /** The number of dimensions: {@code shape().rank()}. */
  public int rank() {
    return shape.rank();
  }

  /** The number of elements: {@code shape().size()}. */
  public long size() {
    return shape.size();
  }

  /** True when this tensor's memory is off the Java heap. */
  public boolean isOffHeap() {
    return data.isNative();
  }

  /** A copy of this tensor in off-heap memory, freed when the copy becomes unreachable. */
  public Tensor toOffHeap() {
    MemorySegment dst = Arena.ofAuto().allocate(data.byteSize(), 64);
    MemorySegment.copy(data, 0, dst, 0, data.byteSize());
    return new Tensor(dtype, shape, dst);
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
    boolean[] out = new boolean[Math.toIntExact(shape.size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.get(ValueLayout.JAVA_BYTE, i) != 0;
    }
    return out;
  }

  private Object toArray(String op, DType want) {
    MemorySegment d = checkedData(op, want);
    if (shape.size() > Integer.MAX_VALUE - 8) {
      throw new InvalidArgumentException(
          op + ": tensor " + describe() + " has " + shape.size()
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
    if (shape.rank() != 0) {
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
    if (index.length != shape.rank()) {
      throw new InvalidArgumentException(
          op + ": " + index.length + " indices " + Arrays.toString(index) + " for tensor "
              + describe() + "; expected " + shape.rank());
    }
    long off = 0;
    for (int i = 0; i < index.length; i++) {
      long d = shape.dim(i);
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
    return dtype.numpyName() + shape;
  }

  /**
   * numpy-like text, as TensorFlow prints a tensor: {@code tf.Tensor([1. 2.], shape=(2,),
   * dtype=float32)}. Large tensors are summarised with {@code ...}.
   */
  @Override
  public String toString() {
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

  // ---- end binary

  // ---- reduction

  // ---- end reduction

  // ---- shape

  // ---- end shape

  // ---- matmul

  // ---- end matmul
}
