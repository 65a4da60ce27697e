package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public and protected type, constructor, method and field of the packages the build's
 * javadoc documents has a comment. The build runs javadoc with doclint on and fails on any
 * warning, but without doclint's "missing" group: in JDK 25 that group also asks for an
 * {@code @param} and {@code @return} on every method, which isthmus's one- or two-line comments
 * do not give (some 3,500 warnings). This test keeps the other half of that group, "no comment",
 * by compiling those packages once with {@code -Xdoclint:missing/protected} and failing on
 * exactly those warnings. (javac through {@link ToolProvider}, in java.base: the kit's module
 * does not read java.compiler.)
 */
class JavadocCoverageTest {
  /** The documented packages, from this module's directory (surefire's working directory). */
  static final List<String> PACKAGES = List.of(
      "../vector-kernels/src/main/java/dev/isthmus/kernels",
      "../vector-kernels/src/main/java/dev/isthmus/kernels/fusion",
      "../core/src/main/java/dev/isthmus",
      "../core/src/main/java/dev/isthmus/internal",
      "../scopes/src/main/java/dev/isthmus/scopes",
      "src/main/java/dev/isthmus/testkit");

  /**
   * A "no comment" warning. Implicit constructors ("use of default constructor") are left out, as
   * the build's javac leaves out {@code -Xlint:missing-explicit-ctor}.
   */
  static boolean missingComment(String line) {
    return line.endsWith(": warning: no comment");
  }

  @Test
  void everyPublicTypeAndMemberHasAComment(@TempDir Path out) throws IOException {
    List<String> args = new ArrayList<>(List.of("-Xdoclint:missing/protected",
        "-Xmaxwarns", "1000000", "-proc:none", "-implicit:none",
        "-XDshould-stop.ifNoError=FLOW", // doclint runs after flow analysis: no class files
        "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), "-d", out.toString()));
    int files = 0;
    for (String p : PACKAGES) {
      try (Stream<Path> s = Files.list(Path.of(p))) {
        for (Path f : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
          args.add(f.toString());
          files++;
        }
      }
    }
    assertTrue(files > 100, "found only " + files + " sources: wrong directory?");
    StringWriter text = new StringWriter();
    int rc;
    Locale locale = Locale.getDefault();
    Locale.setDefault(Locale.ROOT); // the messages matched below are javac's English ones
    try (PrintWriter w = new PrintWriter(text)) {
      rc = ToolProvider.findFirst("javac").orElseThrow()
          .run(w, w, args.toArray(String[]::new));
    } finally {
      Locale.setDefault(locale);
    }
    String log = text.toString();
    assertEquals(0, rc, "the documented packages did not compile:\n" + log);
    assertTrue(log.contains(": warning: no @param for "), "doclint reported nothing: is it on?");
    List<String> missing = log.lines().filter(JavadocCoverageTest::missingComment).toList();
    assertTrue(missing.isEmpty(), missing.size() + " public elements without a comment:\n"
        + String.join("\n", missing));
  }
}
