package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.DType;
import dev.isthmus.Npz;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.Generators;
import dev.isthmus.testkit.TensorGens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * Round trips through numpy's formats over random tensors of every dtype, rank 0 to 5 with empty
 * axes, and arbitrary bits (every NaN payload, the full integer ranges): {@code toNpy} then
 * {@code fromNpy} gives the same tensor, and the test-side reader {@link RefNpy} reads the same
 * values from what {@code toNpy} wrote; files that {@link RefNpy} writes in any format version,
 * byte order and memory order read back exactly; {@code .npz} archives, stored and deflated,
 * give back their map.
 */
class NpyProperties {
  @TempDir
  Path tmp;

  /** A random array of raw bits. */
  static Gen<RefNpy.Array> arrays() {
    return in -> {
      Draw d = TensorGens.draw(in);
      DType t = MoveOpProperties.dtype(d);
      Shape s = Generators.shape(d, 5, 5);
      long[] bits = new long[Math.toIntExact(s.size())];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = switch (t.byteSize()) {
          case 1 -> d.between(0, 1);
          case 4 -> (int) d.between(0, 0xffffffffL);
          default -> d.between(0, 0xffffffffL) << 32 | d.between(0, 0xffffffffL);
        };
      }
      return new RefNpy.Array(t, s.dims(), bits);
    };
  }

  private Path file(String name) {
    return tmp.resolve(name);
  }

  @Test
  void toNpyThenFromNpyIsTheSameTensor() {
    qt().withExamples(300).forAll(arrays()).checkAssert(a -> {
      Tensor t = RefNpy.tensor(a);
      Path p = file("roundtrip.npy");
      t.toNpy(p);
      RefNpy.assertSame(a, Tensor.fromNpy(p), "fromNpy(toNpy)");
      RefNpy.assertSame(a, RefNpy.tensor(RefNpy.decode(read(p))), "RefNpy.decode(toNpy)");
    });
  }

  @Test
  void everyVersionByteOrderAndMemoryOrderReadsBack() {
    qt().withExamples(400).forAll(arrays(), in -> TensorGens.draw(in).between(0, 11))
        .checkAssert((a, mode) -> {
          int version = (int) (mode % 3) + 1;
          ByteOrder order = mode / 3 % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
          boolean fortran = mode / 6 == 1;
          Path p = file("layout.npy");
          write(p, RefNpy.encode(a, version, order, fortran));
          RefNpy.assertSame(a, Tensor.fromNpy(p),
              "v" + version + ".0 " + order + (fortran ? " Fortran" : " C"));
        });
  }

  @Test
  void npzArchivesGiveBackTheirMap() {
    Gen<ArrayList<RefNpy.Array>> lists = in -> {
      Draw d = TensorGens.draw(in);
      ArrayList<RefNpy.Array> l = new ArrayList<>();
      for (int i = d.intBetween(0, 4); i > 0; i--) {
        l.add(arrays().generate(in));
      }
      return l;
    };
    qt().withExamples(100).forAll(lists, in -> TensorGens.draw(in).between(0, 1))
        .checkAssert((list, compressed) -> {
          Map<String, Tensor> m = new LinkedHashMap<>();
          for (int i = 0; i < list.size(); i++) {
            m.put(i % 2 == 0 ? "a" + i : "dir/b" + i, RefNpy.tensor(list.get(i)));
          }
          Path p = file("arrays.npz");
          if (compressed == 1) {
            Npz.writeCompressed(p, m);
          } else {
            Npz.write(p, m);
          }
          Map<String, Tensor> back = Npz.read(p);
          assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(back.keySet()));
          int i = 0;
          for (String k : m.keySet()) {
            RefNpy.assertSame(list.get(i++), back.get(k), "entry " + k);
          }
        });
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path p, byte[] b) {
    try {
      Files.write(p, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
