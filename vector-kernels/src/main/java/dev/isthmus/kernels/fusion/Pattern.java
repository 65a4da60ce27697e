package dev.isthmus.kernels.fusion;

/**
 * How one input of a fused kernel is laid out relative to the kernel's iteration space, which
 * is {@code [outer, inner]}: row {@code r < outer}, column {@code j < inner}, output element
 * {@code r * inner + j}. Input {@code k} at row {@code r}, column {@code j} is the element at
 * {@code offset_k + base(r) + j * stride}, where the pattern fixes {@code base} and the inner
 * {@code stride} (1 or 0). Any numpy broadcast, after merging axes, is one of these
 * ({@link FusedLayout#broadcast} computes them); the first four run without any per-row
 * indexing, and the strided two take their per-row base from the call's {@link FusedLayout}.
 *
 * <p>The pattern is part of a kernel's structure (its cache key); the sizes and strides are not.
 */
public enum Pattern {
  /** The output's own shape: {@code base = r * inner}, stride 1. */
  ELEMENTWISE(true),
  /** One value for everything: {@code base = 0}, stride 0. Loaded once per call. */
  SCALAR(false),
  /** One row repeated for every row (a bias): {@code base = 0}, stride 1. */
  ROW(true),
  /** One value per row ({@code [outer, 1]}): {@code base = r}, stride 0. Loaded once per row. */
  COLUMN(false),
  /** Any other broadcast with a contiguous inner axis: {@code base = layout.offset(k, r)}, stride 1. */
  STRIDED_ROW(true),
  /** Any other broadcast with a repeated inner axis: {@code base = layout.offset(k, r)}, stride 0. */
  STRIDED_COLUMN(false);

  private final boolean varying;

  Pattern(boolean varying) {
    this.varying = varying;
  }

  /** True if the input changes along the inner axis (stride 1). */
  public boolean varying() {
    return varying;
  }

  /** True if the per-row base comes from the {@link FusedLayout}. */
  public boolean strided() {
    return this == STRIDED_ROW || this == STRIDED_COLUMN;
  }
}
