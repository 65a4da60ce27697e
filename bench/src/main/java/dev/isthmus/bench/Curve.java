package dev.isthmus.bench;

import dev.isthmus.bench.Comparison.VsNumpy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A scaling curve of the report, declared as data: some methods of one group, the median time
 * of each against one numeric parameter (the problem's size), at fixed values of the others.
 *
 * @param file the chart's file name without extension, e.g. {@code scaling-add}
 * @param title the chart's title
 * @param group the group whose measurements it draws
 * @param xParam the parameter on the x axis, e.g. {@code size}
 * @param xTitle the x axis's title
 * @param fixed parameters a measurement must have (others are free), e.g. {@code op=exp}
 * @param methods the benchmark methods drawn, one series each
 * @param y what the y axis shows
 * @param numpyVia methods whose numpy comparison (in the group) gives a numpy series each
 */
public record Curve(String file, String title, String group, String xParam, String xTitle,
    Map<String, String> fixed, List<String> methods, YAxis y, List<String> numpyVia) {

  /** Copies the collections. */
  public Curve {
    fixed = Map.copyOf(fixed);
    methods = List.copyOf(methods);
    numpyVia = List.copyOf(numpyVia);
  }

  /** What a curve's y axis shows. */
  public enum YAxis {
    /** The median time per operation. */
    TIME("time per operation"),
    /** The median time per node (the benchmark reports per node). */
    TIME_PER_NODE("time per node"),
    /** 2 n^3 over the median time of an n x n matmul. */
    GFLOPS("GFLOP/s");

    final String title;

    YAxis(String title) {
      this.title = title;
    }
  }

  /** A series: its name and its points, sorted by x. */
  public record Series(String name, double[] x, double[] y) {}

  /** The curves of the report. */
  public static final List<Curve> ALL = List.of(
      new Curve("scaling-exp", "exp of n float32: time against n", "unary", "size",
          "n (elements)", Map.of("op", "exp"), List.of("kernel", "ops", "baselineScalar"),
          YAxis.TIME, List.of("kernel")),
      new Curve("scaling-add", "add of two n-element float32 arrays: time against n", "binary",
          "size", "n (elements)", Map.of(),
          List.of("kernelAdd", "opsAdd", "baselineScalarAdd", "baselineArraycopy"), YAxis.TIME,
          List.of("kernelAdd")),
      new Curve("scaling-matmul-float32", "float32 n x n matmul: time against n", "matmul", "n",
          "n", Map.of("dtype", "float32"),
          List.of("kernel", "ops", "opsParallel", "baselineEjml", "baselineScalar"), YAxis.TIME,
          List.of("kernel", "opsParallel")),
      new Curve("gflops-matmul-float32", "float32 n x n matmul: GFLOP/s against n", "matmul", "n",
          "n", Map.of("dtype", "float32"),
          List.of("kernel", "ops", "opsParallel", "baselineEjml", "baselineScalar"), YAxis.GFLOPS,
          List.of("kernel", "opsParallel")),
      new Curve("scaling-matmul-float64", "float64 n x n matmul: time against n", "matmul", "n",
          "n", Map.of("dtype", "float64"),
          List.of("kernel", "ops", "opsParallel", "baselineEjml", "baselineScalar"), YAxis.TIME,
          List.of("kernel", "opsParallel")),
      new Curve("scaling-fused-chain",
          "tanh(sigmoid(a*b + c) * d - 0.5) over n float32: time against n", "fusion", "size",
          "n (elements)", Map.of(), List.of("fusedChain", "baselineHandChain",
              "baselineUnfusedChain", "baselineUnfusedReusedChain"), YAxis.TIME, List.of()),
      new Curve("scaling-fused-relu", "relu(a*b + c) * d over n float32: time against n",
          "fusion", "size", "n (elements)", Map.of(), List.of("fusedReluMulAdd",
              "baselineHandReluMulAdd", "baselineUnfusedReluMulAdd",
              "baselineUnfusedReusedReluMulAdd"), YAxis.TIME, List.of()),
      new Curve("graph-per-node", "a chain of scalar ops: time per node against the chain's"
          + " length", "graph", "nodes", "nodes in the chain", Map.of(),
          List.of("functionCall", "sessionRun", "baselineEager", "baselineJavaLoop"),
          YAxis.TIME_PER_NODE, List.of()));

  /** The group this curve draws from. */
  public Group groupDef() {
    return Groups.byName(group).orElseThrow();
  }

  /** True when {@code m} is a point of this curve (any method of it). */
  boolean covers(Measurement m) {
    if (!m.benchClass().equals(groupDef().benchClass()) || !m.params().containsKey(xParam)) {
      return false;
    }
    for (Map.Entry<String, String> f : fixed.entrySet()) {
      if (!f.getValue().equals(m.params().get(f.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The curve's series from a group's measurements: one per method with at least one point, then
   * one per numpy case kind ({@code numpy matmul}, {@code numpy matmul@2}) that numpy timed. Two
   * measurements at one x (a parameter the curve does not fix) keep the first.
   */
  public List<Series> series(List<Measurement> ms, NumpyBaseline numpy) {
    List<Series> out = new ArrayList<>();
    for (String method : methods) {
      TreeMap<Double, Double> pts = new TreeMap<>();
      for (Measurement m : ms) {
        if (m.method().equals(method) && covers(m)) {
          pts.putIfAbsent((double) m.longParam(xParam, -1), y(m, m.medianNs()));
        }
      }
      add(out, method, pts);
    }
    Map<String, TreeMap<Double, Double>> np = new LinkedHashMap<>();
    for (String via : numpyVia) {
      for (Comparison c : groupDef().comparisons()) {
        if (!(c.measured().equals(via) && c.metric() instanceof VsNumpy v)) {
          continue;
        }
        for (Measurement m : ms) {
          if (!m.method().equals(via) || !covers(m)) {
            continue;
          }
          String k = v.numpyCase().apply(m);
          OptionalDouble t = k == null ? OptionalDouble.empty() : numpy.nanos(k);
          if (t.isPresent()) {
            np.computeIfAbsent("numpy " + k.replaceAll(":[0-9]+", ""), n -> new TreeMap<>())
                .putIfAbsent((double) m.longParam(xParam, -1), y(m, t.getAsDouble()));
          }
        }
      }
    }
    np.forEach((name, pts) -> add(out, name, pts));
    return out;
  }

  /** True when some series has two points or more: otherwise there is no curve to draw. */
  public static boolean drawable(List<Series> series) {
    return series.stream().anyMatch(s -> s.x().length >= 2);
  }

  private double y(Measurement m, double ns) {
    if (y == YAxis.GFLOPS) {
      double n = m.longParam("n", -1);
      return Ratios.gflops(2 * n * n * n, ns);
    }
    return ns;
  }

  private static void add(List<Series> out, String name, TreeMap<Double, Double> pts) {
    if (pts.isEmpty()) {
      return;
    }
    double[] x = new double[pts.size()];
    double[] y = new double[pts.size()];
    int i = 0;
    for (Map.Entry<Double, Double> e : pts.entrySet()) {
      x[i] = e.getKey();
      y[i++] = e.getValue();
    }
    out.add(new Series(name, x, y));
  }
}
