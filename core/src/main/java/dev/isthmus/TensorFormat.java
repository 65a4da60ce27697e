package dev.isthmus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * numpy-like printing of tensors, exactly as TensorFlow's {@code str(tensor)}: {@code
 * tf.Tensor(<str of the numpy value>, shape=(2, 2), dtype=float32)}, the numpy text starting on a
 * new line when it has several.
 *
 * <p>The numpy text follows numpy 2's {@code array_str} with the default print options: line
 * width 75 with wrapped rows, elements right-aligned to a common width, summarised with {@code
 * ...} (the first and last 3 items of each axis longer than 6) when the tensor has more than 1000
 * elements, bools as {@code True}/{@code False}, floats by {@link TensorFormatFloats}. A scalar
 * prints as numpy prints the scalar (all shortest digits: {@code 0.3333333333333333}).
 */
final class TensorFormat {
  private static final int LINE_WIDTH = 75;
  private static final int THRESHOLD = 1000;
  private static final int EDGE = 3;

  private TensorFormat() {}

  static String format(Tensor t) {
    String text = numpy(t);
    if (text.indexOf('\n') >= 0) {
      text = "\n" + text;
    }
    return "tf.Tensor(" + text + ", shape=" + shapeText(t.shape()) + ", dtype="
        + t.dtype().numpyName() + ")";
  }

  /** TensorShape's text: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
  static String shapeText(Shape s) {
    if (s.rank() == 1) {
      return "(" + s.dim(0) + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < s.rank(); i++) {
      sb.append(i == 0 ? "" : ", ").append(s.dim(i));
    }
    return sb.append(')').toString();
  }

  /** numpy's {@code str(array)} of the tensor's value. */
  static String numpy(Tensor t) {
    MemorySegment data = t.data();
    DType dt = t.dtype();
    if (t.rank() == 0) {
      return switch (dt) {
        case FLOAT32 -> TensorFormatFloats.scalar(data.get(ValueLayout.JAVA_FLOAT, 0), true);
        case FLOAT64 -> TensorFormatFloats.scalar(data.get(ValueLayout.JAVA_DOUBLE, 0), false);
        case INT32 -> Integer.toString(data.get(ValueLayout.JAVA_INT, 0));
        case INT64 -> Long.toString(data.get(ValueLayout.JAVA_LONG, 0));
        case BOOL -> data.get(ValueLayout.JAVA_BYTE, 0) != 0 ? "True" : "False";
      };
    }
    if (t.size() == 0) {
      return "[]";
    }
    boolean summarise = t.size() > THRESHOLD;
    long[] shown = shownOffsets(t.shape(), summarise);
    LongFunction<String> element = formatter(data, dt, shown);
    return new Layout(t.shape(), t.shape().strides(), summarise, element)
        .array(0, 0, " ", LINE_WIDTH);
  }

  /**
   * The flat offsets of the elements numpy shows (and sizes its format from): all of them, or
   * when summarising the first and last {@link #EDGE} of each axis longer than {@code 2 * EDGE}.
   */
  private static long[] shownOffsets(Shape shape, boolean summarise) {
    long[] dims = shape.dims();
    long[] strides = shape.strides();
    long count = 1;
    for (long d : dims) {
      count *= summarise && d > 2 * EDGE ? 2 * EDGE : d;
    }
    long[] out = new long[Math.toIntExact(count)];
    int[] pos = new int[dims.length];
    for (int k = 0; k < out.length; k++) {
      long off = 0;
      for (int ax = 0; ax < dims.length; ax++) {
        long i = pos[ax];
        if (summarise && dims[ax] > 2 * EDGE && i >= EDGE) {
          i = dims[ax] - 2 * EDGE + i;
        }
        off += i * strides[ax];
      }
      out[k] = off;
      for (int ax = dims.length - 1; ax >= 0; ax--) { // odometer over the shown indices
        long n = summarise && dims[ax] > 2 * EDGE ? 2 * EDGE : dims[ax];
        if (++pos[ax] < n) {
          break;
        }
        pos[ax] = 0;
      }
    }
    return out;
  }

