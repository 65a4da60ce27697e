package dev.isthmus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * The benchmarks compiled into this build: JMH's annotation processor lists them in the
 * resource {@code META-INF/BenchmarkList}, which is also what JMH's runner reads.
 */
public final class Catalog {
  private Catalog() {}

  /** Every benchmark method of the build (empty when the list resource is absent). */
  public static List<BenchmarkListEntry> entries() {
    try (InputStream in = Catalog.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      return in == null ? List.of() : BenchmarkList.readBenchmarkList(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BenchmarkList.BENCHMARK_LIST, e);
    }
  }

  /** The entries of the class named {@code className} (fully qualified). */
  public static List<BenchmarkListEntry> of(List<BenchmarkListEntry> entries, String className) {
    return entries.stream().filter(e -> e.getUserClassQName().equals(className)).toList();
  }

  /** The method name of an entry, e.g. {@code kernel}. */
  public static String method(BenchmarkListEntry e) {
    String u = e.getUsername();
    return u.substring(u.lastIndexOf('.') + 1);
  }
}
