package dev.isthmus.bench;

import java.util.List;
import java.util.function.Function;

/**
 * A benchmark group of {@code ./isthmus bench}: one JMH benchmark class and the comparisons its
 * table shows.
 *
 * @param name the group's command-line name, e.g. {@code unary}
 * @param benchClass simple name of the benchmark class in {@code dev.isthmus.bench}
 * @param measures one sentence: what the group measures and against which baseline
 * @param comparisons the table's lines, in order
 * @param notes lines printed under the table, computed from the group's measurements (for
 *     what a comparison line cannot say, e.g. a bound derived from two baselines); may be
 *     empty, never null
 */
public record Group(String name, String benchClass, String measures, List<Comparison> comparisons,
    Function<List<Measurement>, List<String>> notes) {
  /** The package of every benchmark class. */
  public static final String PACKAGE = "dev.isthmus.bench";

  /** Copies the comparisons. */
  public Group {
    comparisons = List.copyOf(comparisons);
    java.util.Objects.requireNonNull(notes, "notes");
  }

  /** A group without notes. */
  public Group(String name, String benchClass, String measures, List<Comparison> comparisons) {
    this(name, benchClass, measures, comparisons, ms -> List.of());
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
