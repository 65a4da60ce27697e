package dev.isthmus;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;

/**
 * numpy's float printing (its {@code FloatingFormat} with the default options: precision 8,
 * floatmode "maxprec", no suppression), for {@link TensorFormat}.
 *
 * <p>Digits are as numpy's Dragon4 makes them: the shortest decimal that reads back as the same
 * float32 or float64 (the closest such one when several have that length), unless that needs
 * more than 8 digits after the point, in which case the exact binary value is rounded to 8
 * digits (half to even). An array uses scientific notation when its largest non-zero magnitude
 * is at least 1e8 (1e6 for float32, as numpy 2 decides from the dtype's precision), its smallest
 * is below 1e-4, or their ratio exceeds 1000, comparing in the array's dtype as numpy 2 does.
 */
final class TensorFormatFloats {
  /** numpy's default print precision. */
  static final int PRECISION = 8;

  private final boolean f32;
  private final boolean exp;
  private int padLeft;
  private int padRight;
  private int fracDigits; // scientific: digits after the point, zero-padded
  private int expDigits; // scientific: exponent digits
  private final HashMap<Long, Digits> cache = new HashMap<>(); // by raw bits: sizing then printing

  /** A format for the values shown of a float32 ({@code f32}) or float64 array. */
  TensorFormatFloats(double[] shown, boolean f32) {
    this.f32 = f32;
    this.exp = scientific(shown, f32);
    boolean anyFinite = false, anyNonFinite = false, negInf = false;
    for (double v : shown) {
      if (!Double.isFinite(v)) {
        anyNonFinite = true;
        negInf |= v == Double.NEGATIVE_INFINITY;
        continue;
      }
      anyFinite = true;
      Digits d = digits(v);
      if (exp) {
        padLeft = Math.max(padLeft, d.neg ? 2 : 1);
        fracDigits = Math.max(fracDigits, d.digits.length() - 1);
        expDigits = Math.max(expDigits, Math.max(2, Integer.toString(Math.abs(d.exp)).length()));
      } else {
        padLeft = Math.max(padLeft, intPart(d).length());
        padRight = Math.max(padRight, fracPart(d).length());
      }
    }
    if (exp && anyFinite) {
      padRight = expDigits + 2 + fracDigits;
    }
    if (anyNonFinite) {
      int offset = padRight + 1;
      padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
    }
  }

  /** One element, padded to the common width. */
  String format(double v) {
    if (!Double.isFinite(v)) {
      String s = Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
      return " ".repeat(Math.max(0, padLeft + padRight + 1 - s.length())) + s;
    }
    StringBuilder sb = new StringBuilder();
    if (exp) {
      // numpy's second pass (min_digits = the common digit count): the exact value rounded to
      // that many digits after the point, so digits past the shortest ones are real, not zeros.
      Digits d = of(Double.doubleToRawLongBits(v) < 0,
          exact(v).round(new MathContext(fracDigits + 1, RoundingMode.HALF_EVEN)));
      String lead = (d.neg ? "-" : "") + d.digits.charAt(0);
      sb.append(" ".repeat(Math.max(0, padLeft - lead.length()))).append(lead).append('.');
      String frac = d.digits.substring(1);
      sb.append(frac).append("0".repeat(fracDigits - frac.length()));
      return sb.append(exponentText(d.exp, expDigits)).toString();
    }
    Digits d = digits(v);
    String ip = intPart(d), fp = fracPart(d);
    sb.append(" ".repeat(Math.max(0, padLeft - ip.length()))).append(ip).append('.').append(fp);
    return sb.append(" ".repeat(Math.max(0, padRight - fp.length()))).toString();
  }

