package dev.isthmus.bench;

import java.util.List;

/**
 * A benchmark group of {@code ./isthmus bench}: one JMH benchmark class and the comparisons its
 * table shows.
 *
 * @param name the group's command-line name, e.g. {@code unary}
 * @param benchClass simple name of the benchmark class in {@code dev.isthmus.bench}
 * @param measures one sentence: what the group measures and against which baseline
 * @param comparisons the table's lines, in order
 */
public record Group(String name, String benchClass, String measures, List<Comparison> comparisons) {
  /** The package of every benchmark class. */
  public static final String PACKAGE = "dev.isthmus.bench";

  /** Copies the comparisons. */
  public Group {
    comparisons = List.copyOf(comparisons);
  }

  /** The fully qualified benchmark class name. */
  public String className() {
    return PACKAGE + "." + benchClass;
  }

  /** JMH include regex selecting exactly this class's benchmark methods. */
  public String includeRegex() {
    return "^" + java.util.regex.Pattern.quote(className() + ".") + "[^.]+$";
  }
}
