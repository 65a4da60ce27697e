package dev.isthmus.kernels.fusion;

import java.lang.invoke.MethodHandles;

/**
 * The constants of the hand-written vector kernels' formulas (the float32 exp and tanh
 * polynomials, the GELU polynomials, the rounding thresholds), read from those kernels' own
 * classes when the compiler starts, never copied: the generated code must compute exactly what
 * the per-op kernels compute, and reading them means the two cannot drift apart. The classes are
 * package-private in this module, and a module may always look into itself
 * ({@link MethodHandles#privateLookupIn}).
 */
final class KernelConstants {
  private KernelConstants() {}

  static final float LOG2E = f("UnaryVectorMath", "LOG2E");
  static final float LN2_HI = f("UnaryVectorMath", "LN2_HI");
  static final float LN2_LO = f("UnaryVectorMath", "LN2_LO");
  static final float ROUNDER = f("UnaryVectorMath", "ROUNDER");
  static final int ROUNDER_BITS = (int) get("UnaryVectorMath", "ROUNDER_BITS", int.class);
  static final float[] EXP_C = {
    f("UnaryVectorMath", "EXP_C0"), f("UnaryVectorMath", "EXP_C1"),
    f("UnaryVectorMath", "EXP_C2"), f("UnaryVectorMath", "EXP_C3"),
    f("UnaryVectorMath", "EXP_C4"), f("UnaryVectorMath", "EXP_C5"),
    f("UnaryVectorMath", "EXP_C6"),
  };
  static final float TANH_SMALL = f("UnaryVectorMath", "TANH_SMALL");
  static final float TANH_CLAMP = f("UnaryVectorMath", "TANH_CLAMP");
  static final float[] TANH_P = {
    f("UnaryVectorMath", "TANH_P0"), f("UnaryVectorMath", "TANH_P1"),
    f("UnaryVectorMath", "TANH_P2"), f("UnaryVectorMath", "TANH_P3"),
    f("UnaryVectorMath", "TANH_P4"),
  };
  static final float TWO23 = f("UnaryVectorMath", "TWO23");
  static final double TWO52 = d("UnaryVectorMath", "TWO52");
  static final double TANH_CLAMP_64 = d("UnaryVector64", "TANH_CLAMP");
  static final double[] ERF_SMALL = ((double[]) get("UnaryMath", "ERF_SMALL", double[].class))
      .clone();
  static final double[] ERFCX = ((double[]) get("UnaryMath", "ERFCX", double[].class)).clone();
  static final double ERFCX_K = d("UnaryMath", "ERFCX_K");
  static final double GELU_CLAMP = d("UnaryMath", "GELU_CLAMP");
  static final double GELU_CUBIC = d("UnaryMath", "GELU_CUBIC");
  static final double GELU_TANH_CLAMP = d("UnaryMath", "GELU_TANH_CLAMP");
  static final double INV_SQRT2 = d("UnaryMath", "INV_SQRT2");
  static final double SQRT_2_OVER_PI = d("UnaryMath", "SQRT_2_OVER_PI");

  private static float f(String cls, String name) {
    return (float) get(cls, name, float.class);
  }

  private static double d(String cls, String name) {
    return (double) get(cls, name, double.class);
  }

  private static Object get(String cls, String name, Class<?> type) {
    try {
      Class<?> c = Class.forName("dev.isthmus.kernels." + cls, false,
          KernelConstants.class.getClassLoader());
      MethodHandles.Lookup l = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
      return l.findStaticGetter(c, name, type).invoke();
    } catch (Throwable t) {
      throw new ExceptionInInitializerError("cannot read " + cls + "." + name + ": " + t);
    }
  }
}
