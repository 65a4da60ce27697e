package dev.isthmus;

import static dev.isthmus.NpyFiles.assertMessage;
import static dev.isthmus.NpyFiles.floats;
import static dev.isthmus.NpyFiles.npy;
import static dev.isthmus.NpyFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Npz}: archives written and read back, and broken or hostile archives. */
class NpzTest {
  @TempDir
  Path dir;

  private static final byte[] SIX = npy("<f4", "(2, 3)", floats(1, 2, 3, 4, 5, 6));

  /** A zip of (name, bytes) entries, each stored or deflated. */
  static byte[] zip(boolean stored, Object... nameBytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (int i = 0; i < nameBytes.length; i += 2) {
        byte[] b = (byte[]) nameBytes[i + 1];
        ZipEntry e = new ZipEntry((String) nameBytes[i]);
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(b);
          e.setMethod(ZipEntry.STORED);
          e.setSize(b.length);
          e.setCompressedSize(b.length);
          e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(b);
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Offsets of the central directory headers, in order. */
  static List<Integer> central(byte[] zip) {
    java.util.ArrayList<Integer> at = new java.util.ArrayList<>();
    for (int i = 0; i + 4 <= zip.length; i++) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
        at.add(i);
      }
    }
    return at;
  }

  static int u32(byte[] b, int at) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
  }

  static void put32(byte[] b, int at, long v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) v);
  }

  InvalidArgumentException assertBadZip(byte[] zip, String... fragments) {
    Path p = write(dir, "bad.npz", zip);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Npz.read(p));
    assertMessage(e, p, fragments);
    return e;
  }

  // ---------------------------------------------------------------- writing and reading

  @Test
  void roundTripKeepsNamesOrderAndValues() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    m.put("layer/b", Tensor.of(7L, 8L));
    m.put("flag", Tensor.scalar(true));
    m.put("empty", Ops.zeros(DType.INT32, 0, 4));
    m.put("x.npy", Tensor.scalar(1.5));
    for (boolean compressed : new boolean[] {false, true}) {
      Path p = dir.resolve(compressed ? "c.npz" : "s.npz");
      if (compressed) {
        Npz.writeCompressed(p, m);
      } else {
        Npz.write(p, m);
      }
      Map<String, Tensor> back = Npz.read(p);
      assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
      assertArrayEquals(new float[] {1, 2, 3, 4}, back.get("w").toFloatArray());
      assertArrayEquals(new long[] {7, 8}, back.get("layer/b").toLongArray());
      assertTrue(back.get("flag").getBoolean());
      assertEquals(Shape.of(0, 4), back.get("empty").shape());
      assertEquals(1.5, back.get("x.npy").item());
      assertThrows(UnsupportedOperationException.class, () -> back.put("y", Tensor.scalar(1)));
    }
  }

  @Test
  void emptyArchive() {
    Path p = dir.resolve("e.npz");
    Npz.write(p, Map.of());
    assertEquals(Map.of(), Npz.read(p));
  }

  @Test
  void sameTensorsSameBytes() throws IOException {
    Map<String, Tensor> m = Map.of("a", Tensor.of(1, 2, 3));
    Npz.writeCompressed(dir.resolve("1.npz"), m);
    Npz.writeCompressed(dir.resolve("2.npz"), m);
    assertArrayEquals(Files.readAllBytes(dir.resolve("1.npz")),
        Files.readAllBytes(dir.resolve("2.npz")));
  }

  @Test
  void highlyCompressibleButHonestEntriesRead() {
    // 10 MB of zeros deflate about 1000:1, near deflate's limit: not a bomb
    Path p = dir.resolve("zeros.npz");
    Npz.writeCompressed(p, Map.of("z", Ops.zeros(DType.FLOAT32, 2_500_000)));
    Tensor z = Npz.read(p).get("z");
    assertEquals(2_500_000, z.size());
    assertEquals(0.0, z.reduceMax().item());
  }

  @Test
  void writeErrors() {
    Map<String, Tensor> nullValue = new LinkedHashMap<>();
    nullValue.put("a", null);
    assertThrows(InvalidArgumentException.class, () -> Npz.write(dir.resolve("n.npz"), nullValue));
    Map<String, Tensor> nullKey = new LinkedHashMap<>();
    nullKey.put(null, Tensor.scalar(1));
    assertThrows(InvalidArgumentException.class, () -> Npz.write(dir.resolve("n.npz"), nullKey));
    assertThrows(InvalidArgumentException.class, () -> Npz.write(null, Map.of()));
    assertThrows(InvalidArgumentException.class, () -> Npz.write(dir.resolve("n.npz"), null));
    assertThrows(InvalidArgumentException.class, () -> Npz.read(null));
    assertTrue(!Files.exists(dir.resolve("n.npz")));
  }

  // ---------------------------------------------------------------- broken or hostile archives

  @Test
  void notAZipArchive() throws IOException {
    assertBadZip(SIX, "not a valid zip archive");
    assertBadZip(new byte[0], "not a valid zip archive");
    byte[] z = zip(false, "a.npy", SIX);
    assertBadZip(Arrays.copyOf(z, z.length / 2), "not a valid zip archive");
  }

  @Test
  void entriesThatAreNotNpyFiles() throws IOException {
    assertBadZip(zip(false, "readme.txt", "hi".getBytes()), "entry 'readme.txt'",
        "not a .npy file");
    assertBadZip(zip(false, "d/", new byte[0]), "entry 'd/'", "not a .npy file");
    assertBadZip(zip(true, "a.npy", "garbage".getBytes()), "entry 'a.npy'", "not a .npy file");
    byte[] lying = npy("<f4", "(7,)", floats(1, 2));
    assertBadZip(zip(false, "a.npy", lying), "entry 'a.npy'", "truncated data");
  }

  @Test
  void duplicateNames() throws IOException {
    byte[] z = zip(true, "a.npy", SIX, "b.npy", SIX);
    for (int i = 0; i + 5 <= z.length; i++) {
      if (z[i] == 'b' && z[i + 1] == '.' && z[i + 2] == 'n' && z[i + 3] == 'p') {
        z[i] = 'a';
      }
    }
    assertBadZip(z, "entry 'a.npy'", "second entry of the same name");
  }

  @Test
  void storedEntryWhoseSizesDisagree() throws IOException {
    byte[] z = zip(true, "a.npy", SIX);
    int cen = central(z).get(0);
    put32(z, cen + 24, SIX.length + 1000); // uncompressed size
    assertBadZip(z, "a stored entry of " + (SIX.length + 1000) + " bytes");
  }

  @Test
  void deflatedEntryClaimingMoreThanDeflateCanProduce() throws IOException {
    byte[] z = zip(false, "a.npy", SIX);
    int cen = central(z).get(0);
    put32(z, cen + 24, 0xF0000000L); // 4 GB from ~100 bytes
    assertBadZip(z, "entry 'a.npy'", "more than deflate can produce");
  }

  @Test
  void deflatedEntryThatInflatesToMoreThanDeclared() throws IOException {
    byte[] z = zip(false, "a.npy", SIX);
    int cen = central(z).get(0);
    put32(z, cen + 24, SIX.length - 8); // declares 8 bytes fewer than it holds
    assertBadZip(z, "entry 'a.npy'", "16 bytes follow the header");
    // a header that agrees with the declared size, over a stream that goes on: stops, fails
    byte[] longer = npy("<f4", "(4,)", floats(1, 2, 3, 4, 5, 6));
    byte[] y = zip(false, "a.npy", longer);
    put32(y, central(y).get(0) + 24, longer.length - 8);
    assertBadZip(y, "entry 'a.npy'", "holds more than the " + (longer.length - 8) + " bytes");
  }

  @Test
  void overlappingEntries() throws IOException {
    // the zip-bomb trick: many central entries pointing at the same compressed data
    byte[] big = npy("<f4", "(20000,)", new byte[80000]);
    byte[] z = zip(true, "a.npy", big, "b.npy", SIX);
    List<Integer> cen = central(z);
    int a = cen.get(0);
    int b = cen.get(1);
    for (int off : new int[] {16, 20, 24, 42}) { // crc, sizes, local header offset
      put32(z, b + off, u32(z, a + off));
    }
    assertBadZip(z, "entries overlap");
  }

  @Test
  void corruptDeflateStream() throws IOException {
    byte[] z = zip(false, "a.npy", npy("<f8", "(500,)", new byte[4000]));
    int data = 30 + "a.npy".length() + 2;
    for (int i = data; i < data + 12; i++) {
      z[i] ^= (byte) 0x5a;
    }
    assertBadZip(z, "entry 'a.npy'", "corrupt entry data");
  }

  @Test
  void unsupportedCompressionMethod() throws IOException {
    byte[] z = zip(true, "a.npy", SIX);
    z[central(z).get(0) + 10] = 12; // bzip2
    z[8] = 12;
    assertBadZip(z, "compression method");
  }
}
