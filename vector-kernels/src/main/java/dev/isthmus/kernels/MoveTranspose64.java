package dev.isthmus.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 8-byte vector-tile transposes (doubles and longs, N = 8, 4, 2) of {@link MoveTranspose},
 * which has the entry point and explains the tiles.
 */
final class MoveTranspose64 {
  private static final VectorSpecies<Double> D2 = DoubleVector.SPECIES_128;
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
  private static final VectorSpecies<Long> L2 = LongVector.SPECIES_128;
  private static final VectorSpecies<Long> L4 = LongVector.SPECIES_256;
  private static final VectorSpecies<Long> L8 = LongVector.SPECIES_512;
  private static final VectorShuffle<Double> SH0_d2 = shuffle(D2, 1);
  private static final VectorMask<Double> M0_d2 = VectorMask.fromLong(D2, 0x2L);
  private static final VectorShuffle<Double> SH0_d4 = shuffle(D4, 1);
  private static final VectorMask<Double> M0_d4 = VectorMask.fromLong(D4, 0xaL);
  private static final VectorShuffle<Double> SH1_d4 = shuffle(D4, 2);
  private static final VectorMask<Double> M1_d4 = VectorMask.fromLong(D4, 0xcL);
  private static final VectorShuffle<Double> SH0_d8 = shuffle(D8, 1);
  private static final VectorMask<Double> M0_d8 = VectorMask.fromLong(D8, 0xaaL);
  private static final VectorShuffle<Double> SH1_d8 = shuffle(D8, 2);
  private static final VectorMask<Double> M1_d8 = VectorMask.fromLong(D8, 0xccL);
  private static final VectorShuffle<Double> SH2_d8 = shuffle(D8, 4);
  private static final VectorMask<Double> M2_d8 = VectorMask.fromLong(D8, 0xf0L);
  private static final VectorShuffle<Long> SH0_l2 = shuffle(L2, 1);
  private static final VectorMask<Long> M0_l2 = VectorMask.fromLong(L2, 0x2L);
  private static final VectorShuffle<Long> SH0_l4 = shuffle(L4, 1);
  private static final VectorMask<Long> M0_l4 = VectorMask.fromLong(L4, 0xaL);
  private static final VectorShuffle<Long> SH1_l4 = shuffle(L4, 2);
  private static final VectorMask<Long> M1_l4 = VectorMask.fromLong(L4, 0xcL);
  private static final VectorShuffle<Long> SH0_l8 = shuffle(L8, 1);
  private static final VectorMask<Long> M0_l8 = VectorMask.fromLong(L8, 0xaaL);
  private static final VectorShuffle<Long> SH1_l8 = shuffle(L8, 2);
  private static final VectorMask<Long> M1_l8 = VectorMask.fromLong(L8, 0xccL);
  private static final VectorShuffle<Long> SH2_l8 = shuffle(L8, 4);
  private static final VectorMask<Long> M2_l8 = VectorMask.fromLong(L8, 0xf0L);

  private MoveTranspose64() {}

