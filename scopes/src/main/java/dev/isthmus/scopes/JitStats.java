package dev.isthmus.scopes;

/**
 * Counters of the jit since the process started ({@link Scopes#jitStats()}).
 *
 * @param clustersPrepared clusters lowered to the fusion compiler, once per cluster and input
 *     signature (dtypes and shapes)
 * @param kernelsCompiled fused kernels the jit had generated for it (each expression once)
 * @param kernelCacheHits lowerings that found their kernel already generated (a retrace)
 * @param fusedRuns kernel calls that ran generated code (not the per-op kernels a new kernel
 *     runs until C2 has compiled it)
 */
public record JitStats(long clustersPrepared, long kernelsCompiled, long kernelCacheHits,
    long fusedRuns) {}
