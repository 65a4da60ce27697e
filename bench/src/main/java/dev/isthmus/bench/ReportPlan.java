package dev.isthmus.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * What {@code ./isthmus bench report} runs: JMH runs (a group's benchmark class, parameter
 * overrides, optionally only some of its methods) and the iteration settings they share. Plain
 * data, so that it can be checked against the build's benchmark list without running JMH.
 *
 * @param runs the JMH runs, in order; several runs of one group add up to its table
 * @param forks JVM forks per benchmark (0 runs in this JVM: only for smoke checks)
 * @param warmupIterations warm-up iterations per fork
 * @param warmupMillis length of a warm-up iteration
 * @param measurementIterations measurement iterations per fork (times are their median)
 * @param measurementMillis length of a measurement iteration
 * @param numpyRepeats the numpy script's timeit repeats
 */
public record ReportPlan(List<Run> runs, int forks, int warmupIterations, int warmupMillis,
    int measurementIterations, int measurementMillis, int numpyRepeats) {

  /** Copies the runs. */
  public ReportPlan {
    runs = List.copyOf(runs);
  }

  /**
   * One JMH run.
   *
   * @param group the group's name (see {@link Groups})
   * @param params {@code @Param} overrides, each with its values in order
   * @param methods the benchmark methods to run; empty for every method of the class
   */
  public record Run(String group, Map<String, List<String>> params, List<String> methods) {
    /** Copies the parameters (keeping their order) and the methods. */
    public Run {
      Map<String, List<String>> p = new LinkedHashMap<>();
      params.forEach((k, v) -> p.put(k, List.copyOf(v)));
      params = java.util.Collections.unmodifiableMap(p);
      methods = List.copyOf(methods);
    }

    /** The group this run belongs to. */
    public Group groupDef() {
      return Groups.byName(group).orElseThrow(
          () -> new IllegalArgumentException("no group " + group));
    }

    /** JMH include regex: the group's class, only {@link #methods} when there are some. */
    public String includeRegex() {
      if (methods.isEmpty()) {
        return groupDef().includeRegex();
      }
      return "^" + Pattern.quote(groupDef().className() + ".") + "(" + String.join("|",
          methods.stream().map(Pattern::quote).toList()) + ")$";
    }

    /** The benchmarks of {@code entries} this run selects. */
    public List<BenchmarkListEntry> selected(List<BenchmarkListEntry> entries) {
      return Catalog.of(entries, groupDef().className()).stream()
          .filter(e -> methods.isEmpty() || methods.contains(Catalog.method(e)))
          .toList();
    }

    /** {@code size=4096,65536; methods a, b} for the report. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      params.forEach((k, v) -> parts.add(k + "=" + String.join(",", v)));
      if (!methods.isEmpty()) {
        parts.add("only " + String.join(", ", methods));
      }
      return parts.isEmpty() ? "default parameters" : String.join("; ", parts);
    }
  }

  private static Run run(String group, String... params) {
    return new Run(group, params(params), List.of());
  }

  private static Run only(String group, List<String> methods, String... params) {
    return new Run(group, params(params), methods);
  }

  /** {@code "size=1,2", "n=3"} as a map. */
  private static Map<String, List<String>> params(String... kvs) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String kv : kvs) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), List.of(kv.substring(eq + 1).split(",")));
    }
    return m;
  }

  /**
   * The report's quick mode: every group of {@link Groups#ALL}, in order, at its default
   * parameters unless {@link #quickRuns} says otherwise; chosen to keep the whole under 10
   * minutes on 2 cores, with extra sizes where a scaling curve needs them. Warm-up 2 x 150 ms,
   * measurement 3 x 100 ms, one fork per benchmark: enough for C2 on the kernels here (tens of
   * calls of the largest ones; the fusion, jit and training benchmarks also warm up in their
   * setup), and the median of three iterations drops one disturbed iteration. A benchmark costs
   * its fork's start and setup on top (1 to 5 s), which is most of the 10 minutes.
   */
  public static ReportPlan quick() {
    List<Run> runs = new ArrayList<>();
    Map<String, List<Run>> custom = quickRuns();
    for (Group g : Groups.ALL) {
      runs.addAll(custom.getOrDefault(g.name(), List.of(run(g.name()))));
    }
    return new ReportPlan(runs, 1, 2, 150, 3, 100, 3);
  }

  /** The groups whose quick runs differ from one run at the defaults. */
  private static Map<String, List<Run>> quickRuns() {
    return Map.of(
        // exp's curve: the group's 64K and two more sizes, for the kernel, the op and the loop
        "unary", List.of(run("unary"), only("unary", List.of("kernel", "ops", "baselineScalar"),
            "op=exp", "size=4096,1048576")),
        "binary", List.of(run("binary", "size=4096,65536,1048576,16777216")),
        // 2048 is left out (its scalar loop alone takes seconds per call); 128 and 512 add
        // points on the float32 curve, without the slow scalar loop
        "matmul", List.of(run("matmul", "n=64,256,1024", "dtype=float32,float64"),
            only("matmul", List.of("kernel", "ops", "opsParallel", "baselineEjml"),
                "n=128,512", "dtype=float32")),
        // the fused chain's curve: two more sizes beside the group's 64K and 16M
        "fusion", List.of(run("fusion"), only("fusion", List.of("fusedChain",
            "baselineHandChain", "baselineUnfusedChain", "baselineUnfusedReusedChain"),
            "size=4096,1048576")),
        // 64K only: the 16M runs add minutes and the fusion group has 16M already
        "jit", List.of(run("jit", "size=65536")),
        // the baselines of the same run are the one-thread figures
        "parallel", List.of(run("parallel", "threads=2")),
        // per-node time against the chain's length, beside the group's 100 nodes
        "graph", List.of(run("graph"), only("graph",
            List.of("functionCall", "sessionRun", "baselineEager", "baselineJavaLoop"),
            "nodes=1,10,1000")));
  }

  /** The largest value of a size-like parameter a smoke run keeps. */
  private static final Map<String, Long> SMOKE_LIMIT = Map.of("size", 65536L, "n", 256L,
      "nodes", 100L);

  /**
   * The same runs at the least cost that still goes through every step: in this JVM (no fork),
   * no warm-up, one 50 ms measurement, each size-like parameter cut to its values up to a small
   * limit (at least its smallest), and the big default sizes of some groups made small. Numbers
   * from it mean nothing.
   */
  public ReportPlan smoke() {
    List<Run> small = new ArrayList<>();
    for (Run r : runs) {
      Map<String, List<String>> p = new LinkedHashMap<>();
      r.params().forEach((k, v) -> {
        Long limit = SMOKE_LIMIT.get(k);
        if (limit == null) {
          p.put(k, v);
          return;
        }
        List<String> sorted = v.stream()
            .sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList();
        List<String> kept = sorted.stream().filter(x -> Long.parseLong(x) <= limit).toList();
        p.put(k, kept.isEmpty() ? sorted.subList(0, 1) : kept);
      });
      String g = r.groupDef().name();
      if (!p.containsKey("size") && Set.of("binary", "reduce", "copy", "create", "compare",
          "parallel").contains(g)) {
        p.put("size", List.of("4096"));
      }
      if (!p.containsKey("size") && g.equals("fusion")) {
        p.put("size", List.of("65536")); // the chain's extra run has 4096
      }
      if (!p.containsKey("n") && Set.of("move", "parallel").contains(g)) {
        p.put("n", List.of("64"));
      }
      small.add(new Run(r.group(), p, r.methods()));
    }
    return new ReportPlan(small, 0, 0, 0, 1, 50, 1);
  }

  /** Only the runs of the named groups. */
  public ReportPlan onlyGroups(Set<String> names) {
    return new ReportPlan(runs.stream().filter(r -> names.contains(r.group())).toList(), forks,
        warmupIterations, warmupMillis, measurementIterations, measurementMillis, numpyRepeats);
  }

  /** The groups of the plan, in order, each once. */
  public List<Group> groups() {
    Set<Group> gs = new LinkedHashSet<>();
    runs.forEach(r -> gs.add(r.groupDef()));
    return List.copyOf(gs);
  }

  /**
   * The parameter combinations a run gives {@code e}: every declared parameter at its override's
   * values when the run has one, else at its declared values. Each is one JMH benchmark (one fork).
   */
  static List<Map<String, String>> combinations(Run r, BenchmarkListEntry e) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(new TreeMap<>());
    Map<String, String[]> declared = e.getParams().orElse(Map.of());
    for (Map.Entry<String, String[]> d : new TreeMap<>(declared).entrySet()) {
      List<String> values = r.params().containsKey(d.getKey())
          ? r.params().get(d.getKey()) : List.of(d.getValue());
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : out) {
        for (String v : values) {
          Map<String, String> m = new TreeMap<>(partial);
          m.put(d.getKey(), v);
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  /** How many benchmarks (method and parameter combination) the plan runs in this build. */
  public int benchmarks(List<BenchmarkListEntry> entries) {
    int n = 0;
    for (Run r : runs) {
      for (BenchmarkListEntry e : r.selected(entries)) {
        n += combinations(r, e).size();
      }
    }
    return n;
  }

  /**
   * Seconds a forked benchmark costs beyond its iterations: starting its JVM and JMH, a light
   * setup. Measured about 0.9 s at a load average of 8 on the 2-core machine.
   */
  static final double FORK_SECONDS = 1.0;

  /**
   * Seconds more that a fork of these groups spends in its setup, measured under load: fusion
   * warms its paths and waits for its kernel to get hot (single shots also sleep 200 ms each),
   * and so does jit; train runs its step 500 times; matmul fills large inputs and its scalar
   * loop takes seconds.
   */
  static final Map<String, Double> SETUP_SECONDS = Map.of("fusion", 2.0, "jit", 2.0,
      "train", 4.0, "matmul", 0.5);

  /**
   * A rough duration in seconds: each benchmark's warm-up and measurement plus, when forked,
   * {@link #FORK_SECONDS} and its group's {@link #SETUP_SECONDS}; and numpy's: each case the
   * tables will ask for timed for 0.2 s once to size its loop and once per repeat, plus 0.3 s of
   * setup. Operations longer than an iteration take more; the report prints the real time.
   */
  public double estimatedSeconds(List<BenchmarkListEntry> entries) {
    double iterations = (warmupIterations * warmupMillis
        + measurementIterations * measurementMillis) / 1000.0;
    double s = 0;
    Set<String> numpyCases = new HashSet<>();
    for (Run r : runs) {
      int n = 0;
      List<Measurement> planned = new ArrayList<>();
      for (BenchmarkListEntry e : r.selected(entries)) {
        for (Map<String, String> c : combinations(r, e)) {
          n++;
          planned.add(new Measurement(r.groupDef().benchClass(), Catalog.method(e),
              new TreeMap<>(c), new double[] {1}, java.util.concurrent.TimeUnit.NANOSECONDS));
        }
      }
      numpyCases.addAll(RatioTable.numpyCases(r.groupDef(), planned));
      double fork = forks == 0 ? 0.1
          : forks * (FORK_SECONDS + SETUP_SECONDS.getOrDefault(r.group(), 0.0));
      s += n * (fork + Math.max(forks, 1) * iterations);
    }
    return s + numpyCases.size() * (0.2 * (1 + numpyRepeats) + 0.3);
  }

  /**
   * What is wrong with the plan against this build, one sentence each (empty when it is
   * well-formed): an unknown group, a class not in the build, a method the class lacks, an
   * override of a parameter none of the selected benchmarks declares or a value that is not one
   * of its kind, or the same benchmark and parameters in two runs.
   */
  public List<String> problems(List<BenchmarkListEntry> entries) {
    List<String> out = new ArrayList<>();
    if (runs.isEmpty()) {
      out.add("the plan has no runs");
    }
    if (forks < 0 || warmupIterations < 0 || measurementIterations < 1 || measurementMillis < 1
        || (warmupIterations > 0 && warmupMillis < 1) || numpyRepeats < 1) {
      out.add("bad iteration settings: " + this);
    }
    Map<String, Set<String>> seen = new HashMap<>();
    for (Run r : runs) {
      Group g = Groups.byName(r.group()).orElse(null);
      if (g == null) {
        out.add("unknown group " + r.group());
        continue;
      }
      List<BenchmarkListEntry> all = Catalog.of(entries, g.className());
      if (all.isEmpty()) {
        out.add(g.benchClass() + " (group " + g.name() + ") is not in this build");
        continue;
      }
      Set<String> methods = new HashSet<>();
      all.forEach(e -> methods.add(Catalog.method(e)));
      for (String m : r.methods()) {
        if (!methods.contains(m)) {
          out.add(g.benchClass() + " has no benchmark " + m);
        }
      }
      List<BenchmarkListEntry> selected = r.selected(entries);
      r.params().forEach((k, vs) -> {
        boolean declared = selected.stream()
            .anyMatch(e -> e.getParams().orElse(Map.of()).containsKey(k));
        if (!declared) {
          out.add(g.name() + ": no selected benchmark of " + g.benchClass() + " declares @Param "
              + k);
        }
        if (vs.isEmpty() || new HashSet<>(vs).size() != vs.size()) {
          out.add(g.name() + ": @Param " + k + " needs distinct values, got " + vs);
        }
        for (String v : vs) {
          String[] kind = selected.stream()
              .map(e -> e.getParams().orElse(Map.of()).get(k))
              .filter(java.util.Objects::nonNull).findFirst().orElse(new String[0]);
          if (kind.length > 0 && isInteger(kind[0]) && !isInteger(v)) {
            out.add(g.name() + ": @Param " + k + " is a number, got " + v);
          }
        }
      });
      Set<String> done = seen.computeIfAbsent(g.name(), k -> new HashSet<>());
      for (BenchmarkListEntry e : selected) {
        for (Map<String, String> c : combinations(r, e)) {
          if (!done.add(Catalog.method(e) + c)) {
            out.add(g.name() + ": " + Catalog.method(e) + " " + c + " is in two runs");
          }
        }
      }
    }
    return out;
  }

  private static boolean isInteger(String s) {
    try {
      Long.parseLong(s.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** One line per run, for {@code --dry-run} and the report's header. */
  public String describe(List<BenchmarkListEntry> entries) {
    StringBuilder sb = new StringBuilder();
    for (Run r : runs) {
      int n = 0;
      for (BenchmarkListEntry e : r.selected(entries)) {
        n += combinations(r, e).size();
      }
      sb.append(String.format("%-9s %-42s %3d benchmarks%n", r.group(), r.describe(), n));
    }
    return sb.toString();
  }

  /** {@code warm-up 2 x 200 ms, measurement 3 x 200 ms, 1 fork per benchmark}. */
  public String settings() {
    return (warmupIterations == 0 ? "no warm-up"
        : "warm-up " + warmupIterations + " x " + warmupMillis + " ms") + ", measurement "
        + measurementIterations + " x " + measurementMillis + " ms, "
        + (forks == 0 ? "no fork (in the runner's JVM)"
            : forks + " fork" + (forks > 1 ? "s" : "") + " per benchmark");
  }
}
