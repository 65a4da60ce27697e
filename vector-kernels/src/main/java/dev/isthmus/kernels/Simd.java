package dev.isthmus.kernels;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Decides, once per JVM, whether kernels run their Vector API implementation or their scalar
 * twin.
 *
 * <p>The Vector API runs only where it pays: on HotSpot with the C2 compiler available and the
 * {@code jdk.incubator.vector} module in the boot layer. Anywhere else (an interpreter-only VM,
 * {@code -XX:TieredStopAtLevel=1}, a missing {@code --add-modules}) the scalar twins run and one
 * log line says why. The system property {@code isthmus.simd=scalar} forces the scalar path, so
 * every path stays testable.
 */
public final class Simd {
  /** The system property that forces the scalar path when set to {@code scalar}. */
  public static final String PROPERTY = "isthmus.simd";

  /** True when the Vector API implementations run. Constant for the JVM's lifetime. */
  public static final boolean VECTOR;

  /** Why the scalar path runs, or {@code null} when {@link #VECTOR} is true. */
  public static final String WHY_SCALAR;

  static {
    String why = whyScalar();
    VECTOR = why == null;
    WHY_SCALAR = why;
    if (why != null) {
      // only here: the logging machinery takes several ms to load, a cost on every start
      System.getLogger("dev.isthmus.kernels")
          .log(System.Logger.Level.INFO, "isthmus: scalar kernels in use: " + why);
    }
  }

  private Simd() {}

  private static String whyScalar() {
    String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    if (forced.equals("scalar")) {
      return "forced by -D" + PROPERTY + "=scalar";
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "the jdk.incubator.vector module is not in the boot layer (start the JVM with"
          + " --add-modules jdk.incubator.vector)";
    }
    String vm = System.getProperty("java.vm.name", "");
    if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
      return "the Vector API is only fast on HotSpot, and this VM is " + vm;
    }
    if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
      return "the JVM runs interpreted only (-Xint), so the Vector API would not be compiled";
    }
    try {
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
          return "C2 is disabled (" + arg + "), and the Vector API needs C2 to be fast";
        }
        if (arg.equals("-XX:-UseCompiler") || arg.equals("-XX:+UseSerialC1")) {
          return "the JIT is restricted (" + arg + ")";
        }
      }
    } catch (LinkageError | RuntimeException e) {
      // java.management is absent: we cannot see the flags, and assume the default (C2 on).
    }
    return null;
  }

  /** The number of float lanes of the preferred species, or 1 on the scalar path. */
  public static int floatLanes() {
    return VECTOR ? VectorShapes.floatLanes() : 1;
  }

  /** The number of double lanes of the preferred species, or 1 on the scalar path. */
  public static int doubleLanes() {
    return VECTOR ? VectorShapes.doubleLanes() : 1;
  }
}
