/**
 * SIMD kernels over {@link java.lang.foreign.MemorySegment}s, each with a scalar reference twin.
 *
 * <p>This module knows nothing of tensors or graphs: it is a BLAS-like layer of static functions
 * over memory. The Vector API is optional at run time ({@code requires static}): {@link
 * dev.isthmus.kernels.Simd} decides once whether the vector implementations run, and logs why
 * when they do not.
 */
module dev.isthmus.kernels {
  requires static jdk.incubator.vector;
  requires static jdk.management;
  requires static java.management;
  exports dev.isthmus.kernels;
  exports dev.isthmus.kernels.fusion;
}
