package dev.isthmus;

import java.lang.foreign.ValueLayout;

/** Element types, as TensorFlow's {@code tf.DType}. BOOL is stored one byte per element (0 or 1). */
public enum DType {
  /** 32-bit IEEE float. */
  FLOAT32(ValueLayout.JAVA_FLOAT, "float32"),
  /** 64-bit IEEE float. */
  FLOAT64(ValueLayout.JAVA_DOUBLE, "float64"),
  /** 32-bit signed integer. */
  INT32(ValueLayout.JAVA_INT, "int32"),
  /** 64-bit signed integer. */
  INT64(ValueLayout.JAVA_LONG, "int64"),
  /** Boolean, one byte per element. */
  BOOL(ValueLayout.JAVA_BYTE, "bool");

  private final ValueLayout layout;
  private final String numpyName;

  DType(ValueLayout layout, String numpyName) {
    this.layout = layout;
    this.numpyName = numpyName;
  }

  /** Bytes per element. */
  public int byteSize() {
    return (int) layout.byteSize();
  }

  /** The element layout in a tensor's memory (native byte order). */
  public ValueLayout layout() {
    return layout;
  }

  /** True for FLOAT32 and FLOAT64. */
  public boolean isFloating() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** True for INT32 and INT64. */
  public boolean isInteger() {
    return this == INT32 || this == INT64;
  }

  /** True for every dtype but BOOL. */
  public boolean isNumeric() {
    return this != BOOL;
  }

  /** The name numpy and TensorFlow print, e.g. {@code float32}. */
  public String numpyName() {
    return numpyName;
  }
}
