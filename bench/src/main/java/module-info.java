/**
 * JMH benchmarks of isthmus and the ratio-table runner.
 *
 * <p>EJML (the pure-JVM peer of the matmul group) is not required here on purpose: its jars
 * declare no module name, and as automatic modules they split packages ({@code
 * org.ejml.dense.row} and others are in both ejml-fdense and ejml-ddense), which the module
 * system rejects. So EJML stays on the class path, where the benchmarks run anyway (JMH and the
 * tests use the class path), and the compiler lets this module read the class path ({@code
 * --add-reads dev.isthmus.bench=ALL-UNNAMED} in the bench pom).
 *
 * <p>XChart (the report's charts) names an automatic module, {@code org.knowm.xchart}, so it is
 * required like a named one; it draws with AWT ({@code java.desktop}), headless.
 */
module dev.isthmus.bench {
  requires dev.isthmus;
  requires dev.isthmus.scopes;
  requires jmh.core;
  requires jdk.incubator.vector;
  requires java.desktop;
  requires org.knowm.xchart;
  exports dev.isthmus.bench;
  opens dev.isthmus.bench;
}
