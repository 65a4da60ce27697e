package dev.isthmus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./isthmus bench coldstart}: the first call of each of {@link ColdStartOps}'s twenty ops,
 * each in a fresh process, several processes per op, medians: with cold kernels routed through
 * their scalar twins ({@code -Disthmus.simd.warmup=on}, {@code routed}), with the Vector API from
 * the first call (the default, {@code -Disthmus.simd.warmup=off}, {@code vector}), on the scalar
 * twins alone
 * ({@code -Disthmus.simd=scalar}, {@code scalar}), and numpy's first call of the same op in a
 * fresh python3 (skipped, and said so, when python3 or numpy is missing).
 */
public final class ColdStart {
  private ColdStart() {}

  static final String USAGE = """
      usage: ./isthmus bench coldstart [--ops OP,OP] [--runs N] [--modes M,M] [--no-numpy]
                                       [--jvm-arg ARG]... [--demo CLASSPATH] [--out FILE]
        --ops      ops to time (default all 20: %s)
        --runs     processes per op and mode (default 5); the table shows medians
        --modes    any of routed, vector, scalar (default all three)
        --no-numpy leave numpy out
        --jvm-arg  an extra option for every isthmus JVM (e.g. -XX:AOTCache=app.aot)
        --demo     also time the demo's whole process (dev.isthmus.examples.Demo on CLASSPATH,
                   e.g. the examples jar and its classpath.txt), --runs times per mode
        --out      also write the report (markdown) to FILE
      """;

  /** A way to start the isthmus JVM: its name and its extra options. */
  enum Mode {
    ROUTED("routed", List.of("-Disthmus.simd.warmup=on")),
    VECTOR("vector", List.of("-Disthmus.simd.warmup=off")),
    SCALAR("scalar", List.of("-Disthmus.simd=scalar"));

    final String label;
    final List<String> flags;

    Mode(String label, List<String> flags) {
      this.label = label;
      this.flags = flags;
    }

    static Mode of(String s) {
      for (Mode m : values()) {
        if (m.label.equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown mode " + s + " (routed, vector, scalar)");
    }
  }

  /**
   * One process's measurement.
   *
   * @param firstNs the op's first call
   * @param secondNs its second call
   * @param startNs the engine's start (isthmus) or numpy's import (numpy)
   * @param wallNs the whole process, as the parent saw it
   * @param elements the output's element count (a check that the op ran)
   */
  record Sample(long firstNs, long secondNs, long startNs, long wallNs, long elements) {}

  /** The parsed command line. */
  record Args(List<String> ops, int runs, List<Mode> modes, boolean numpy, List<String> jvmArgs,
      String demo, Path out) {
    static Args parse(String... argv) {
      List<String> ops = ColdStartOps.ALL.stream().map(ColdStartOps.Op::name).toList();
      int runs = 5;
      List<Mode> modes = List.of(Mode.values());
      boolean numpy = true;
      List<String> jvm = new ArrayList<>();
      Path out = null;
      String demo = null;
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        if (a.equals("--no-numpy")) {
          numpy = false;
          continue;
        }
        if (!List.of("--ops", "--runs", "--modes", "--jvm-arg", "--demo", "--out").contains(a)) {
          throw new IllegalArgumentException("unknown option " + a);
        }
        if (i + 1 >= argv.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        String v = argv[++i];
        switch (a) {
          case "--ops" -> {
            ops = List.of(v.split(","));
            for (String o : ops) {
              if (!ColdStartOps.BY_NAME.containsKey(o)) {
                throw new IllegalArgumentException("unknown op " + o);
              }
            }
          }
          case "--runs" -> {
            runs = Integer.parseInt(v);
            if (runs < 1) {
              throw new IllegalArgumentException("--runs must be at least 1");
            }
          }
          case "--modes" -> modes = Arrays.stream(v.split(",")).map(Mode::of).toList();
          case "--jvm-arg" -> jvm.add(v);
          case "--demo" -> demo = v;
          default -> out = Path.of(v);
        }
      }
      return new Args(ops, runs, modes, numpy, List.copyOf(jvm), demo, out);
    }
  }

  /** Entry point: see {@link #USAGE}. */
  public static void main(String[] argv) {
    int rc = run(argv, System.out, System.err);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /** Runs the harness, printing progress to {@code err} and the report to {@code out}. */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    if (Arrays.asList(argv).contains("--help")) {
      out.printf(USAGE, ColdStartOps.names());
      return 0;
    }
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      err.println("isthmus bench coldstart: " + e.getMessage());
      err.printf(USAGE, ColdStartOps.names());
      return 2;
    }
    try {
      ColdStartReport r = measure(args, err);
      String text = r.markdown();
      out.print(text);
      if (args.out() != null) {
        Files.writeString(args.out(), text);
      }
      return 0;
    } catch (IOException e) {
      err.println("isthmus bench coldstart: " + e.getMessage());
      return 1;
    }
  }

