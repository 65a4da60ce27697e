package dev.isthmus.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/** The scalar reference twins of the training kernels, and the path when SIMD is off. */
public final class TrainScalar {
  private TrainScalar() {}

  /** FLOAT32 ReluGrad loop: {@code f > 0 ? g : 0}. */
  public static void reluGradF32(MemorySegment g, MemorySegment f, MemorySegment out, long off,
      long n) {
    for (long i = off; i < off + n; i++) {
      out.setAtIndex(JAVA_FLOAT, i,
          f.getAtIndex(JAVA_FLOAT, i) > 0 ? g.getAtIndex(JAVA_FLOAT, i) : 0f);
    }
  }

  /** FLOAT64 ReluGrad loop. */
  public static void reluGradF64(MemorySegment g, MemorySegment f, MemorySegment out, long off,
      long n) {
    for (long i = off; i < off + n; i++) {
      out.setAtIndex(JAVA_DOUBLE, i,
          f.getAtIndex(JAVA_DOUBLE, i) > 0 ? g.getAtIndex(JAVA_DOUBLE, i) : 0d);
    }
  }

  /** FLOAT32 Adam loop (see {@link TrainKernels}). */
  public static void adamF32(MemorySegment w, MemorySegment m, MemorySegment v, MemorySegment g,
      MemorySegment wOut, MemorySegment mOut, MemorySegment vOut, long off, long n,
      float lr, float c1, float c2, float eps) {
    for (long i = off; i < off + n; i++) {
      float gi = g.getAtIndex(JAVA_FLOAT, i);
      float mi = m.getAtIndex(JAVA_FLOAT, i);
      float vi = v.getAtIndex(JAVA_FLOAT, i);
      float m1 = mi + (gi - mi) * c1;
      float v1 = vi + (gi * gi - vi) * c2;
      mOut.setAtIndex(JAVA_FLOAT, i, m1);
      vOut.setAtIndex(JAVA_FLOAT, i, v1);
      wOut.setAtIndex(JAVA_FLOAT, i,
          w.getAtIndex(JAVA_FLOAT, i) - (m1 * lr) / ((float) Math.sqrt(v1) + eps));
    }
  }

  /** FLOAT64 Adam loop. */
  public static void adamF64(MemorySegment w, MemorySegment m, MemorySegment v, MemorySegment g,
      MemorySegment wOut, MemorySegment mOut, MemorySegment vOut, long off, long n,
      double lr, double c1, double c2, double eps) {
    for (long i = off; i < off + n; i++) {
      double gi = g.getAtIndex(JAVA_DOUBLE, i);
      double mi = m.getAtIndex(JAVA_DOUBLE, i);
      double vi = v.getAtIndex(JAVA_DOUBLE, i);
      double m1 = mi + (gi - mi) * c1;
      double v1 = vi + (gi * gi - vi) * c2;
      mOut.setAtIndex(JAVA_DOUBLE, i, m1);
      vOut.setAtIndex(JAVA_DOUBLE, i, v1);
      wOut.setAtIndex(JAVA_DOUBLE, i,
          w.getAtIndex(JAVA_DOUBLE, i) - (m1 * lr) / (Math.sqrt(v1) + eps));
    }
  }
}
