package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz property, deterministically, in every build and without Jazzer: thousands of seeded
 * mutations of the fuzz seeds (bit flips, interesting bytes, cuts, insertions, header length
 * and number rewrites) through the .npy and .npz readers; only InvalidArgumentException may
 * escape, and what reads must be consistent ({@link NpyFuzzTest#checkConsistent}). Jazzer's
 * coverage-guided search ({@link NpyFuzzTest}) goes further on demand; this keeps a cheap,
 * reproducible sample of it in CI (a failure prints the seed and the input).
 */
class NpyMutationTest {
  private static final long SEED = 0x6e7079L;

  @TempDir
  Path dir;

  static List<byte[]> seeds(String method) throws IOException, URISyntaxException {
    Path d = Path.of(NpyMutationTest.class.getResource("NpyFuzzTestInputs/" + method).toURI());
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(d)) {
      for (Path p : files.sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    assertFalse(out.isEmpty(), "no seeds in " + d);
    return out;
  }

  private static final byte[] INTERESTING = {0, -1, 0x7f, -128, 1, '(', ')', ',', '\'', '"', '-',
      '9', '0', 'L', '{', '}', '[', ':', ' ', '\n', '\\', '<', '>', '|', '=', '?'};
  private static final String[] NUMBERS = {"0", "-1", "99999999999999999999", "4611686018427387904",
      "2147483648", "1099511627776", "", "1L", "1.5", "007", "-0"};

  static byte[] mutate(byte[] in, SplittableRandom r) {
    byte[] b = in.clone();
    for (int k = r.nextInt(1, 4); k > 0; k--) {
      int n = b.length;
      switch (r.nextInt(8)) {
        case 0 -> {
          if (n > 0) {
            b[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
          }
        }
        case 1 -> {
          if (n > 0) {
            b[r.nextInt(n)] = INTERESTING[r.nextInt(INTERESTING.length)];
          }
        }
        case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(n + 1));
        case 3 -> {
          int at = r.nextInt(n + 1);
          byte[] ins = new byte[r.nextInt(1, 9)];
          r.nextBytes(ins);
          b = splice(b, at, at, ins);
        }
        case 4 -> {
          int from = r.nextInt(n + 1);
          b = splice(b, from, Math.min(n, from + r.nextInt(1, 17)), new byte[0]);
        }
        case 5 -> { // the header length field (bytes 8..11)
          if (n >= 12) {
            int v = switch (r.nextInt(4)) {
              case 0 -> 0;
              case 1 -> -1;
              case 2 -> r.nextInt(1 << 17);
              default -> (b[8] & 0xff) + r.nextInt(-4, 5);
            };
            for (int i = 0; i < (r.nextBoolean() ? 2 : 4); i++) {
              b[8 + i] = (byte) (v >>> (8 * i));
            }
          }
        }
        case 6 -> { // a run of digits in the header becomes another number
          int at = n == 0 ? 0 : r.nextInt(Math.min(n, 200));
          int end = at;
          while (end < n && b[end] >= '0' && b[end] <= '9') {
            end++;
          }
          byte[] num = NUMBERS[r.nextInt(NUMBERS.length)].getBytes();
          b = splice(b, at, end, num);
        }
        default -> { // a chunk of the input repeated
          if (n > 0) {
            int from = r.nextInt(n);
            int to = Math.min(n, from + r.nextInt(1, 65));
            b = splice(b, to, to, java.util.Arrays.copyOfRange(b, from, to));
          }
        }
      }
    }
    return b;
  }

  static byte[] splice(byte[] b, int from, int to, byte[] ins) {
    byte[] out = new byte[b.length - (to - from) + ins.length];
    System.arraycopy(b, 0, out, 0, from);
    System.arraycopy(ins, 0, out, from, ins.length);
    System.arraycopy(b, to, out, from + ins.length, b.length - to);
    return out;
  }

  @FunctionalInterface
  interface Reader {
    void read(byte[] input) throws Exception;
  }

  /** Runs {@code count} mutants; some must read and some must fail, or the sample is useless. */
  static void run(List<byte[]> seeds, int count, Reader reader) {
    SplittableRandom r = new SplittableRandom(SEED);
    int read = 0;
    java.util.Set<String> problems = new java.util.HashSet<>();
    for (int i = 0; i < count; i++) {
      byte[] m = mutate(seeds.get(r.nextInt(seeds.size())), r);
      try {
        reader.read(m);
        read++;
      } catch (InvalidArgumentException expected) {
        // the one allowed outcome besides a consistent tensor; note its kind (the text after
        // the file's name, up to the first digit or quote)
        String msg = expected.getMessage();
        problems.add(msg.substring(msg.indexOf("': ") + 3).split("[0-9'(]")[0]);
      } catch (Throwable t) {
        String hex = HexFormat.of().formatHex(m, 0, Math.min(m.length, 512));
        throw new AssertionError("mutant " + i + " (seed " + SEED + ", " + m.length + " bytes: "
            + hex + (m.length > 512 ? "..." : "") + ") escaped with " + t, t);
      }
    }
    if (read < count / 100 || problems.size() < 10) {
      throw new AssertionError(read + " of " + count + " mutants read, and the others failed in "
          + "only " + problems.size() + " ways: " + problems + "; the mutations are too weak");
    }
  }

  @Test
  void npyMutantsFailOnlyWithInvalidArgument() throws Exception {
    // in memory: the parsing fromNpy does for a file under 4 MB, without the file system's cost
    run(seeds("fromNpy"), 30_000, m -> NpyFuzzTest.checkConsistent(Npy.decode("mutant", m)));
  }

  @Test
  void npyMutantsThroughFiles() throws Exception {
    Path p = dir.resolve("m.npy");
    run(seeds("fromNpy"), 400, m -> {
      Files.write(p, m);
      NpyFuzzTest.checkConsistent(Tensor.fromNpy(p));
    });
  }

  @Test
  void npzMutantsFailOnlyWithInvalidArgument() throws Exception {
    Path p = dir.resolve("m.npz");
    run(seeds("npzRead"), 800, m -> {
      Files.write(p, m);
      for (Tensor t : Npz.read(p).values()) {
        NpyFuzzTest.checkConsistent(t);
      }
    });
  }
}
