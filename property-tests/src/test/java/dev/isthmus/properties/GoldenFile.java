package dev.isthmus.properties;

import dev.isthmus.DType;
import dev.isthmus.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the golden files written by {@code golden/gen_golden.py} (the format is described at the
 * top of that script): blocks of {@code case}, {@code op}, {@code attr}, {@code in}, {@code out},
 * {@code end} lines. Any malformed line is an error naming the file and line, never skipped.
 */
final class GoldenFile {
  private GoldenFile() {}

  /** One attribute: its type word and its value words. */
  record Attr(String type, String[] words) {}

  /** One golden case: the op, its attributes, inputs and expected outputs. */
  static final class Case {
    final String where; // file:line of the "case" line
    final String id;
    final String op;
    final Map<String, Attr> attrs;
    final List<Tensor> inputs;
    final List<Tensor> outputs;
    private final Set<String> read = new HashSet<>();

    Case(String where, String id, String op, Map<String, Attr> attrs, List<Tensor> inputs,
        List<Tensor> outputs) {
      this.where = where;
      this.id = id;
      this.op = op;
      this.attrs = attrs;
      this.inputs = inputs;
      this.outputs = outputs;
    }

    /** Input {@code i}. */
    Tensor in(int i) {
      if (i >= inputs.size()) {
        throw new IllegalArgumentException(where + ": " + op + " needs input " + i);
      }
      return inputs.get(i);
    }

    /** True if the case has attribute {@code name}. */
    boolean has(String name) {
      return attrs.containsKey(name);
    }

    /** The names of attributes no accessor has read yet (a typo in the file shows up here). */
    Set<String> unread() {
      Set<String> s = new HashSet<>(attrs.keySet());
      s.removeAll(read);
      return s;
    }

    private Attr attr(String name, String... types) {
      Attr a = attrs.get(name);
      if (a == null || !Arrays.asList(types).contains(a.type())) {
        throw new IllegalArgumentException(where + ": " + op + " needs attr " + name + " of type "
            + String.join("/", types) + (a == null ? "" : ", got " + a.type()));
      }
      read.add(name);
      return a;
    }

    /** The type word of attribute {@code name} (int, ints, bool, float, str, dtype). */
    String type(String name) {
      Attr a = attrs.get(name);
      if (a == null) {
        throw new IllegalArgumentException(where + ": " + op + " needs attr " + name);
      }
      return a.type();
    }

    int getInt(String name) {
      return Math.toIntExact(getLong(name));
    }

    long getLong(String name) {
      return Long.parseLong(attr(name, "int").words()[0]);
    }

    long[] getLongs(String name) {
      return Arrays.stream(attr(name, "ints").words()).mapToLong(Long::parseLong).toArray();
    }

    int[] getInts(String name) {
      return Arrays.stream(getLongs(name)).mapToInt(Math::toIntExact).toArray();
    }

    boolean getBool(String name) {
      return Boolean.parseBoolean(attr(name, "bool").words()[0]);
    }

    /** A float attribute (an int attribute is accepted and widened). */
    double getDouble(String name) {
      Attr a = attr(name, "float", "int");
      return a.type().equals("int") ? Long.parseLong(a.words()[0]) : number(a.words()[0]);
    }

    String getString(String name) {
      return attr(name, "str").words()[0];
    }

    DType getDType(String name) {
      return dtype(attr(name, "dtype").words()[0]);
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /** Every case of the resource {@code name} (e.g. "/golden/binary.txt"). */
  static List<Case> load(String name) {
    InputStream in = GoldenFile.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("golden file " + name + " is not on the class path");
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return parse(name, r.lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cases in {@code lines}; {@code file} names them in messages. */
  static List<Case> parse(String file, List<String> lines) {
    List<Case> cases = new ArrayList<>();
    String id = null, op = null, start = null;
    Map<String, Attr> attrs = new LinkedHashMap<>();
    List<Tensor> ins = new ArrayList<>(), outs = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      String at = file + ":" + (n + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] w = line.split(" +");
      boolean inCase = id != null;
      switch (w[0]) {
        case "case" -> {
          check(!inCase && w.length == 2, at, "a case inside a case, or a case without an id");
          id = w[1];
          start = at;
        }
        case "op" -> {
          check(inCase && op == null && w.length == 2, at, "one op per case");
          op = w[1];
        }
        case "attr" -> {
          check(inCase && w.length >= 3, at, "attr NAME TYPE VALUES");
          check(Set.of("int", "ints", "bool", "float", "str", "dtype").contains(w[2]), at,
              "an attr type of int, ints, bool, float, str or dtype");
          check(w[2].equals("ints") || w.length == 4, at, "exactly one value");
          check(attrs.put(w[1], new Attr(w[2], Arrays.copyOfRange(w, 3, w.length))) == null, at,
              "attr " + w[1] + " once");
        }
        case "in", "out" -> {
          check(inCase && w.length >= 3, at, "in|out DTYPE [DIMS] VALUES");
          (w[0].equals("in") ? ins : outs).add(tensor(at, w));
        }
        case "end" -> {
          check(inCase && op != null && !outs.isEmpty(), at, "a case with an op and an output");
          cases.add(new Case(start, id, op, attrs, ins, outs));
          id = op = null;
          attrs = new LinkedHashMap<>();
          ins = new ArrayList<>();
          outs = new ArrayList<>();
        }
        default -> check(false, at, "a line starting with case, op, attr, in, out or end");
      }
    }
    check(id == null, file, "an end for case " + id);
    return cases;
  }

  private static Tensor tensor(String at, String[] w) {
    DType t = dtype(w[1]);
    check(w[2].startsWith("[") && w[2].endsWith("]"), at, "dimensions as [d0,d1,...]");
    String dims = w[2].substring(1, w[2].length() - 1);
    long[] shape = dims.isEmpty() ? new long[0]
        : Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
    String[] v = Arrays.copyOfRange(w, 3, w.length);
    long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    check(v.length == size, at, size + " values for shape " + w[2] + ", got " + v.length);
    return switch (t) {
      case FLOAT32 -> {
        float[] a = new float[v.length];
        for (int i = 0; i < a.length; i++) {
          double d = number(v[i]);
          a[i] = (float) d;
          check(Double.isNaN(d) || a[i] == d, at, "a float32 value, got " + v[i]);
        }
        yield Tensor.of(a, shape);
      }
      case FLOAT64 -> Tensor.of(Arrays.stream(v).mapToDouble(GoldenFile::number).toArray(), shape);
      case INT32 -> Tensor.of(Arrays.stream(v).mapToInt(Integer::parseInt).toArray(), shape);
      case INT64 -> Tensor.of(Arrays.stream(v).mapToLong(Long::parseLong).toArray(), shape);
      case BOOL -> {
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < b.length; i++) {
          check(v[i].equals("0") || v[i].equals("1"), at, "a bool as 0 or 1, got " + v[i]);
          b[i] = v[i].equals("1");
        }
        yield Tensor.of(b, shape);
      }
    };
  }

  /** A float word: hexadecimal (as Python's float.hex), decimal, nan, inf or -inf. */
  static double number(String s) {
    return switch (s) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  static DType dtype(String name) {
    for (DType t : DType.values()) {
      if (t.numpyName().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown dtype " + name + "; expected one of "
        + Arrays.toString(DType.values()).toLowerCase(Locale.ROOT));
  }

  private static void check(boolean ok, String at, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(at + ": expected " + expected);
    }
  }
}
