package dev.isthmus.bench;

import dev.isthmus.kernels.Simd;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./isthmus bench report}: runs the {@link ReportPlan} (the JMH suite in a quick mode),
 * times numpy on the same operations, and writes {@code bench/report/<date>/}: a README.md with
 * the machine, the load, every group's ratio table and verdicts, and the charts ({@link
 * ReportCharts}) as PNG and SVG.
 */
public final class Report {
  private Report() {}

  static final String USAGE = """
      usage: ./isthmus bench report [--out DIR] [--only GROUP,...] [--smoke] [--dry-run]
        writes DIR (default bench/report/<date>): README.md, and the charts as PNG and SVG
        --only GROUP,...  only these groups' runs
        --smoke           every step at the least cost (no fork, no warm-up, one 50 ms
                          iteration, small sizes): checks the command works; numbers mean nothing
        --dry-run         print the plan (which benchmarks, which parameters) and run nothing
      """;

  /**
   * The command line.
   *
   * @param out the report's folder, or null for {@code bench/report/<date>}
   * @param only the groups to run, or empty for all
   * @param smoke the plan's smoke version
   * @param dryRun print the plan only
   */
  record Args(Path out, Set<String> only, boolean smoke, boolean dryRun) {
    static Args parse(List<String> argv) {
      Path out = null;
      Set<String> only = new LinkedHashSet<>();
      boolean smoke = false;
      boolean dry = false;
      for (int i = 0; i < argv.size(); i++) {
        String a = argv.get(i);
        switch (a) {
          case "--smoke" -> smoke = true;
          case "--dry-run" -> dry = true;
          case "--out", "--only" -> {
            if (i + 1 >= argv.size()) {
              throw new IllegalArgumentException(a + " needs a value");
            }
            String v = argv.get(++i);
            if (a.equals("--out")) {
              out = Path.of(v);
            } else {
              for (String g : v.split(",")) {
                Groups.byName(g).orElseThrow(
                    () -> new IllegalArgumentException("unknown group " + g));
                only.add(g);
              }
            }
          }
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      return new Args(out, only, smoke, dry);
    }

    ReportPlan plan() {
      ReportPlan p = ReportPlan.quick();
      if (!only.isEmpty()) {
        p = p.onlyGroups(only);
      }
      return smoke ? p.smoke() : p;
    }
  }

  /**
   * What the report's header says about the machine and the run.
   *
   * @param date the day the run started (UTC)
   * @param cpu the CPU model, from /proc/cpuinfo
   * @param cpus the processors the JVM sees
   * @param platform the JDK and OS
   * @param kernels the SIMD width the kernels use, or why they are scalar
   * @param loadStart the load average when the run started
   * @param loadEnd the load average when it ended
   * @param elapsed how long the run took
   */
  public record Header(LocalDate date, String cpu, int cpus, String platform, String kernels,
      String loadStart, String loadEnd, Duration elapsed) {}

  /** Entry point from {@link BenchMain}: {@code argv} follows the word {@code report}. */
  static int run(List<String> argv, List<BenchmarkListEntry> entries, PrintStream out,
      PrintStream err) {
    if (argv.contains("--help") || argv.contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      err.println("isthmus bench report: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    ReportPlan plan = args.plan();
    List<String> problems = plan.problems(entries);
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("isthmus bench report: plan: " + p));
      return 2;
    }
    out.println("isthmus bench report: " + plan.benchmarks(entries) + " benchmarks, "
        + plan.settings() + "; about " + minutes(plan.estimatedSeconds(entries)));
    out.print(plan.describe(entries));
    if (args.dryRun()) {
      return 0;
    }
    LocalDate date = LocalDate.now(ZoneOffset.UTC);
    Path dir = args.out() != null ? args.out() : Path.of("bench", "report", date.toString());
    if (plan.forks() == 0) {
      // in-process runs (smoke) need not wait for another JMH's lock
      System.setProperty("jmh.ignoreLock", "true");
    }
    String loadStart = loadAverage();
    long t0 = System.nanoTime();
    Map<Group, List<Measurement>> measured = new LinkedHashMap<>();
    Map<Group, List<String>> notes = new LinkedHashMap<>();
    int rc = 0;
    int i = 0;
    for (ReportPlan.Run r : plan.runs()) {
      i++;
      Group g = r.groupDef();
      out.println("isthmus bench report: run " + i + "/" + plan.runs().size() + ": " + g.name()
          + ", " + r.describe());
      try {
        List<Measurement> ms = Measurement.fromJmh(jmh(plan, r));
        measured.computeIfAbsent(g, k -> new ArrayList<>()).addAll(ms);
      } catch (RunnerException e) {
        rc = 1;
        notes.computeIfAbsent(g, k -> new ArrayList<>())
            .add("The run with " + r.describe() + " failed: " + e.getMessage());
        err.println("isthmus bench report: " + g.name() + ": JMH failed: " + e.getMessage());
      }
    }
    Set<String> cases = new LinkedHashSet<>();
    measured.forEach((g, ms) -> cases.addAll(RatioTable.numpyCases(g, ms)));
    NumpyBaseline numpy;
    if (cases.isEmpty()) {
      numpy = NumpyBaseline.absent("none of the groups run has a numpy counterpart");
    } else {
      out.println("isthmus bench report: timing numpy on " + String.join(" ", cases));
      numpy = NumpyBaseline.run(cases, plan.numpyRepeats());
    }
    Header h = new Header(date, cpuModel(), Runtime.getRuntime().availableProcessors(),
        platform(), kernels(), loadStart, loadAverage(),
        Duration.ofNanos(System.nanoTime() - t0));
    try {
      List<Path> files = write(dir, h, plan, measured, notes, numpy);
      out.println("isthmus bench report: wrote " + files.size() + " files to " + dir);
    } catch (IOException | RuntimeException e) {
      err.println("isthmus bench report: cannot write the report to " + dir + ": " + e);
      return 1;
    }
    return rc;
  }

  /** One JMH run of the plan. */
  private static java.util.Collection<org.openjdk.jmh.results.RunResult> jmh(ReportPlan plan,
      ReportPlan.Run r) throws RunnerException {
    ChainedOptionsBuilder ob = new OptionsBuilder()
        .include(r.includeRegex())
        .forks(plan.forks())
        .jvmArgsAppend("--add-modules", "jdk.incubator.vector",
            "--sun-misc-unsafe-memory-access=allow")
        .warmupIterations(plan.warmupIterations())
        .measurementIterations(plan.measurementIterations())
        .measurementTime(TimeValue.milliseconds(plan.measurementMillis()));
    if (plan.warmupIterations() > 0) {
      ob.warmupTime(TimeValue.milliseconds(plan.warmupMillis()));
    }
    r.params().forEach((k, v) -> ob.param(k, v.toArray(String[]::new)));
    return new Runner(ob.build()).run();
  }

  /**
   * Writes the report into {@code dir} from data: README.md and, as PNG and SVG, a ratio chart
   * per group that has ratio lines and each scaling curve with two points or more. Returns the
   * files written.
   */
  public static List<Path> write(Path dir, Header h, ReportPlan plan,
      Map<Group, List<Measurement>> measured, Map<Group, List<String>> notes, NumpyBaseline numpy)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    int total = measured.values().stream().mapToInt(List::size).sum();
    md.append("# isthmus benchmark report, ").append(h.date()).append("\n\n");
    md.append("Written by `./isthmus bench report`: the JMH suite in its quick mode, then numpy"
        + " on the same operations. Ratios compare each method with baselines of the same JMH"
        + " run and read higher = better, except time ratios (lower = better); see"
        + " [Reading the tables](../../README.md#reading-the-tables). A report is only as good"
        + " as the quiet it ran in: see the load averages.\n\n");
    md.append("| | |\n| --- | --- |\n");
    md.append("| CPU | ").append(h.cpu()).append(", ").append(h.cpus()).append(" CPUs |\n");
    md.append("| JDK, OS | ").append(h.platform()).append(" |\n");
    md.append("| kernels | ").append(h.kernels()).append(" |\n");
    md.append("| load average (1, 5, 15 min) | at the start ").append(h.loadStart())
        .append("; at the end ").append(h.loadEnd()).append(" |\n");
    md.append("| JMH | ").append(plan.settings())
        .append("; times are medians of the measurement iterations |\n");
    md.append("| run | ").append(total).append(" benchmarks in ").append(minutes(
        h.elapsed().toMillis() / 1000.0)).append(" |\n");
    md.append("| numpy | ").append(numpy.note()).append(" |\n\n");

    // the tables first (the charts read from the same rows)
    Map<Group, List<RatioTable.Row>> rows = new LinkedHashMap<>();
    for (Group g : plan.groups()) {
      List<Measurement> ms = measured.get(g);
      if (ms != null) {
        rows.put(g, RatioTable.rows(g, Measurement.byParams(ms), numpy));
      }
    }
    Map<Group, String> ratioCharts = new LinkedHashMap<>();
    for (Map.Entry<Group, List<RatioTable.Row>> e : rows.entrySet()) {
      CategoryChart c = ReportCharts.ratioChart(e.getKey(), e.getValue());
      if (c != null) {
        String name = "ratios-" + e.getKey().name();
        files.addAll(ReportCharts.write(c, dir, name));
        ratioCharts.put(e.getKey(), name);
      }
    }

    md.append("## Verdicts\n\n| group | PASS | FAIL | n/a | reported | ratio chart |\n")
        .append("| --- | --- | --- | --- | --- | --- |\n");
    for (Group g : plan.groups()) {
      List<RatioTable.Row> rs = rows.get(g);
      if (rs == null) {
        md.append("| [").append(g.name()).append("](#").append(anchor(g)).append(") | - | - | -"
            + " | - | not run |\n");
        continue;
      }
      Map<String, Long> t = RatioTable.tally(rs);
      long reported = rs.stream().filter(r -> r.result().equals("-")).count();
      String chart = ratioCharts.get(g);
      md.append("| [").append(g.name()).append("](#").append(anchor(g)).append(") | ")
          .append(t.getOrDefault("PASS", 0L)).append(" | ").append(t.getOrDefault("FAIL", 0L))
          .append(" | ").append(t.getOrDefault("n/a", 0L)).append(" | ").append(reported)
          .append(" | ").append(chart == null ? "-" : "[PNG](" + chart + ".png), [SVG](" + chart
              + ".svg)").append(" |\n");
    }

    md.append("\n## Scaling\n\n");
    for (Curve c : Curve.ALL) {
      Group g = c.groupDef();
      if (!plan.groups().contains(g)) {
        continue;
      }
      md.append("### ").append(c.title()).append("\n\n");
      List<Curve.Series> series = c.series(measured.getOrDefault(g, List.of()), numpy);
      XYChart chart = ReportCharts.curve(c, series);
      if (chart == null) {
        md.append("Not drawn: no method of `").append(g.benchClass()).append("` was measured at"
            + " two values of `").append(c.xParam()).append("`.\n\n");
        continue;
      }
      files.addAll(ReportCharts.write(chart, dir, c.file()));
      md.append(image(c.title(), c.file())).append('\n');
      md.append("From `").append(g.name()).append("` (").append(g.benchClass()).append("): ")
          .append(String.join(", ", series.stream().map(s -> "`" + s.name() + "`").toList()))
          .append(c.fixed().isEmpty() ? "" : ", at " + String.join(", ", c.fixed().entrySet()
              .stream().map(f -> f.getKey() + "=" + f.getValue()).sorted().toList()))
          .append(".\n\n");
    }

    md.append("## Groups\n");
    for (Group g : plan.groups()) {
      md.append("\n### ").append(g.name()).append(": ").append(g.benchClass()).append("\n\n");
      md.append(g.measures()).append("\n\n");
      md.append("Runs: ").append(String.join("; then ", plan.runs().stream()
          .filter(r -> r.group().equals(g.name())).map(ReportPlan.Run::describe).toList()))
          .append(".\n\n");
      for (String n : notes.getOrDefault(g, List.of())) {
        md.append(n).append("\n\n");
      }
      List<RatioTable.Row> rs = rows.get(g);
      if (rs == null) {
        md.append("No measurements.\n");
        continue;
      }
      String chart = ratioCharts.get(g);
      if (chart != null) {
        md.append(image(g.name() + ": ratios", chart)).append('\n');
      }
      md.append(RatioTable.markdown(rs));
      Map<String, Long> tally = RatioTable.tally(rs);
      if (!tally.isEmpty()) {
        List<String> parts = new ArrayList<>();
        tally.forEach((k, v) -> parts.add(v + " " + k));
        md.append("\nTargets: ").append(String.join(", ", parts)).append(".\n");
      }
      for (String note : g.notes().apply(measured.get(g))) {
        md.append('\n').append(note).append('\n');
      }
    }
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, md.toString());
    files.add(readme);
    return files;
  }

  private static String image(String alt, String name) {
    return "![" + alt + "](" + name + ".png)\n\n[PNG](" + name + ".png), [SVG](" + name
        + ".svg)\n";
  }

  /** GitHub's anchor of a group's heading {@code ### unary: UnaryBench}. */
  static String anchor(Group g) {
    return (g.name() + "-" + g.benchClass()).toLowerCase(java.util.Locale.ROOT);
  }

  static String minutes(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
  }

  /** The first {@code model name} of /proc/cpuinfo, or the OS's architecture when unreadable. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return "unknown CPU (" + System.getProperty("os.arch") + ")";
  }

  /** The first three fields of /proc/loadavg, or {@code unavailable}. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unavailable";
    }
  }

  private static String platform() {
    return "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }

  private static String kernels() {
    return Simd.VECTOR
        ? "Vector API, " + FloatVector.SPECIES_PREFERRED.length() + " float lanes ("
            + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit)"
        : "scalar (" + Simd.WHY_SCALAR + ")";
  }
}
