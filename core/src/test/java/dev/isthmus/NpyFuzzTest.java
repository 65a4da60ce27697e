package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.internal.Tensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the readers over arbitrary bytes: the only exception that
 * may escape is {@link InvalidArgumentException}; no OutOfMemoryError, no other exception, no
 * hang. A file that reads must be a consistent tensor that survives a write and a read.
 *
 * <p>Every build runs this in Jazzer's regression mode: once on the empty input and once on
 * each file in {@code src/test/resources/dev/isthmus/NpyFuzzTestInputs/<method>/} (numpy-written
 * seeds from {@code gen_npy.py}, and any crash found so far), in a JVM of its own (core/pom.xml).
 * Fuzzing for real is on demand: see the README, "numpy files".
 */
class NpyFuzzTest {
  private static Path file;

  private static synchronized Path file() throws IOException {
    if (file == null) {
      Path dir = Files.createTempDirectory("npy-fuzz");
      dir.toFile().deleteOnExit();
      file = dir.resolve("input");
      file.toFile().deleteOnExit();
    }
    return file;
  }

  /** {@code Tensor.fromNpy} of any bytes, through a real file. */
  @FuzzTest(maxDuration = "30s")
  void fromNpy(byte[] input) throws IOException {
    Path p = Files.write(file(), input);
    Tensor t;
    try {
      t = Tensor.fromNpy(p);
    } catch (InvalidArgumentException expected) {
      return;
    }
    checkConsistent(t);
  }

  /** {@code Npz.read} of any bytes (zip parsing, inflating, then each entry's .npy). */
  @FuzzTest(maxDuration = "30s")
  void npzRead(byte[] input) throws IOException {
    Path p = Files.write(file(), input);
    Map<String, Tensor> m;
    try {
      m = Npz.read(p);
    } catch (InvalidArgumentException expected) {
      return;
    }
    for (Tensor t : m.values()) {
      checkConsistent(t);
    }
  }

  /** Size and memory agree, BOOL is 0/1, and writing then reading gives the same bytes. */
  static void checkConsistent(Tensor t) throws IOException {
    MemorySegment data = Tensors.data(t);
    assertEquals(t.size() * t.dtype().byteSize(), data.byteSize());
    byte[] raw = data.toArray(ValueLayout.JAVA_BYTE);
    if (t.dtype() == DType.BOOL) {
      for (byte b : raw) {
        assertEquals(0, b & ~1, "BOOL bytes are 0 or 1");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(t, data, out);
    Tensor back = Npy.decode("round trip", out.toByteArray());
    assertEquals(t.dtype(), back.dtype());
    assertEquals(t.shape(), back.shape());
    assertArrayEquals(raw, Tensors.data(back).toArray(ValueLayout.JAVA_BYTE));
  }
}
