package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.DType;
import dev.isthmus.Npz;
import dev.isthmus.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Tensor.fromNpy} and {@code Npz.read} against files numpy wrote ({@code golden/npy/},
 * from {@code gen_npy.py}; this test never runs Python): every dtype x C/Fortran order x byte
 * order x format version 1.0/2.0/3.0, scalars, empty arrays, hand-made legal oddities, and two
 * archives. Values are compared bit for bit with the manifest. Where the file is what
 * {@code np.save} writes, {@code toNpy} must write the same bytes; every array also goes back
 * through {@code toNpy} and the test-side reader {@link RefNpy}.
 */
class NpyGoldenTest {
  private static final String DIR = "/golden/npy/";

  @TempDir
  static Path tmp;

  record Line(String file, String key, RefNpy.Array want, boolean same) {}

  static List<Line> manifest() {
    List<Line> out = new ArrayList<>();
    String text = new String(resource("manifest.txt"), StandardCharsets.UTF_8);
    for (String raw : text.split("\n")) {
      if (raw.isBlank() || raw.startsWith("#")) {
        continue;
      }
      String[] w = raw.trim().split(" ");
      String[] fk = w[0].split(":");
      DType t = DType.valueOf(w[1].toUpperCase(java.util.Locale.ROOT));
      String d = w[2].substring(1, w[2].length() - 1);
      long[] dims = d.isEmpty() ? new long[0]
          : Arrays.stream(d.split(",")).mapToLong(Long::parseLong).toArray();
      long[] bits = new long[w.length - 4];
      for (int i = 0; i < bits.length; i++) {
        String v = w[4 + i];
        bits[i] = switch (t) {
          case FLOAT32 -> (int) Long.parseUnsignedLong(v, 16);
          case FLOAT64 -> Long.parseUnsignedLong(v, 16);
          default -> Long.parseLong(v);
        };
      }
      out.add(new Line(fk[0], fk.length > 1 ? fk[1] : null, new RefNpy.Array(t, dims, bits),
          w[3].equals("same")));
    }
    return out;
  }

  static byte[] resource(String name) {
    try (InputStream in = NpyGoldenTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + DIR + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path file(String name) throws IOException {
    Path p = tmp.resolve(name);
    if (!Files.exists(p)) {
      Files.write(p, resource(name));
    }
    return p;
  }

  private static final Map<String, Map<String, Tensor>> ARCHIVES = new HashMap<>();

  @TestFactory
  Stream<DynamicTest> goldenFiles() {
    return manifest().stream().map(l -> DynamicTest.dynamicTest(
        l.file + (l.key == null ? "" : ":" + l.key), () -> check(l)));
  }

  static void check(Line l) throws IOException {
    Tensor t;
    if (l.key == null) {
      t = Tensor.fromNpy(file(l.file));
    } else {
      Map<String, Tensor> z = ARCHIVES.get(l.file);
      if (z == null) {
        z = Npz.read(file(l.file));
        ARCHIVES.put(l.file, z);
      }
      t = z.get(l.key);
      assertTrue(t != null, l.file + " has no array '" + l.key + "': " + z.keySet());
    }
    RefNpy.assertSame(l.want, t, l.file);
    Path out = tmp.resolve("out-" + l.file.replace('.', '_') + (l.key == null ? "" : l.key)
        + ".npy");
    t.toNpy(out);
    byte[] written = Files.readAllBytes(out);
    RefNpy.assertSame(l.want, RefNpy.tensor(RefNpy.decode(written)), "toNpy of " + l.file);
    RefNpy.assertSame(l.want, Tensor.fromNpy(out), "fromNpy(toNpy) of " + l.file);
    if (l.same && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      assertArrayEquals(resource(l.file), written, "toNpy must write what np.save wrote");
    }
  }

  @Test
  void everyCommittedFileIsInTheManifest() throws IOException {
    Set<String> listed = new LinkedHashSet<>();
    manifest().forEach(l -> listed.add(l.file));
    Set<String> present = new LinkedHashSet<>();
    try (InputStream in = NpyGoldenTest.class.getResourceAsStream(DIR)) {
      // a directory resource lists its files, one per line, when it is a plain directory
      for (String f : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (f.endsWith(".npy") || f.endsWith(".npz")) {
          present.add(f);
        }
      }
    }
    assertEquals(present, listed);
    assertEquals(85, manifest().size(), "arrays in the manifest");
  }

  @Test
  void archivesKeepNumpysNamesAndOrder() throws IOException {
    for (String a : List.of("arrays.npz", "arrays_compressed.npz")) {
      assertEquals(List.of("weights", "bias", "steps", "mask", "count", "none"),
          new ArrayList<>(Npz.read(file(a)).keySet()), a);
    }
  }
}
