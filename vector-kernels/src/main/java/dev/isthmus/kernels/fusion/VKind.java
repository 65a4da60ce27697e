package dev.isthmus.kernels.fusion;

import java.lang.classfile.TypeKind;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;

/**
 * The kinds of vector value the generated code holds in its locals: the four numeric vector
 * classes, the byte vector of BOOL loads and stores, and a mask over each of their lane types.
 * A BOOL value is a mask; which lane type it is over depends on where it came from.
 */
enum VKind {
  F(FloatVector.class, float.class, TypeKind.FLOAT, 4, 0),
  D(DoubleVector.class, double.class, TypeKind.DOUBLE, 8, 1),
  I(IntVector.class, int.class, TypeKind.INT, 4, 2),
  L(LongVector.class, long.class, TypeKind.LONG, 8, 3),
  B(ByteVector.class, byte.class, TypeKind.INT, 1, 4),
  MF(VectorMask.class, float.class, TypeKind.FLOAT, 4, 0),
  MD(VectorMask.class, double.class, TypeKind.DOUBLE, 8, 1),
  MI(VectorMask.class, int.class, TypeKind.INT, 4, 2),
  ML(VectorMask.class, long.class, TypeKind.LONG, 8, 3),
  MB(VectorMask.class, byte.class, TypeKind.INT, 1, 4);

  final Class<?> cls;
  final Class<?> elem;
  final TypeKind scalar;
  final int bytes;
  /** The index of this kind's species in the generated class's class data. */
  final int species;

  VKind(Class<?> cls, Class<?> elem, TypeKind scalar, int bytes, int species) {
    this.cls = cls;
    this.elem = elem;
    this.scalar = scalar;
    this.bytes = bytes;
    this.species = species;
  }

  boolean mask() {
    return ordinal() >= MF.ordinal();
  }

  /** The mask kind over this kind's lanes (itself for a mask). */
  VKind maskKind() {
    return mask() ? this : values()[ordinal() + 5];
  }

  /** The numeric vector kind a mask's lanes are (itself for a vector). */
  VKind laneKind() {
    return mask() ? values()[ordinal() - 5] : this;
  }

  /** The kind a value of {@code t} is held in: a numeric vector, or a mask for BOOL. */
  static VKind of(ElementType t) {
    return switch (t) {
      case FLOAT32 -> F;
      case FLOAT64 -> D;
      case INT32 -> I;
      case INT64 -> L;
      case BOOL -> MB;
    };
  }

  /** The scalar (tail) representation of {@code t}: BOOL is an int 0 or 1. */
  static TypeKind scalarOf(ElementType t) {
    return switch (t) {
      case FLOAT32 -> TypeKind.FLOAT;
      case FLOAT64 -> TypeKind.DOUBLE;
      case INT32, BOOL -> TypeKind.INT;
      case INT64 -> TypeKind.LONG;
    };
  }
}
