package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Building blocks for the .npy tests: hand-made files, and checks of the errors they get. */
final class NpyFiles {
  private NpyFiles() {}

  /** A .npy file: preamble of version {@code major}.0, {@code header} padded to 64, data. */
  static byte[] npy(int major, String header, byte[] data) {
    byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int pre = major == 1 ? 10 : 12;
    int pad = (64 - (pre + h.length + 1) % 64) % 64;
    int len = h.length + pad + 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    out.write(len & 0xff);
    out.write(len >>> 8 & 0xff);
    if (major != 1) {
      out.write(len >>> 16 & 0xff);
      out.write(len >>> 24);
    }
    out.writeBytes(h);
    out.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
    out.write('\n');
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** A version 1.0 file with header {@code {'descr': descr, 'fortran_order': False, 'shape': shape, }}. */
  static byte[] npy(String descr, String shape, byte[] data) {
    return npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }",
        data);
  }

  static Path write(Path dir, String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that reading {@code bytes} as a .npy file fails with an InvalidArgumentException
   * naming the file and containing every fragment.
   */
  static InvalidArgumentException assertBad(Path dir, byte[] bytes, String... fragments) {
    Path p = write(dir, "bad.npy", bytes);
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> Tensor.fromNpy(p));
    assertMessage(e, p, fragments);
    return e;
  }

  static void assertMessage(Exception e, Path p, String... fragments) {
    String m = e.getMessage();
    assertTrue(m.contains(p.toString()), "the message names the file: " + m);
    for (String f : fragments) {
      assertTrue(m.contains(f), "expected '" + f + "' in: " + m);
    }
  }

  static byte[] floats(float... v) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }
}
