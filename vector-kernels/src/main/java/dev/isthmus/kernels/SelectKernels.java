package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Select kernels, {@code out[oo+i] = c[i] ? x[i] : y[i]} for {@code i < n}, by element width: the
 * choice moves bits, so FLOAT32 and INT32 share {@link #select32}, FLOAT64 and INT64 {@link
 * #select64}, BOOL {@link #select8}. {@code c} is BOOL bytes. Each operand is either contiguous
 * from its offset or, when its {@code ...Rep} flag is set, the one value at its offset repeated
 * (the forms a broadcast plan yields). Offsets and counts are in elements.
 *
 * <p>A repeated condition is a copy or a fill; otherwise dispatches to {@link SelectVector} or
 * its scalar twin {@link SelectScalar}. The vector loops write heap segments through their
 * arrays, which would not stop at a slice's end, so every range is checked once per call
 * ({@link IndexOutOfBoundsException}, nothing written) rather than asserted.
 */
public final class SelectKernels {
  private SelectKernels() {}

  // per site, the vector loops on synthetic operands (each operand form), for the background
  // warm-up (KernelWarmup)
  private static final ColdRouting COLD = ColdRouting.family("select", 6, 1)
      .warm(0, (k, n, s) -> {
        for (int f = 0; f < 3; f++) {
          SelectVector.select8(s.bool(0), 0, s.bool(1), 0, f == 1, s.bool(0), 0, f == 2,
              s.bool(2), 0, n);
        }
      })
      .warm(1, (k, n, s) -> SelectVector.fill8((byte) 1, s.bool(2), 0, n))
      .warm(2, (k, n, s) -> {
        for (int f = 0; f < 3; f++) {
          SelectVector.select32(s.bool(0), 0, s.i32(0), 0, f == 1, s.i32(1), 0, f == 2,
              s.i32(2), 0, n);
        }
      })
      .warm(3, (k, n, s) -> SelectVector.fill32(1, s.i32(2), 0, n))
      .warm(4, (k, n, s) -> {
        for (int f = 0; f < 3; f++) {
          SelectVector.select64(s.bool(0), 0, s.i64(0), 0, f == 1, s.i64(1), 0, f == 2,
              s.i64(2), 0, n);
        }
      })
      .warm(5, (k, n, s) -> SelectVector.fill64(1, s.i64(2), 0, n));

  /** Throws unless every operand's elements lie in its segment ({@code w}-byte values). */
  private static void inBounds(int w, MemorySegment c, long co, boolean cRep, MemorySegment x,
      long xo, boolean xRep, MemorySegment y, long yo, boolean yRep, MemorySegment out, long oo,
      long n) {
    Objects.checkFromIndexSize(oo, n, out.byteSize() / w);
    if (n > 0) {
      Objects.checkFromIndexSize(co, cRep ? 1 : n, c.byteSize());
      Objects.checkFromIndexSize(xo, xRep ? 1 : n, x.byteSize() / w);
      Objects.checkFromIndexSize(yo, yRep ? 1 : n, y.byteSize() / w);
    }
  }

  /** BOOL select. */
  public static void select8(MemorySegment c, long co, boolean cRep,
      MemorySegment x, long xo, boolean xRep, MemorySegment y, long yo, boolean yRep,
      MemorySegment out, long oo, long n) {
    inBounds(1, c, co, cRep, x, xo, xRep, y, yo, yRep, out, oo, n);
    if (cRep) {
      boolean pick = c.get(JAVA_BYTE, co) != 0;
      MemorySegment s = pick ? x : y;
      long so = pick ? xo : yo;
      if (pick ? xRep : yRep) {
        fill8(s.get(JAVA_BYTE, so), out, oo, n);
      } else {
        MemorySegment.copy(s, so * 1, out, oo * 1, n * 1);
      }
    } else if (COLD.vector(0, 0, n)) {
      SelectVector.select8(c, co, x, xo, xRep, y, yo, yRep, out, oo, n);
    } else {
      SelectScalar.select8(c, co, cRep, x, xo, xRep, y, yo, yRep, out, oo, n);
    }
  }

  /** {@code out[oo+i] = v}: 8-bit lanes. */
  public static void fill8(byte v, MemorySegment out, long oo, long n) {
    Objects.checkFromIndexSize(oo, n, out.byteSize());
    if (COLD.vector(1, 0, n)) {
      SelectVector.fill8(v, out, oo, n);
    } else {
      SelectScalar.fill8(v, out, oo, n);
    }
  }

  /** FLOAT32 or INT32 (as bits) select. */
  public static void select32(MemorySegment c, long co, boolean cRep,
      MemorySegment x, long xo, boolean xRep, MemorySegment y, long yo, boolean yRep,
      MemorySegment out, long oo, long n) {
    inBounds(4, c, co, cRep, x, xo, xRep, y, yo, yRep, out, oo, n);
    if (cRep) {
      boolean pick = c.get(JAVA_BYTE, co) != 0;
      MemorySegment s = pick ? x : y;
      long so = pick ? xo : yo;
      if (pick ? xRep : yRep) {
        fill32(s.getAtIndex(JAVA_INT, so), out, oo, n);
      } else {
        MemorySegment.copy(s, so * 4, out, oo * 4, n * 4);
      }
    } else if (COLD.vector(2, 0, n)) {
      SelectVector.select32(c, co, x, xo, xRep, y, yo, yRep, out, oo, n);
    } else {
      SelectScalar.select32(c, co, cRep, x, xo, xRep, y, yo, yRep, out, oo, n);
    }
  }

  /** {@code out[oo+i] = v}: 32-bit lanes. */
  public static void fill32(int v, MemorySegment out, long oo, long n) {
    Objects.checkFromIndexSize(oo, n, out.byteSize() / 4);
    if (COLD.vector(3, 0, n)) {
      SelectVector.fill32(v, out, oo, n);
    } else {
      SelectScalar.fill32(v, out, oo, n);
    }
  }

  /** FLOAT64 or INT64 (as bits) select. */
  public static void select64(MemorySegment c, long co, boolean cRep,
      MemorySegment x, long xo, boolean xRep, MemorySegment y, long yo, boolean yRep,
      MemorySegment out, long oo, long n) {
    inBounds(8, c, co, cRep, x, xo, xRep, y, yo, yRep, out, oo, n);
    if (cRep) {
      boolean pick = c.get(JAVA_BYTE, co) != 0;
      MemorySegment s = pick ? x : y;
      long so = pick ? xo : yo;
      if (pick ? xRep : yRep) {
        fill64(s.getAtIndex(JAVA_LONG, so), out, oo, n);
      } else {
        MemorySegment.copy(s, so * 8, out, oo * 8, n * 8);
      }
    } else if (COLD.vector(4, 0, n)) {
      SelectVector.select64(c, co, x, xo, xRep, y, yo, yRep, out, oo, n);
    } else {
      SelectScalar.select64(c, co, cRep, x, xo, xRep, y, yo, yRep, out, oo, n);
    }
  }

  /** {@code out[oo+i] = v}: 64-bit lanes. */
  public static void fill64(long v, MemorySegment out, long oo, long n) {
    Objects.checkFromIndexSize(oo, n, out.byteSize() / 8);
    if (COLD.vector(5, 0, n)) {
      SelectVector.fill64(v, out, oo, n);
    } else {
      SelectScalar.fill64(v, out, oo, n);
    }
  }
}
