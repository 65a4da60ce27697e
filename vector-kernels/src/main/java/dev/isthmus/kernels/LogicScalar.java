package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the logical kernels, on BOOL bytes (0 or 1), and the path that
 * runs when the Vector API is off.
 */
public final class LogicScalar {
  private LogicScalar() {}

  /** {@code op(a, b)} on BOOL bytes; {@link LogicOp#NOT} negates {@code a}. */
  public static byte apply(LogicOp op, byte a, byte b) {
    return switch (op) {
      case AND -> (byte) (a & b);
      case OR -> (byte) (a | b);
      case XOR -> (byte) (a ^ b);
      case XNOR -> (byte) (a ^ b ^ 1);
      case NOT -> (byte) (a ^ 1);
    };
  }

  /** {@code y[i] = op(a[i], b[i])}. */
  public static void vv(LogicOp op, MemorySegment a, long ao, MemorySegment b, long bo,
      MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.set(JAVA_BYTE, yo + i, apply(op, a.get(JAVA_BYTE, ao + i), b.get(JAVA_BYTE, bo + i)));
    }
  }

  /** {@code y[i] = op(a[i], b)}. */
  public static void vs(LogicOp op, MemorySegment a, long ao, boolean b,
      MemorySegment y, long yo, long n) {
    byte bb = b ? (byte) 1 : (byte) 0;
    for (long i = 0; i < n; i++) {
      y.set(JAVA_BYTE, yo + i, apply(op, a.get(JAVA_BYTE, ao + i), bb));
    }
  }

  /** {@code y[i] = !x[i]}. */
  public static void not(MemorySegment x, long xo, MemorySegment y, long yo, long n) {
    for (long i = 0; i < n; i++) {
      y.set(JAVA_BYTE, yo + i, apply(LogicOp.NOT, x.get(JAVA_BYTE, xo + i), (byte) 0));
    }
  }
}
