package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.I;
import static dev.isthmus.kernels.VectorShapes.L;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static jdk.incubator.vector.VectorOperators.NE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Moves between vector masks and BOOL bytes (one byte per element, 0 or 1), for any lane count:
 * a mask's bits ({@code VectorMask.toLong}) spread to bytes through a 256-entry table, and bytes
 * gather to bits with one multiply per 8 lanes. This works where no byte species has as many
 * lanes as the mask (4 doubles on AVX2, 4 floats on 128-bit machines), so one path serves all.
 * Where such a byte species exists, the {@code mask...} loaders instead compare a byte vector
 * with 0 and cast the mask, which measured about 20% faster in a select. Loaded only by vector
 * code.
 */
final class BoolLanes {
  /** The preferred byte species, for kernels over BOOL bytes. */
  static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;

  private static final ValueLayout.OfLong LE_LONG =
      JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt LE_INT =
      JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** {@code SPREAD[v]}: 8 little-endian bytes, byte k = bit k of v. */
  private static final long[] SPREAD = new long[256];

  static {
    for (int v = 0; v < 256; v++) {
      long s = 0;
      for (int k = 0; k < 8; k++) {
        s |= (long) ((v >>> k) & 1) << (8 * k);
      }
      SPREAD[v] = s;
    }
  }

  /** Bytes, as many lanes as {@code F}, {@code D}: null when no byte species has that many. */
  private static final VectorSpecies<Byte> BF = bytes(F.length());
  private static final VectorSpecies<Byte> BD = bytes(D.length());

  private BoolLanes() {}

  private static VectorSpecies<Byte> bytes(int lanes) {
    try {
      return VectorSpecies.of(byte.class, VectorShape.forBitSize(lanes * 8));
    } catch (IllegalArgumentException e) {
      return null; // e.g. 4 lanes: no 32-bit shape
    }
  }

  // The mask loaders take the BOOL bytes as their array (null when off-heap, see HeapArrays)
  // beside their segment, and a position: an array index, or an offset in the segment.

  /** The mask of the {@code F.length()} BOOL bytes at {@code o}: lane k is byte k != 0. */
  static VectorMask<Float> maskF(byte[] a, MemorySegment c, long o) {
    return BF != null ? bytes(BF, a, c, o).compare(NE, 0).cast(F)
        : VectorMask.fromLong(F, load(c, a == null ? o : o - c.address(), F.length()));
  }

  /** As {@link #maskF}, for int lanes (as many as float lanes). */
  static VectorMask<Integer> maskI(byte[] a, MemorySegment c, long o) {
    return BF != null ? bytes(BF, a, c, o).compare(NE, 0).cast(I)
        : VectorMask.fromLong(I, load(c, a == null ? o : o - c.address(), I.length()));
  }

  /** As {@link #maskF}, for double lanes. */
  static VectorMask<Double> maskD(byte[] a, MemorySegment c, long o) {
    return BD != null ? bytes(BD, a, c, o).compare(NE, 0).cast(D)
        : VectorMask.fromLong(D, load(c, a == null ? o : o - c.address(), D.length()));
  }

  /** As {@link #maskF}, for long lanes (as many as double lanes). */
  static VectorMask<Long> maskL(byte[] a, MemorySegment c, long o) {
    return BD != null ? bytes(BD, a, c, o).compare(NE, 0).cast(L)
        : VectorMask.fromLong(L, load(c, a == null ? o : o - c.address(), L.length()));
  }

  /** As {@link #maskF}, for byte lanes ({@link #B}). */
  static VectorMask<Byte> mask8(byte[] a, MemorySegment c, long o) {
    return bytes(B, a, c, o).compare(NE, 0);
  }

  private static ByteVector bytes(VectorSpecies<Byte> s, byte[] a, MemorySegment c, long o) {
    return a != null ? ByteVector.fromArray(s, a, (int) o) : ByteVector.fromMemorySegment(s, c, o,
        NATIVE);
  }

  /** Writes {@code lanes} bytes at {@code y[off...]}: byte k is bit k of {@code bits}. */
  static void store(long bits, int lanes, MemorySegment y, long off) {
    if (lanes >= 8) {
      for (int k = 0; k < lanes; k += 8) {
        y.set(LE_LONG, off + k, SPREAD[(int) (bits >>> k) & 0xFF]);
      }
    } else if (lanes == 4) {
      y.set(LE_INT, off, (int) SPREAD[(int) bits & 0xF]);
    } else {
      for (int k = 0; k < lanes; k++) {
        y.set(JAVA_BYTE, off + k, (byte) ((bits >>> k) & 1));
      }
    }
  }

  /** The bits of {@code lanes} BOOL bytes at {@code c[off...]}: bit k is byte k. */
  static long load(MemorySegment c, long off, int lanes) {
    if (lanes >= 8) {
      long bits = 0;
      for (int k = 0; k < lanes; k += 8) {
        bits |= gather(c.get(LE_LONG, off + k)) << k;
      }
      return bits;
    } else if (lanes == 4) {
      return gather(Integer.toUnsignedLong(c.get(LE_INT, off)));
    }
    long bits = 0;
    for (int k = 0; k < lanes; k++) {
      bits |= (long) c.get(JAVA_BYTE, off + k) << k;
    }
    return bits;
  }

  // Eight 0/1 bytes (little-endian) to 8 bits: the multiply moves byte k's bit to bit 56 + k,
  // and no two partial products share a bit, so nothing carries.
  private static long gather(long x) {
    return (x * 0x0102040810204080L) >>> 56;
  }
}
