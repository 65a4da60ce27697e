package dev.isthmus.kernels.fusion;

/**
 * The element types a fused expression computes with, as the kernels store them: FLOAT32 in
 * {@code float}s, FLOAT64 in {@code double}s, INT32 in {@code int}s, INT64 in {@code long}s and
 * BOOL as one byte per element, 0 or 1. A heap operand is fastest backed by the array of its
 * type ({@code float[]}, ..., {@code byte[]} for BOOL); any other segment also works.
 */
public enum ElementType {
  /** 32-bit IEEE float. */
  FLOAT32(4, "f32"),
  /** 64-bit IEEE float. */
  FLOAT64(8, "f64"),
  /** 32-bit two's complement integer (arithmetic wraps). */
  INT32(4, "i32"),
  /** 64-bit two's complement integer (arithmetic wraps). */
  INT64(8, "i64"),
  /** A truth value, one byte 0 or 1 in memory; comparisons produce it. */
  BOOL(1, "bool");

  private final int bytes;
  private final String shortName;

  ElementType(int bytes, String shortName) {
    this.bytes = bytes;
    this.shortName = shortName;
  }

  /** Bytes per element in memory. */
  public int bytes() {
    return bytes;
  }

  /** True for FLOAT32 and FLOAT64. */
  public boolean floating() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** True for INT32 and INT64. */
  public boolean integral() {
    return this == INT32 || this == INT64;
  }

  /** True for every type but BOOL. */
  public boolean numeric() {
    return this != BOOL;
  }

  /** The short name used in printed expressions: f32, f64, i32, i64, bool. */
  public String shortName() {
    return shortName;
  }
}
