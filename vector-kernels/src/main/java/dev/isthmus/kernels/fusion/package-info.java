/**
 * The fusion compiler: elementwise expressions (with an optional reduction at the root) compiled
 * at run time into one Vector API loop each, in a hidden class generated with {@code
 * java.lang.classfile}, so that a whole cluster of ops runs in registers without intermediate
 * arrays. Knows nothing of tensors or graphs.
 *
 * <p><b>For an engine integrating clusters</b> (the intended use):
 *
 * <ol>
 *   <li>Plan the iteration space from the shapes: {@link
 *       dev.isthmus.kernels.fusion.FusedLayout#broadcast} (elementwise outputs) or {@link
 *       dev.isthmus.kernels.fusion.FusedLayout#reduceInner} (a reduction over the last axis); its
 *       {@code pattern(k)} is how input {@code k} must be declared.
 *   <li>Build the expression once per cluster shape with {@link
 *       dev.isthmus.kernels.fusion.FusedExpr#builder()}: inputs (index, element type, pattern),
 *       literals, the ops' kernel-level operators ({@code OpDef.fusionOp()}), casts, selects,
 *       outputs, optionally {@code reduce(...)}. Constants that change between calls go in as
 *       {@link dev.isthmus.kernels.fusion.Pattern#SCALAR} inputs, not literals.
 *   <li>{@link dev.isthmus.kernels.fusion.FusedKernels#compile} (cached by structure): keep the
 *       {@link dev.isthmus.kernels.fusion.CompiledKernel}. If it was refused with {@link
 *       dev.isthmus.kernels.fusion.Refusal.Kind#TOO_LARGE}, split the cluster and compile the
 *       parts; other refusals (an operator without a vector form, fusion off, no Vector API)
 *       still run correctly, op by op.
 *   <li>Per execution: allocate the outputs, then {@link
 *       dev.isthmus.kernels.fusion.CompiledKernel#run}. It runs the generated code when C2 has
 *       compiled it and the per-op kernels until then ({@link
 *       dev.isthmus.kernels.fusion.FusedKernels.Path} says which), with the same results. Rows
 *       may be split over threads ({@code run(..., rowFrom, rowTo)}); a same-shape expression
 *       may be described as {@code [rows, chunk]} for that purpose.
 * </ol>
 *
 * <p>{@link dev.isthmus.kernels.fusion.FusedScalar} is the specification (an interpreter), and
 * {@link dev.isthmus.kernels.fusion.FusedKernels#runUnfused} the op-by-op path; see {@link
 * dev.isthmus.kernels.fusion.FusedKernels} for the numerics, the cache, the cold path and the
 * system properties.
 */
package dev.isthmus.kernels.fusion;
