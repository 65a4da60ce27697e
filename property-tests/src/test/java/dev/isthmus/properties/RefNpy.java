package dev.isthmus.properties;

import dev.isthmus.DType;
import dev.isthmus.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A test-side {@code .npy} writer and reader, written from numpy's format description
 * independently of isthmus's: the writer makes files of any version, byte order and memory
 * order (more variety than the golden files), the reader reads back what {@code toNpy} wrote.
 * Elements travel as raw bits: floats as IEEE bits, BOOL as 0/1, in row-major order.
 */
final class RefNpy {
  private RefNpy() {}

  /** A decoded array: dtype, dims, raw bits row-major. */
  record Array(DType dtype, long[] dims, long[] bits) {}

  static String descr(DType t, ByteOrder order) {
    String o = order == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
    return switch (t) {
      case FLOAT32 -> o + "f4";
      case FLOAT64 -> o + "f8";
      case INT32 -> o + "i4";
      case INT64 -> o + "i8";
      case BOOL -> "|b1";
    };
  }

  /** The bytes of a .npy file of {@code a}, in the given format version and layout. */
  static byte[] encode(Array a, int version, ByteOrder order, boolean fortran) {
    StringBuilder shape = new StringBuilder("(");
    for (int i = 0; i < a.dims.length; i++) {
      shape.append(i > 0 ? ", " : "").append(a.dims[i]);
    }
    shape.append(a.dims.length == 1 ? ",)" : ")");
    // keys in a different order than numpy's, to show the reader does not depend on it
    String dict = "{'shape': " + shape + ", 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'descr': '" + descr(a.dtype, order) + "'}";
    int lenBytes = version == 1 ? 2 : 4;
    int pre = 8 + lenBytes;
    int pad = (64 - (pre + dict.length() + 1) % 64) % 64;
    byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.UTF_8);
    int item = a.dtype.byteSize();
    ByteBuffer data = ByteBuffer.allocate(a.bits.length * item).order(order);
    for (long src : fortran ? columnMajor(a) : a.bits) {
      switch (item) {
        case 1 -> data.put((byte) src);
        case 4 -> data.putInt((int) src);
        default -> data.putLong(src);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    ByteBuffer len = ByteBuffer.allocate(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
    if (version == 1) {
      len.putShort((short) header.length);
    } else {
      len.putInt(header.length);
    }
    out.writeBytes(len.array());
    out.writeBytes(header);
    out.writeBytes(data.array());
    return out.toByteArray();
  }

  /** The elements of {@code a} in column-major order. */
  private static long[] columnMajor(Array a) {
    int r = a.dims.length;
    long[] out = new long[a.bits.length];
    long[] idx = new long[r];
    for (int j = 0; j < out.length; j++) {
      // idx is the column-major multi-index of element j; find its row-major position
      long rowMajor = 0;
      for (int k = 0; k < r; k++) {
        rowMajor = rowMajor * a.dims[k] + idx[k];
      }
      out[j] = a.bits[(int) rowMajor];
      for (int k = 0; k < r; k++) {
        if (++idx[k] < a.dims[k]) {
          break;
        }
        idx[k] = 0;
      }
    }
    return out;
  }

  /** Reads a version 1.0, C-order file as numpy's {@code np.save} writes it. */
  static Array decode(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = Arrays.copyOf(file, 8);
    if (!Arrays.equals(magic, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})) {
      throw new AssertionError("not a version 1.0 .npy: " + Arrays.toString(magic));
    }
    int hlen = Short.toUnsignedInt(b.getShort(8));
    String h = new String(file, 10, hlen, StandardCharsets.US_ASCII);
    if ((10 + hlen) % 64 != 0 || !h.endsWith("\n")) {
      throw new AssertionError("header not padded to 64 with a final newline: " + h);
    }
    String descr = between(h, "'descr': '", "'");
    if (!between(h, "'fortran_order': ", ",").equals("False")) {
      throw new AssertionError("expected C order: " + h);
    }
    String shape = between(h, "'shape': (", ")");
    long[] dims = Arrays.stream(shape.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    DType t = null;
    for (DType c : DType.values()) {
      if (descr.equals(descr(c, ByteOrder.LITTLE_ENDIAN))
          || descr.equals(descr(c, ByteOrder.BIG_ENDIAN))) {
        t = c;
      }
    }
    if (t == null) {
      throw new AssertionError("unknown descr " + descr);
    }
    ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    long n = Arrays.stream(dims).reduce(1, (x, y) -> x * y);
    ByteBuffer data = ByteBuffer.wrap(file, 10 + hlen, file.length - 10 - hlen).slice().order(order);
    if (data.remaining() != n * t.byteSize()) {
      throw new AssertionError(data.remaining() + " data bytes for " + n + " elements");
    }
    long[] bits = new long[(int) n];
    for (int i = 0; i < n; i++) {
      bits[i] = switch (t.byteSize()) {
        case 1 -> data.get();
        case 4 -> data.getInt();
        default -> data.getLong();
      };
    }
    return new Array(t, dims, bits);
  }

  private static String between(String s, String from, String to) {
    int i = s.indexOf(from);
    if (i < 0) {
      throw new AssertionError("no " + from + " in " + s);
    }
    i += from.length();
    return s.substring(i, s.indexOf(to, i));
  }

  /** The dtype, dims and raw bits of a concrete tensor. */
  static Array of(Tensor t) {
    return new Array(t.dtype(), t.shape().dims(), MoveOpProperties.bits(t));
  }

  /** A tensor of the given raw bits. */
  static Tensor tensor(Array a) {
    int n = a.bits.length;
    return switch (a.dtype) {
      case FLOAT32 -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = Float.intBitsToFloat((int) a.bits[i]);
        }
        yield Tensor.of(v, a.dims);
      }
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = Double.longBitsToDouble(a.bits[i]);
        }
        yield Tensor.of(v, a.dims);
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = (int) a.bits[i];
        }
        yield Tensor.of(v, a.dims);
      }
      case INT64 -> Tensor.of(a.bits.clone(), a.dims);
      case BOOL -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = a.bits[i] != 0;
        }
        yield Tensor.of(v, a.dims);
      }
    };
  }

  /** Asserts that {@code t} is exactly {@code want}: dtype, shape and every bit. */
  static void assertSame(Array want, Tensor t, String what) {
    Array got = of(t);
    if (got.dtype != want.dtype || !Arrays.equals(got.dims, want.dims)
        || !Arrays.equals(got.bits, want.bits)) {
      throw new AssertionError(what + ": expected " + want.dtype + Arrays.toString(want.dims)
          + " " + hex(want) + " but got " + got.dtype + Arrays.toString(got.dims) + " "
          + hex(got));
    }
  }

  private static String hex(Array a) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.bits.length && i < 16; i++) {
      sb.append(i > 0 ? " " : "").append(Long.toHexString(a.bits[i]));
    }
    return sb.append(a.bits.length > 16 ? " ...]" : "]").toString();
  }
}
