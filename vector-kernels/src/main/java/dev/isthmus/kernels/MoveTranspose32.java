package dev.isthmus.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 4-byte vector-tile transposes (floats and ints, N = 8, 4) of {@link MoveTranspose},
 * which has the entry point and explains the tiles.
 */
final class MoveTranspose32 {
  private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
  private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
  private static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;
  private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
  private static final VectorShuffle<Float> SH0_f4 = shuffle(F4, 1);
  private static final VectorMask<Float> M0_f4 = VectorMask.fromLong(F4, 0xaL);
  private static final VectorShuffle<Float> SH1_f4 = shuffle(F4, 2);
  private static final VectorMask<Float> M1_f4 = VectorMask.fromLong(F4, 0xcL);
  private static final VectorShuffle<Float> SH0_f8 = shuffle(F8, 1);
  private static final VectorMask<Float> M0_f8 = VectorMask.fromLong(F8, 0xaaL);
  private static final VectorShuffle<Float> SH1_f8 = shuffle(F8, 2);
  private static final VectorMask<Float> M1_f8 = VectorMask.fromLong(F8, 0xccL);
  private static final VectorShuffle<Float> SH2_f8 = shuffle(F8, 4);
  private static final VectorMask<Float> M2_f8 = VectorMask.fromLong(F8, 0xf0L);
  private static final VectorShuffle<Integer> SH0_i4 = shuffle(I4, 1);
  private static final VectorMask<Integer> M0_i4 = VectorMask.fromLong(I4, 0xaL);
  private static final VectorShuffle<Integer> SH1_i4 = shuffle(I4, 2);
  private static final VectorMask<Integer> M1_i4 = VectorMask.fromLong(I4, 0xcL);
  private static final VectorShuffle<Integer> SH0_i8 = shuffle(I8, 1);
  private static final VectorMask<Integer> M0_i8 = VectorMask.fromLong(I8, 0xaaL);
  private static final VectorShuffle<Integer> SH1_i8 = shuffle(I8, 2);
  private static final VectorMask<Integer> M1_i8 = VectorMask.fromLong(I8, 0xccL);
  private static final VectorShuffle<Integer> SH2_i8 = shuffle(I8, 4);
  private static final VectorMask<Integer> M2_i8 = VectorMask.fromLong(I8, 0xf0L);

  private MoveTranspose32() {}

