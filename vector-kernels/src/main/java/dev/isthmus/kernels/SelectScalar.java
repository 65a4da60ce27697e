package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference twins of the select kernels (see {@link SelectKernels} for the operand
 * forms), and the path that runs when the Vector API is off.
 */
public final class SelectScalar {
  private SelectScalar() {}

  /** BOOL select, every form. */
  public static void select8(MemorySegment c, long co, boolean cRep,
      MemorySegment x, long xo, boolean xRep, MemorySegment y, long yo, boolean yRep,
      MemorySegment out, long oo, long n) {
    for (long i = 0; i < n; i++) {
      boolean pick = c.get(JAVA_BYTE, co + (cRep ? 0 : i)) != 0;
      byte r = pick ? x.get(JAVA_BYTE, xo + (xRep ? 0 : i)) : y.get(JAVA_BYTE, yo + (yRep ? 0 : i));
      out.set(JAVA_BYTE, oo + i, r);
    }
  }

  /** {@code out[oo+i] = v}: 8-bit lanes. */
  public static void fill8(byte v, MemorySegment out, long oo, long n) {
    for (long i = 0; i < n; i++) {
      out.set(JAVA_BYTE, oo + i, v);
    }
  }

  /** FLOAT32 or INT32 (as bits) select, every form. */
  public static void select32(MemorySegment c, long co, boolean cRep,
      MemorySegment x, long xo, boolean xRep, MemorySegment y, long yo, boolean yRep,
      MemorySegment out, long oo, long n) {
    for (long i = 0; i < n; i++) {
      boolean pick = c.get(JAVA_BYTE, co + (cRep ? 0 : i)) != 0;
      int r = pick
          ? x.getAtIndex(JAVA_INT, xo + (xRep ? 0 : i))
          : y.getAtIndex(JAVA_INT, yo + (yRep ? 0 : i));
      out.setAtIndex(JAVA_INT, oo + i, r);
    }
  }

  /** {@code out[oo+i] = v}: 32-bit lanes. */
  public static void fill32(int v, MemorySegment out, long oo, long n) {
    for (long i = 0; i < n; i++) {
      out.setAtIndex(JAVA_INT, oo + i, v);
    }
  }

  /** FLOAT64 or INT64 (as bits) select, every form. */
  public static void select64(MemorySegment c, long co, boolean cRep,
      MemorySegment x, long xo, boolean xRep, MemorySegment y, long yo, boolean yRep,
      MemorySegment out, long oo, long n) {
    for (long i = 0; i < n; i++) {
      boolean pick = c.get(JAVA_BYTE, co + (cRep ? 0 : i)) != 0;
      long r = pick
          ? x.getAtIndex(JAVA_LONG, xo + (xRep ? 0 : i))
          : y.getAtIndex(JAVA_LONG, yo + (yRep ? 0 : i));
      out.setAtIndex(JAVA_LONG, oo + i, r);
    }
  }

  /** {@code out[oo+i] = v}: 64-bit lanes. */
  public static void fill64(long v, MemorySegment out, long oo, long n) {
    for (long i = 0; i < n; i++) {
      out.setAtIndex(JAVA_LONG, oo + i, v);
    }
  }
}
