package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * The fast paths of the movement kernels. A strided copy first coalesces its axes (drops size-1
 * axes, merges neighbours that are contiguous in both src and dst), then walks the outer axes
 * and moves the inner block in one of three ways: a contiguous run (one {@code System.arraycopy}
 * between heap arrays, else one bulk copy when long, else an element loop), a broadcast run (a
 * vector fill), or, when dst is contiguous along the last axis and src along another (a
 * transpose; that axis is moved next to the last, as a copy may walk its elements in any order),
 * a 2-D transpose by vector tiles ({@link MoveTranspose}) with a cache-blocked scalar loop for
 * what they leave. Anything else is an element loop specialised by width.
 *
 * <p>Heap segments are copied through their arrays: {@code System.arraycopy} is as fast as
 * {@link MemorySegment#copy} on long runs and much cheaper per call on short ones (rows of a
 * gather or a concat along an inner axis), and the vector loops need the arrays anyway (see
 * {@link HeapArrays}).
 */
final class MoveVector {
  /** Runs of at least this many bytes go to {@link MemorySegment#copy} (a memmove). */
  private static final long BULK_BYTES = 64;

  private MoveVector() {}

  /**
   * The array behind a heap segment, as {@code System.arraycopy} takes it: the array, its element
   * size and the byte offset of the segment's start in it. Null for off-heap segments.
   */
  private record Heap(Object array, int size, long base) {
    static Heap of(MemorySegment s) {
      Object a = s.heapBase().orElse(null);
      int size = a instanceof byte[] ? 1 : a instanceof float[] || a instanceof int[] ? 4
          : a instanceof double[] || a instanceof long[] ? 8 : 0;
      return size == 0 || s.address() % size != 0 ? null : new Heap(a, size, s.address());
    }
  }

  /** Null unless src and dst are arrays of one type whose elements tile {@code w}-byte ones. */
  private static Heap[] arrays(int w, MemorySegment src, MemorySegment dst) {
    Heap sh = Heap.of(src), dh = Heap.of(dst);
    return sh != null && dh != null && sh.array().getClass() == dh.array().getClass()
        && sh.size() <= w ? new Heap[] {sh, dh} : null;
  }

  static void copyStrided(int w, long[] shape, MemorySegment src, long so, long[] ss,
      MemorySegment dst, long d0, long[] ds) {
    int r = shape.length;
    long[] n = new long[r], s = new long[r], d = new long[r];
    int m = 0;
    for (int a = 0; a < r; a++) {
      long k = shape[a];
      if (k == 0) {
        return;
      }
      if (k == 1) {
        continue;
      }
      if (m > 0 && s[m - 1] == ss[a] * k && d[m - 1] == ds[a] * k) {
        n[m - 1] *= k; // axis a continues the previous one in both src and dst
        s[m - 1] = ss[a];
        d[m - 1] = ds[a];
      } else {
        n[m] = k;
        s[m] = ss[a];
        d[m] = ds[a];
        m++;
      }
    }
    if (m == 0) {
      MoveScalar.copyElement(w, src, so, dst, d0);
      return;
    }
    boolean transpose = false;
    if (m >= 2 && d[m - 1] == 1 && s[m - 1] != 0 && s[m - 1] != 1) {
      // The last axis walks src with a stride. If another axis is contiguous in src, move it
      // next to the last (the order of a copy's walk is free) and transpose tile by tile.
      for (int k = m - 2; k >= 0 && !transpose; k--) {
        if (s[k] == 1) {
          rotate(n, k, m - 2);
          rotate(s, k, m - 2);
          rotate(d, k, m - 2);
          transpose = true;
        }
      }
    }
    Heap[] heap = transpose ? null : arrays(w, src, dst);
    Object[] tiles = transpose && w != 1 ? MoveTranspose.arrays(w, src, dst) : null;
    int outer = transpose ? m - 2 : m - 1;
    long[] idx = new long[outer];
    long sp = so, dp = d0;
    while (true) {
      if (transpose) {
        if (tiles != null) {
          MoveTranspose.run(w, tiles, n[m - 2], n[m - 1], src, sp, s[m - 1], dst, dp, d[m - 2]);
        } else {
          transposeScalar(w, n[m - 2], n[m - 1], src, sp, s[m - 1], dst, dp, d[m - 2]);
        }
      } else {
        run(w, heap, n[m - 1], src, sp, s[m - 1], dst, dp, d[m - 1]);
      }
      int a = outer - 1;
      for (; a >= 0; a--) {
        idx[a]++;
        sp += s[a];
        dp += d[a];
        if (idx[a] < n[a]) {
          break;
        }
        sp -= s[a] * n[a];
        dp -= d[a] * n[a];
        idx[a] = 0;
      }
      if (a < 0) {
        return;
      }
    }
  }

