package dev.isthmus.examples;

import dev.isthmus.ConcreteFunction;
import dev.isthmus.Operation;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes a traced function's graph as Graphviz text ({@code NAME.dot}), and the graphs of the
 * functions it calls next to it; when Graphviz's {@code dot} is on the PATH, renders each as
 * {@code NAME.svg}.
 */
final class GraphPictures {
  private GraphPictures() {}

  /** The main function's files; {@code svg} is null when Graphviz is missing or failed. */
  record Written(Path dot, Path svg, List<Path> calledDots) {}

  /** Writes {@code f}'s graph and its callees' into {@code dir}; prints what it wrote. */
  static Written write(ConcreteFunction f, Path dir, PrintStream out) {
    Map<String, ConcreteFunction> called = new LinkedHashMap<>();
    for (Operation o : f.graph().operations()) {
      if (o.attr("f") instanceof ConcreteFunction c && !c.name().equals(f.name())) {
        called.putIfAbsent(c.name(), c);
      }
    }
    Path dot = dotFile(f, dir);
    List<Path> calledDots = new ArrayList<>();
    for (ConcreteFunction c : called.values()) {
      calledDots.add(dotFile(c, dir));
    }
    Path where = dir.toAbsolutePath().normalize();
    Path exe = graphviz();
    String why = exe == null ? "Graphviz's dot is not on the PATH" : render(exe, dot, svgOf(dot));
    for (Path c : calledDots) {
      why = why != null ? why : render(exe, c, svgOf(c));
    }
    String ext = why == null ? ".dot/.svg" : ".dot";
    out.println("graph: wrote " + f.name() + ext + also(calledDots, ext) + " to " + where);
    out.println("       jit clusters in grey boxes, ordering edges dotted, function calls in bold");
    if (why == null) {
      out.println("       (drawn by Graphviz, " + exe + ")");
      return new Written(dot, svgOf(dot), calledDots);
    }
    out.println("       no .svg: " + (exe == null ? why + " (with it: dot -Tsvg -O " + where
        + File.separator + "*.dot)" : "Graphviz (" + exe + ") failed: " + why));
    return new Written(dot, null, calledDots);
  }

  /** " and mlp.dot (the function it calls)", or nothing when it calls none. */
  private static String also(List<Path> called, String ext) {
    if (called.isEmpty()) {
      return "";
    }
    List<String> names = called.stream().map(p -> {
      String n = p.getFileName().toString();
      return n.substring(0, n.length() - ".dot".length()) + ext;
    }).toList();
    return " and " + String.join(", ", names) + " (the function" + (names.size() > 1 ? "s" : "")
        + " it calls)";
  }

  private static Path dotFile(ConcreteFunction f, Path dir) {
    Path p = dir.resolve(f.name() + ".dot");
    try {
      Files.createDirectories(dir);
      Files.writeString(p, f.graph().toDot(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing " + p, e);
    }
    return p;
  }

  private static Path svgOf(Path dot) {
    String n = dot.getFileName().toString();
    return dot.resolveSibling(n.substring(0, n.length() - ".dot".length()) + ".svg");
  }

  /** Graphviz's {@code dot} on the PATH, or null. */
  static Path graphviz() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty()) {
        Path p = Path.of(d, "dot");
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** Runs {@code dot -Tsvg}; null when it worked, else why not. */
  private static String render(Path exe, Path dot, Path svg) {
    try {
      Path log = Files.createTempFile("graphviz", ".log");
      try {
        Process p = new ProcessBuilder(exe.toString(), "-Tsvg", "-o", svg.toString(),
            dot.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return "no answer in 60 s";
        }
        String msg = Files.readString(log, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0 || !Files.isRegularFile(svg)) {
          return "exit " + p.exitValue() + (msg.isEmpty() ? "" : ": " + msg);
        }
        return null;
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
