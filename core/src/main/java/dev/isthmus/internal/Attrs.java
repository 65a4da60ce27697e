package dev.isthmus.internal;

import dev.isthmus.DType;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An op's attributes: named, immutable values that are not tensors (axes, flags, dtypes, shapes).
 * They become a graph node's {@code NodeDef.attrs()}. Values are Integer, Long, Double, Boolean,
 * String, DType, int[], long[] (arrays are copied in and out) or Tensor (a Const's value).
 */
public final class Attrs {
  /** No attributes. */
  public static final Attrs EMPTY = new Attrs(Map.of());

  private final Map<String, Object> map;

  private Attrs(Map<String, Object> map) {
    this.map = map;
  }

  /** Attributes from alternating names and values: {@code Attrs.of("axis", 1, "keepDims", true)}. */
  public static Attrs of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Attrs.of needs name/value pairs");
    }
    if (namesAndValues.length == 0) {
      return EMPTY;
    }
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], copy(namesAndValues[i + 1]));
    }
    return new Attrs(Collections.unmodifiableMap(m));
  }

  private static Object copy(Object v) {
    if (v instanceof int[] a) {
      return a.clone();
    }
    if (v instanceof long[] a) {
      return a.clone();
    }
    return v;
  }

  /** The attributes as a read-only map (arrays are shared: do not modify them). */
  public Map<String, Object> asMap() {
    return map;
  }

  /** True when the attribute is present. */
  public boolean has(String name) {
    return map.containsKey(name);
  }

  private Object get(String name) {
    Object v = map.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing attribute " + name);
    }
    return v;
  }

  /** An int attribute. */
  public int getInt(String name) {
    return ((Number) get(name)).intValue();
  }

  /** A long attribute. */
  public long getLong(String name) {
    return ((Number) get(name)).longValue();
  }

  /** A double attribute. */
  public double getDouble(String name) {
    return ((Number) get(name)).doubleValue();
  }

  /** A boolean attribute. */
  public boolean getBool(String name) {
    return (Boolean) get(name);
  }

  /** A DType attribute. */
  public DType getDType(String name) {
    return (DType) get(name);
  }

  /** A String attribute. */
  public String getString(String name) {
    return (String) get(name);
  }

  /** An int[] attribute (a copy). */
  public int[] getInts(String name) {
    return ((int[]) get(name)).clone();
  }

  /** A long[] attribute (a copy). */
  public long[] getLongs(String name) {
    return ((long[]) get(name)).clone();
  }

  /** Any attribute, as stored. */
  public Object getObject(String name) {
    return get(name);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    map.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(k).append('=');
      sb.append(v instanceof int[] a ? Arrays.toString(a)
          : v instanceof long[] a ? Arrays.toString(a) : String.valueOf(v));
    });
    return sb.append('}').toString();
  }
}
