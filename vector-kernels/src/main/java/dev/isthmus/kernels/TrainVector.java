package dev.isthmus.kernels;

import static dev.isthmus.kernels.HeapArrays.CHUNK;
import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API loops of the training kernels: ReluGrad as a blend under {@code f > 0}, Adam as
 * the scalar twin's operations lane by lane (no fused multiply-add, so both round alike). The
 * scalar twin does the tail.
 */
final class TrainVector {
  private TrainVector() {}

  static void reluGradF32(MemorySegment g, MemorySegment f, MemorySegment out, long off, long n) {
    long bound = F.loopBound(n);
    FloatVector zero = FloatVector.zero(F);
    float[] oa = Stores.floats(out, off, bound); // see Stores, and ClipVector
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long oc = off + c;
      int oi = oa == null ? 0 : (int) (Stores.index(out, Float.BYTES) + oc);
      for (int i = 0; i < len; i += F.length()) {
        long b = (oc + i) * Float.BYTES;
        VectorMask<Float> on = FloatVector.fromMemorySegment(F, f, b, NATIVE)
            .compare(VectorOperators.GT, 0f);
        FloatVector v = zero.blend(FloatVector.fromMemorySegment(F, g, b, NATIVE), on);
        if (oa != null) {
          v.intoArray(oa, oi + i);
        } else {
          v.intoMemorySegment(out, b, NATIVE);
        }
      }
    }
    TrainScalar.reluGradF32(g, f, out, off + bound, n - bound);
  }

  static void reluGradF64(MemorySegment g, MemorySegment f, MemorySegment out, long off, long n) {
    long bound = D.loopBound(n);
    DoubleVector zero = DoubleVector.zero(D);
    double[] oa = Stores.doubles(out, off, bound); // see Stores, and ClipVector
    for (long c = 0; c < bound; c += CHUNK) {
      int len = (int) Math.min(CHUNK, bound - c);
      long oc = off + c;
      int oi = oa == null ? 0 : (int) (Stores.index(out, Double.BYTES) + oc);
      for (int i = 0; i < len; i += D.length()) {
        long b = (oc + i) * Double.BYTES;
        VectorMask<Double> on = DoubleVector.fromMemorySegment(D, f, b, NATIVE)
            .compare(VectorOperators.GT, 0d);
        DoubleVector v = zero.blend(DoubleVector.fromMemorySegment(D, g, b, NATIVE), on);
        if (oa != null) {
          v.intoArray(oa, oi + i);
        } else {
          v.intoMemorySegment(out, b, NATIVE);
        }
      }
    }
    TrainScalar.reluGradF64(g, f, out, off + bound, n - bound);
  }

  static void adamF32(MemorySegment w, MemorySegment m, MemorySegment v, MemorySegment g,
      MemorySegment wOut, MemorySegment mOut, MemorySegment vOut, long off, long n,
      float lr, float c1, float c2, float eps) {
    long bound = F.loopBound(n);
    for (long i = 0; i < bound; i += F.length()) {
      long b = (off + i) * Float.BYTES;
      FloatVector gi = FloatVector.fromMemorySegment(F, g, b, NATIVE);
      FloatVector mi = FloatVector.fromMemorySegment(F, m, b, NATIVE);
      FloatVector vi = FloatVector.fromMemorySegment(F, v, b, NATIVE);
      FloatVector m1 = mi.add(gi.sub(mi).mul(c1));
      FloatVector v1 = vi.add(gi.mul(gi).sub(vi).mul(c2));
      Stores.at(m1, mOut, b);
      Stores.at(v1, vOut, b);
      Stores.at(FloatVector.fromMemorySegment(F, w, b, NATIVE)
          .sub(m1.mul(lr).div(v1.lanewise(VectorOperators.SQRT).add(eps))), wOut, b);
    }
    TrainScalar.adamF32(w, m, v, g, wOut, mOut, vOut, off + bound, n - bound, lr, c1, c2, eps);
  }

  static void adamF64(MemorySegment w, MemorySegment m, MemorySegment v, MemorySegment g,
      MemorySegment wOut, MemorySegment mOut, MemorySegment vOut, long off, long n,
      double lr, double c1, double c2, double eps) {
    long bound = D.loopBound(n);
    for (long i = 0; i < bound; i += D.length()) {
      long b = (off + i) * Double.BYTES;
      DoubleVector gi = DoubleVector.fromMemorySegment(D, g, b, NATIVE);
      DoubleVector mi = DoubleVector.fromMemorySegment(D, m, b, NATIVE);
      DoubleVector vi = DoubleVector.fromMemorySegment(D, v, b, NATIVE);
      DoubleVector m1 = mi.add(gi.sub(mi).mul(c1));
      DoubleVector v1 = vi.add(gi.mul(gi).sub(vi).mul(c2));
      Stores.at(m1, mOut, b);
      Stores.at(v1, vOut, b);
      Stores.at(DoubleVector.fromMemorySegment(D, w, b, NATIVE)
          .sub(m1.mul(lr).div(v1.lanewise(VectorOperators.SQRT).add(eps))), wOut, b);
    }
    TrainScalar.adamF64(w, m, v, g, wOut, mOut, vOut, off + bound, n - bound, lr, c1, c2, eps);
  }
}
