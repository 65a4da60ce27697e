package dev.isthmus.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The vector-tile transposes of {@link MoveVector}: {@code dst[d + i*dr + j] = src[s + i +
 * j*sc]} for {@code i < rows}, {@code j < cols}, between heap arrays of one type (the arrays, not
 * the segments: see {@link HeapArrays}). A tile of N x N elements is N vector loads (N
 * consecutive elements of src each, along i), log2(N) stages that each swap one bit of the lane
 * index with the same bit of the vector index (per pair of vectors, two rearranges and two
 * blends), and N vector stores (along j). The stages only move bits, so every value, NaN
 * payloads included, arrives unchanged. This class is the entry point; {@link MoveTranspose32}
 * has the 4-byte tiles (N = 8, 4), {@link MoveTranspose64} the 8-byte ones (N = 8, 4, 2).
 * N is at most the preferred species' lanes. The largest tile that fits goes first, the leftover
 * strips take smaller tiles, and what no tile covers goes to {@link MoveVector#transposeScalar}.
 *
 * <p>One tile method per element type and N, written out in full (one statement per vector,
 * the same pattern in each) with the Vector API calls in the tile's own body: C2 keeps the N
 * vectors in registers only when it inlines the whole tile, and it stopped inlining
 * (NodeCountInliningCutoff, leaving vectors boxed, 6x slower) both when one method served
 * floats and ints and when the stages called small helpers.
 *
 * <p>Floats stop at 8 x 8 tiles (256-bit vectors) even where 512-bit vectors exist: 16 x 16
 * tiles measured about 1.3x faster once compiled (1024 x 1024: 350 against 470 us), but C2
 * took so much longer to compile them that a program transposing that matrix repeatedly spent
 * its first 1.5 s (about 100 calls) in slow code, against 0.5 s (10 calls) with 8 x 8 tiles.
 *
 * <p>Tiles go along j (dst row by row) inside a band of N rows of dst: measured on a 1024 x 1024
 * float matrix, about twice as fast as going down the columns of dst.
 */
final class MoveTranspose {
  /** The largest tiles: no wider than the preferred species. */
  private static final int MAX4 = Math.min(8, VectorShapes.F.length());
  private static final int MAX8 = Math.min(8, VectorShapes.D.length());

  private MoveTranspose() {}

  /**
   * The arrays behind src and dst, {@code {srcArray, dstArray}}, when both are heap arrays of one
   * type of width {@code w} (4 or 8); else null, and the transpose is the scalar loop's. A strided
   * copy asks once, then calls {@link #run} for each matrix it transposes.
   */
  static Object[] arrays(int w, MemorySegment src, MemorySegment dst) {
    Object sa = array(w, src), da = array(w, dst);
    return sa == null || da == null || sa.getClass() != da.getClass() ? null
        : new Object[] {sa, da};
  }

  /** Transposes with vector tiles between the {@link #arrays} of src and dst. */
  static void run(int w, Object[] arrays, long rows, long cols, MemorySegment src, long s,
      long sc, MemorySegment dst, long d, long dr) {
    long sb = src.address() / w, db = dst.address() / w; // the array index of element 0
    region(w, arrays[0], src, sb, s, sc, arrays[1], dst, db, d, dr, rows, cols,
        w == 4 ? MAX4 : MAX8);
  }

  private static Object array(int w, MemorySegment s) {
    if (w == 4) {
      float[] f = HeapArrays.floats(s);
      return f != null ? f : HeapArrays.ints(s);
    }
    double[] f = HeapArrays.doubles(s);
    return f != null ? f : HeapArrays.longs(s);
  }

  /**
   * Covers {@code rows x cols} with N x N tiles, N the largest size up to {@code max} that fits,
   * then the bottom strip and the right strip with smaller tiles; a part too small for any tile
   * goes to the scalar loop. Offsets are segment elements; array indices add the base.
   */
  private static void region(int w, Object sa, MemorySegment src, long sb, long s, long sc,
      Object da, MemorySegment dst, long db, long d, long dr, long rows, long cols, int max) {
    int n = max;
    while (n > 0 && (n > rows || n > cols)) {
      n /= 2;
    }
    if (n < (w == 4 ? 4 : 2)) {
      MoveVector.transposeScalar(w, rows, cols, src, s, sc, dst, d, dr);
      return;
    }
    long r = rows - rows % n, c = cols - cols % n;
    tiles(n, sa, (int) (sb + s), (int) sc, da, (int) (db + d), (int) dr, (int) r, (int) c);
    if (r < rows) { // rows [r, rows), every column
      region(w, sa, src, sb, s + r, sc, da, dst, db, d + r * dr, dr, rows - r, cols, n / 2);
    }
    if (c < cols) { // columns [c, cols) of rows [0, r)
      region(w, sa, src, sb, s + c * sc, sc, da, dst, db, d + c, dr, r, cols - c, n / 2);
    }
  }

  /** {@code rows x cols} (multiples of n) by n x n tiles; the arrays are of one type. */
  private static void tiles(int n, Object sa, int s, int sc, Object da, int d, int dr, int rows,
      int cols) {
    switch (sa) {
      case float[] f -> {
        switch (n) {
          case 8 -> MoveTranspose32.f8(f, s, sc, (float[]) da, d, dr, rows, cols);
          default -> MoveTranspose32.f4(f, s, sc, (float[]) da, d, dr, rows, cols);
        }
      }
      case int[] f -> {
        switch (n) {
          case 8 -> MoveTranspose32.i8(f, s, sc, (int[]) da, d, dr, rows, cols);
          default -> MoveTranspose32.i4(f, s, sc, (int[]) da, d, dr, rows, cols);
        }
      }
      case double[] f -> {
        switch (n) {
          case 8 -> MoveTranspose64.d8(f, s, sc, (double[]) da, d, dr, rows, cols);
          case 4 -> MoveTranspose64.d4(f, s, sc, (double[]) da, d, dr, rows, cols);
          default -> MoveTranspose64.d2(f, s, sc, (double[]) da, d, dr, rows, cols);
        }
      }
      default -> {
        long[] f = (long[]) sa;
        switch (n) {
          case 8 -> MoveTranspose64.l8(f, s, sc, (long[]) da, d, dr, rows, cols);
          case 4 -> MoveTranspose64.l4(f, s, sc, (long[]) da, d, dr, rows, cols);
          default -> MoveTranspose64.l2(f, s, sc, (long[]) da, d, dr, rows, cols);
        }
      }
    }
  }

}
