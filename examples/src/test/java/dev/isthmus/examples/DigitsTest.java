package dev.isthmus.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digits demo as {@code ./isthmus demo} runs it (defaults: 10 epochs, seed 42): it learns,
 * prints what Keras prints and the timing line, and draws its train step.
 */
class DigitsTest {
  private static final Pattern BAR = Pattern.compile("44/44 \\[={30}\\] - "
      + "\\d+\\.\\ds \\d+ms/step - loss: (\\d\\.\\d{4}) - accuracy: (\\d\\.\\d{4})");
  private static final Pattern TIMING = Pattern.compile("steps/s: eager \\d+, traced \\d+"
      + " \\(\\d+\\.\\d\\dx\\), traced \\+ jit \\d+ \\(\\d+\\.\\d\\dx\\)");
  private static final Pattern TIMING_HOW = Pattern.compile(" {9}\\(same step, same batches;"
      + " medians of 3 rounds of 20 steps after 60 warm-up steps; (thread CPU time|wall clock)\\)");

  @TempDir
  Path dir;

  @Test
  void theDemoLearnsPrintsTheProgressLinesAndTheTimingAndDrawsTheTrainStep() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Digits.Options o = Digits.Options.defaults().withOutDir(dir).withTimingRounds(3)
        .withTty(false);
    assertEquals(10, o.epochs());
    assertEquals(42, o.seed());
    Digits.Result r = Digits.run(ps, o);
    String out = buf.toString(StandardCharsets.UTF_8);
    List<String> lines = out.lines().toList();

    // it learns: an untrained model is near 0.1 accuracy and a loss of ln 10; seeds 1..6 give
    // 0.947..0.972 after 10 epochs, seed 42 0.969
    assertTrue(r.testAccuracy() >= 0.93, "test accuracy " + r.testAccuracy() + "\n" + out);
    assertEquals(359, r.testSize());
    assertEquals(10, r.epochs().size());
    for (Digits.Epoch e : r.epochs()) {
      assertEquals(1438 / 32, e.steps(), "one step per whole batch, the extra one ran out: " + e);
    }
    double first = r.epochs().get(0).loss();
    double last = r.epochs().get(9).loss();
    assertTrue(first < Math.log(10) && last < 0.25 * first, "loss " + first + " -> " + last);
    assertTrue(r.epochs().get(9).accuracy() > r.epochs().get(0).accuracy());

    // the printed lines: per epoch a heading and one finished bar (not a terminal)
    List<String> bars = lines.stream().filter(l -> l.startsWith("44/44 ")).toList();
    assertEquals(10, bars.size(), out);
    for (int i = 0; i < 10; i++) {
      int at = lines.indexOf("Epoch " + (i + 1) + "/10");
      assertTrue(at >= 0, "no heading of epoch " + (i + 1) + " in\n" + out);
      assertEquals(bars.get(i), lines.get(at + 1));
      var m = BAR.matcher(bars.get(i));
      assertTrue(m.matches(), "'" + bars.get(i) + "'");
      assertEquals(String.format(Locale.ROOT, "%.4f", r.epochs().get(i).loss()), m.group(1));
      assertEquals(String.format(Locale.ROOT, "%.4f", r.epochs().get(i).accuracy()), m.group(2));
    }
    assertTrue(!out.contains("\r"), "no redrawing when the output is not a terminal");
    assertTrue(lines.contains(String.format(Locale.ROOT,
        "test accuracy: %.4f (359 held-out images)", r.testAccuracy())), out);

    // the jit clusters of the traced step, counted from its nodes' _XlaCluster attributes
    assertTrue(r.jit().clusters() >= 1 && r.jit().clustered() >= r.jit().clusters()
        && r.jit().clustered() < r.jit().nodes(), r.jit().toString());
    assertTrue(lines.contains(r.jit().line()), out);

    // the timing line, and what makes it fair: the three ways did the same arithmetic
    int timing = -1;
    for (int i = 0; i < lines.size(); i++) {
      timing = TIMING.matcher(lines.get(i)).matches() ? i : timing;
    }
    assertTrue(timing >= 0 && TIMING_HOW.matcher(lines.get(timing + 1)).matches(), out);
    assertNotNull(r.timing());
    assertTrue(r.timing().eager() > 0 && r.timing().traced() > 0 && r.timing().jit() > 0);
    assertTrue(r.timing().maxWeightDifference() < 1e-5,
        "eager and jit ended with different weights: " + r.timing().maxWeightDifference());

