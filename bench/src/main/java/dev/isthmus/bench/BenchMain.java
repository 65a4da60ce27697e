package dev.isthmus.bench;

import dev.isthmus.kernels.Simd;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./isthmus bench <group...>}: runs the groups' JMH benchmarks in-process through JMH's
 * Runner API (each benchmark in one forked JVM), optionally times numpy on the same operations,
 * and prints one markdown ratio table per group.
 */
public final class BenchMain {
  private BenchMain() {}

  static final String USAGE = """
      usage: ./isthmus bench [--quick] [--out FILE] [--param NAME=V1,V2] GROUP...
             ./isthmus bench list
             ./isthmus bench report [--out DIR] [--only GROUP,...] [--smoke] [--dry-run]
             ./isthmus bench coldstart [--help]   (first calls in fresh JVMs; see ColdStart)
        GROUP       one of: %s, or all
        --quick     warm-up 2 x 500 ms, measurement 3 x 500 ms (default 3 x 1 s and 5 x 1 s)
        --out FILE  also write the report (markdown) to FILE
        --param     override a JMH @Param of every benchmark declaring it (for quick checks)
        report      the whole suite in a quick mode (under 10 minutes), written with charts to
                    bench/report/<date>/ (./isthmus bench report --help)
      """;

  /**
   * The parsed command line.
   *
   * @param groups the groups to run, in order, without repeats
   * @param list true for {@code list}: print the groups and run nothing
   * @param quick shorter warm-up and measurement
   * @param out where to write the report too, or null
   * @param params JMH parameter overrides
   */
  record Args(List<Group> groups, boolean list, boolean quick, Path out,
      Map<String, String[]> params) {

    /** Parses {@code argv}; throws IllegalArgumentException with the reason when it is wrong. */
    static Args parse(String... argv) {
      Set<Group> groups = new LinkedHashSet<>();
      boolean list = false;
      boolean quick = false;
      Path out = null;
      Map<String, String[]> params = new LinkedHashMap<>();
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        switch (a) {
          case "list" -> list = true;
          case "all" -> groups.addAll(Groups.ALL);
          case "--quick" -> quick = true;
          case "--out", "--param" -> {
            if (i + 1 >= argv.length) {
              throw new IllegalArgumentException(a + " needs a value");
            }
            String v = argv[++i];
            if (a.equals("--out")) {
              out = Path.of(v);
            } else {
              int eq = v.indexOf('=');
              if (eq <= 0 || eq == v.length() - 1) {
                throw new IllegalArgumentException("--param expects NAME=V1,V2, got " + v);
              }
              params.put(v.substring(0, eq), v.substring(eq + 1).split(","));
            }
          }
          default -> {
            if (a.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            groups.add(Groups.byName(a).orElseThrow(
                () -> new IllegalArgumentException("unknown group " + a)));
          }
        }
      }
      if (!list && groups.isEmpty()) {
        throw new IllegalArgumentException("name at least one group");
      }
      return new Args(List.copyOf(groups), list, quick, out, params);
    }
  }