  /** Every process of the run: per op, per mode (and numpy), one sample per run. */
  static ColdStartReport measure(Args args, PrintStream progress) throws IOException {
    String loadBefore = loadAverage();
    Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    String numpyNote = args.numpy() ? null : "numpy left out (--no-numpy)";
    Path script = null;
    if (args.numpy()) {
      script = numpyScript();
    }
    // runs outermost, modes interleaved: drift in the machine's load spreads over every column
    for (int run = 0; run < args.runs(); run++) {
      for (String op : args.ops()) {
        Map<String, List<Sample>> byMode = samples.computeIfAbsent(op, k -> new LinkedHashMap<>());
        for (Mode m : args.modes()) {
          List<String> cmd = new ArrayList<>(List.of(javaBinary(), "--add-modules",
              "jdk.incubator.vector"));
          cmd.addAll(m.flags);
          cmd.addAll(args.jvmArgs());
          cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
              ColdStartOps.class.getName(), op));
          byMode.computeIfAbsent(m.label, k -> new ArrayList<>()).add(child(cmd, op, false));
        }
        if (numpyNote == null) {
          try {
            Sample s = child(List.of("python3", script.toString(), op), op, true);
            byMode.computeIfAbsent("numpy", k -> new ArrayList<>()).add(s);
          } catch (IOException e) {
            numpyNote = "numpy skipped: " + e.getMessage();
            samples.values().forEach(v -> v.remove("numpy"));
          }
        }
        progress.printf("coldstart: run %d/%d %s done%n", run + 1, args.runs(), op);
      }
    }
    if (numpyNote == null) {
      numpyNote = "numpy " + numpyVersion() + ": first call in a fresh python3 after `import"
          + " numpy` and building the inputs (default BLAS threads)";
    }
    Map<String, List<Long>> demo = new LinkedHashMap<>();
    if (args.demo() != null) {
      for (int run = 0; run < args.runs(); run++) {
        for (Mode m : args.modes()) {
          demo.computeIfAbsent(m.label, k -> new ArrayList<>()).add(demoRun(args, m));
        }
        progress.printf("coldstart: run %d/%d demo done%n", run + 1, args.runs());
      }
    }
    return new ColdStartReport(args, samples, demo, numpyNote, loadBefore, loadAverage());
  }

  /** One run of the demo's whole process in mode {@code m}: its wall time in ns. */
  static long demoRun(Args args, Mode m) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "--add-modules",
        "jdk.incubator.vector"));
    cmd.addAll(m.flags);
    cmd.addAll(args.jvmArgs());
    cmd.addAll(List.of("-cp", args.demo(), "dev.isthmus.examples.Demo"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("the demo took over 10 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    long wall = System.nanoTime() - t0;
    if (p.exitValue() != 0) {
      throw new IOException("the demo failed (exit " + p.exitValue() + "): " + String.join(" ",
          cmd));
    }
    return wall;
  }

  /** Runs one child and parses its {@code coldstart ...} line. */
  static Sample child(List<String> cmd, String op, boolean numpy) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    long t0 = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException((numpy ? "python3 is not available" : "cannot start java") + " ("
          + e.getMessage() + ")");
    }
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(op + ": the child took over 5 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    long wall = System.nanoTime() - t0;
    if (numpy && p.exitValue() == 3) {
      throw new IOException("python3 has no numpy");
    }
    for (String line : output.split("\\R")) {
      String[] f = line.trim().split(" ");
      // coldstart OP FIRST SECOND INPUTS START ELEMENTS (both children print this)
      if (f.length == 7 && f[0].equals("coldstart") && f[1].equals(op)) {
        return new Sample(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[5]), wall,
            Long.parseLong(f[6]));
      }
    }
    throw new IOException(String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " ... "
        + op + " failed (exit " + p.exitValue() + "):\n" + output.strip());
  }

  /** The java binary running this harness. */
  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The numpy script, copied out of the jar into a temporary file. */
  private static Path numpyScript() throws IOException {
    try (InputStream in = ColdStart.class.getResourceAsStream("coldstart_numpy.py")) {
      if (in == null) {
        throw new IOException("the resource coldstart_numpy.py is missing from the build");
      }
      Path p = Files.createTempFile("isthmus-coldstart", ".py");
      p.toFile().deleteOnExit();
      Files.write(p, in.readAllBytes());
      return p;
    }
  }

  private static String numpyVersion() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy; print(numpy.__version__)")
          .redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(1, TimeUnit.MINUTES);
      return v;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /** The 1, 5 and 15 minute load averages (Linux), or "?". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
