package dev.isthmus.bench;

import dev.isthmus.bench.Comparison.Bandwidth;
import dev.isthmus.bench.Comparison.Speedup;
import dev.isthmus.bench.Comparison.Target.Kind;
import dev.isthmus.bench.Comparison.TimeRatio;
import dev.isthmus.bench.Comparison.VsNumpy;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler.TextAlignment;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn by XChart from data (table rows, measurements), so that they can be
 * built from synthetic numbers in tests: a ratio bar chart per group (one bar per ratio line of
 * its table, coloured by verdict, the target as a dash over its bar), and the scaling curves
 * (log-log). AWT runs headless: nothing here needs a display.
 */
public final class ReportCharts {
  private ReportCharts() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  static final Color PASS = new Color(0x2e7d32);
  static final Color FAIL = new Color(0xc62828);
  static final Color REPORTED = new Color(0x5b7db1);
  static final Color TARGET = new Color(0x202020);

  /** Series colours of the curves: distinguishable, and readable in print. */
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

  /** True for the rows a ratio chart shows: ratios against a baseline or numpy, with a value. */
  static boolean isRatio(RatioTable.Row r) {
    return r.comparison() != null && !Double.isNaN(r.value()) && r.value() > 0
        && switch (r.comparison().metric()) {
          case Speedup s -> true;
          case Bandwidth b -> true;
          case TimeRatio t -> true;
          case VsNumpy n -> true;
          default -> false;
        };
  }