    // the picture: the traced train step, with its call of mlp and its ordering edges
    assertEquals(dir.resolve("train_step.dot"), r.dot());
    assertTrue(lines.contains("graph: wrote train_step" + (r.svg() == null ? ".dot" : ".dot/.svg")
        + " and mlp" + (r.svg() == null ? ".dot" : ".dot/.svg") + " (the function it calls) to "
        + dir.toAbsolutePath().normalize()), out);
    Dot dot = Dot.parse(Files.readString(r.dot()));
    assertEquals("train_step", dot.name);
    assertTrue(dot.nodes.get("IteratorGetNext") != null, dot.nodes.keySet().toString());
    assertEquals("forward/PartitionedCall\\nPartitionedCall\\nmlp",
        dot.nodes.get("forward/PartitionedCall").get("label"));
    assertTrue(dot.edges.containsKey(List.of("IteratorGetNext", "forward/PartitionedCall")));
    Set<String> clusters = dot.clusters.keySet();
    // the train step is jit-compiled: its clustered nodes are drawn in jit cluster boxes, one
    // per cluster, the rest in their name scopes' boxes (the forward call is never clustered)
    assertTrue(clusters.contains("cluster_scope_forward"), clusters.toString());
    assertEquals(r.jit().clusters(),
        clusters.stream().filter(c -> c.matches("cluster_\\d+")).count(), clusters.toString());
    long dotted = dot.edges.values().stream().filter(a -> "dotted".equals(a.get("style"))).count();
    assertTrue(dotted >= 4, "the metrics' reads run after their updates: " + dotted);
    Dot mlp = Dot.parse(Files.readString(dir.resolve("mlp.dot")));
    assertEquals("mlp", mlp.name);
    assertTrue(mlp.nodes.containsKey("Relu"), mlp.nodes.keySet().toString());
    if (GraphPictures.graphviz() == null) {
      assertNull(r.svg());
      assertTrue(out.contains("no .svg: Graphviz's dot is not on the PATH"), out);
    } else {
      assertEquals(dir.resolve("train_step.svg"), r.svg());
      assertTrue(Files.readString(r.svg()).contains("<svg"));
    }
  }

  @Test
  void aSeedGivesTheSameTrainingEveryTime() {
    Digits.Options o = Digits.Options.defaults().withEpochs(1).withTimingRounds(0)
        .withOutDir(dir).withTty(false);
    PrintStream none = new PrintStream(OutputStream.nullOutputStream());
    Digits.Result a = Digits.run(none, o);
    Digits.Result b = Digits.run(none, o);
    Digits.Result c = Digits.run(none, o.withSeed(7));
    assertEquals(a.epochs().get(0).loss(), b.epochs().get(0).loss());
    assertEquals(a.epochs().get(0).accuracy(), b.epochs().get(0).accuracy());
    assertEquals(a.testAccuracy(), b.testAccuracy());
    assertTrue(a.epochs().get(0).loss() != c.epochs().get(0).loss(), "seed 7 trains the same");
  }

  @Test
  void mediansAreTheMiddleValues() {
    assertEquals(2.0, DigitsTiming.median(new double[] {3, 1, 2}));
    assertEquals(2.5, DigitsTiming.median(new double[] {4, 1, 3, 2}));
    assertEquals(7.0, DigitsTiming.median(new double[] {7}));
  }

  @Test
  void theSplitIsStratifiedDeterministicAndDisjoint() {
    DigitsData.Digits all = DigitsData.load();
    assertEquals(1797, all.size());
    DigitsData.Split a = DigitsData.split(all, 0.2, 42);
    DigitsData.Split b = DigitsData.split(all, 0.2, 42);
    assertArrayEquals(a.test().labels(), b.test().labels());
    assertArrayEquals(a.train().pixels(), b.train().pixels());
    assertEquals(all.size(), a.train().size() + a.test().size());
    int[] perClass = new int[10];
    int[] testPerClass = new int[10];
    for (long l : all.labels()) {
      perClass[(int) l]++;
    }
    for (long l : a.test().labels()) {
      testPerClass[(int) l]++;
    }
    for (int c = 0; c < 10; c++) {
      assertEquals(Math.round(perClass[c] * 0.2), testPerClass[c], "class " + c);
    }
    Set<String> train = new HashSet<>();
    for (int i = 0; i < a.train().size(); i++) {
      train.add(row(a.train(), i));
    }
    int shared = 0; // the data have a few duplicate images; a leak would share far more
    for (int i = 0; i < a.test().size(); i++) {
      shared += train.contains(row(a.test(), i)) ? 1 : 0;
    }
    assertTrue(shared < 5, shared + " test images also in training");
    float max = 0;
    for (float p : all.pixels()) {
      max = Math.max(max, p);
    }
    assertEquals(1f, max, "pixels 0..16 scaled to [0, 1]");
    assertTrue(!java.util.Arrays.equals(a.test().labels(),
        DigitsData.split(all, 0.2, 7).test().labels()), "another seed, another split");
  }

  private static String row(DigitsData.Digits d, int i) {
    return java.util.Arrays.toString(java.util.Arrays.copyOfRange(d.pixels(), i * 64, i * 64 + 64));
  }

  @Test
  void progressBarsFillAndRedrawOnlyOnATerminal() {
    assertEquals("[" + ">" + ".".repeat(29) + "]", ProgressBar.bar(0, 44));
    assertEquals("[" + "=".repeat(15) + ">" + ".".repeat(14) + "]", ProgressBar.bar(22, 44));
    assertEquals("[" + "=".repeat(30) + "]", ProgressBar.bar(44, 44));
    assertEquals(" 7/44", ProgressBar.count(7, 44));
    assertEquals("44/44 [" + "=".repeat(30) + "] - 0.4s 9ms/step - loss: 0.1235"
        + " - accuracy: 0.9650", ProgressBar.line(44, 44, 0.4, 0.12345, 0.965));
    String nl = System.lineSeparator();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressBar tty = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), true,
        "Epoch 1/1", 4);
    tty.update(1, 2.0, 0.25);
    tty.finish(4, 1.0, 1.0, 0.5);
    String s = buf.toString(StandardCharsets.UTF_8);
    assertTrue(s.startsWith("Epoch 1/1" + nl + "\r1/4 [=======>......................] - ETA: "),
        s);
    assertTrue(s.contains("s - loss: 2.0000 - accuracy: 0.2500\r"), s);
    assertTrue(s.endsWith("\r\033[K4/4 [" + "=".repeat(30) + "] - 1.0s 250ms/step - loss:"
        + " 1.0000 - accuracy: 0.5000" + nl), s);
    buf.reset();
    ProgressBar plain = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), false,
        "Epoch 2/3", 4);
    plain.update(1, 2.0, 0.25);
    plain.finish(4, 1.0, 1.0, 0.5);
    assertEquals("Epoch 2/3" + nl + ProgressBar.line(4, 4, 1.0, 1.0, 0.5) + nl,
        buf.toString(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ a small dot parser

  /** Parses the dot language's statements (nodes, edges, attributes, subgraphs); fails on others. */
  private static final class Dot {
    String name;
    final Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
    final Map<List<String>, Map<String, String>> edges = new LinkedHashMap<>();
    final Map<String, Set<String>> clusters = new LinkedHashMap<>();
    private final List<String> toks = new ArrayList<>();
    private int p;

    static Dot parse(String text) {
      Dot d = new Dot();
      d.tokenize(text);
      d.take("digraph");
      d.name = d.id();
      d.take("{");
      d.body(null);
      d.take("}");
      assertEquals(d.toks.size(), d.p, "text after the graph");
      for (List<String> e : d.edges.keySet()) {
        assertTrue(d.nodes.containsKey(e.get(0)) && d.nodes.containsKey(e.get(1)),
            "edge " + e + " to an undeclared node");
      }
      return d;
    }

    private void tokenize(String s) {
      var m = Pattern.compile("\\s*(\"(?:\\\\.|[^\"\\\\])*\"|->|[{}\\[\\];,=]|[A-Za-z0-9_.]+)")
          .matcher(s);
      int at = 0;
      while (at < s.length() && m.find(at) && m.start() == at) {
        toks.add(m.group(1));
        at = m.end();
      }
      assertTrue(s.substring(at).isBlank(), "not dot at " + at + ": " + s.substring(at));
    }

    private String peek() {
      return p < toks.size() ? toks.get(p) : "<end>";
    }

    private void take(String t) {
      assertEquals(t, peek(), "token " + p);
      p++;
    }

    private String id() {
      String t = peek();
      assertTrue(t.startsWith("\"") || t.matches("[A-Za-z0-9_.]+"), "an ID, got " + t);
      p++;
      return t.startsWith("\"") ? t.substring(1, t.length() - 1).replace("\\\"", "\"") : t;
    }

    private void body(Set<String> cluster) {
      while (!peek().equals("}")) {
        if (peek().equals("subgraph")) {
          p++;
          Set<String> members = new HashSet<>();
          clusters.put(id(), members);
          take("{");
          body(members);
          take("}");
        } else if (List.of("node", "edge", "graph").contains(peek())) {
          p++;
          attrs();
        } else {
          String a = id();
          if (peek().equals("=")) {
            p++;
            id();
          } else if (peek().equals("->")) {
            p++;
            edges.put(List.of(a, id()), peek().equals("[") ? attrs() : Map.of());
          } else {
            assertNull(nodes.put(a, peek().equals("[") ? attrs() : Map.of()), "node " + a + " twice");
            if (cluster != null) {
              cluster.add(a);
            }
          }
        }
        if (peek().equals(";")) {
          p++;
        }
      }
    }

    private Map<String, String> attrs() {
      take("[");
      Map<String, String> m = new LinkedHashMap<>();
      while (!peek().equals("]")) {
        String k = id();
        take("=");
        m.put(k, id());
        if (peek().equals(",") || peek().equals(";")) {
          p++;
        }
      }
      take("]");
      return m;
    }
  }
}
