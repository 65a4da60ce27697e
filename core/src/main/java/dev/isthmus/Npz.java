package dev.isthmus;

import dev.isthmus.internal.Tensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npz} archives: a zip file of {@code .npy} files, one per named array, as
 * {@code np.savez}, {@code np.savez_compressed} and {@code np.load} use them. Entries may be
 * stored or deflated; names are the entry names without {@code .npy}.
 *
 * <p>Reading trusts nothing in the archive: before anything is allocated, every entry must be a
 * {@code .npy} of a plausible size (a stored entry exactly its compressed size, a deflated one
 * at most what deflate can expand to), the entries together no larger than the file (so no data
 * are shared between entries, the trick of zip bombs), and each entry's {@code .npy} header
 * must match its size. Inflating stops at the declared size. A broken or hostile archive is an
 * {@link InvalidArgumentException} naming the file, the entry and the problem.
 */
public final class Npz {
  // Deflate's best case is 1032:1 (a 258-byte match in 2 bits); a little slack for tiny entries.
  private static final long DEFLATE_MAX_RATIO = 1032;
  private static final long DEFLATE_SLACK = 1 << 12;
  private static final String SUFFIX = ".npy";

  private Npz() {}

  /**
   * The arrays of a {@code .npz} archive, by name, in archive order, as numpy's
   * {@code np.load(path)} of an archive. The map is unmodifiable.
   *
   * @throws InvalidArgumentException naming the archive (and entry) if it is not a well-formed
   *     archive of well-formed {@code .npy} files (see {@link Tensor#fromNpy}), has an entry that
   *     is not a {@code .npy}, a duplicate name, an unsupported compression method, or sizes that
   *     do not add up
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Map<String, Tensor> read(Path path) {
    if (path == null) {
      throw new InvalidArgumentException("Npz.read: the path is null");
    }
    String where = "Npz.read: '" + path + "'";
    long fileSize;
    try {
      fileSize = Files.size(path);
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": " + e.getMessage(), e);
    }
    try (ZipFile zip = new ZipFile(path.toFile())) {
      List<ZipEntry> entries = checkedEntries(where, zip, fileSize);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (ZipEntry e : entries) {
        String name = e.getName();
        String at = where + " entry '" + name + "'";
        try (InputStream in = zip.getInputStream(e)) {
          out.put(name.substring(0, name.length() - SUFFIX.length()), Npy.read(at, in, e.getSize()));
        } catch (IOException ex) {
          throw corrupt(at + ": corrupt entry data: ", ex);
        }
      }
      return Collections.unmodifiableMap(out);
    } catch (IllegalArgumentException e) {
      // ZipFile's own complaint about a malformed entry name or header
      throw new InvalidArgumentException(where + ": not a valid zip archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw corrupt(where + ": not a valid zip archive: ", e);
    }
  }

  /**
   * The file could be opened (its size was read), so an I/O error while parsing it is the
   * archive's fault (ZipException, EOFException on a lying end record, ...), unless the file
   * system itself complains (it vanished, permissions).
   */
  private static RuntimeException corrupt(String what, IOException e) {
    if (e instanceof FileSystemException) {
      return new UncheckedIOException(what + e.getMessage(), e);
    }
    return new InvalidArgumentException(what + e, e);
  }

  /** The entries, each checked for name and size before any is read. */
  private static List<ZipEntry> checkedEntries(String where, ZipFile zip, long fileSize) {
    List<ZipEntry> list = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long compressed = 0;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      ZipEntry e = en.nextElement();
      String name = e.getName();
      String at = where + " entry '" + name + "'";
      if (e.isDirectory() || !name.endsWith(SUFFIX)) {
        throw new InvalidArgumentException(at + ": not a .npy file; an .npz archive holds only "
            + "<name>.npy entries");
      }
      if (!names.add(name)) {
        throw new InvalidArgumentException(at + ": a second entry of the same name");
      }
      long size = e.getSize();
      long csize = e.getCompressedSize();
      if (size < 0 || csize < 0) {
        throw new InvalidArgumentException(at + ": the archive does not say the entry's size");
      }
      switch (e.getMethod()) {
        case ZipEntry.STORED -> {
          if (size != csize) {
            throw new InvalidArgumentException(at + ": a stored entry of " + size
                + " bytes with " + csize + " bytes of data");
          }
        }
        case ZipEntry.DEFLATED -> {
          if ((size - DEFLATE_SLACK) / DEFLATE_MAX_RATIO > csize) {
            throw new InvalidArgumentException(at + ": claims " + size + " bytes from " + csize
                + " deflated bytes, more than deflate can produce (a zip bomb?)");
          }
        }
        default -> throw new InvalidArgumentException(at + ": compression method "
            + e.getMethod() + " is not supported; expected stored (0) or deflated (8)");
      }
      compressed += csize;
      if (compressed > fileSize) {
        throw new InvalidArgumentException(where + ": the entries' data add up to more than the "
            + fileSize + "-byte file, so entries overlap (a zip bomb?)");
      }
      list.add(e);
    }
    return list;
  }

  /**
   * Writes {@code arrays} as an uncompressed {@code .npz} archive, as numpy's {@code np.savez}:
   * one stored entry {@code <name>.npy} per array (see {@link Tensor#toNpy}), in the map's order.
   * The archive is written beside {@code path} and then moved over it.
   *
   * @throws InvalidArgumentException if a name or tensor is null, or a tensor has more than 64
   *     dimensions
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(Path path, Map<String, Tensor> arrays) {
    write("Npz.write", path, arrays, false);
  }

  /**
   * Writes {@code arrays} as a deflate-compressed {@code .npz} archive, as numpy's
   * {@code np.savez_compressed}; otherwise as {@link #write}.
   *
   * @throws InvalidArgumentException if a name or tensor is null, or a tensor has more than 64
   *     dimensions
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeCompressed(Path path, Map<String, Tensor> arrays) {
    write("Npz.writeCompressed", path, arrays, true);
  }

  private static void write(String op, Path path, Map<String, Tensor> arrays, boolean deflate) {
    if (path == null || arrays == null) {
      throw new InvalidArgumentException(op + ": the " + (path == null ? "path" : "map")
          + " is null");
    }
    String where = op + ": '" + path + "'";
    for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
      if (e.getKey() == null) {
        throw new InvalidArgumentException(where + ": an array has a null name");
      }
      if (e.getValue() == null) {
        throw new InvalidArgumentException(where + ": the array named '" + e.getKey()
            + "' is null");
      }
      Tensors.data(e.getValue()); // a symbolic tensor fails here, before the file opens
      Npy.checkRank(where + " array '" + e.getKey() + "'", e.getValue());
    }
    Npy.replace(where, path, raw -> {
      ZipOutputStream zip = new ZipOutputStream(raw);
      for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
        Tensor t = e.getValue();
        MemorySegment data = Tensors.data(t);
        ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
        entry.setTime(315532800000L); // 1980-01-01, zip's epoch: same arrays, same bytes
        if (!deflate) {
          // a stored entry needs its size and CRC up front
          long size = Npy.fileSize(t);
          CRC32 crc = new CRC32();
          Npy.write(t, data, new OutputStream() {
            @Override
            public void write(int b) {
              crc.update(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              crc.update(b, off, len);
            }
          });
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(size);
          entry.setCompressedSize(size);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        Npy.write(t, data, zip);
        zip.closeEntry();
      }
      zip.finish();
    });
  }
}
