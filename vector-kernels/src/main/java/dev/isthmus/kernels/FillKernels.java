package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Fill kernels: {@code dst[off + i] = v} for {@code i < n}. Offsets and counts are in elements.
 * One kernel per element width; the floating fills store the value's raw bits, so a fill is
 * bit-exact (NaN payloads included).
 *
 * <p>Dispatches once per call to {@link FillVector} or its scalar twin {@link FillScalar}. The
 * vector loops write heap segments through their arrays, which would not stop at a slice's end,
 * so the range is checked once per call ({@link IndexOutOfBoundsException}, nothing written)
 * rather than asserted.
 */
public final class FillKernels {
  private FillKernels() {}

  /** FLOAT32 fill. */
  public static void f32(MemorySegment dst, long off, long n, float v) {
    i32(dst, off, n, Float.floatToRawIntBits(v));
  }

  /** FLOAT64 fill. */
  public static void f64(MemorySegment dst, long off, long n, double v) {
    i64(dst, off, n, Double.doubleToRawLongBits(v));
  }

  /** 4-byte fill (INT32, or FLOAT32 bits). */
  public static void i32(MemorySegment dst, long off, long n, int v) {
    Objects.checkFromIndexSize(off, n, dst.byteSize() / 4);
    if (Simd.VECTOR) {
      FillVector.i32(dst, off, n, v);
    } else {
      FillScalar.i32(dst, off, n, v);
    }
  }

  /** 8-byte fill (INT64, or FLOAT64 bits). */
  public static void i64(MemorySegment dst, long off, long n, long v) {
    Objects.checkFromIndexSize(off, n, dst.byteSize() / 8);
    if (Simd.VECTOR) {
      FillVector.i64(dst, off, n, v);
    } else {
      FillScalar.i64(dst, off, n, v);
    }
  }

  /** 1-byte fill (BOOL). */
  public static void i8(MemorySegment dst, long off, long n, byte v) {
    Objects.checkFromIndexSize(off, n, dst.byteSize());
    if (Simd.VECTOR) {
      FillVector.i8(dst, off, n, v);
    } else {
      FillScalar.i8(dst, off, n, v);
    }
  }

  /**
   * A fill by element width: {@code bits} holds the element's bytes in its low {@code width}
   * bytes (as {@link Float#floatToRawIntBits} or {@link Double#doubleToRawLongBits} give them).
   */
  public static void fill(int width, MemorySegment dst, long off, long n, long bits) {
    switch (width) {
      case 1 -> i8(dst, off, n, (byte) bits);
      case 4 -> i32(dst, off, n, (int) bits);
      case 8 -> i64(dst, off, n, bits);
      default -> throw new IllegalArgumentException(
          "element width " + width + "; expected 1, 4 or 8");
    }
  }
}
