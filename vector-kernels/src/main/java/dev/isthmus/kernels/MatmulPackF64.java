package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static dev.isthmus.kernels.MatmulPackedF64.KC;
import static dev.isthmus.kernels.MatmulPackedF64.NR;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * Packing for {@link MatmulPackedF64} (FLOAT64): copies a block of {@code op(A)} or a panel of
 * {@code op(B)} into the contiguous layout its micro-kernel reads, handling the transposes on the
 * way (nothing else ever materialises a transpose).
 *
 * <ul>
 *   <li>A block ({@code mc x kc}): row {@code r} of the block at {@code ap[r * KC]}, so a
 *       sliver of MR rows is MR streams at the constant distance KC. Without transA that is one
 *       copy per row; with transA it is a transpose.
 *   <li>B panel ({@code kc x nc}): slivers of NR columns, sliver {@code s} from {@code s * NR *
 *       kc}, each {@code [kc][NR]} (row {@code p} of the sliver is the NR values the kernel
 *       loads for step {@code p}). Without transB these are vector copies; with transB,
 *       transposes.
 * </ul>
 *
 * <p>Transposes go by square tiles of as many rows as there are lanes, transposed in registers by
 * log2(lanes) rounds of two-vector {@code selectFrom} (each round swaps one bit of the row
 * index with the same bit of the lane index); the ragged edges go element by element. Rows of a
 * partial last sliver and columns past {@code nc} are left as they are: the kernel computes them
 * but nothing stores them.
 */
final class MatmulPackF64 {
  private MatmulPackF64() {}

  private static final int V = D.length();
  private static final long E = Double.BYTES;

  /** The index vectors of the transpose rounds: round k pairs rows {@code i} and {@code i + h}. */
  private static final double[] LO, HI;

  static {
    int rounds = Integer.numberOfTrailingZeros(V);
    LO = new double[Math.max(1, rounds) * V];
    HI = new double[Math.max(1, rounds) * V];
    for (int k = 0, h = V / 2; h >= 1; h /= 2, k++) {
      for (int j = 0; j < V; j++) {
        LO[k * V + j] = (j & h) == 0 ? j : V + j - h;
        HI[k * V + j] = (j & h) == 0 ? j + h : V + j;
      }
    }
  }

  /** {@code ap[r * KC + p] = op(A)[ic + r, pc + p]} for {@code r < mc, p < kc}. */
  static void packA(boolean transA, MemorySegment a, long ao, long lda, long ic, int mc, long pc,
      int kc, double[] ap) {
    if (!transA) {
      // Rows are copied: from the array behind a heap segment directly, else segment to array.
      // Rows of up to 8 vectors by vectors (64 doubles: a fifth faster than arraycopy calls,
      // measured), longer ones by arraycopy.
      if (a.heapBase().orElse(null) instanceof double[] arr && a.address() % E == 0) {
        int s = (int) (a.address() / E + ao + ic * lda + pc), kt = kc - kc % V;
        for (int r = 0; r < mc; r++, s += (int) lda) {
          if (kc > 8 * V) {
            System.arraycopy(arr, s, ap, r * KC, kc);
            continue;
          }
          for (int p = 0; p < kt; p += V) {
            DoubleVector.fromArray(D, arr, s + p).intoArray(ap, r * KC + p);
          }
          for (int p = kt; p < kc; p++) {
            ap[r * KC + p] = arr[s + p];
          }
        }
      } else {
        for (int r = 0; r < mc; r++) {
          MemorySegment.copy(a, JAVA_DOUBLE, (ao + (ic + r) * lda + pc) * E, ap, r * KC, kc);
        }
      }
      return;
    }
    // op(A)[i, p] = A[p * lda + i]: source rows are p, contiguous along i.
    int mt = mc - mc % V, kt = kc - kc % V;
    long src = ao + pc * lda + ic;
    if (mt > 0) {
      for (int p = 0; p < kt; p += V) {
        transpose(a, (src + p * lda) * E, lda * E, ap, p, KC, mt / V);
      }
    }
    for (int p = 0; p < kc; p++) {
      int i0 = p < kt ? mt : 0;
      long s = src + p * lda;
      for (int i = i0; i < mc; i++) {
        ap[i * KC + p] = a.getAtIndex(JAVA_DOUBLE, s + i);
      }
    }
  }

