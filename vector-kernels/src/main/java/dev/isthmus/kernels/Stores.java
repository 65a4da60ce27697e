package dev.isthmus.kernels;

import static dev.isthmus.kernels.VectorShapes.NATIVE;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;

/**
 * Vector stores that stay intrinsified whatever else ran in the JVM: a heap segment over an array
 * of the vector's element type is written through that array ({@code intoArray}), any other
 * segment through {@code intoMemorySegment}.
 *
 * <p>Why: the Vector API's own fallback for reinterpreting lanes ({@code viewAsIntegralLanes},
 * {@code viewAsFloatingLanes}, and {@code test(IS_NEGATIVE)}, {@code IS_NAN}, ... which use them)
 * stores the vector into a segment over a fresh {@code byte[]} with the public {@code
 * intoMemorySegment}. That fallback runs whenever such a kernel is interpreted or C1-compiled (its
 * first calls), and leaves byte-array segments in the type profile of {@code
 * FloatVector.intoMemorySegment}, which every kernel's stores share. C2 then compiles a store to a
 * float segment for "a byte[] or a float[]" base, and its store intrinsic refuses a base whose
 * element type it cannot tell ("not supported: op=store etype=float atype=*illegal*" under
 * {@code -XX:+PrintIntrinsics}): every vector of the loop is boxed, and an add ran 20x slower. An
 * array store has no profiled receiver, so nothing another kernel did can change how it compiles.
 *
 * <p>Same checks as {@code intoMemorySegment}: the lanes must lie in the segment ({@link
 * IndexOutOfBoundsException} otherwise, not just within the array behind a slice), and a read-only
 * segment has no heap base here, so its store goes to {@code intoMemorySegment}, which throws.
 * Loads need nothing of this: the fallback loads with the masked {@code fromMemorySegment}, whose
 * profile is not the one the kernels use.
 *
 * <p>Two forms. The light elementwise loops (binary, clip, cast, ReluGrad) resolve the array
 * once ({@link #floats} and friends, with the loop's whole range checked), count in int over
 * chunks of at most {@link HeapArrays#CHUNK} elements so that C2 hoists the array's range checks,
 * and store with {@link #put} (or their own twin of it). Measured (thread CPU time, 4096 floats,
 * a loaded machine): within noise of the old segment store; an int index computed from a long
 * loop counter was 2 to 3 times slower on an add. The other kernels, where a store is a small part
 * of the work (GEMM tiles, convolution, pooling, Adam, column reductions, fills), decide per store
 * with {@link #at} and {@link #st}, one call in place of {@code intoMemorySegment}: about 1.2x on
 * a cache-resident clip, before clip moved to the first form.
 *
 * <p>{@link #at} is 90 bytes of bytecode: where C2 does not count its call site as hot (a
 * register tile's twelve stores, each run once per tile) it refuses to inline it ("callee is too
 * large", or NodeCountInliningCutoff in a large caller), and a vector passed to a call that is
 * not inlined is boxed. The small and direct GEMM tiles ({@code MatmulSmall*}, {@code
 * MatmulDirect*}) therefore store with {@code intoMemorySegment}: with {@code at} a 64 x 64
 * matmul took 4.4 us instead of 2.4 (float32) and 8.8 instead of 4.8 (float64) on the quiet
 * machine. Other users of {@code at} have not been measured for this yet.
 *
 * <p>Do not "simplify" a heap store into {@code intoMemorySegment(MemorySegment.ofArray(a), ...)}
 * (an exact segment type, so the profile would not matter): it relies on escape analysis removing
 * a segment per store, which failed in about one JVM run in six (72 bytes and 10 ns a vector).
 */
final class Stores {
  private Stores() {}

