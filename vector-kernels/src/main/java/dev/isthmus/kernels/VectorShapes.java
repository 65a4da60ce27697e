package dev.isthmus.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;
import java.nio.ByteOrder;

/**
 * The species every vector kernel uses, as constants C2 can fold. Loaded only when {@link
 * Simd#VECTOR} is true, so nothing here is touched without the incubator module.
 */
final class VectorShapes {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
  static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  private VectorShapes() {}

  static int floatLanes() {
    return F.length();
  }

  static int doubleLanes() {
    return D.length();
  }
}
