package dev.isthmus;

import static dev.isthmus.NpyFiles.assertBad;
import static dev.isthmus.NpyFiles.floats;
import static dev.isthmus.NpyFiles.npy;
import static dev.isthmus.NpyFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.Tensors;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Tensor.fromNpy}/{@code toNpy}: the format's variations on hand-made files, and every
 * kind of malformed or hostile file, each an {@link InvalidArgumentException} naming the file
 * and the problem (the numpy-written golden files are checked in property-tests).
 */
class NpyTest {
  @TempDir
  Path dir;

  private static final byte[] SIX = floats(1, 2, 3, 4, 5, 6);

  // ---------------------------------------------------------------- the format's variations

  @Test
  void readsEveryVersion() {
    for (int v = 1; v <= 3; v++) {
      Path p = write(dir, "v.npy",
          npy(v, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", SIX));
      Tensor t = Tensor.fromNpy(p);
      assertEquals(Shape.of(2, 3), t.shape(), "version " + v);
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray(), "version " + v);
    }
  }

  @Test
  void fortranOrderIsTransposedIntoRowMajor() {
    // column-major (2, 3): memory 1 2 3 4 5 6 holds [[1, 3, 5], [2, 4, 6]]
    Path p = write(dir, "f.npy",
        npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", SIX));
    assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, Tensor.fromNpy(p).toFloatArray());
    // rank 3, big-endian int64: element (i, j, k) sits at i + 2j + 6k
    ByteBuffer b = ByteBuffer.allocate(24 * 8).order(ByteOrder.BIG_ENDIAN);
    for (int s = 0; s < 24; s++) {
      b.putLong(s);
    }
    Path q = write(dir, "f3.npy",
        npy(2, "{'descr': '>i8', 'fortran_order': True, 'shape': (2, 3, 4), }", b.array()));
    Tensor t = Tensor.fromNpy(q);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          assertEquals(i + 2 * j + 6 * k, t.getLong(i, j, k));
        }
      }
    }
  }

  @Test
  void bothByteOrdersAndNative() {
    ByteBuffer be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.5)
        .putDouble(-0.0);
    Tensor t = Tensor.fromNpy(write(dir, "be.npy", npy("<f8".replace('<', '>'), "(2,)",
        be.array())));
    assertEquals(Double.doubleToRawLongBits(1.5), Double.doubleToRawLongBits(t.getDouble(0)));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(t.getDouble(1)));
    ByteBuffer nat = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(7).putInt(-9);
    assertArrayEquals(new int[] {7, -9},
        Tensor.fromNpy(write(dir, "n.npy", npy("=i4", "(2,)", nat.array()))).toIntArray());
    assertArrayEquals(new int[] {7, -9},
        Tensor.fromNpy(write(dir, "n2.npy", npy("i4", "(2,)", nat.array()))).toIntArray());
  }

  @Test
  void boolBytesOtherThanZeroAndOneAreTrueAndStoredAsOne() {
    for (String descr : new String[] {"|b1", "?", "<b1", "b1"}) {
      for (boolean fortran : new boolean[] {false, true}) {
        Path p = write(dir, "b.npy", npy(1, "{'descr': '" + descr + "', 'fortran_order': "
            + (fortran ? "True" : "False") + ", 'shape': (2, 2), }", new byte[] {0, 2, -1, 1}));
        Tensor t = Tensor.fromNpy(p);
        MemorySegment raw = Tensors.data(t);
        byte[] want = fortran ? new byte[] {0, 1, 1, 1} : new byte[] {0, 1, 1, 1};
        assertArrayEquals(want, raw.toArray(ValueLayout.JAVA_BYTE), descr + " " + fortran);
      }
    }
  }

  @Test
  void scalarsAndEmptyArraysRoundTrip() {
    Tensor[] ts = {Tensor.scalar(2.5f), Tensor.scalar(-3L), Tensor.scalar(true),
        Ops.zeros(DType.FLOAT64, 0, 3), Ops.zeros(DType.INT32, 4, 0, 2), Tensor.of(new boolean[0])};
    for (Tensor t : ts) {
      Path p = dir.resolve("rt.npy");
      t.toNpy(p);
      Tensor back = Tensor.fromNpy(p);
      assertEquals(t.dtype(), back.dtype());
      assertEquals(t.shape(), back.shape());
      assertArrayEquals(Tensors.data(t).toArray(ValueLayout.JAVA_BYTE),
          Tensors.data(back).toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void headerParserAcceptsWhatPythonWouldForThisSubset() {
    String[] ok = {
        "{'descr':'<f4','fortran_order':False,'shape':(2,3)}",
        "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3,)}",
        "  {'shape': (2, 3), 'descr': '<f4', 'fortran_order': False}\n\n ",
        "{'descr': '<f4',\n 'fortran_order': False,\t'shape': ( 2 , 3 ) , }",
    };
    for (String h : ok) {
      assertEquals(Shape.of(2, 3), Tensor.fromNpy(write(dir, "ok.npy", npy(1, h, SIX))).shape(), h);
    }
  }

  @Test
  void toNpyWritesNumpysExactBytes() throws Exception {
    Path p = dir.resolve("x.npy");
    Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).toNpy(p);
    byte[] b = Files.readAllBytes(p);
    String head = new String(b, 10, 118, java.nio.charset.StandardCharsets.US_ASCII);
    String o = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
    assertEquals("{'descr': '" + o + "f4', 'fortran_order': False, 'shape': (2, 3), }"
        + " ".repeat(58) + "\n", head);
    assertEquals(128 + 24, b.length);
    assertEquals(1, b[6]);
    assertEquals(0, b[7]);
  }

  @Test
  void toNpyReplacesTheFileAndLeavesNoTemporary() throws Exception {
    Path p = dir.resolve("r.npy");
    Files.writeString(p, "old contents");
    Tensor.of(1, 2, 3).toNpy(p);
    assertArrayEquals(new int[] {1, 2, 3}, Tensor.fromNpy(p).toIntArray());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the written file is left");
    }
  }

  @Test
  void toNpyWritesThroughSymbolicLinksAndKeepsPermissions() throws Exception {
    Path real = dir.resolve("real.npy");
    Tensor.of(1, 2).toNpy(real);
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
    Files.setPosixFilePermissions(real, perms);
    Path link = Files.createSymbolicLink(dir.resolve("link.npy"), real);
    Tensor.of(3, 4, 5).toNpy(link);
    assertTrue(Files.isSymbolicLink(link), "the link is still a link");
    assertArrayEquals(new int[] {3, 4, 5}, Tensor.fromNpy(real).toIntArray());
    assertEquals(perms, Files.getPosixFilePermissions(real));
    Path sub = Files.createDirectory(dir.resolve("sub.npy"));
    assertThrows(UncheckedIOException.class, () -> Tensor.of(1).toNpy(sub));
    assertTrue(Files.isDirectory(sub), "a directory is not replaced");
  }

  @Test
  void writeErrors() {
    Tensor big = Ops.zeros(DType.FLOAT32, new long[65]);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> Ops.reshape(big, new long[65]).toNpy(dir.resolve("r65.npy")));
    assertTrue(e.getMessage().contains("at most 64 dimensions"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("r65.npy")));
    assertThrows(InvalidArgumentException.class, () -> Tensor.scalar(1f).toNpy(null));
    assertThrows(InvalidArgumentException.class, () -> Tensor.fromNpy(null));
    UncheckedIOException io = assertThrows(UncheckedIOException.class,
        () -> Tensor.fromNpy(dir.resolve("missing.npy")));
    assertInstanceOf(NoSuchFileException.class, io.getCause());
    assertThrows(UncheckedIOException.class,
        () -> Tensor.scalar(1f).toNpy(dir.resolve("no/such/dir/x.npy")));
  }

  @Test
  @SuppressWarnings("try") // the scope is entered for its effect
  void aLoadedTensorIsAValueGraphsEmbed() {
    Path p = write(dir, "c.npy", npy("<f4", "(2, 3)", SIX));
    Tensor t = Tensor.fromNpy(p);
    Graph g = new Graph();
    try (Scope s = g.asDefault()) {
      Tensor y = t.add(1.0);
      assertTrue(y.isSymbolic());
    }
  }

  // ---------------------------------------------------------------- hostile: the preamble

  @Test
  void badMagic() {
    assertBad(dir, "PK\3\4 a zip, not an npy".getBytes(), "not a .npy file", "50 4b 03 04");
    assertBad(dir, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Z', 1, 0, 0, 0}, "magic");
    assertBad(dir, "x".getBytes(), "not a .npy file");
  }

  @Test
  void truncatedPreamble() {
    assertBad(dir, new byte[0], "truncated");
    assertBad(dir, new byte[] {(byte) 0x93, 'N', 'U', 'M'}, "truncated");
    assertBad(dir, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 5}, "truncated");
    assertBad(dir, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 5, 0, 0},
        "truncated", "version 2.0");
  }

  @Test
  void unsupportedVersions() {
    for (int[] v : new int[][] {{0, 0}, {4, 0}, {1, 1}, {2, 5}, {255, 255}}) {
      byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", SIX);
      f[6] = (byte) v[0];
      f[7] = (byte) v[1];
      assertBad(dir, f, "unsupported .npy format version " + v[0] + "." + v[1]);
    }
  }

  @Test
  void headerLengthBeyondTheFile() {
    byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", SIX);
    f[8] = (byte) 0xff;
    f[9] = (byte) 0xff;
    assertBad(dir, f, "header length 65535 runs past the end");
    byte[] g = npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", SIX);
    g[8] = g[9] = g[10] = g[11] = (byte) 0xff;
    assertBad(dir, g, "header length 4294967295 runs past the end");
  }

  @Test
  void hugeHeaderIsRefusedBeforeBeingRead() {
    String h = "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }" + " ".repeat(70000);
    assertBad(dir, npy(2, h, SIX), "over the 65536 bytes");
  }

  // ---------------------------------------------------------------- hostile: header vs data

  @Test
  void headerThatLiesAboutTheDataSize() {
    assertBad(dir, npy("<f4", "(7,)", SIX), "promises float32 shape (7,) = 28 bytes", "24 bytes",
        "truncated data");
    assertBad(dir, npy("<f4", "(5,)", SIX), "20 bytes", "24 bytes", "trailing bytes");
    assertBad(dir, npy("<f8", "(2, 3)", SIX), "48 bytes of data, but 24");
    assertBad(dir, npy("<f4", "()", SIX), "trailing");
    assertBad(dir, npy("<f4", "(0,)", SIX), "trailing");
    byte[] whole = npy("<f4", "(2, 3)", SIX);
    assertBad(dir, Arrays.copyOf(whole, whole.length - 1), "truncated data");
    assertBad(dir, Arrays.copyOf(whole, 128), "0 bytes follow the header", "truncated data");
    assertBad(dir, Arrays.copyOf(whole, 64), "runs past the end", "only 54 bytes");
  }

  @Test
  void absurdShapes() {
    assertBad(dir, npy("<f4", "(-1,)", SIX), "negative dimension -1 at axis 0");
    assertBad(dir, npy("<f4", "(2, -3)", SIX), "negative dimension -3 at axis 1");
    assertBad(dir, npy("<f4", "(4611686018427387904, 4)", SIX), "more than 2^63 bytes");
    assertBad(dir, npy("<f8", "(1099511627776, 1099511627776)", SIX), "more than 2^63 bytes");
    // a zero axis does not excuse an overflowing product of the others
    assertBad(dir, npy("<f8", "(0, 1099511627776, 1099511627776)", new byte[0]),
        "more than 2^63 bytes");
    assertBad(dir, npy("<f4", "(1099511627776,)", SIX), "4398046511104 bytes of data, but 24");
    assertBad(dir, npy("<f4", "(99999999999999999999,)", SIX), "does not fit in 64 bits");
    assertBad(dir, npy("<f4", "(" + "1, ".repeat(65) + ")", SIX), "65 dimensions");
    assertBad(dir, npy("<f4", "(2, 3.0)", SIX), "malformed integer");
    assertBad(dir, npy("<f4", "(2, 'x')", SIX), "'x' at axis 1; expected an int");
    assertBad(dir, npy("<f4", "(2, True)", SIX), "True at axis 1");
    assertBad(dir, npy("<f4", "(6)", SIX), "shape is 6", "(3,)");
    assertBad(dir, npy("<f4", "[2, 3]", SIX), "shape is [2, 3]");
    assertBad(dir, npy("<f4", "(06,)", SIX), "leading zero");
    assertBad(dir, npy("<f4", "(+6,)", SIX), "unexpected character");
    assertBad(dir, npy("<f4", "((2, 3),)", SIX), "((2, 3),)", "expected an int");
  }

  @Test
  void sizesBeyondMemoryAreInvalidArgumentsNotOutOfMemoryErrors() {
    // An archive entry can declare a size its header agrees with but memory cannot hold: more
    // than a Java array holds, so off-heap, and twice the direct-memory limit (by default the
    // heap's maximum). The stream ends after the header: only the allocation is tested.
    long n = Math.max(1L << 31, Runtime.getRuntime().maxMemory() / 4);
    byte[] head = npy("<f8", "(" + n + ",)", new byte[0]);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> Npy.read("entry", new java.io.ByteArrayInputStream(head), head.length + 8 * n));
    assertTrue(e.getMessage().contains("do not fit in memory"), e.getMessage());
  }

  @Test
  void unknownDtypes() {
    for (String d : new String[] {"<c8", "<U3", "|O", "<f2", "<u4", "|i1", "<M8", "S5", "xyz",
        "", "<f16", "<i"}) {
      assertBad(dir, npy(d, "(6,)", SIX), "unsupported dtype descr '" + d + "'");
    }
    assertBad(dir, npy("<c8", "(3,)", SIX), "(numpy complex64)");
    assertBad(dir, npy("|O", "(3,)", SIX), "pickled");
    assertBad(dir, npy("|f4", "(6,)", SIX), "byte order '|'");
    assertBad(dir, npy(1, "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (6,), }",
        SIX), "structured dtypes are not supported");
    assertBad(dir, npy(1, "{'descr': 4, 'fortran_order': False, 'shape': (6,), }", SIX),
        "descr is 4");
  }

  @Test
  void oddDictSyntax() {
    String f = "'fortran_order': False";
    String[][] cases = {
        {"[1, 2]", "must be a dict"},
        {"", "must be a dict"},
        {"{'descr': '<f4', 'shape': (6,), }", "expected exactly"},
        {"{'descr': '<f4', " + f + ", 'shape': (6,), 'extra': 1}", "'extra'"},
        {"{'descr': '<f4', " + f + ", 'shape': (6,), 'descr': '<f4'}", "duplicate key 'descr'"},
        {"{'descr': {'a': 1}, " + f + ", 'shape': (6,)}", "nested dict"},
        {"{'descr': '<f4, " + f + ", 'shape': (6,)}", "expected ',' or '}'"},
        {"{'descr': '<f4\n', " + f + ", 'shape': (6,)}", "unterminated string"},
        {"{'descr': '<f\\x34', " + f + ", 'shape': (6,)}", "escape sequences"},
        {"{'descr': '<f4' " + f + ", 'shape': (6,)}", "expected ',' or '}'"},
        {"{'descr': '<f4', 'fortran_order': 0, 'shape': (6,)}", "fortran_order is 0"},
        {"{'descr': '<f4', 'fortran_order': false, 'shape': (6,)}", "unexpected name 'false'"},
        {"{'descr': '<f4', 'fortran_order': None, 'shape': (6,)}", "unexpected name 'None'"},
        {"{'descr': '<f4', " + f + ", 'shape': (6,)} x", "unexpected text after the dict"},
        {"{'descr': '<f4', " + f + ", 'shape': (6,)}}", "unexpected text after the dict"},
        {"{'descr': '<f4', " + f + ", 'shape': " + "(".repeat(20) + "6" + ")".repeat(20) + "}",
            "nested deeper"},
        {"{'descr': '<f4', " + f + ", 'shape': (6,", "ends where a value should be"},
        {"{'descr': '<f4', " + f + ", 'shape': (6 6)}", "expected ',' or ')' in a tuple"},
        {"{'descr': '<f4', " + f + ", 'shape': (,)}", "unexpected character"},
        {"{descr: '<f4'}", "expected a string key"},
        {"{'descr' '<f4'}", "expected ':'"},
        {"{'descr': '<f4', " + f + ", 'shape': (6,),,}", "expected a string key"},
        {"{,}", "expected a string key"},
        {"{'descr': '<f4', " + f + ", 'shape': -(6,)}", "expected digits after '-'"},
    };
    for (String[] c : cases) {
      assertBad(dir, npy(1, c[0], SIX), "bad .npy header", c[1]);
    }
  }

  @Test
  void nonAsciiHeaders() {
    String h = "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'é': 1}";
    assertBad(dir, npy(1, h, SIX), "byte 0xe9", "not ASCII");
    assertBad(dir, npy(2, h, SIX), "not ASCII");
    // version 3.0 is UTF-8: the same header decodes, and then fails on its extra key
    assertBad(dir, npy(3, h, SIX), "'é'", "expected exactly");
    byte[] bad = npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'xx': 1}", SIX);
    int at = new String(bad, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("xx");
    bad[at] = (byte) 0xc3; // a lead byte followed by 'x': malformed UTF-8
    assertBad(dir, bad, "must be UTF-8");
    assertBad(dir, npy(3, "{'descr': '<fé', 'fortran_order': False, 'shape': (6,)}", SIX),
        "unsupported dtype descr '<fé'");
  }

  @Test
  void controlCharactersInTheHeaderAreNamedReadably() {
    InvalidArgumentException e = assertBad(dir, npy(1, "{\u0001}", SIX), "\\x01");
    assertFalse(e.getMessage().contains("\u0001"));
  }
}
