package dev.isthmus;

import dev.isthmus.internal.Buffers;
import dev.isthmus.internal.Tensors;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reading and writing numpy's {@code .npy} format ({@link NpyHeader} has the layout). Reads check
 * every size before allocating: the header against the bytes there are, the data against what
 * the header promises, so a hostile file costs at most its own size and fails with an
 * {@link InvalidArgumentException} naming the file, before any tensor exists.
 *
 * <p>Large files ({@link #MAP_THRESHOLD} bytes or more) whose data need no conversion
 * (native byte order, C order, element-aligned offset) are memory-mapped read-only instead of
 * read. The mapping belongs to an automatic arena: it lives exactly as long as the tensor (and
 * anything sharing its memory) is reachable, and the garbage collector unmaps it after. A shared
 * arena would need someone to close it, and a tensor is an immutable value with no owner and no
 * {@code close()}: closing under a live tensor would turn later reads into errors. The price is
 * that the file stays mapped (and, on Windows, undeletable) until the tensor is collected.
 */
final class Npy {
  /** Files at least this large are mapped, not read, when their data can be used in place. */
  static final long MAP_THRESHOLD = 4L << 20;
  private static final int CHUNK = 1 << 16;

  private Npy() {}

  /** Reads bytes at a position; a stream reads sequentially and ignores it. */
  @FunctionalInterface
  private interface Input {
    /** Exactly {@code n} bytes, or fewer if the input ends first. */
    byte[] read(long pos, int n) throws IOException;
  }

  // ---------------------------------------------------------------- reading

  /** {@link Tensor#fromNpy(Path)}. */
  static Tensor read(Path path) {
    if (path == null) {
      throw new InvalidArgumentException("Tensor.fromNpy: the path is null");
    }
    String where = "Tensor.fromNpy: '" + path + "'";
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < MAP_THRESHOLD) {
        // small: one read of the whole file (a few MB at most), then decode from memory
        byte[] all = new byte[(int) size];
        ByteBuffer bb = ByteBuffer.wrap(all);
        while (bb.hasRemaining() && ch.read(bb) >= 0) {
          // keep reading
        }
        if (bb.hasRemaining()) {
          throw new InvalidArgumentException(where + ": the file shrank while being read");
        }
        return decode(where, all);
      }
      Input in = (pos, n) -> {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b, pos + b.position()) >= 0) {
          // keep reading
        }
        return b.position() == n ? b.array() : Arrays.copyOf(b.array(), b.position());
      };
      NpyHeader h = header(where, in, size);
      long offset = size - h.dataBytes();
      if (h.isNativeLayout() && offset % h.dtype().byteSize() == 0) {
        MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, offset, h.dataBytes(),
            Arena.ofAuto());
        if (h.dtype() != DType.BOOL || isZeroOne(mapped)) {
          return Tensor.ofNpyData(h.dtype(), Shape.of(h.dims()), mapped);
        }
      }
      // convert from a temporary mapping, unmapped as soon as the tensor is built
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment src = ch.map(FileChannel.MapMode.READ_ONLY, offset, h.dataBytes(), arena);
        MemorySegment dst = allocate(where, h);
        convert(src, h, dst);
        return Tensor.ofNpyData(h.dtype(), Shape.of(h.dims()), dst);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": " + e.getMessage(), e);
    }
  }

  /** A whole .npy file held in memory. */
  static Tensor decode(String where, byte[] file) throws IOException {
    MemorySegment all = MemorySegment.ofArray(file);
    NpyHeader h = header(where, (pos, n) -> {
      int from = (int) pos;
      return Arrays.copyOfRange(file, from, Math.min(file.length, from + n));
    }, file.length);
    MemorySegment dst = allocate(where, h);
    convert(all.asSlice(file.length - h.dataBytes()), h, dst);
    return Tensor.ofNpyData(h.dtype(), Shape.of(h.dims()), dst);
  }

  /**
   * A .npy file of exactly {@code size} bytes read from {@code in} (an archive entry whose size
   * the caller has bounded). Fails if the stream has more or fewer bytes than {@code size}.
   */
  static Tensor read(String where, InputStream in, long size) throws IOException {
    NpyHeader h = header(where, (pos, n) -> in.readNBytes(n), size);
    MemorySegment dst = allocate(where, h);
    long n = h.dataBytes();
    // a byte-addressable buffer to read into: the tensor itself when no conversion is needed
    MemorySegment raw = h.isNativeLayout() ? dst : allocate(where, DType.BOOL, n);
    byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
    for (long off = 0; off < n; ) {
      int want = (int) Math.min(chunk.length, n - off);
      int got = in.readNBytes(chunk, 0, want);
      if (got < want) {
        throw new InvalidArgumentException(where + ": truncated data: the header promises " + n
            + " bytes of data, and the entry ends after " + (off + got));
      }
      MemorySegment.copy(MemorySegment.ofArray(chunk), 0, raw, off, got);
      off += got;
    }
    if (in.read() >= 0) {
      throw new InvalidArgumentException(where + ": the entry holds more than the " + size
          + " bytes its zip header declares");
    }
    if (raw != dst) {
      convert(raw, h, dst);
    } else if (h.dtype() == DType.BOOL) {
      convert(dst, h, dst); // any nonzero byte is True: store 0/1
    }
    return Tensor.ofNpyData(h.dtype(), Shape.of(h.dims()), dst);
  }

  /** Preamble and header from {@code in}, checked against the {@code total} bytes there are. */
  private static NpyHeader header(String where, Input in, long total) throws IOException {
    byte[] first = in.read(0, (int) Math.min(8, total));
    if (first.length < 8) {
      if (!NpyHeader.isMagicPrefix(first)) {
        NpyHeader.version(where, Arrays.copyOf(first, 8)); // throws: bad magic
      }
      throw new InvalidArgumentException(where + ": truncated: " + total
          + " bytes end inside the 10-byte .npy preamble");
    }
    int major = NpyHeader.version(where, first);
    int pre = NpyHeader.preambleLength(major);
    if (total < pre) {
      throw new InvalidArgumentException(where + ": truncated: " + total
          + " bytes end inside the " + pre + "-byte preamble of a version " + major
          + ".0 .npy file");
    }
    long hlen = NpyHeader.headerLength(in.read(8, pre - 8));
    if (hlen > total - pre) {
      throw new InvalidArgumentException(where + ": the header length " + hlen
          + " runs past the end: only " + (total - pre) + " bytes follow the preamble");
    }
    if (hlen > NpyHeader.MAX_HEADER) {
      throw new InvalidArgumentException(where + ": the header length " + hlen
          + " is over the " + NpyHeader.MAX_HEADER + " bytes accepted (a header of a supported "
          + "dtype is under 1.5 KB)");
    }
    byte[] raw = in.read(pre, (int) hlen);
    if (raw.length < hlen) {
      throw new InvalidArgumentException(where + ": truncated inside the header");
    }
    NpyHeader h = NpyHeader.parse(where, major, raw);
    long have = total - pre - hlen;
    if (have != h.dataBytes()) {
      throw new InvalidArgumentException(where + ": the header promises "
          + describe(h) + " = " + h.dataBytes() + " bytes of data, but " + have
          + " bytes follow the header ("
          + (have < h.dataBytes() ? "truncated data" : "trailing bytes") + ")");
    }
    return h;
  }

  private static String describe(NpyHeader h) {
    StringBuilder sb = new StringBuilder(h.dtype().numpyName()).append(" shape (");
    for (int i = 0; i < h.dims().length; i++) {
      sb.append(i > 0 ? ", " : "").append(h.dims()[i]);
    }
    return sb.append(h.dims().length == 1 ? ",)" : ")").toString();
  }

  private static MemorySegment allocate(String where, NpyHeader h) {
    return allocate(where, h.dtype(), h.size());
  }

  /** Fresh tensor memory; a size the machine cannot give is this file's fault, not a crash. */
  private static MemorySegment allocate(String where, DType t, long n) {
    try {
      return Buffers.allocate(t, n);
    } catch (ResourceExhaustedException e) {
      throw new InvalidArgumentException(where + ": the data (" + n + " elements of "
          + t.numpyName() + ") do not fit in memory: " + e.getMessage(), e);
    }
  }

  /**
   * Copies raw file data {@code src} into tensor memory {@code dst}: to native byte order,
   * Fortran order to row-major, BOOL bytes to 0/1. {@code src} may be any alignment.
   */
  private static void convert(MemorySegment src, NpyHeader h, MemorySegment dst) {
    DType t = h.dtype();
    long n = h.size();
    if (!h.needsTranspose()) {
      if (t == DType.BOOL) {
        for (long i = 0; i < n; i++) {
          dst.set(ValueLayout.JAVA_BYTE, i, src.get(ValueLayout.JAVA_BYTE, i) != 0 ? (byte) 1 : 0);
        }
      } else {
        ValueLayout from = unaligned(t).withOrder(h.order());
        MemorySegment.copy(src, from, 0, dst, t.layout(), 0, n);
      }
      return;
    }
    // Column-major source read in order; the row-major destination offset follows an odometer.
    long[] d = h.dims();
    int r = d.length;
    long[] rowStride = new long[r];
    long s = 1;
    for (int k = r - 1; k >= 0; k--) {
      rowStride[k] = s;
      s *= d[k];
    }
    long[] idx = new long[r];
    long off = 0;
    ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(h.order());
    ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(h.order());
    int size = t.byteSize();
    for (long i = 0; i < n; i++) {
      switch (size) {
        case 1 -> dst.set(ValueLayout.JAVA_BYTE, off,
            src.get(ValueLayout.JAVA_BYTE, i) != 0 ? (byte) 1 : 0);
        case 4 -> dst.setAtIndex(ValueLayout.JAVA_INT, off, src.get(i32, i * 4));
        default -> dst.setAtIndex(ValueLayout.JAVA_LONG, off, src.get(i64, i * 8));
      }
      for (int k = 0; k < r; k++) {
        if (++idx[k] < d[k]) {
          off += rowStride[k];
          break;
        }
        off -= (d[k] - 1) * rowStride[k];
        idx[k] = 0;
      }
    }
  }

  private static ValueLayout unaligned(DType t) {
    return switch (t) {
      case FLOAT32 -> ValueLayout.JAVA_FLOAT_UNALIGNED;
      case FLOAT64 -> ValueLayout.JAVA_DOUBLE_UNALIGNED;
      case INT32 -> ValueLayout.JAVA_INT_UNALIGNED;
      case INT64 -> ValueLayout.JAVA_LONG_UNALIGNED;
      case BOOL -> ValueLayout.JAVA_BYTE;
    };
  }

  /** True if every byte is 0 or 1 (BOOL's invariant), read 8 bytes at a time. */
  private static boolean isZeroOne(MemorySegment m) {
    long n = m.byteSize();
    long i = 0;
    for (; i + 8 <= n; i += 8) {
      if ((m.get(ValueLayout.JAVA_LONG_UNALIGNED, i) & 0xfefefefefefefefeL) != 0) {
        return false;
      }
    }
    for (; i < n; i++) {
      if ((m.get(ValueLayout.JAVA_BYTE, i) & 0xfe) != 0) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- writing

  /** {@link Tensor#toNpy(Path)}. */
  static void write(Tensor t, Path path) {
    if (path == null) {
      throw new InvalidArgumentException("toNpy: the path is null");
    }
    String where = "toNpy: '" + path + "'";
    MemorySegment data = Tensors.data(t); // a symbolic tensor fails here, before the file opens
    checkRank(where, t);
    replace(where, path, out -> write(t, data, out));
  }

  /** What {@link #replace} writes. */
  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes a sibling temporary file, then moves it over {@code path}: a failed write leaves no
   * half file, and a tensor still mapped from the old file keeps its (unlinked) data instead of
   * faulting on a truncated mapping.
   */
  static void replace(String where, Path path, Writer body) {
    Path tmp = null;
    try {
      Path abs = path.toAbsolutePath();
      if (Files.isDirectory(abs)) {
        throw new FileSystemException(abs.toString(), null, "is a directory");
      }
      // through a symbolic link to the file it names, as writing in place would go
      Path target = Files.exists(abs) ? abs.toRealPath() : abs;
      tmp = target.resolveSibling("." + target.getFileName() + "."
          + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          CHUNK)) {
        body.write(out);
      }
      keepPermissions(target, tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException ignored) {
        // the original error is the one to report
      }
      throw new UncheckedIOException(where + ": " + e.getMessage(), e);
    }
  }

  /** An existing file's POSIX permissions carry over to its replacement, as an in-place write. */
  private static void keepPermissions(Path old, Path replacement) throws IOException {
    if (Files.exists(old)) {
      try {
        Files.setPosixFilePermissions(replacement, Files.getPosixFilePermissions(old));
      } catch (UnsupportedOperationException notPosix) {
        // the file system has no POSIX permissions to keep
      }
    }
  }

  /** Header then data, C order, native byte order. */
  static void write(Tensor t, MemorySegment data, OutputStream out) throws IOException {
    out.write(NpyHeader.format(t.dtype(), t.shape().dims()));
    byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(data.byteSize(), 1))];
    MemorySegment c = MemorySegment.ofArray(chunk);
    for (long off = 0; off < data.byteSize(); off += chunk.length) {
      int n = (int) Math.min(chunk.length, data.byteSize() - off);
      MemorySegment.copy(data, off, c, 0, n);
      out.write(chunk, 0, n);
    }
  }

  /** The number of bytes {@link #write(Tensor, MemorySegment, OutputStream)} writes. */
  static long fileSize(Tensor t) {
    return NpyHeader.format(t.dtype(), t.shape().dims()).length + Tensors.data(t).byteSize();
  }

  static void checkRank(String where, Tensor t) {
    if (t.rank() > NpyHeader.MAX_RANK) {
      throw new InvalidArgumentException(where + ": tensor " + t.describe() + " has rank "
          + t.rank() + "; numpy arrays have at most " + NpyHeader.MAX_RANK + " dimensions");
    }
  }
}
