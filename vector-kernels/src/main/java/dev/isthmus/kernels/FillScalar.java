package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of {@link FillVector}: the specification each vector loop is held
 * to by the property tests, and the path that runs when the Vector API is off.
 */
public final class FillScalar {
  private FillScalar() {}

  /** FLOAT32 fill, one element at a time. */
  public static void f32(MemorySegment dst, long off, long n, float v) {
    for (long i = 0; i < n; i++) {
      dst.setAtIndex(JAVA_FLOAT_UNALIGNED, off + i, v);
    }
  }

  /** FLOAT64 fill, one element at a time. */
  public static void f64(MemorySegment dst, long off, long n, double v) {
    for (long i = 0; i < n; i++) {
      dst.setAtIndex(JAVA_DOUBLE_UNALIGNED, off + i, v);
    }
  }

  /** 4-byte fill, one element at a time. */
  public static void i32(MemorySegment dst, long off, long n, int v) {
    for (long i = 0; i < n; i++) {
      dst.setAtIndex(JAVA_INT_UNALIGNED, off + i, v);
    }
  }

  /** 8-byte fill, one element at a time. */
  public static void i64(MemorySegment dst, long off, long n, long v) {
    for (long i = 0; i < n; i++) {
      dst.setAtIndex(JAVA_LONG_UNALIGNED, off + i, v);
    }
  }

  /** 1-byte fill, one element at a time. */
  public static void i8(MemorySegment dst, long off, long n, byte v) {
    for (long i = 0; i < n; i++) {
      dst.set(JAVA_BYTE, off + i, v);
    }
  }
}
