package dev.isthmus.properties;

import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.kernels.Simd;
import dev.isthmus.kernels.UnaryKernels;
import dev.isthmus.kernels.UnaryOp;
import dev.isthmus.kernels.UnaryScalar;
import dev.isthmus.testkit.TensorAssert;
import dev.isthmus.testkit.TensorGens;
import dev.isthmus.testkit.Tolerance;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every unary kernel against its scalar twin, over awkward sizes. */
class UnaryKernelProperties {
  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void f32MatchesScalarTwin(UnaryOp op) {
    qt().withExamples(200).forAll(TensorGens.floatArrays(Simd.floatLanes(), 5000, -20, 20))
        .checkAssert(x -> {
          float[] want = new float[x.length];
          float[] got = new float[x.length];
          UnaryScalar.f32(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(want), 0, x.length);
          UnaryKernels.f32(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(got), 0, x.length);
          TensorAssert.assertClose(want, got, Tolerance.ulps(2));
        });
  }

  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void f64MatchesScalarTwin(UnaryOp op) {
    qt().withExamples(200).forAll(TensorGens.doubleArrays(Simd.doubleLanes(), 5000, -20, 20))
        .checkAssert(x -> {
          double[] want = new double[x.length];
          double[] got = new double[x.length];
          UnaryScalar.f64(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(want), 0, x.length);
          UnaryKernels.f64(op, MemorySegment.ofArray(x), 0, MemorySegment.ofArray(got), 0, x.length);
          TensorAssert.assertClose(want, got, Tolerance.ulps(2));
        });
  }
}