  /**
   * {@code bp[bpo + s * NR * kc + p * NR + q] = op(B)[pc + p, jc + s * NR + q]} for {@code p <
   * kc} and {@code s * NR + q < nc}: the slivers of a panel from {@code bpo} on (a parallel
   * caller packs a panel a few slivers at a time).
   */
  static void packB(boolean transB, MemorySegment b, long bo, long ldb, long pc, int kc, long jc,
      int nc, double[] bp, int bpo) {
    if (!transB) {
      for (int q0 = 0; q0 < nc; q0 += NR) {
        int nr = Math.min(NR, nc - q0), base = bpo + q0 * kc;
        long s = (bo + pc * ldb + jc + q0) * E, step = ldb * E;
        if (nr == NR) {
          for (int p = 0; p < kc; p++, s += step) {
            for (int v = 0; v < NR; v += V) {
              DoubleVector.fromMemorySegment(D, b, s + v * E, NATIVE)
                  .intoArray(bp, base + p * NR + v);
            }
          }
        } else {
          for (int v = 0; v < nr; v += V) {
            VectorMask<Double> mask = D.indexInRange(v, nr);
            long sv = s + v * E;
            for (int p = 0; p < kc; p++, sv += step) {
              DoubleVector.fromMemorySegment(D, b, sv, NATIVE, mask)
                  .intoArray(bp, base + p * NR + v);
            }
          }
        }
      }
      return;
    }
    // op(B)[p, j] = B[j * ldb + p]: source rows are j, contiguous along p. A tile of V rows lies in
    // one sliver, since NR is a multiple of V.
    int nt = nc - nc % V, kt = kc - kc % V;
    long src = bo + jc * ldb + pc;
    if (kt > 0) {
      for (int j = 0; j < nt; j += V) {
        transpose(b, (src + j * ldb) * E, ldb * E, bp, bpo + j / NR * NR * kc + j % NR, NR,
            kt / V);
      }
    }
    for (int j = 0; j < nc; j++) {
      int p0 = j < nt ? kt : 0, base = bpo + j / NR * NR * kc + j % NR;
      long s = src + j * ldb;
      for (int p = p0; p < kc; p++) {
        bp[base + p * NR] = b.getAtIndex(JAVA_DOUBLE, s + p);
      }
    }
  }

  /**
   * Transposes {@code tiles} square tiles of V x V elements lying side by side along a source row:
   * tile {@code n}'s row {@code i} is read from byte offset {@code s + i * ls + n * V * E} of
   * {@code src}, and its column {@code i} written to {@code dst[d + n * V * ld + i * ld]} onwards.
   */
  private static void transpose(MemorySegment src, long s, long ls, double[] dst, int d, int ld,
      int tiles) {
    switch (V) {
      case 8 -> transpose8(src, s, ls, dst, d, ld, tiles);
      case 4 -> transpose4(src, s, ls, dst, d, ld, tiles);
      case 2 -> transpose2(src, s, ls, dst, d, ld, tiles);
      default -> {
        for (int n = 0; n < tiles; n++) {
          for (int i = 0; i < V; i++) {
            for (int j = 0; j < V; j++) {
              dst[d + (n * V + j) * ld + i] = src.get(JAVA_DOUBLE, s + i * ls + (n * V + j) * E);
            }
          }
        }
      }
    }
  }

