package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.D;
import static dev.isthmus.kernels.VectorShapes.F;
import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * An {@link Epilogue} applied to a window of C row by row, for the GEMM paths that do not fuse it
 * into their register tiles: the small unpacked path (whose C is in cache), a product with
 * {@code k = 0}, and activations that are not a max/min (exp-based ones run through {@link
 * UnaryKernels} over each row of a freshly computed block). Vector API code.
 */
final class MatmulEpilogue {
  private MatmulEpilogue() {}

  /**
   * C's {@code rows x cols} window at element offset {@code co} (leading dimension {@code ldc})
   * gets the bias (elements {@code ep.biasOffset() + j0 + j}) and then the activation.
   */
  static void rowsF32(MemorySegment c, long co, long ldc, long rows, long cols, Epilogue ep,
      long j0) {
    UnaryOp op = ep.activation().op();
    MemorySegment bias = ep.bias();
    for (long i = 0; i < rows; i++) {
      long at = co + i * ldc;
      if (bias != null) {
        long bo = ep.biasOffset() + j0;
        for (long j = 0; j < cols; j += F.length()) {
          VectorMask<Float> mask = F.indexInRange(j, cols);
          long cb = (at + j) * Float.BYTES;
          FloatVector.fromMemorySegment(F, c, cb, NATIVE, mask)
              .add(FloatVector.fromMemorySegment(F, bias, (bo + j) * Float.BYTES, NATIVE, mask))
              .intoMemorySegment(c, cb, NATIVE, mask);
        }
      }
      if (op != null) {
        UnaryKernels.f32(op, c, at, c, at, cols);
      }
    }
  }

  /** {@link #rowsF32} for FLOAT64. */
  static void rowsF64(MemorySegment c, long co, long ldc, long rows, long cols, Epilogue ep,
      long j0) {
    UnaryOp op = ep.activation().op();
    MemorySegment bias = ep.bias();
    for (long i = 0; i < rows; i++) {
      long at = co + i * ldc;
      if (bias != null) {
        long bo = ep.biasOffset() + j0;
        for (long j = 0; j < cols; j += D.length()) {
          VectorMask<Double> mask = D.indexInRange(j, cols);
          long cb = (at + j) * Double.BYTES;
          DoubleVector.fromMemorySegment(D, c, cb, NATIVE, mask)
              .add(DoubleVector.fromMemorySegment(D, bias, (bo + j) * Double.BYTES, NATIVE, mask))
              .intoMemorySegment(c, cb, NATIVE, mask);
        }
      }
      if (op != null) {
        UnaryKernels.f64(op, c, at, c, at, cols);
      }
    }
  }

  /** Zeros C's {@code rows x cols} window of FLOAT32 elements. */
  static void zeroF32(MemorySegment c, long co, long ldc, long rows, long cols) {
    for (long i = 0; i < rows; i++) {
      c.asSlice((co + i * ldc) * Float.BYTES, cols * Float.BYTES).fill((byte) 0);
    }
  }

  /** Zeros C's {@code rows x cols} window of FLOAT64 elements. */
  static void zeroF64(MemorySegment c, long co, long ldc, long rows, long cols) {
    for (long i = 0; i < rows; i++) {
      c.asSlice((co + i * ldc) * Double.BYTES, cols * Double.BYTES).fill((byte) 0);
    }
  }
}