  /** Entry point: see {@link #USAGE}. Exits with 2 on a bad command line, 1 if JMH failed. */
  public static void main(String[] argv) {
    int rc = run(argv, System.out, System.err);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /** Does what {@link #main} does, printing to the given streams; returns the exit status. */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    if (argv.length > 0 && argv[0].equals("coldstart")) { // fresh processes, not JMH
      return ColdStart.run(Arrays.copyOfRange(argv, 1, argv.length), out, err);
    }
    if (argv.length == 0 || List.of(argv).contains("--help") || List.of(argv).contains("-h")) {
      (argv.length == 0 ? err : out).print(usage());
      return argv.length == 0 ? 2 : 0;
    }
    if (argv[0].equals("report")) {
      // charts are drawn with AWT: never look for a display
      System.setProperty("java.awt.headless", "true");
      return Report.run(List.of(argv).subList(1, argv.length), Catalog.entries(), out, err);
    }
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      err.println("isthmus bench: " + e.getMessage());
      err.print(usage());
      return 2;
    }
    return run(args, Catalog.entries(), out, err);
  }

  /** Runs the groups of {@code args} that {@code entries} (the build's benchmarks) has. */
  static int run(Args args, List<BenchmarkListEntry> entries, PrintStream out, PrintStream err) {
    if (args.list()) {
      out.print(listing(entries));
      return 0;
    }
    int rc = 0;
    Map<Group, List<Measurement>> measured = new LinkedHashMap<>();
    Map<Group, String> skipped = new LinkedHashMap<>();
    for (Group g : args.groups()) {
      if (Catalog.of(entries, g.className()).isEmpty()) {
        skipped.put(g, g.benchClass() + " is not in this build (its benchmark class is missing),"
            + " so this group was not run.");
        out.println("isthmus bench: " + g.name() + ": skipped, " + g.benchClass()
            + " is not in this build");
        continue;
      }
      try {
        List<Measurement> ms = Measurement.fromJmh(jmh(g, args));
        measured.put(g, ms);
      } catch (RunnerException e) {
        rc = 1;
        skipped.put(g, "JMH failed: " + e.getMessage());
        err.println("isthmus bench: " + g.name() + ": JMH failed: " + e.getMessage());
      }
    }
    Set<String> cases = new LinkedHashSet<>();
    measured.forEach((g, ms) -> cases.addAll(RatioTable.numpyCases(g, ms)));
    NumpyBaseline numpy;
    if (cases.isEmpty()) {
      numpy = NumpyBaseline.absent("none of the groups run has a numpy counterpart");
    } else {
      out.println("isthmus bench: timing numpy on " + String.join(" ", cases));
      numpy = NumpyBaseline.run(cases, args.quick());
    }
    String report = report(args, entries, measured, skipped, numpy);
    out.println();
    out.print(report);
    if (args.out() != null) {
      try {
        Path parent = args.out().toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(args.out(), report);
        out.println("isthmus bench: report written to " + args.out());
      } catch (IOException e) {
        err.println("isthmus bench: cannot write " + args.out() + ": " + e);
        rc = 1;
      }
    }
    return rc;
  }

  /** Runs one group's benchmarks: 1 fork with the Vector API, the iteration counts of args. */
  private static Collection<RunResult> jmh(Group g, Args args) throws RunnerException {
    ChainedOptionsBuilder ob = new OptionsBuilder()
        .include(g.includeRegex())
        .forks(1)
        // The second flag only silences JMH's own sun.misc.Unsafe warnings in the fork.
        .jvmArgsAppend("--add-modules", "jdk.incubator.vector",
            "--sun-misc-unsafe-memory-access=allow");
    if (args.quick()) {
      ob.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
    } else {
      ob.warmupIterations(3).warmupTime(TimeValue.seconds(1))
          .measurementIterations(5).measurementTime(TimeValue.seconds(1));
    }
    args.params().forEach(ob::param);
    return new Runner(ob.build()).run();
  }

  /** The whole markdown report: environment, numpy note, then each group's table. */
  static String report(Args args, List<BenchmarkListEntry> entries,
      Map<Group, List<Measurement>> measured, Map<Group, String> skipped, NumpyBaseline numpy) {
    StringBuilder sb = new StringBuilder();
    sb.append("# isthmus benchmarks\n\n");
    sb.append("- ").append(LocalDate.now()).append(", JDK ").append(Runtime.version())
        .append(" (").append(System.getProperty("java.vm.name")).append("), ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n");
    sb.append("- kernels: ").append(Simd.VECTOR
        ? "Vector API, " + FloatVector.SPECIES_PREFERRED.length() + " float lanes ("
            + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit)"
        : "scalar (" + Simd.WHY_SCALAR + ")").append('\n');
    sb.append("- JMH: 1 fork, ").append(args.quick()
        ? "warm-up 2 x 500 ms, measurement 3 x 500 ms (--quick)"
        : "warm-up 3 x 1 s, measurement 5 x 1 s");
    if (!args.params().isEmpty()) {
      sb.append(", params overridden:");
      args.params().forEach((k, v) -> sb.append(' ').append(k).append('=')
          .append(String.join(",", v)));
    }
    sb.append("; times are medians of the measurement iterations\n");
    sb.append("- ").append(numpy.note()).append('\n');
    sb.append("- ratios read higher = better for the measured method (time ratios: lower ="
        + " better); baselines come from the same JMH run\n");
    for (Group g : args.groups()) {
      sb.append("\n## ").append(g.name()).append(": ").append(g.benchClass()).append("\n\n");
      sb.append(g.measures()).append("\n\n");
      String why = skipped.get(g);
      if (why != null) {
        sb.append(why).append('\n');
        continue;
      }
      List<RatioTable.Row> rows = RatioTable.rows(g, measured.get(g), numpy);
      sb.append(RatioTable.markdown(rows));
      Map<String, Long> tally = RatioTable.tally(rows);
      if (!tally.isEmpty()) {
        sb.append("\nTargets: ");
        List<String> parts = new ArrayList<>();
        tally.forEach((k, v) -> parts.add(v + " " + k));
        sb.append(String.join(", ", parts)).append(".\n");
      }
      for (String note : g.notes().apply(measured.get(g))) {
        sb.append('\n').append(note).append('\n');
      }
    }
    Set<String> grouped = new TreeSet<>();
    Groups.ALL.forEach(g -> grouped.add(g.className()));
    Set<String> strays = new TreeSet<>();
    entries.forEach(e -> {
      if (!grouped.contains(e.getUserClassQName())) {
        strays.add(e.getUserClassQName());
      }
    });
    if (!strays.isEmpty()) {
      sb.append("\nBenchmark classes in no group (not run): ").append(String.join(", ", strays))
          .append(".\n");
    }
    return sb.toString();
  }

  /** {@code list}: every group, its class, whether the build has it, and what it measures. */
  static String listing(List<BenchmarkListEntry> entries) {
    StringBuilder sb = new StringBuilder();
    for (Group g : Groups.ALL) {
      boolean present = !Catalog.of(entries, g.className()).isEmpty();
      sb.append(String.format("%-9s %-19s %s%n", g.name(), g.benchClass(),
          present ? "" : "(not in this build)"));
      sb.append("          ").append(g.measures()).append('\n');
    }
    sb.append("all       every group above, in this order\n");
    return sb.toString();
  }

  static String usage() {
    return USAGE.formatted(String.join(", ", Groups.ALL.stream().map(Group::name).toList()));
  }
}