  static void f8(float[] src, int s, int sc, float[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 8) {
      for (int j = 0; j < cols; j += 8) {
        int p = s + i + j * sc;
        FloatVector r0 = FloatVector.fromArray(F8, src, p);
        FloatVector r1 = FloatVector.fromArray(F8, src, p + sc);
        FloatVector r2 = FloatVector.fromArray(F8, src, p + 2 * sc);
        FloatVector r3 = FloatVector.fromArray(F8, src, p + 3 * sc);
        FloatVector r4 = FloatVector.fromArray(F8, src, p + 4 * sc);
        FloatVector r5 = FloatVector.fromArray(F8, src, p + 5 * sc);
        FloatVector r6 = FloatVector.fromArray(F8, src, p + 6 * sc);
        FloatVector r7 = FloatVector.fromArray(F8, src, p + 7 * sc);
        { // lane bit 0 <-> row bit 0
          FloatVector u0 = r0.blend(r1.rearrange(SH0_f8), M0_f8);
          FloatVector u1 = r0.rearrange(SH0_f8).blend(r1, M0_f8);
          FloatVector u2 = r2.blend(r3.rearrange(SH0_f8), M0_f8);
          FloatVector u3 = r2.rearrange(SH0_f8).blend(r3, M0_f8);
          FloatVector u4 = r4.blend(r5.rearrange(SH0_f8), M0_f8);
          FloatVector u5 = r4.rearrange(SH0_f8).blend(r5, M0_f8);
          FloatVector u6 = r6.blend(r7.rearrange(SH0_f8), M0_f8);
          FloatVector u7 = r6.rearrange(SH0_f8).blend(r7, M0_f8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 1 <-> row bit 1
          FloatVector u0 = r0.blend(r2.rearrange(SH1_f8), M1_f8);
          FloatVector u2 = r0.rearrange(SH1_f8).blend(r2, M1_f8);
          FloatVector u1 = r1.blend(r3.rearrange(SH1_f8), M1_f8);
          FloatVector u3 = r1.rearrange(SH1_f8).blend(r3, M1_f8);
          FloatVector u4 = r4.blend(r6.rearrange(SH1_f8), M1_f8);
          FloatVector u6 = r4.rearrange(SH1_f8).blend(r6, M1_f8);
          FloatVector u5 = r5.blend(r7.rearrange(SH1_f8), M1_f8);
          FloatVector u7 = r5.rearrange(SH1_f8).blend(r7, M1_f8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 2 <-> row bit 2
          FloatVector u0 = r0.blend(r4.rearrange(SH2_f8), M2_f8);
          FloatVector u4 = r0.rearrange(SH2_f8).blend(r4, M2_f8);
          FloatVector u1 = r1.blend(r5.rearrange(SH2_f8), M2_f8);
          FloatVector u5 = r1.rearrange(SH2_f8).blend(r5, M2_f8);
          FloatVector u2 = r2.blend(r6.rearrange(SH2_f8), M2_f8);
          FloatVector u6 = r2.rearrange(SH2_f8).blend(r6, M2_f8);
          FloatVector u3 = r3.blend(r7.rearrange(SH2_f8), M2_f8);
          FloatVector u7 = r3.rearrange(SH2_f8).blend(r7, M2_f8);
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

  static void f4(float[] src, int s, int sc, float[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 4) {
      for (int j = 0; j < cols; j += 4) {
        int p = s + i + j * sc;
        FloatVector r0 = FloatVector.fromArray(F4, src, p);
        FloatVector r1 = FloatVector.fromArray(F4, src, p + sc);
        FloatVector r2 = FloatVector.fromArray(F4, src, p + 2 * sc);
        FloatVector r3 = FloatVector.fromArray(F4, src, p + 3 * sc);
        { // lane bit 0 <-> row bit 0
          FloatVector u0 = r0.blend(r1.rearrange(SH0_f4), M0_f4);
          FloatVector u1 = r0.rearrange(SH0_f4).blend(r1, M0_f4);
          FloatVector u2 = r2.blend(r3.rearrange(SH0_f4), M0_f4);
          FloatVector u3 = r2.rearrange(SH0_f4).blend(r3, M0_f4);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3;
        }
        { // lane bit 1 <-> row bit 1
          FloatVector u0 = r0.blend(r2.rearrange(SH1_f4), M1_f4);
          FloatVector u2 = r0.rearrange(SH1_f4).blend(r2, M1_f4);
          FloatVector u1 = r1.blend(r3.rearrange(SH1_f4), M1_f4);
          FloatVector u3 = r1.rearrange(SH1_f4).blend(r3, M1_f4);
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

  static void i8(int[] src, int s, int sc, int[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 8) {
      for (int j = 0; j < cols; j += 8) {
        int p = s + i + j * sc;
        IntVector r0 = IntVector.fromArray(I8, src, p);
        IntVector r1 = IntVector.fromArray(I8, src, p + sc);
        IntVector r2 = IntVector.fromArray(I8, src, p + 2 * sc);
        IntVector r3 = IntVector.fromArray(I8, src, p + 3 * sc);
        IntVector r4 = IntVector.fromArray(I8, src, p + 4 * sc);
        IntVector r5 = IntVector.fromArray(I8, src, p + 5 * sc);
        IntVector r6 = IntVector.fromArray(I8, src, p + 6 * sc);
        IntVector r7 = IntVector.fromArray(I8, src, p + 7 * sc);
        { // lane bit 0 <-> row bit 0
          IntVector u0 = r0.blend(r1.rearrange(SH0_i8), M0_i8);
          IntVector u1 = r0.rearrange(SH0_i8).blend(r1, M0_i8);
          IntVector u2 = r2.blend(r3.rearrange(SH0_i8), M0_i8);
          IntVector u3 = r2.rearrange(SH0_i8).blend(r3, M0_i8);
          IntVector u4 = r4.blend(r5.rearrange(SH0_i8), M0_i8);
          IntVector u5 = r4.rearrange(SH0_i8).blend(r5, M0_i8);
          IntVector u6 = r6.blend(r7.rearrange(SH0_i8), M0_i8);
          IntVector u7 = r6.rearrange(SH0_i8).blend(r7, M0_i8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 1 <-> row bit 1
          IntVector u0 = r0.blend(r2.rearrange(SH1_i8), M1_i8);
          IntVector u2 = r0.rearrange(SH1_i8).blend(r2, M1_i8);
          IntVector u1 = r1.blend(r3.rearrange(SH1_i8), M1_i8);
          IntVector u3 = r1.rearrange(SH1_i8).blend(r3, M1_i8);
          IntVector u4 = r4.blend(r6.rearrange(SH1_i8), M1_i8);
          IntVector u6 = r4.rearrange(SH1_i8).blend(r6, M1_i8);
          IntVector u5 = r5.blend(r7.rearrange(SH1_i8), M1_i8);
          IntVector u7 = r5.rearrange(SH1_i8).blend(r7, M1_i8);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3; r4 = u4; r5 = u5; r6 = u6; r7 = u7;
        }
        { // lane bit 2 <-> row bit 2
          IntVector u0 = r0.blend(r4.rearrange(SH2_i8), M2_i8);
          IntVector u4 = r0.rearrange(SH2_i8).blend(r4, M2_i8);
          IntVector u1 = r1.blend(r5.rearrange(SH2_i8), M2_i8);
          IntVector u5 = r1.rearrange(SH2_i8).blend(r5, M2_i8);
          IntVector u2 = r2.blend(r6.rearrange(SH2_i8), M2_i8);
          IntVector u6 = r2.rearrange(SH2_i8).blend(r6, M2_i8);
          IntVector u3 = r3.blend(r7.rearrange(SH2_i8), M2_i8);
          IntVector u7 = r3.rearrange(SH2_i8).blend(r7, M2_i8);
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

  static void i4(int[] src, int s, int sc, int[] dst, int d, int dr, int rows, int cols) {
    for (int i = 0; i < rows; i += 4) {
      for (int j = 0; j < cols; j += 4) {
        int p = s + i + j * sc;
        IntVector r0 = IntVector.fromArray(I4, src, p);
        IntVector r1 = IntVector.fromArray(I4, src, p + sc);
        IntVector r2 = IntVector.fromArray(I4, src, p + 2 * sc);
        IntVector r3 = IntVector.fromArray(I4, src, p + 3 * sc);
        { // lane bit 0 <-> row bit 0
          IntVector u0 = r0.blend(r1.rearrange(SH0_i4), M0_i4);
          IntVector u1 = r0.rearrange(SH0_i4).blend(r1, M0_i4);
          IntVector u2 = r2.blend(r3.rearrange(SH0_i4), M0_i4);
          IntVector u3 = r2.rearrange(SH0_i4).blend(r3, M0_i4);
          r0 = u0; r1 = u1; r2 = u2; r3 = u3;
        }
        { // lane bit 1 <-> row bit 1
          IntVector u0 = r0.blend(r2.rearrange(SH1_i4), M1_i4);
          IntVector u2 = r0.rearrange(SH1_i4).blend(r2, M1_i4);
          IntVector u1 = r1.blend(r3.rearrange(SH1_i4), M1_i4);
          IntVector u3 = r1.rearrange(SH1_i4).blend(r3, M1_i4);
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

  /** The shuffle taking lane {@code l ^ bit}. */
  private static <E> VectorShuffle<E> shuffle(VectorSpecies<E> s, int bit) {
    return VectorShuffle.fromOp(s, l -> l ^ bit);
  }
}
