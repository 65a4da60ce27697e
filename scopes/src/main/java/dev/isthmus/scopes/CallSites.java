package dev.isthmus.scopes;

import dev.isthmus.Ops;
import java.security.CodeSource;
import java.util.Set;

/**
 * The user's line that issued an op: the first stack frame outside isthmus. A frame belongs to
 * isthmus when its class comes from one of isthmus's modules or jars (decided once per class).
 */
final class CallSites {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final Set<Object> ENGINE = Set.of(where(Ops.class), where(CallSites.class),
      where(dev.isthmus.kernels.Simd.class));
  private static final ClassValue<Boolean> IS_ENGINE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      if (c.getModule().isNamed()) {
        return c.getModule().getName().startsWith("dev.isthmus");
      }
      return ENGINE.contains(where(c));
    }
  };

  private CallSites() {}

  private static Object where(Class<?> c) {
    CodeSource cs = c.getProtectionDomain().getCodeSource();
    return cs == null || cs.getLocation() == null ? "none" : cs.getLocation().toString();
  }

  /** {@code com.example.Train.step(Train.java:42)}, or null if every frame is isthmus's. */
  static StackTraceElement userFrame() {
    return WALKER.walk(s -> s.filter(f -> !IS_ENGINE.get(f.getDeclaringClass()))
        .findFirst().map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
  }
}
