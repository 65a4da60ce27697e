package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.NATIVE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast paths of the movement kernels. A strided copy first coalesces its axes (drops size-1
 * axes, merges neighbours that are contiguous in both src and dst), then walks the outer axes
 * and moves the inner block in one of three ways: a contiguous run (byte vectors, or one bulk
 * copy when long), a broadcast run (a vector fill), or, when dst is contiguous along the last
 * axis and src along another (a transpose; that axis is moved next to the last, as a copy may
 * walk its elements in any order), a cache-blocked 2-D transpose. Anything else is an element
 * loop specialised by width.
 */
final class MoveVector {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
  /** Runs of at least this many bytes go to {@link MemorySegment#copy} (a memmove). */
  private static final long BULK_BYTES = 1024;

  private MoveVector() {}

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
    int outer = transpose ? m - 2 : m - 1;
    long[] idx = new long[outer];
    long sp = so, dp = d0;
    while (true) {
      if (transpose) {
        transpose(w, n[m - 2], n[m - 1], src, sp, s[m - 1], dst, dp, d[m - 2]);
      } else {
        run(w, n[m - 1], src, sp, s[m - 1], dst, dp, d[m - 1]);
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
    for (long o = 0; o < outer; o++) {
      long srcBase = so + o * axisDim * inner;
      long dstBase = d0 + o * n * inner;
      for (long k = 0; k < n; k++) {
        long row = MoveScalar.index(idx, io + k, iw);
        contiguous(w, inner, src, srcBase + row * inner, dst, dstBase + k * inner);
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

  private static void run(int w, long n, MemorySegment src, long s, long sl, MemorySegment dst,
      long d, long dl) {
    if (dl == 1 && sl == 1) {
      contiguous(w, n, src, s, dst, d);
    } else if (dl == 1 && sl == 0) {
      broadcast(w, n, src, s, dst, d);
    } else {
      strided(w, n, src, s, sl, dst, d, dl);
    }
  }

  private static void contiguous(int w, long n, MemorySegment src, long s, MemorySegment dst,
      long d) {
    long bytes = n * w, sb = s * w, db = d * w;
    int vl = B.length();
    if (bytes >= BULK_BYTES) {
      MemorySegment.copy(src, sb, dst, db, bytes);
    } else if (bytes >= vl) {
      long i = 0;
      for (; i + vl <= bytes; i += vl) {
        ByteVector.fromMemorySegment(B, src, sb + i, NATIVE).intoMemorySegment(dst, db + i, NATIVE);
      }
      if (i < bytes) { // one last vector ending at the run's end, overlapping what is done
        long t = bytes - vl;
        ByteVector.fromMemorySegment(B, src, sb + t, NATIVE).intoMemorySegment(dst, db + t, NATIVE);
      }
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

  // ---- blocked transpose: dst[d + i*dr + j] = src[s + i + j*sc], i < rows, j < cols

  private static void transpose(int w, long rows, long cols, MemorySegment src, long s, long sc,
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
