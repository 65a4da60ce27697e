package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.Tensors;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large .npy files: memory-mapped read-only, with no copy, when their data can be used in place
 * (native byte order, C order, aligned); read into fresh memory when they need converting.
 */
class NpyMapTest {
  @TempDir
  Path dir;

  /**
   * Writes a .npy file of {@code n} elements without holding them in memory: header text
   * {@code dict} padded so the data start at {@code dataOffset}, then element i = value(i).
   */
  static Path bigFile(Path p, String dict, int dataOffset, long n, int item, ByteOrder order,
      LongUnaryOperator value) throws IOException {
    int hlen = dataOffset - 10;
    byte[] h = (dict + " ".repeat(hlen - dict.length() - 1) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    ByteBuffer pre = ByteBuffer.allocate(dataOffset).order(ByteOrder.LITTLE_ENDIAN);
    pre.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) hlen).put(h);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(pre.flip());
      ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(order);
      for (long i = 0; i < n; i++) {
        switch (item) {
          case 1 -> buf.put((byte) value.applyAsLong(i));
          case 4 -> buf.putInt((int) value.applyAsLong(i));
          default -> buf.putLong(value.applyAsLong(i));
        }
        if (!buf.hasRemaining() || i == n - 1) {
          ch.write(buf.flip());
          buf.clear();
        }
      }
    }
    return p;
  }

  static String dict(String descr, boolean fortran, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': " + shape + ", }";
  }

  static String le(String kind) {
    return (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + kind;
  }

  @Test
  void aLargeNativeFileIsMappedNotCopied() throws IOException {
    long n = 17_000_000; // 68 MB of int32
    Path p = bigFile(dir.resolve("big.npy"), dict(le("i4"), false, "(" + n + ",)"), 128, n, 4,
        ByteOrder.nativeOrder(), i -> i * 3);
    long t0 = System.nanoTime();
    Tensor t = Tensor.fromNpy(p);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    MemorySegment data = Tensors.data(t);
    assertTrue(t.isOffHeap(), "a mapped tensor is off-heap");
    assertTrue(data.isMapped(), "the tensor's memory is the file's mapping, not a copy");
    assertTrue(data.isReadOnly(), "mapped read-only");
    assertEquals(Shape.of(n), t.shape());
    for (long i : new long[] {0, 1, 12345, n / 2, n - 1}) {
      assertEquals((int) (i * 3), t.getInt(i));
    }
    assertEquals((n - 1) * 3, t.reduceMax().item()); // kernels read the mapping
    // ops only read their inputs: none writes into the read-only mapping
    Tensor u = t.reshape(1000, n / 1000).cast(DType.INT64).add(Tensor.scalar(1L));
    assertEquals(3 * (12 * (n / 1000) + 345) + 1, u.getLong(12, 345));
    System.out.println("NpyMapTest: mapped " + (n * 4 >> 20) + " MB in " + ms + " ms");

    // replacing the file does not disturb the tensor still mapped from the old one
    Tensor.of(7, 8).toNpy(p);
    assertArrayEquals(new int[] {7, 8}, Tensor.fromNpy(p).toIntArray());
    assertEquals((int) ((n - 1) * 3), t.getInt(n - 1));
  }

  @Test
  void largeBoolFilesAreMappedOnlyWhenEveryByteIsZeroOrOne() throws IOException {
    long n = 5 << 20;
    Path ok = bigFile(dir.resolve("b.npy"), dict("|b1", false, "(" + n + ",)"), 128, n, 1,
        ByteOrder.nativeOrder(), i -> i % 3 == 0 ? 1 : 0);
    Tensor t = Tensor.fromNpy(ok);
    assertTrue(Tensors.data(t).isMapped());
    assertTrue(t.getBoolean(3));
    assertFalse(t.getBoolean(4));
    Path odd = bigFile(dir.resolve("b2.npy"), dict("|b1", false, "(" + n + ",)"), 128, n, 1,
        ByteOrder.nativeOrder(), i -> i == n - 1 ? 7 : i % 3 == 0 ? 1 : 0);
    Tensor u = Tensor.fromNpy(odd);
    assertFalse(Tensors.data(u).isMapped(), "a byte 7 must become 1: copied");
    assertEquals(1, Tensors.data(u).get(ValueLayout.JAVA_BYTE, n - 1));
    assertEquals(1, Tensors.data(u).get(ValueLayout.JAVA_BYTE, 3));
  }

  @Test
  void largeFilesNeedingConversionAreReadIntoFreshMemory() throws IOException {
    // big-endian: byte-swapped into a heap tensor
    long n = 1_500_000; // 6 MB of int32
    ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
        ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String swapped = (other == ByteOrder.BIG_ENDIAN ? ">" : "<") + "i4";
    Tensor be = Tensor.fromNpy(bigFile(dir.resolve("be.npy"), dict(swapped, false,
        "(" + n + ",)"), 128, n, 4, other, i -> i - 77));
    assertFalse(be.isOffHeap());
    assertEquals(-77, be.getInt(0));
    assertEquals((int) (n - 1 - 77), be.getInt(n - 1));

    // Fortran order: transposed; element (i, j) was written at i + 1000 j
    Tensor f = Tensor.fromNpy(bigFile(dir.resolve("f.npy"), dict(le("f8"), true, "(1000, 800)"),
        128, 800_000, 8, ByteOrder.nativeOrder(), s -> Double.doubleToLongBits(s)));
    assertFalse(Tensors.data(f).isMapped());
    for (long[] ij : new long[][] {{0, 0}, {1, 0}, {0, 1}, {999, 799}, {123, 456}}) {
      assertEquals(ij[0] + 1000.0 * ij[1], f.getDouble(ij[0], ij[1]));
    }

    // data at an offset that is not a multiple of 8: copied, since mapped float64s must align
    Tensor odd = Tensor.fromNpy(bigFile(dir.resolve("odd.npy"), dict(le("f8"), false,
        "(700000,)"), 132, 700_000, 8, ByteOrder.nativeOrder(), s -> Double.doubleToLongBits(-s)));
    assertFalse(Tensors.data(odd).isMapped());
    assertEquals(-699_999.0, odd.getDouble(699_999));
    assertEquals(-699_999.0, odd.reduceMin().item());
  }
}