  static void gatherRows(int w, MemorySegment src, long so, long outer, long axisDim, long inner,
      MemorySegment idx, long io, int iw, long n, MemorySegment dst, long d0) {
    if (inner == 1) {
      switch (w) {
        case 1 -> gather1(src, so, outer, axisDim, idx, io, iw, n, dst, d0);
        case 4 -> gather4(src, so, outer, axisDim, idx, io, iw, n, dst, d0);
        default -> gather8(src, so, outer, axisDim, idx, io, iw, n, dst, d0);
      }
      return;
    }
    Heap[] heap = arrays(w, src, dst);
    for (long o = 0; o < outer; o++) {
      long srcBase = so + o * axisDim * inner;
      long dstBase = d0 + o * n * inner;
      for (long k = 0; k < n; k++) {
        long row = MoveScalar.index(idx, io + k, iw);
        contiguous(w, heap, inner, src, srcBase + row * inner, dst, dstBase + k * inner);
      }
    }
  }

  /** Moves {@code a[from]} to {@code a[to]} ({@code from <= to}), shifting the ones between. */
  private static void rotate(long[] a, int from, int to) {
    long v = a[from];
    System.arraycopy(a, from + 1, a, from, to - from);
    a[to] = v;
  }

  // ---- runs: n elements from src (stride sl) to dst (stride dl)

  private static void run(int w, Heap[] heap, long n, MemorySegment src, long s, long sl,
      MemorySegment dst, long d, long dl) {
    if (dl == 1 && sl == 1) {
      contiguous(w, heap, n, src, s, dst, d);
    } else if (dl == 1 && sl == 0) {
      broadcast(w, n, src, s, dst, d);
    } else {
      strided(w, n, src, s, sl, dst, d, dl);
    }
  }

  /** n contiguous elements; {@code heap} holds the arrays of src and dst, or is null. */
  private static void contiguous(int w, Heap[] heap, long n, MemorySegment src, long s,
      MemorySegment dst, long d) {
    if (heap != null) {
      Heap sh = heap[0], dh = heap[1];
      int k = sh.size();
      System.arraycopy(sh.array(), (int) ((sh.base() + s * w) / k), dh.array(),
          (int) ((dh.base() + d * w) / k), (int) (n * w / k));
    } else if (n * w >= BULK_BYTES) {
      MemorySegment.copy(src, s * w, dst, d * w, n * w);
    } else {
      strided(w, n, src, s, 1, dst, d, 1);
    }
  }

  private static void broadcast(int w, long n, MemorySegment src, long s, MemorySegment dst,
      long d) {
    switch (w) {
      case 1 -> FillVector.i8(dst, d, n, src.get(JAVA_BYTE, s));
      case 4 -> FillVector.i32(dst, d, n, src.getAtIndex(JAVA_INT_UNALIGNED, s));
      default -> FillVector.i64(dst, d, n, src.getAtIndex(JAVA_LONG_UNALIGNED, s));
    }
  }

  private static void strided(int w, long n, MemorySegment src, long s, long sl,
      MemorySegment dst, long d, long dl) {
    switch (w) {
      case 1 -> {
        for (long i = 0; i < n; i++, s += sl, d += dl) {
          dst.set(JAVA_BYTE, d, src.get(JAVA_BYTE, s));
        }
      }
      case 4 -> {
        for (long i = 0; i < n; i++, s += sl, d += dl) {
          dst.setAtIndex(JAVA_INT_UNALIGNED, d, src.getAtIndex(JAVA_INT_UNALIGNED, s));
        }
      }
      default -> {
        for (long i = 0; i < n; i++, s += sl, d += dl) {
          dst.setAtIndex(JAVA_LONG_UNALIGNED, d, src.getAtIndex(JAVA_LONG_UNALIGNED, s));
        }
      }
    }
  }

