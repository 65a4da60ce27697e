package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Tensor.toString against TensorFlow's {@code str(tensor)}, as written by numpy into {@code
 * golden/format/format_cases.txt} (see {@code gen_format_cases.py} beside it).
 */
class TensorFormatTest {
  private static final String CASES = "/golden/format/format_cases.txt";

  record Case(String name, DType dtype, long[] shape, String[] values, String expected) {}

  @TestFactory
  Stream<DynamicTest> matchesNumpy() throws IOException {
    List<Case> cases = readCases();
    assertTrue(cases.size() >= 70, "expected the golden file's cases, read " + cases.size());
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(),
        () -> assertEquals(c.expected(), tensor(c).toString(), c.name())));
  }

  @Test
  void examplesFromTheDocs() {
    assertEquals("tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)",
        Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
    assertEquals("tf.Tensor(3.5, shape=(), dtype=float32)", Tensor.scalar(3.5f).toString());
    assertEquals("tf.Tensor([ True False], shape=(2,), dtype=bool)",
        Tensor.of(true, false).toString());
    assertEquals("tf.Tensor([ 1 -2], shape=(2,), dtype=int32)", Tensor.of(1, -2).toString());
  }

  @Test
  void shapeTextIsTensorShapes() {
    assertEquals("()", TensorFormat.shapeText(Shape.scalar()));
    assertEquals("(3,)", TensorFormat.shapeText(Shape.of(3)));
    assertEquals("(2, 0, 4)", TensorFormat.shapeText(Shape.of(2, 0, 4)));
  }

  @Test
  void shortestDigitsPreferOneDigitWhereJavaPrintsTwo() {
    // Java prints 4.9E-324; the shortest decimal that reads back is 5e-324.
    assertEquals("5e-324", TensorFormatFloats.scalar(Double.MIN_VALUE, false));
    assertEquals("1e-45", TensorFormatFloats.scalar(Float.MIN_VALUE, true));
    assertEquals("0.1", TensorFormatFloats.scalar(0.1f, true));
    assertEquals("0.10000000149011612", TensorFormatFloats.scalar((double) 0.1f, false));
  }

  @Test
  void largeTensorsAreSummarisedNotWalked() {
    // 10^8 elements: only the corners are read and printed.
    Tensor big = Ops.zeros(DType.INT32, 10_000, 10_000);
    String s = big.toString();
    assertEquals("tf.Tensor(\n[[0 0 0 ... 0 0 0]\n [0 0 0 ... 0 0 0]\n [0 0 0 ... 0 0 0]\n ...\n"
        + " [0 0 0 ... 0 0 0]\n [0 0 0 ... 0 0 0]\n [0 0 0 ... 0 0 0]],"
        + " shape=(10000, 10000), dtype=int32)", s);
  }

  private static Tensor tensor(Case c) {
    String[] v = c.values();
    return switch (c.dtype()) {
      case FLOAT32 -> {
        float[] a = new float[v.length];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) parse(v[i]); // the exact value of a float32: no double rounding
        }
        yield Tensor.of(a, c.shape());
      }
      case FLOAT64 -> Tensor.of(Arrays.stream(v).mapToDouble(TensorFormatTest::parse).toArray(),
          c.shape());
      case INT32 -> Tensor.of(Arrays.stream(v).mapToInt(Integer::parseInt).toArray(), c.shape());
      case INT64 -> Tensor.of(Arrays.stream(v).mapToLong(Long::parseLong).toArray(), c.shape());
      case BOOL -> {
        boolean[] a = new boolean[v.length];
        for (int i = 0; i < a.length; i++) {
          a[i] = v[i].equals("1");
        }
        yield Tensor.of(a, c.shape());
      }
    };
  }

  private static double parse(String s) {
    return switch (s) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private static List<Case> readCases() throws IOException {
    InputStream in = TensorFormatTest.class.getResourceAsStream(CASES);
    assertNotNull(in, "missing test resource " + CASES);
    List<Case> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String name = field(line, "case");
        DType dtype = DType.valueOf(field(r.readLine(), "dtype").toUpperCase());
        String dims = field(r.readLine(), "shape").trim();
        long[] shape = dims.isEmpty()
            ? new long[0]
            : Arrays.stream(dims.split(" ")).mapToLong(Long::parseLong).toArray();
        String vals = field(r.readLine(), "values").trim();
        String[] values = vals.isEmpty() ? new String[0] : vals.split(" ");
        int n = Integer.parseInt(field(r.readLine(), "expect").trim());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < n; i++) {
          expected.append(i == 0 ? "" : "\n").append(r.readLine());
        }
        out.add(new Case(name, dtype, shape, values, expected.toString()));
      }
    }
    return out;
  }

  private static String field(String line, String key) {
    assertNotNull(line, "golden file ends early, expected " + key);
    assertTrue(line.startsWith(key + " ") || line.equals(key), "expected " + key + ": " + line);
    return line.length() > key.length() ? line.substring(key.length() + 1) : "";
  }
}