  /**
   * The ratio bars of one group's table (its ratio lines only: times and GFLOP/s are absolute),
   * or null when it has none. A bar is green when it passes its target, red when it fails it,
   * blue when the line is only reported; a black dash marks the target. The y axis is
   * logarithmic when the ratios span more than a factor of 20; a grey line marks 1 (parity).
   */
  public static CategoryChart ratioChart(Group g, List<RatioTable.Row> rows) {
    List<RatioTable.Row> bars = rows.stream().filter(ReportCharts::isRatio).toList();
    if (bars.isEmpty()) {
      return null;
    }
    int n = bars.size();
    int width = Math.max(900, 160 + 34 * n);
    CategoryChart chart = new CategoryChartBuilder().width(width).height(620)
        .title(g.name() + ": ratios against the baselines (higher = better unless marked)")
        .yAxisTitle("ratio").build();
    List<String> labels = new ArrayList<>();
    List<Double> pass = new ArrayList<>();
    List<Double> fail = new ArrayList<>();
    List<Double> reported = new ArrayList<>();
    List<Double> target = new ArrayList<>();
    double lo = 1;
    double hi = 1;
    for (RatioTable.Row r : bars) {
      labels.add(label(r, labels));
      Comparison.Target t = r.comparison().target();
      boolean judged = t.kind() != Kind.REPORT;
      String verdict = t.verdict(r.value());
      pass.add(judged && verdict.equals("PASS") ? r.value() : null);
      fail.add(judged && verdict.equals("FAIL") ? r.value() : null);
      reported.add(judged ? null : r.value());
      target.add(judged ? t.bound() : null);
      lo = Math.min(lo, judged ? Math.min(r.value(), t.bound()) : r.value());
      hi = Math.max(hi, judged ? Math.max(r.value(), t.bound()) : r.value());
    }
    var st = chart.getStyler();
    style(st);
    st.setLegendPosition(LegendPosition.OutsideS);
    st.setLegendLayout(LegendLayout.Horizontal);
    st.setOverlapped(true);
    st.setAvailableSpaceFill(0.6);
    // vertical labels stay centred under their bars, hanging from the axis
    st.setXAxisLabelRotation(90);
    st.setXAxisLabelAlignmentVertical(TextAlignment.Right);
    st.setPlotGridVerticalLinesVisible(false);
    boolean log = hi / lo > 20;
    st.setYAxisLogarithmic(log);
    if (log) {
      st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo * 0.9))));
      st.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi * 1.1))));
      st.setYAxisDecimalPattern("#,##0.####");
    } else {
      st.setYAxisMin(0.0);
      st.setYAxisMax(hi * 1.15);
      st.setYAxisDecimalPattern("0.##");
    }
    // The dash spans the bar: the plot is about the chart's width less the axis, in n slots.
    int dash = (int) Math.max(8, Math.min(60, (width - 120) * 0.92 / n * 0.6 * 1.3));
    st.setMarkerSize(dash);
    bars(chart, "PASS", labels, pass, PASS);
    bars(chart, "FAIL", labels, fail, FAIL);
    bars(chart, "reported (no target)", labels, reported, REPORTED);
    if (target.stream().anyMatch(v -> v != null)) {
      CategorySeries s = chart.addSeries("target", labels, target);
      s.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
      s.setMarker(new Dash());
      s.setMarkerColor(TARGET);
    }
    AnnotationLine parity = new AnnotationLine(1, false, false);
    chart.addAnnotation(parity);
    st.setAnnotationLineColor(new Color(0x999999));
    st.setAnnotationLineStroke(new BasicStroke(1f));
    return chart;
  }

  private static void bars(CategoryChart chart, String name, List<String> labels,
      List<Double> values, Color color) {
    if (values.stream().allMatch(v -> v == null)) {
      return;
    }
    CategorySeries s = chart.addSeries(name, labels, values);
    s.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Bar);
    s.setFillColor(color);
    s.setMarker(SeriesMarkers.NONE);
  }

  /**
   * A bar's label: {@code kernel / Scalar (exp, 64K)}, or {@code opsAdd / numpy (16M)}; a time
   * ratio (lower = better) says so. Labels are unique (a repeat gets {@code #2}).
   */
  static String label(RatioTable.Row r, List<String> taken) {
    String against = r.against().startsWith("numpy") ? "numpy"
        : r.against().replaceFirst("^baseline", "");
    String params = shortParams(r.params());
    String s = r.benchmark().replaceFirst("^baseline", "") + " / " + against
        + (params.isEmpty() ? "" : " (" + params + ")")
        + (r.comparison().metric() instanceof TimeRatio ? " [lower = better]" : "");
    String unique = s;
    for (int i = 2; taken.contains(unique); i++) {
      unique = s + " #" + i;
    }
    return unique;
  }

  /**
   * {@code op=exp, size=65536} as {@code exp, 64K}: values only, sizes that are powers of two
   * shortened, except {@code n=1024}, {@code f32}, {@code 2t} (threads), {@code 100 nodes}.
   */
  static String shortParams(String params) {
    if (params.isBlank()) {
      return "";
    }
    List<String> out = new ArrayList<>();
    for (String kv : params.split(", ")) {
      int eq = kv.indexOf('=');
      String k = kv.substring(0, eq);
      String v = kv.substring(eq + 1);
      out.add(switch (k) {
        case "threads" -> v + "t";
        case "nodes" -> v + (v.equals("1") ? " node" : " nodes");
        case "n" -> "n=" + v;
        case "dtype" -> v.replace("float", "f");
        default -> shortNumber(v);
      });
    }
    return String.join(", ", out);
  }

  /** 65536 as 64K, 16777216 as 16M; other values as they are. */
  static String shortNumber(String v) {
    try {
      long x = Long.parseLong(v);
      if (x >= 1 << 20 && x % (1 << 20) == 0) {
        return (x >> 20) + "M";
      }
      if (x >= 1 << 10 && x % (1 << 10) == 0) {
        return (x >> 10) + "K";
      }
      return v;
    } catch (NumberFormatException e) {
      return v;
    }
  }

  /**
   * A scaling curve (log-log: time, or GFLOP/s, against the size), or null when no series has
   * two points. Times are shown in the unit that fits their middle value.
   */
  public static XYChart curve(Curve c, List<Curve.Series> series) {
    if (!Curve.drawable(series)) {
      return null;
    }
    double[] all = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y()))
        .sorted().toArray();
    double scale = 1;
    String unit = "";
    if (c.y() != Curve.YAxis.GFLOPS) {
      double mid = all[all.length / 2];
      if (mid >= 1e6) {
        scale = 1e6;
        unit = " (ms)";
      } else if (mid >= 1e3) {
        scale = 1e3;
        unit = " (us)";
      } else {
        unit = " (ns)";
      }
    }
    XYChart chart = new XYChartBuilder().width(900).height(560).title(c.title())
        .xAxisTitle(c.xTitle() + ", log scale").yAxisTitle(c.y().title + unit + ", log scale")
        .build();
    var st = chart.getStyler();
    style(st);
    st.setLegendPosition(LegendPosition.OutsideE);
    st.setXAxisLogarithmic(true);
    st.setYAxisLogarithmic(true);
    st.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    st.setMarkerSize(7);
    // (XChart's custom tick formatters give log axes linear ticks: patterns only)
    st.setXAxisDecimalPattern("#,###");
    st.setYAxisDecimalPattern("#,##0.###");
    int i = 0;
    for (Curve.Series s : series) {
      double[] y = s.y().clone();
      for (int k = 0; k < y.length; k++) {
        y[k] /= scale;
      }
      XYSeries xs = chart.addSeries(s.name(), s.x(), y);
      Color color = PALETTE[i % PALETTE.length];
      xs.setLineColor(color);
      xs.setMarkerColor(color);
      xs.setMarker(SeriesMarkers.CIRCLE);
      if (s.name().startsWith("numpy")) {
        xs.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f));
        xs.setMarker(SeriesMarkers.DIAMOND);
      }
      i++;
    }
    return chart;
  }

  private static void style(org.knowm.xchart.style.AxesChartStyler st) {
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(new Color(0xcccccc));
    st.setPlotGridLinesColor(new Color(0xe5e5e5));
    st.setLegendBorderColor(new Color(0xcccccc));
    st.setChartTitleBoxVisible(false);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setToolTipsEnabled(false);
  }

  /** Writes {@code chart} as {@code name.png} and {@code name.svg} in {@code dir}. */
  public static List<Path> write(Chart<?, ?> chart, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path png = dir.resolve(name + ".png");
    Path svg = dir.resolve(name + ".svg");
    try (OutputStream out = Files.newOutputStream(png)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    try (OutputStream out = Files.newOutputStream(svg)) {
      VectorGraphicsEncoder.saveVectorGraphic(chart, out,
          VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
    return List.of(png, svg);
  }

  /** A target: a horizontal dash as wide as the marker size (the bar's width), over the bar. */
  static final class Dash extends Marker {
    @Override
    public void paint(Graphics2D g, double x, double y, int size) {
      g.setStroke(new BasicStroke(3f));
      g.draw(new Line2D.Double(x - size / 2.0, y, x + size / 2.0, y));
    }
  }

}