  /** {@link #transpose} for 8 lanes. */
  private static void transpose8(MemorySegment src, long s, long ls, double[] dst, int d,
      int ld, int tiles) {
    DoubleVector lo0 = DoubleVector.fromArray(D, LO, 0);
    DoubleVector hi0 = DoubleVector.fromArray(D, HI, 0);
    DoubleVector lo1 = DoubleVector.fromArray(D, LO, 8);
    DoubleVector hi1 = DoubleVector.fromArray(D, HI, 8);
    DoubleVector lo2 = DoubleVector.fromArray(D, LO, 16);
    DoubleVector hi2 = DoubleVector.fromArray(D, HI, 16);
    for (int n = 0; n < tiles; n++, s += 8 * Double.BYTES, d += 8 * ld) {
      DoubleVector x0 = DoubleVector.fromMemorySegment(D, src, s, NATIVE);
      DoubleVector x1 = DoubleVector.fromMemorySegment(D, src, s + ls, NATIVE);
      DoubleVector x2 = DoubleVector.fromMemorySegment(D, src, s + 2 * ls, NATIVE);
      DoubleVector x3 = DoubleVector.fromMemorySegment(D, src, s + 3 * ls, NATIVE);
      DoubleVector x4 = DoubleVector.fromMemorySegment(D, src, s + 4 * ls, NATIVE);
      DoubleVector x5 = DoubleVector.fromMemorySegment(D, src, s + 5 * ls, NATIVE);
      DoubleVector x6 = DoubleVector.fromMemorySegment(D, src, s + 6 * ls, NATIVE);
      DoubleVector x7 = DoubleVector.fromMemorySegment(D, src, s + 7 * ls, NATIVE);
      DoubleVector y;
      y = lo0.selectFrom(x0, x4);
      x4 = hi0.selectFrom(x0, x4); x0 = y;
      y = lo0.selectFrom(x1, x5);
      x5 = hi0.selectFrom(x1, x5); x1 = y;
      y = lo0.selectFrom(x2, x6);
      x6 = hi0.selectFrom(x2, x6); x2 = y;
      y = lo0.selectFrom(x3, x7);
      x7 = hi0.selectFrom(x3, x7); x3 = y;
      y = lo1.selectFrom(x0, x2);
      x2 = hi1.selectFrom(x0, x2); x0 = y;
      y = lo1.selectFrom(x1, x3);
      x3 = hi1.selectFrom(x1, x3); x1 = y;
      y = lo1.selectFrom(x4, x6);
      x6 = hi1.selectFrom(x4, x6); x4 = y;
      y = lo1.selectFrom(x5, x7);
      x7 = hi1.selectFrom(x5, x7); x5 = y;
      y = lo2.selectFrom(x0, x1);
      x1 = hi2.selectFrom(x0, x1); x0 = y;
      y = lo2.selectFrom(x2, x3);
      x3 = hi2.selectFrom(x2, x3); x2 = y;
      y = lo2.selectFrom(x4, x5);
      x5 = hi2.selectFrom(x4, x5); x4 = y;
      y = lo2.selectFrom(x6, x7);
      x7 = hi2.selectFrom(x6, x7); x6 = y;
      x0.intoArray(dst, d); x1.intoArray(dst, d + ld);
      x2.intoArray(dst, d + 2 * ld); x3.intoArray(dst, d + 3 * ld);
      x4.intoArray(dst, d + 4 * ld); x5.intoArray(dst, d + 5 * ld);
      x6.intoArray(dst, d + 6 * ld); x7.intoArray(dst, d + 7 * ld);
    }
  }

  /** {@link #transpose} for 4 lanes. */
  private static void transpose4(MemorySegment src, long s, long ls, double[] dst, int d,
      int ld, int tiles) {
    DoubleVector lo0 = DoubleVector.fromArray(D, LO, 0);
    DoubleVector hi0 = DoubleVector.fromArray(D, HI, 0);
    DoubleVector lo1 = DoubleVector.fromArray(D, LO, 4);
    DoubleVector hi1 = DoubleVector.fromArray(D, HI, 4);
    for (int n = 0; n < tiles; n++, s += 4 * Double.BYTES, d += 4 * ld) {
      DoubleVector x0 = DoubleVector.fromMemorySegment(D, src, s, NATIVE);
      DoubleVector x1 = DoubleVector.fromMemorySegment(D, src, s + ls, NATIVE);
      DoubleVector x2 = DoubleVector.fromMemorySegment(D, src, s + 2 * ls, NATIVE);
      DoubleVector x3 = DoubleVector.fromMemorySegment(D, src, s + 3 * ls, NATIVE);
      DoubleVector y;
      y = lo0.selectFrom(x0, x2);
      x2 = hi0.selectFrom(x0, x2); x0 = y;
      y = lo0.selectFrom(x1, x3);
      x3 = hi0.selectFrom(x1, x3); x1 = y;
      y = lo1.selectFrom(x0, x1);
      x1 = hi1.selectFrom(x0, x1); x0 = y;
      y = lo1.selectFrom(x2, x3);
      x3 = hi1.selectFrom(x2, x3); x2 = y;
      x0.intoArray(dst, d); x1.intoArray(dst, d + ld);
      x2.intoArray(dst, d + 2 * ld); x3.intoArray(dst, d + 3 * ld);
    }
  }

  /** {@link #transpose} for 2 lanes. */
  private static void transpose2(MemorySegment src, long s, long ls, double[] dst, int d,
      int ld, int tiles) {
    DoubleVector lo0 = DoubleVector.fromArray(D, LO, 0);
    DoubleVector hi0 = DoubleVector.fromArray(D, HI, 0);
    for (int n = 0; n < tiles; n++, s += 2 * Double.BYTES, d += 2 * ld) {
      DoubleVector x0 = DoubleVector.fromMemorySegment(D, src, s, NATIVE);
      DoubleVector x1 = DoubleVector.fromMemorySegment(D, src, s + ls, NATIVE);
      DoubleVector y;
      y = lo0.selectFrom(x0, x1);
      x1 = hi0.selectFrom(x0, x1); x0 = y;
      x0.intoArray(dst, d); x1.intoArray(dst, d + ld);
    }
  }
}