  // The element format, sized from the shown elements as numpy's formatters are.
  private static LongFunction<String> formatter(MemorySegment data, DType dt, long[] shown) {
    switch (dt) {
      case BOOL -> {
        return off -> data.get(ValueLayout.JAVA_BYTE, off) != 0 ? " True" : "False";
      }
      case INT32, INT64 -> {
        LongFunction<Long> read = dt == DType.INT32
            ? off -> (long) data.getAtIndex(ValueLayout.JAVA_INT, off)
            : off -> data.getAtIndex(ValueLayout.JAVA_LONG, off);
        long max = Long.MIN_VALUE, min = Long.MAX_VALUE;
        for (long off : shown) {
          long v = read.apply(off);
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
        int width = Math.max(Long.toString(max).length(), Long.toString(min).length());
        return off -> {
          String s = Long.toString(read.apply(off));
          return " ".repeat(Math.max(0, width - s.length())) + s;
        };
      }
      default -> {
        boolean f32 = dt == DType.FLOAT32;
        LongFunction<Double> read = f32
            ? off -> (double) data.getAtIndex(ValueLayout.JAVA_FLOAT, off)
            : off -> data.getAtIndex(ValueLayout.JAVA_DOUBLE, off);
        double[] values = new double[shown.length];
        for (int i = 0; i < shown.length; i++) {
          values[i] = read.apply(shown[i]);
        }
        TensorFormatFloats f = new TensorFormatFloats(values, f32);
        return off -> f.format(read.apply(off));
      }
    }
  }

  /** numpy's {@code _formatArray}: nested brackets, rows wrapped at the line width. */
  private record Layout(
      Shape shape, long[] strides, boolean summarise, LongFunction<String> element) {
    String array(int axis, long base, String hang, int width) {
      int rank = shape.rank();
      int left = rank - axis;
      if (left == 0) {
        return element.apply(base);
      }
      String nextHang = hang + " ";
      int nextWidth = width - 1; // room for this axis's ']'
      long len = shape.dim(axis);
      long stride = strides[axis];
      boolean summary = summarise && 2 * EDGE < len;
      long leading = summary ? EDGE : 0;
      long trailing = summary ? EDGE : len;
      StringBuilder s = new StringBuilder();
      if (left == 1) {
        int elemWidth = width - 1;
        StringBuilder line = new StringBuilder(hang);
        for (long i = 0; i < leading; i++) {
          extend(s, line, array(axis + 1, base + i * stride, nextHang, nextWidth), elemWidth, hang);
          line.append(' ');
        }
        if (summary) {
          extend(s, line, "...", elemWidth, hang);
          line.append(' ');
        }
        for (long i = trailing; i > 1; i--) {
          long at = base + (len - i) * stride;
          extend(s, line, array(axis + 1, at, nextHang, nextWidth), elemWidth, hang);
          line.append(' ');
        }
        long last = base + (len - 1) * stride;
        extend(s, line, array(axis + 1, last, nextHang, nextWidth), elemWidth, hang);
        s.append(line);
      } else {
        String lineSep = "\n".repeat(left - 1);
        for (long i = 0; i < leading; i++) {
          s.append(hang).append(array(axis + 1, base + i * stride, nextHang, nextWidth));
          s.append(lineSep);
        }
        if (summary) {
          s.append(hang).append("...").append(lineSep);
        }
        for (long i = trailing; i > 1; i--) {
          s.append(hang).append(array(axis + 1, base + (len - i) * stride, nextHang, nextWidth));
          s.append(lineSep);
        }
        s.append(hang).append(array(axis + 1, base + (len - 1) * stride, nextHang, nextWidth));
      }
      return "[" + s.substring(hang.length()) + "]";
    }

    // numpy's _extendLine: wrap before a word that would pass the width, unless the line holds
    // nothing but its indent.
    private static void extend(StringBuilder s, StringBuilder line, String word, int width,
        String indent) {
      boolean wrap = line.length() + word.length() > width && line.length() > indent.length();
      if (wrap) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
          end--;
        }
        s.append(line, 0, end).append('\n');
        line.setLength(0);
        line.append(indent);
      }
      line.append(word);
    }
  }
}
