package dev.isthmus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * numpy's times for the operations the groups also measure, taken by running the script
 * {@code numpy_baseline.py} (a resource beside this class) with {@code python3}. A case runs with
 * one BLAS thread unless it ends in {@code @T} (e.g. {@code matmul:2048@2}): OpenBLAS reads its
 * thread count once, when numpy loads, so each thread count is a separate process with {@code
 * OPENBLAS_NUM_THREADS=T}. Optional: without python3 or numpy the tables simply lack the numpy
 * lines.
 */
public final class NumpyBaseline {
  /** Gives up on the script after this long (matmul 1024 takes well under a minute). */
  private static final long TIMEOUT_MINUTES = 20;

  private final boolean available;
  private final Map<String, Double> nanos;
  private final String note;

  private NumpyBaseline(boolean available, Map<String, Double> nanos, String note) {
    this.available = available;
    this.nanos = Map.copyOf(nanos);
    this.note = note;
  }

  /** Times measured elsewhere (tests); {@code version} is numpy's version string. */
  public static NumpyBaseline of(Map<String, Double> nanosPerCase, String version) {
    return new NumpyBaseline(true, nanosPerCase,
        "numpy " + version + " (OPENBLAS_NUM_THREADS=1, or T for a case ending in @T, one process"
            + " per thread count; median of timeit repeats, a separate process, so not the same"
            + " run as the JMH baselines)");
  }

  /** No numpy column, and why. */
  public static NumpyBaseline absent(String why) {
    return new NumpyBaseline(false, Map.of(), "numpy column absent: " + why);
  }

  /** True when numpy ran. */
  public boolean available() {
    return available;
  }

  /** One line for the report: numpy's version and method, or why the column is absent. */
  public String note() {
    return note;
  }

  /** numpy's time per call of {@code numpyCase} in ns, if it was timed. */
  public OptionalDouble nanos(String numpyCase) {
    Double v = nanos.get(numpyCase);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Runs the script on {@code cases} (see the script's usage), one process per thread count, and
   * collects its times; never throws: any failure becomes an absent column with the reason.
   */
  public static NumpyBaseline run(Collection<String> cases, boolean quick) {
    return run(cases, quick ? 3 : 7);
  }

  /** As {@link #run(Collection, boolean)}, with {@code repeats} timeit repeats per case. */
  public static NumpyBaseline run(Collection<String> cases, int repeats) {
    if (cases.isEmpty()) {
      return absent("no benchmark run has a numpy counterpart");
    }
    byte[] script;
    try (InputStream in = NumpyBaseline.class.getResourceAsStream("numpy_baseline.py")) {
      if (in == null) {
        return absent("the resource numpy_baseline.py is missing from the build");
      }
      script = in.readAllBytes();
    } catch (IOException e) {
      return absent("cannot read numpy_baseline.py: " + e.getMessage());
    }
    Map<Integer, List<String>> byThreads = new TreeMap<>();
    for (String c : cases) {
      byThreads.computeIfAbsent(threads(c), t -> new ArrayList<>()).add(c);
    }
    Map<String, Double> all = new LinkedHashMap<>();
    NumpyBaseline last = null;
    for (Map.Entry<Integer, List<String>> e : byThreads.entrySet()) {
      last = runOnce(script, e.getKey(), e.getValue(), repeats);
      if (!last.available()) {
        return last;
      }
      all.putAll(last.nanos);
    }
    return new NumpyBaseline(true, all, last.note);
  }

  /** The BLAS threads a case asks for: T for {@code ...@T}, else 1 (the script rejects bad T). */
  static int threads(String numpyCase) {
    int at = numpyCase.lastIndexOf('@');
    if (at < 0) {
      return 1;
    }
    try {
      return Math.max(1, Integer.parseInt(numpyCase.substring(at + 1)));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** One python3 process timing {@code cases} with {@code threads} BLAS threads. */
  private static NumpyBaseline runOnce(byte[] script, int threads, List<String> cases,
      int repeats) {
    List<String> cmd = new ArrayList<>(List.of("python3", "-", "--repeat",
        Integer.toString(repeats),
        "--threads", Integer.toString(threads)));
    cmd.addAll(cases);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // Set before numpy loads its BLAS (the script sets them too); and OpenBLAS picks its kernels
    // for this CPU: no core type or L2 size override, for this command only.
    String t = Integer.toString(threads);
    pb.environment().put("OPENBLAS_NUM_THREADS", t);
    pb.environment().put("OMP_NUM_THREADS", t);
    pb.environment().put("MKL_NUM_THREADS", t);
    pb.environment().remove("OPENBLAS_CORETYPE");
    pb.environment().remove("OPENBLAS_L2_SIZE");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return absent("python3 is not available (" + e.getMessage() + ")");
    }
    try {
      FutureTask<String> out = drain(p.getInputStream());
      FutureTask<String> err = drain(p.getErrorStream());
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(script);
      }
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return absent("the numpy script took over " + TIMEOUT_MINUTES + " minutes");
      }
      int rc = p.exitValue();
      if (rc == 3) {
        return absent("python3 has no numpy");
      }
      if (rc != 0) {
        return absent("the numpy script failed (exit " + rc + "): " + lastLine(err.get()));
      }
      return parse(out.get());
    } catch (IOException | ExecutionException e) {
      p.destroyForcibly();
      return absent("talking to python3 failed: " + e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return absent("interrupted");
    }
  }

  /** Parses the script's output: a {@code # numpy VERSION} line, then {@code CASE\tNS} lines. */
  static NumpyBaseline parse(String output) {
    String version = "?";
    Map<String, Double> ns = new LinkedHashMap<>();
    for (String line : output.split("\\R")) {
      if (line.startsWith("# numpy ")) {
        version = line.substring("# numpy ".length()).trim();
      } else if (!line.isBlank()) {
        String[] f = line.split("\t");
        try {
          if (f.length != 2) {
            throw new NumberFormatException();
          }
          ns.put(f[0].trim(), Double.parseDouble(f[1].trim()));
        } catch (NumberFormatException e) {
          return absent("unexpected line from the numpy script: " + line);
        }
      }
    }
    return of(ns, version);
  }

  /** Reads a stream to its end on a virtual thread, so neither pipe can fill up and block. */
  private static FutureTask<String> drain(InputStream in) {
    FutureTask<String> task = new FutureTask<>(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    });
    Thread.ofVirtual().start(task);
    return task;
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\\R");
    return lines.length == 0 || lines[lines.length - 1].isBlank()
        ? "(no message)" : lines[lines.length - 1];
  }
}