  /**
   * str() of a numpy float scalar: every shortest digit, positional for magnitudes in [1e-4,
   * 1e16) (float32: [1e-4, 1e6), as numpy 2 prints them), else scientific.
   */
  static String scalar(double v, boolean f32) {
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }
    Digits d = shortest(v, f32);
    double a = Math.abs(v);
    if (v == 0 || (a >= 1e-4 && a < (f32 ? 1e6 : 1e16))) {
      String fp = fracPart(d);
      return intPart(d) + "." + (fp.isEmpty() ? "0" : fp);
    }
    String rest = d.digits.substring(1);
    return (d.neg ? "-" : "") + d.digits.charAt(0) + (rest.isEmpty() ? "" : "." + rest)
        + exponentText(d.exp, 2);
  }

  // numpy's choice of notation, made on the finite non-zero magnitudes in the array's dtype.
  private static boolean scientific(double[] shown, boolean f32) {
    double max = 0, min = Double.POSITIVE_INFINITY;
    for (double v : shown) {
      if (Double.isFinite(v) && v != 0) {
        max = Math.max(max, Math.abs(v));
        min = Math.min(min, Math.abs(v));
      }
    }
    if (max == 0) {
      return false;
    }
    if (f32) {
      float fmax = (float) max, fmin = (float) min;
      return fmax >= 1e6f || fmin < 0.0001f || fmax / fmin > 1000f;
    }
    return max >= 1e8 || min < 0.0001 || max / min > 1000.0;
  }

  /** The digits printed in an array: shortest, or cut at {@link #PRECISION} digits. */
  private Digits digits(double v) {
    return cache.computeIfAbsent(Double.doubleToRawLongBits(v), bits -> cut(v));
  }

  private Digits cut(double v) {
    Digits d = shortest(v, f32);
    if (exp) {
      return d.digits.length() - 1 <= PRECISION
          ? d
          : of(d.neg, exact(v).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN)));
    }
    return fracPart(d).length() <= PRECISION
        ? d
        : of(d.neg, exact(v).setScale(PRECISION, RoundingMode.HALF_EVEN));
  }

  // ---------------------------------------------------------------- decimal digits

  /** {@code ±d1.d2d3... × 10^exp}; {@code digits} has no trailing zeros ("0" for zero). */
  record Digits(boolean neg, String digits, int exp) {}

  private static BigDecimal exact(double v) {
    return new BigDecimal(Math.abs(v));
  }

  private static Digits of(boolean neg, BigDecimal magnitude) {
    if (magnitude.signum() == 0) {
      return new Digits(neg, "0", 0);
    }
    BigDecimal b = magnitude.stripTrailingZeros();
    String u = b.unscaledValue().toString();
    return new Digits(neg, u, u.length() - 1 - b.scale());
  }

  /**
   * The shortest decimal that reads back as {@code v} in its type, the closest to {@code v} of
   * that length (ties to an even last digit), as Dragon4's unique mode gives.
   */
  static Digits shortest(double v, boolean f32) {
    boolean neg = Double.doubleToRawLongBits(v) < 0;
    if (v == 0) {
      return new Digits(neg, "0", 0);
    }
    double a = Math.abs(v);
    // Java's toString (JDK 19+) is that decimal whenever it has 3 or more digits. With 1 or 2 it
    // may print 2 where 1 would do (4.9E-324 for 5e-324), so a 1-digit one is searched for.
    Digits java = parseJava(neg, f32 ? Float.toString((float) a) : Double.toString(a));
    if (java.digits.length() >= 3) {
      return java;
    }
    BigDecimal x = new BigDecimal(a);
    BigDecimal down = x.round(new MathContext(1, RoundingMode.DOWN));
    BigDecimal up = x.round(new MathContext(1, RoundingMode.UP));
    boolean okDown = readsBack(down, a, f32), okUp = readsBack(up, a, f32);
    if (okDown && okUp && down.compareTo(up) != 0) {
      int c = x.subtract(down).compareTo(up.subtract(x));
      boolean evenDown = !down.unscaledValue().testBit(0);
      return of(neg, c < 0 || (c == 0 && evenDown) ? down : up);
    }
    if (okDown || okUp) {
      return of(neg, okDown ? down : up);
    }
    return java;
  }

  private static boolean readsBack(BigDecimal d, double a, boolean f32) {
    String s = d.toString();
    return f32 ? Float.parseFloat(s) == (float) a : Double.parseDouble(s) == a;
  }

  /** The digits of Java's {@code 123.45} or {@code 1.2345E-7} text of a positive number. */
  private static Digits parseJava(boolean neg, String text) {
    int e = text.indexOf('E');
    String m = e < 0 ? text : text.substring(0, e);
    int exp10 = e < 0 ? 0 : Integer.parseInt(text.substring(e + 1));
    int point = m.indexOf('.');
    String all = m.substring(0, point) + m.substring(point + 1);
    int i = 0, j = all.length();
    while (i < j - 1 && all.charAt(i) == '0') {
      i++;
    }
    while (j > i + 1 && all.charAt(j - 1) == '0') {
      j--;
    }
    return new Digits(neg, all.substring(i, j), point - 1 - i + exp10);
  }

  /** The integer part in positional notation, with a '-' when negative. */
  static String intPart(Digits d) {
    String s;
    if (d.exp < 0) {
      s = "0";
    } else if (d.digits.length() > d.exp) {
      s = d.digits.substring(0, d.exp + 1);
    } else {
      s = d.digits + "0".repeat(d.exp + 1 - d.digits.length());
    }
    return d.neg ? "-" + s : s;
  }

  /** The fraction digits in positional notation (possibly empty). */
  static String fracPart(Digits d) {
    if ("0".equals(d.digits)) {
      return "";
    }
    if (d.exp < 0) {
      return "0".repeat(-d.exp - 1) + d.digits;
    }
    return d.digits.length() > d.exp + 1 ? d.digits.substring(d.exp + 1) : "";
  }

  /** {@code e+05}: the sign and at least {@code minDigits} digits. */
  private static String exponentText(int e, int minDigits) {
    String digits = Integer.toString(Math.abs(e));
    return "e" + (e < 0 ? '-' : '+') + "0".repeat(Math.max(0, minDigits - digits.length()))
        + digits;
  }
}
