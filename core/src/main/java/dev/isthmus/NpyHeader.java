package dev.isthmus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The preamble and header of a {@code .npy} file (numpy's {@code numpy/lib/format.py}): the magic
 * {@code \x93NUMPY}, a version byte pair (1.0, 2.0 or 3.0), the header length (2 bytes
 * little-endian in 1.0, 4 in 2.0 and 3.0), then the header: a Python dict literal with exactly
 * the keys {@code descr}, {@code fortran_order} and {@code shape}, in ASCII (1.0, 2.0; numpy
 * decodes latin-1, but every header of our five dtypes is ASCII) or UTF-8 (3.0).
 *
 * @param dtype the element type
 * @param order the file's byte order ({@link ByteOrder#nativeOrder()} for one-byte BOOL)
 * @param fortran true when the data are column-major
 * @param dims the shape, checked: at most {@link #MAX_RANK} non-negative dimensions
 * @param dataBytes the number of data bytes the shape and dtype call for
 */
record NpyHeader(DType dtype, ByteOrder order, boolean fortran, long[] dims, long dataBytes) {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Headers longer than this are refused before being read: no valid header of ours nears it. */
  static final int MAX_HEADER = 1 << 16;
  /** numpy's {@code NPY_MAXDIMS}. */
  static final int MAX_RANK = 64;
  private static final int ALIGN = 64; // numpy's ARRAY_ALIGN
  private static final int GROWTH_AXIS_MAX_DIGITS = 21; // numpy pads the shape for appending

  /** True when the data can be used as they are: native order, and C order (or same layout). */
  boolean isNativeLayout() {
    return (dtype == DType.BOOL || order == ByteOrder.nativeOrder()) && !needsTranspose();
  }

  /** True for Fortran order with two or more axes longer than 1 (else both orders coincide). */
  boolean needsTranspose() {
    if (!fortran) {
      return false;
    }
    int longAxes = 0;
    for (long d : dims) {
      longAxes += d > 1 ? 1 : 0;
    }
    return longAxes > 1;
  }

  /** The element count. */
  long size() {
    return dataBytes / dtype.byteSize();
  }

  /** Bytes of the preamble before the header: magic, version, header length. */
  static int preambleLength(int major) {
    return MAGIC.length + 2 + (major == 1 ? 2 : 4);
  }

  /**
   * Checks the 8 bytes of magic and version, returning the major version.
   *
   * @throws InvalidArgumentException on a bad magic or an unsupported version
   */
  static int version(String where, byte[] first8) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (first8[i] != MAGIC[i]) {
        throw new InvalidArgumentException(
            where + ": not a .npy file: it starts with " + hex(first8, MAGIC.length)
                + ", not the magic \\x93NUMPY");
      }
    }
    int major = first8[6] & 0xff;
    int minor = first8[7] & 0xff;
    if (major < 1 || major > 3 || minor != 0) {
      throw new InvalidArgumentException(
          where + ": unsupported .npy format version " + major + "." + minor
              + "; expected 1.0, 2.0 or 3.0");
    }
    return major;
  }

  /** True if {@code bytes} (shorter than the magic) could still be the start of a .npy file. */
  static boolean isMagicPrefix(byte[] bytes) {
    for (int i = 0; i < bytes.length && i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** The header length stored after the version: unsigned little-endian, 2 or 4 bytes. */
  static long headerLength(byte[] field) {
    long n = 0;
    for (int i = field.length - 1; i >= 0; i--) {
      n = n << 8 | (field[i] & 0xff);
    }
    return n;
  }

  /**
   * Parses and checks a header of version {@code major}.
   *
   * @throws InvalidArgumentException naming {@code where} and what is wrong
   */
  static NpyHeader parse(String where, int major, byte[] raw) {
    String text;
    if (major < 3) {
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] < 0) {
          throw new InvalidArgumentException(
              where + ": bad .npy header: byte 0x" + Integer.toHexString(raw[i] & 0xff)
                  + " at offset " + i + " is not ASCII; a version " + major
                  + ".0 header of a supported dtype is ASCII (non-ASCII needs version 3.0)");
        }
      }
      text = new String(raw, StandardCharsets.US_ASCII);
    } else {
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(raw)).toString();
      } catch (CharacterCodingException e) {
        throw new InvalidArgumentException(
            where + ": bad .npy header: a version 3.0 header must be UTF-8, and this one is not ("
                + e + ")");
      }
    }
    Map<String, Object> d = NpyDict.parse(where, text, major < 3);
    if (!d.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
      throw bad(where, "the keys are " + d.keySet().stream().map(NpyDict::repr).toList()
          + "; expected exactly 'descr', 'fortran_order' and 'shape'");
    }
    Object fo = d.get("fortran_order");
    if (!(fo instanceof Boolean fortran)) {
      throw bad(where, "fortran_order is " + NpyDict.repr(fo) + "; expected True or False");
    }
    Object descr = d.get("descr");
    if (descr instanceof List<?>) {
      throw bad(where, "descr is a list " + NpyDict.repr(descr)
          + ": structured dtypes are not supported; expected one of " + SUPPORTED);
    }
    if (!(descr instanceof String ds)) {
      throw bad(where, "descr is " + NpyDict.repr(descr) + "; expected a dtype string like '<f4'");
    }
    DType dtype = dtype(where, ds);
    ByteOrder order = switch (ds.isEmpty() ? ' ' : ds.charAt(0)) {
      case '<' -> dtype == DType.BOOL ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
      case '>' -> dtype == DType.BOOL ? ByteOrder.nativeOrder() : ByteOrder.BIG_ENDIAN;
      default -> ByteOrder.nativeOrder(); // '=', '|' (BOOL only) or none: native, as numpy
    };
    long[] dims = dims(where, d.get("shape"));
    long bytes = dataBytes(where, dims, dtype);
    return new NpyHeader(dtype, order, fortran, dims, bytes);
  }

  private static final String SUPPORTED =
      "'<f4' float32, '<f8' float64, '<i4' int32, '<i8' int64 (each also '>' or '=') and '|b1' "
          + "bool";

  private static DType dtype(String where, String descr) {
    char o = descr.isEmpty() ? ' ' : descr.charAt(0);
    boolean hasOrder = o == '<' || o == '>' || o == '=' || o == '|';
    String body = hasOrder ? descr.substring(1) : descr;
    DType t = switch (body) {
      case "f4" -> DType.FLOAT32;
      case "f8" -> DType.FLOAT64;
      case "i4" -> DType.INT32;
      case "i8" -> DType.INT64;
      case "b1", "?" -> DType.BOOL;
      default -> null;
    };
    if (t == null) {
      throw bad(where, "unsupported dtype descr '" + descr + "'" + numpyName(body)
          + "; expected one of " + SUPPORTED);
    }
    if (o == '|' && t != DType.BOOL) {
      throw bad(where, "descr '" + descr + "' says byte order '|' (not applicable), which only "
          + "one-byte types may; expected '<', '>' or '='");
    }
    return t;
  }

  /** " (numpy's complex64)" for a descr body numpy would know, else "". */
  private static String numpyName(String body) {
    if (body.isEmpty()) {
      return "";
    }
    String digits = body.substring(1);
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9' || i > 6) {
        return "";
      }
    }
    int size = digits.isEmpty() ? 0 : Integer.parseInt(digits);
    String name = switch (body.charAt(0)) {
      case 'f' -> "float" + size * 8;
      case 'i' -> "int" + size * 8;
      case 'u' -> "uint" + size * 8;
      case 'c' -> "complex" + size * 8;
      case 'b' -> size <= 1 ? "int8" : null;
      case 'U' -> "str";
      case 'S' -> "bytes";
      case 'O' -> "object: pickled Python objects";
      case 'V' -> "void";
      case 'M' -> "datetime64";
      case 'm' -> "timedelta64";
      default -> null;
    };
    return name == null ? "" : " (numpy " + name + ")";
  }

  private static long[] dims(String where, Object shape) {
    if (!(shape instanceof NpyDict.Tuple t)) {
      throw bad(where, "shape is " + NpyDict.repr(shape) + "; expected a tuple of ints such as "
          + "(2, 3), (3,) or ()");
    }
    List<Object> items = t.items();
    if (items.size() > MAX_RANK) {
      throw bad(where, "shape has " + items.size() + " dimensions; numpy allows at most "
          + MAX_RANK);
    }
    long[] dims = new long[items.size()];
    for (int i = 0; i < dims.length; i++) {
      if (!(items.get(i) instanceof Long v)) {
        throw bad(where, "shape " + NpyDict.repr(shape) + " has " + NpyDict.repr(items.get(i))
            + " at axis " + i + "; expected an int");
      }
      if (v < 0) {
        throw bad(where, "shape " + NpyDict.repr(shape) + " has the negative dimension " + v
            + " at axis " + i);
      }
      dims[i] = v;
    }
    return dims;
  }

  /** shape * itemsize, refusing overflow even when a zero dimension makes the product 0. */
  private static long dataBytes(String where, long[] dims, DType dtype) {
    long n = dtype.byteSize();
    boolean empty = false;
    for (long d : dims) {
      if (d == 0) {
        empty = true;
        continue;
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw bad(where, "shape " + Arrays.toString(dims) + " of " + dtype.numpyName()
            + " needs more than 2^63 bytes");
      }
    }
    return empty ? 0 : n;
  }

  private static InvalidArgumentException bad(String where, String problem) {
    return new InvalidArgumentException(where + ": bad .npy header: " + problem);
  }

  private static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n && i < b.length; i++) {
      sb.append(i > 0 ? " " : "").append(String.format("%02x", b[i] & 0xff));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- writing

  /** The descr of {@code t} in native byte order, as numpy's {@code dtype.str}. */
  static String descr(DType t) {
    char o = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
    return switch (t) {
      case FLOAT32 -> o + "f4";
      case FLOAT64 -> o + "f8";
      case INT32 -> o + "i4";
      case INT64 -> o + "i8";
      case BOOL -> "|b1";
    };
  }

  /**
   * Preamble and header for a C-ordered native-order array, byte for byte what numpy's
   * {@code np.save} writes (sorted keys, growth padding, total a multiple of 64, ending in a
   * newline). Always version 1.0: with at most {@link #MAX_RANK} dimensions the header stays
   * under 1.5 KB, far inside 1.0's 65535 bytes, so 2.0 is never needed.
   */
  static byte[] format(DType t, long[] dims) {
    StringBuilder h = new StringBuilder("{'descr': '").append(descr(t))
        .append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < dims.length; i++) {
      h.append(i > 0 ? ", " : "").append(dims[i]);
    }
    h.append(dims.length == 1 ? ",), }" : "), }");
    if (dims.length > 0) {
      h.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(dims[0]).length()));
    }
    int hlen = h.length() + 1;
    int pad = ALIGN - (preambleLength(1) + hlen) % ALIGN;
    h.append(" ".repeat(pad)).append('\n');
    int len = h.length();
    assert len <= 0xffff : "a header of at most 64 dims is short";
    byte[] out = new byte[preambleLength(1) + len];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) len;
    out[9] = (byte) (len >>> 8);
    byte[] text = h.toString().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, out, 10, text.length);
    return out;
  }
}