  static void d8(double[] src, int s, int sc, double[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 8) {
      for (int j = 0; j < cols; j += 8) {
        int p = s + i + j * sc;
        DoubleVector r0 = DoubleVector.fromArray(D8, src, p);
        DoubleVector r1 = DoubleVector.fromArray(D8, src, p + sc);
        DoubleVector r2 = DoubleVector.fromArray(D8, src, p + 2 * sc);
        DoubleVector r3 = DoubleVector.fromArray(D8, src, p + 3 * sc);
        DoubleVector r4 = DoubleVector.fromArray(D8, src, p + 4 * sc);
        DoubleVector r5 = DoubleVector.fromArray(D8, src, p + 5 * sc);
        DoubleVector r6 = DoubleVector.fromArray(D8, src, p + 6 * sc);
        DoubleVector r7 = DoubleVector.fromArray(D8, src, p + 7 * sc);
        { // lane bit 0 <-> row bit 0
          DoubleVector u0 = r0.blend(r1.rearrange(SH0_d8), M0_d8);
          DoubleVector u1 = r0.rearrange(SH0_d8).blend(r1, M0_d8);
          DoubleVector u2 = r2.blend(r3.rearrange(SH0_d8), M0_d8);
          DoubleVector u3 = r2.rearrange(SH0_d8).blend(r3, M0_d8);
          DoubleVector u4 = r4.blend(r5.rearrange(SH0_d8), M0_d8);
          DoubleVector u5 = r4.rearrange(SH0_d8).blend(r5, M0_d8);
          DoubleVector u6 = r6.blend(r7.rearrange(SH0_d8), M0_d8);
          DoubleVector u7 = r6.rearrange(SH0_d8).blend(r7, M0_d8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 1 <-> row bit 1
          DoubleVector u0 = r0.blend(r2.rearrange(SH1_d8), M1_d8);
          DoubleVector u2 = r0.rearrange(SH1_d8).blend(r2, M1_d8);
          DoubleVector u1 = r1.blend(r3.rearrange(SH1_d8), M1_d8);
          DoubleVector u3 = r1.rearrange(SH1_d8).blend(r3, M1_d8);
          DoubleVector u4 = r4.blend(r6.rearrange(SH1_d8), M1_d8);
          DoubleVector u6 = r4.rearrange(SH1_d8).blend(r6, M1_d8);
          DoubleVector u5 = r5.blend(r7.rearrange(SH1_d8), M1_d8);
          DoubleVector u7 = r5.rearrange(SH1_d8).blend(r7, M1_d8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 2 <-> row bit 2
          DoubleVector u0 = r0.blend(r4.rearrange(SH2_d8), M2_d8);
          DoubleVector u4 = r0.rearrange(SH2_d8).blend(r4, M2_d8);
          DoubleVector u1 = r1.blend(r5.rearrange(SH2_d8), M2_d8);
          DoubleVector u5 = r1.rearrange(SH2_d8).blend(r5, M2_d8);
          DoubleVector u2 = r2.blend(r6.rearrange(SH2_d8), M2_d8);
          DoubleVector u6 = r2.rearrange(SH2_d8).blend(r6, M2_d8);
          DoubleVector u3 = r3.blend(r7.rearrange(SH2_d8), M2_d8);
          DoubleVector u7 = r3.rearrange(SH2_d8).blend(r7, M2_d8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        int q = d + i * dr + j;
        r0.intoArray(dst, q);
        r1.intoArray(dst, q + dr);
        r2.intoArray(dst, q + 2 * dr);
        r3.intoArray(dst, q + 3 * dr);
        r4.intoArray(dst, q + 4 * dr);
        r5.intoArray(dst, q + 5 * dr);
        r6.intoArray(dst, q + 6 * dr);
        r7.intoArray(dst, q + 7 * dr);
      }
    }
  }

  static void d4(double[] src, int s, int sc, double[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 4) {
      for (int j = 0; j < cols; j += 4) {
        int p = s + i + j * sc;
        DoubleVector r0 = DoubleVector.fromArray(D4, src, p);
        DoubleVector r1 = DoubleVector.fromArray(D4, src, p + sc);
        DoubleVector r2 = DoubleVector.fromArray(D4, src, p + 2 * sc);
        DoubleVector r3 = DoubleVector.fromArray(D4, src, p + 3 * sc);
        { // lane bit 0 <-> row bit 0
          DoubleVector u0 = r0.blend(r1.rearrange(SH0_d4), M0_d4);
          DoubleVector u1 = r0.rearrange(SH0_d4).blend(r1, M0_d4);
          DoubleVector u2 = r2.blend(r3.rearrange(SH0_d4), M0_d4);
          DoubleVector u3 = r2.rearrange(SH0_d4).blend(r3, M0_d4);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3;
        }
        { // lane bit 1 <-> row bit 1
          DoubleVector u0 = r0.blend(r2.rearrange(SH1_d4), M1_d4);
          DoubleVector u2 = r0.rearrange(SH1_d4).blend(r2, M1_d4);
          DoubleVector u1 = r1.blend(r3.rearrange(SH1_d4), M1_d4);
          DoubleVector u3 = r1.rearrange(SH1_d4).blend(r3, M1_d4);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3;
        }
        int q = d + i * dr + j;
        r0.intoArray(dst, q);
        r1.intoArray(dst, q + dr);
        r2.intoArray(dst, q + 2 * dr);
        r3.intoArray(dst, q + 3 * dr);
      }
    }
  }

  static void d2(double[] src, int s, int sc, double[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 2) {
      for (int j = 0; j < cols; j += 2) {
        int p = s + i + j * sc;
        DoubleVector r0 = DoubleVector.fromArray(D2, src, p);
        DoubleVector r1 = DoubleVector.fromArray(D2, src, p + sc);
        { // lane bit 0 <-> row bit 0
          DoubleVector u0 = r0.blend(r1.rearrange(SH0_d2), M0_d2);
          DoubleVector u1 = r0.rearrange(SH0_d2).blend(r1, M0_d2);
          r0 = u0; r1 = u1;
        }
        int q = d + i * dr + j;
        r0.intoArray(dst, q);
        r1.intoArray(dst, q + dr);
      }
    }
  }

  static void l8(long[] src, int s, int sc, long[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 8) {
      for (int j = 0; j < cols; j += 8) {
        int p = s + i + j * sc;
        LongVector r0 = LongVector.fromArray(L8, src, p);
        LongVector r1 = LongVector.fromArray(L8, src, p + sc);
        LongVector r2 = LongVector.fromArray(L8, src, p + 2 * sc);
        LongVector r3 = LongVector.fromArray(L8, src, p + 3 * sc);
        LongVector r4 = LongVector.fromArray(L8, src, p + 4 * sc);
        LongVector r5 = LongVector.fromArray(L8, src, p + 5 * sc);
        LongVector r6 = LongVector.fromArray(L8, src, p + 6 * sc);
        LongVector r7 = LongVector.fromArray(L8, src, p + 7 * sc);
        { // lane bit 0 <-> row bit 0
          LongVector u0 = r0.blend(r1.rearrange(SH0_l8), M0_l8);
          LongVector u1 = r0.rearrange(SH0_l8).blend(r1, M0_l8);
          LongVector u2 = r2.blend(r3.rearrange(SH0_l8), M0_l8);
          LongVector u3 = r2.rearrange(SH0_l8).blend(r3, M0_l8);
          LongVector u4 = r4.blend(r5.rearrange(SH0_l8), M0_l8);
          LongVector u5 = r4.rearrange(SH0_l8).blend(r5, M0_l8);
          LongVector u6 = r6.blend(r7.rearrange(SH0_l8), M0_l8);
          LongVector u7 = r6.rearrange(SH0_l8).blend(r7, M0_l8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 1 <-> row bit 1
          LongVector u0 = r0.blend(r2.rearrange(SH1_l8), M1_l8);
          LongVector u2 = r0.rearrange(SH1_l8).blend(r2, M1_l8);
          LongVector u1 = r1.blend(r3.rearrange(SH1_l8), M1_l8);
          LongVector u3 = r1.rearrange(SH1_l8).blend(r3, M1_l8);
          LongVector u4 = r4.blend(r6.rearrange(SH1_l8), M1_l8);
          LongVector u6 = r4.rearrange(SH1_l8).blend(r6, M1_l8);
          LongVector u5 = r5.blend(r7.rearrange(SH1_l8), M1_l8);
          LongVector u7 = r5.rearrange(SH1_l8).blend(r7, M1_l8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 2 <-> row bit 2
          LongVector u0 = r0.blend(r4.rearrange(SH2_l8), M2_l8);
          LongVector u4 = r0.rearrange(SH2_l8).blend(r4, M2_l8);
          LongVector u1 = r1.blend(r5.rearrange(SH2_l8), M2_l8);
          LongVector u5 = r1.rearrange(SH2_l8).blend(r5, M2_l8);
          LongVector u2 = r2.blend(r6.rearrange(SH2_l8), M2_l8);
          LongVector u6 = r2.rearrange(SH2_l8).blend(r6, M2_l8);
          LongVector u3 = r3.blend(r7.rearrange(SH2_l8), M2_l8);
          LongVector u7 = r3.rearrange(SH2_l8).blend(r7, M2_l8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        int q = d + i * dr + j;
        r0.intoArray(dst, q);
        r1.intoArray(dst, q + dr);
        r2.intoArray(dst, q + 2 * dr);
        r3.intoArray(dst, q + 3 * dr);
        r4.intoArray(dst, q + 4 * dr);
        r5.intoArray(dst, q + 5 * dr);
        r6.intoArray(dst, q + 6 * dr);
        r7.intoArray(dst, q + 7 * dr);
      }
    }
  }

  static void l4(long[] src, int s, int sc, long[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 4) {
      for (int j = 0; j < cols; j += 4) {
        int p = s + i + j * sc;
        LongVector r0 = LongVector.fromArray(L4, src, p);
        LongVector r1 = LongVector.fromArray(L4, src, p + sc);
        LongVector r2 = LongVector.fromArray(L4, src, p + 2 * sc);
        LongVector r3 = LongVector.fromArray(L4, src, p + 3 * sc);
        { // lane bit 0 <-> row bit 0
          LongVector u0 = r0.blend(r1.rearrange(SH0_l4), M0_l4);
          LongVector u1 = r0.rearrange(SH0_l4).blend(r1, M0_l4);
          LongVector u2 = r2.blend(r3.rearrange(SH0_l4), M0_l4);
          LongVector u3 = r2.rearrange(SH0_l4).blend(r3, M0_l4);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3;
        }
        { // lane bit 1 <-> row bit 1
          LongVector u0 = r0.blend(r2.rearrange(SH1_l4), M1_l4);
          LongVector u2 = r0.rearrange(SH1_l4).blend(r2, M1_l4);
          LongVector u1 = r1.blend(r3.rearrange(SH1_l4), M1_l4);
          LongVector u3 = r1.rearrange(SH1_l4).blend(r3, M1_l4);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3;
        }
        int q = d + i * dr + j;
        r0.intoArray(dst, q);
        r1.intoArray(dst, q + dr);
        r2.intoArray(dst, q + 2 * dr);
        r3.intoArray(dst, q + 3 * dr);
      }
    }
  }

  static void l2(long[] src, int s, int sc, long[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 2) {
      for (int j = 0; j < cols; j += 2) {
        int p = s + i + j * sc;
        LongVector r0 = LongVector.fromArray(L2, src, p);
        LongVector r1 = LongVector.fromArray(L2, src, p + sc);
        { // lane bit 0 <-> row bit 0
          LongVector u0 = r0.blend(r1.rearrange(SH0_l2), M0_l2);
          LongVector u1 = r0.rearrange(SH0_l2).blend(r1, M0_l2);
          r0 = u0; r1 = u1;
        }
        int q = d + i * dr + j;
        r0.intoArray(dst, q);
        r1.intoArray(dst, q + dr);
      }
    }
  }

  /** The shuffle taking lane {@code l ^ bit}. */
  private static <E> VectorShuffle<E> shuffle(VectorSpecies<E> s, int bit) {
    return VectorShuffle.fromOp(s, l -> l ^ bit);
  }
}