  // ---- transpose: dst[d + i*dr + j] = src[s + i + j*sc], i < rows, j < cols

  /** The transpose by scalar loops over tiles that stay in L1 (also the vector tiles' edges). */
  static void transposeScalar(int w, long rows, long cols, MemorySegment src, long s, long sc,
      MemorySegment dst, long d, long dr) {
    int t = w == 8 ? 16 : 32; // a tile of src and one of dst stay in L1
    for (long i0 = 0; i0 < rows; i0 += t) {
      long i1 = Math.min(i0 + t, rows);
      for (long j0 = 0; j0 < cols; j0 += t) {
        long j1 = Math.min(j0 + t, cols);
        switch (w) {
          case 1 -> tile1(i0, i1, j0, j1, src, s, sc, dst, d, dr);
          case 4 -> tile4(i0, i1, j0, j1, src, s, sc, dst, d, dr);
          default -> tile8(i0, i1, j0, j1, src, s, sc, dst, d, dr);
        }
      }
    }
  }

  private static void tile1(long i0, long i1, long j0, long j1, MemorySegment src, long s,
      long sc, MemorySegment dst, long d, long dr) {
    for (long i = i0; i < i1; i++) {
      long sp = s + i + j0 * sc, dp = d + i * dr + j0;
      for (long j = j0; j < j1; j++, sp += sc, dp++) {
        dst.set(JAVA_BYTE, dp, src.get(JAVA_BYTE, sp));
      }
    }
  }

  private static void tile4(long i0, long i1, long j0, long j1, MemorySegment src, long s,
      long sc, MemorySegment dst, long d, long dr) {
    for (long i = i0; i < i1; i++) {
      long sp = s + i + j0 * sc, dp = d + i * dr + j0;
      for (long j = j0; j < j1; j++, sp += sc, dp++) {
        dst.setAtIndex(JAVA_INT_UNALIGNED, dp, src.getAtIndex(JAVA_INT_UNALIGNED, sp));
      }
    }
  }

  private static void tile8(long i0, long i1, long j0, long j1, MemorySegment src, long s,
      long sc, MemorySegment dst, long d, long dr) {
    for (long i = i0; i < i1; i++) {
      long sp = s + i + j0 * sc, dp = d + i * dr + j0;
      for (long j = j0; j < j1; j++, sp += sc, dp++) {
        dst.setAtIndex(JAVA_LONG_UNALIGNED, dp, src.getAtIndex(JAVA_LONG_UNALIGNED, sp));
      }
    }
  }

  // ---- gathers of single elements (inner == 1)

  private static void gather1(MemorySegment src, long so, long outer, long axisDim,
      MemorySegment idx, long io, int iw, long n, MemorySegment dst, long d0) {
    for (long o = 0, sb = so, db = d0; o < outer; o++, sb += axisDim, db += n) {
      for (long k = 0; k < n; k++) {
        dst.set(JAVA_BYTE, db + k, src.get(JAVA_BYTE, sb + MoveScalar.index(idx, io + k, iw)));
      }
    }
  }

  private static void gather4(MemorySegment src, long so, long outer, long axisDim,
      MemorySegment idx, long io, int iw, long n, MemorySegment dst, long d0) {
    for (long o = 0, sb = so, db = d0; o < outer; o++, sb += axisDim, db += n) {
      for (long k = 0; k < n; k++) {
        long row = MoveScalar.index(idx, io + k, iw);
        dst.setAtIndex(JAVA_INT_UNALIGNED, db + k, src.getAtIndex(JAVA_INT_UNALIGNED, sb + row));
      }
    }
  }

  private static void gather8(MemorySegment src, long so, long outer, long axisDim,
      MemorySegment idx, long io, int iw, long n, MemorySegment dst, long d0) {
    for (long o = 0, sb = so, db = d0; o < outer; o++, sb += axisDim, db += n) {
      for (long k = 0; k < n; k++) {
        long row = MoveScalar.index(idx, io + k, iw);
        dst.setAtIndex(JAVA_LONG_UNALIGNED, db + k, src.getAtIndex(JAVA_LONG_UNALIGNED, sb + row));
      }
    }
  }
}