  /** Stores {@code v} at byte offset {@code b} of {@code s}, as {@code intoMemorySegment}. */
  static void at(FloatVector v, MemorySegment s, long b) {
    if (s.heapBase().orElse(null) instanceof float[] a && ((s.address() | b) & 3) == 0) {
      Objects.checkFromIndexSize(b, v.byteSize(), s.byteSize());
      v.intoArray(a, (int) ((s.address() + b) >> 2));
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at float element {@code e} of {@code s}. */
  static void st(FloatVector v, MemorySegment s, long e) {
    at(v, s, e * Float.BYTES);
  }

  /** Stores {@code v} at byte offset {@code b} of {@code s}, as {@code intoMemorySegment}. */
  static void at(DoubleVector v, MemorySegment s, long b) {
    if (s.heapBase().orElse(null) instanceof double[] a && ((s.address() | b) & 7) == 0) {
      Objects.checkFromIndexSize(b, v.byteSize(), s.byteSize());
      v.intoArray(a, (int) ((s.address() + b) >> 3));
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at double element {@code e} of {@code s}. */
  static void st(DoubleVector v, MemorySegment s, long e) {
    at(v, s, e * Double.BYTES);
  }

  /** Stores {@code v} at byte offset {@code b} of {@code s}, as {@code intoMemorySegment}. */
  static void at(IntVector v, MemorySegment s, long b) {
    if (s.heapBase().orElse(null) instanceof int[] a && ((s.address() | b) & 3) == 0) {
      Objects.checkFromIndexSize(b, v.byteSize(), s.byteSize());
      v.intoArray(a, (int) ((s.address() + b) >> 2));
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at int element {@code e} of {@code s}. */
  static void st(IntVector v, MemorySegment s, long e) {
    at(v, s, e * Integer.BYTES);
  }

  /** Stores {@code v} at byte offset {@code b} of {@code s}, as {@code intoMemorySegment}. */
  static void at(LongVector v, MemorySegment s, long b) {
    if (s.heapBase().orElse(null) instanceof long[] a && ((s.address() | b) & 7) == 0) {
      Objects.checkFromIndexSize(b, v.byteSize(), s.byteSize());
      v.intoArray(a, (int) ((s.address() + b) >> 3));
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at long element {@code e} of {@code s}. */
  static void st(LongVector v, MemorySegment s, long e) {
    at(v, s, e * Long.BYTES);
  }

  /** Stores {@code v} at byte offset {@code b} of {@code s}, as {@code intoMemorySegment}. */
  static void at(ByteVector v, MemorySegment s, long b) {
    if (s.heapBase().orElse(null) instanceof byte[] a) {
      Objects.checkFromIndexSize(b, v.byteSize(), s.byteSize());
      v.intoArray(a, (int) (s.address() + b));
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at byte element {@code e} of {@code s}. */
  static void st(ByteVector v, MemorySegment s, long e) {
    at(v, s, e * Byte.BYTES);
  }

  // Per call rather than per store, for the elementwise loops: the array behind a heap segment,
  // null otherwise, with the loop's whole range [e, e + n) checked against the segment once;
  // then index(a, s) is the array index of the segment's element 0. A loop stores with
  // intoArray(a, (int) (index + e)) when a != null, else as at().

  /** The {@code float[]} behind {@code s} ([e, e + n) checked to lie in s), or null. */
  static float[] floats(MemorySegment s, long e, long n) {
    if (s.heapBase().orElse(null) instanceof float[] a && (s.address() & 3) == 0) {
      Objects.checkFromIndexSize(e, n, s.byteSize() >> 2);
      return a;
    }
    return null;
  }

  /** The {@code double[]} behind {@code s} ([e, e + n) checked to lie in s), or null. */
  static double[] doubles(MemorySegment s, long e, long n) {
    if (s.heapBase().orElse(null) instanceof double[] a && (s.address() & 7) == 0) {
      Objects.checkFromIndexSize(e, n, s.byteSize() >> 3);
      return a;
    }
    return null;
  }

  /** The {@code int[]} behind {@code s} ([e, e + n) checked to lie in s), or null. */
  static int[] ints(MemorySegment s, long e, long n) {
    if (s.heapBase().orElse(null) instanceof int[] a && (s.address() & 3) == 0) {
      Objects.checkFromIndexSize(e, n, s.byteSize() >> 2);
      return a;
    }
    return null;
  }

  /** The {@code long[]} behind {@code s} ([e, e + n) checked to lie in s), or null. */
  static long[] longs(MemorySegment s, long e, long n) {
    if (s.heapBase().orElse(null) instanceof long[] a && (s.address() & 7) == 0) {
      Objects.checkFromIndexSize(e, n, s.byteSize() >> 3);
      return a;
    }
    return null;
  }

  /** The index in the array behind heap segment {@code s} of its element 0 (of width bytes). */
  static long index(MemorySegment s, int width) {
    return s.address() / width;
  }

  // For loops that resolve the array once: element ai of array a when a != null, else byte
  // offset b of s. Small enough for C2 to inline everywhere.

  /** Stores {@code v} at {@code a[ai]}, or when a is null at byte offset b of s. */
  static void put(FloatVector v, float[] a, int ai, MemorySegment s, long b) {
    if (a != null) {
      v.intoArray(a, ai);
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at {@code a[ai]}, or when a is null at byte offset b of s. */
  static void put(DoubleVector v, double[] a, int ai, MemorySegment s, long b) {
    if (a != null) {
      v.intoArray(a, ai);
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at {@code a[ai]}, or when a is null at byte offset b of s. */
  static void put(IntVector v, int[] a, int ai, MemorySegment s, long b) {
    if (a != null) {
      v.intoArray(a, ai);
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }

  /** Stores {@code v} at {@code a[ai]}, or when a is null at byte offset b of s. */
  static void put(LongVector v, long[] a, int ai, MemorySegment s, long b) {
    if (a != null) {
      v.intoArray(a, ai);
    } else {
      v.intoMemorySegment(s, b, NATIVE);
    }
  }
}
