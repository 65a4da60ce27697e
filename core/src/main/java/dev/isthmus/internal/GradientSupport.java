package dev.isthmus.internal;

import dev.isthmus.DType;
import dev.isthmus.Ops;
import dev.isthmus.Shape;
import dev.isthmus.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the gradient rules beside each op declaration share. Rules are vector-Jacobian products
 * built from ops only ({@link Ops} or {@link Dispatch}), so one rule serves eager tapes and graph
 * building alike; shapes are static, so rules read them from the tensors.
 *
 * <p>Conventions every rule follows: {@code upstream[i]} has output i's dtype and shape, and is
 * null when no target depends on output i (only multi-output ops see nulls; they read a null as
 * zeros). A rule returns one gradient per input, of that input's dtype and shape, or null for an
 * input that gets none (indices, integer and bool inputs, or an op TensorFlow marks not
 * differentiable).
 */
public final class GradientSupport {
  private GradientSupport() {}

  /**
   * TensorFlow's {@code ops.NotDifferentiable} and the rules that return only {@code None}
   * (ArgMax, comparisons, Floor, ...): every input gets no gradient, and asking is no error.
   */
  public static final OpDef.GradientRule NOT_DIFFERENTIABLE =
      (in, out, up, a) -> new Tensor[in.length];

  /** The inputs whose gradients the engine needs from the rule now running on this thread. */
  private static final ThreadLocal<boolean[][]> NEEDED =
      ThreadLocal.withInitial(() -> new boolean[1][]);

  /**
   * Whether the gradient being built needs input {@code i}'s gradient: false when no source
   * depends on that input (a constant, the data of a layer, the labels), so a rule may skip its
   * work and return null there, as TensorFlow's rules skip {@code op.skip_input_indices}. True
   * when a rule is called outside the backprop engine (tests calling a rule directly).
   */
  public static boolean needed(int i) {
    boolean[] n = NEEDED.get()[0];
    return n == null || n[i];
  }

  /**
   * Sets which inputs {@link #needed} reports for the rule about to run on this thread, and
   * returns the previous setting, which the caller restores with {@link #restoreNeeded} (rules
   * may run the engine again inside, for function calls and control flow).
   */
  public static boolean[] enterNeeded(boolean[] mask) {
    boolean[][] slot = NEEDED.get();
    boolean[] prev = slot[0];
    slot[0] = mask;
    return prev;
  }

  /** Restores what {@link #enterNeeded} returned. */
  public static void restoreNeeded(boolean[] prev) {
    NEEDED.get()[0] = prev;
  }

  /**
   * {@code rule}, for floating inputs only: integer and bool inputs get null (gradients do not
   * flow into them, as in TensorFlow), and when no input is floating the rule is not run.
   */
  public static OpDef.GradientRule floating(OpDef.GradientRule rule) {
    return (in, out, up, a) -> {
      boolean any = false;
      for (Tensor t : in) {
        any |= isFloating(t.dtype());
      }
      if (!any) {
        return new Tensor[in.length];
      }
      Tensor[] g = rule.apply(in, out, up, a);
      assert g.length == in.length : "one gradient per input";
      for (int i = 0; i < g.length; i++) {
        if (!isFloating(in[i].dtype())) {
          g[i] = null;
        }
      }
      return g;
    };
  }

  /** FLOAT32 or FLOAT64. */
  public static boolean isFloating(DType t) {
    return t == DType.FLOAT32 || t == DType.FLOAT64;
  }

  /**
   * Undoes broadcasting (TensorFlow's {@code broadcast_gradient_args} plus reduce-and-reshape):
   * the gradient {@code grad} of a value that was broadcast from {@code shape} is summed over the
   * axes broadcasting added or stretched from 1, then reshaped to {@code shape}. The one helper
   * every broadcasting op's rule uses (binary ops, where, clipByValue, broadcastTo, batched
   * matmul).
   */
  public static Tensor unbroadcast(Tensor grad, Shape shape) {
    if (grad == null || grad.shape().equals(shape)) {
      return grad;
    }
    long[] g = grad.shape().dims(), s = shape.dims();
    int lead = g.length - s.length;
    assert lead >= 0 : "gradient " + grad.shape() + " of a value of shape " + shape;
    int[] axes = new int[g.length];
    int n = 0;
    for (int i = 0; i < g.length; i++) {
      if (i < lead || (s[i - lead] == 1 && g[i] != 1)) {
        axes[n++] = i;
      }
    }
    Tensor summed = n == 0 ? grad : Ops.reduceSum(grad, false, Arrays.copyOf(axes, n));
    return Ops.reshape(summed, s);
  }

  /**
   * The shape of a reduction's output with the reduced {@code axes} (non-negative) kept as 1s:
   * TensorFlow's {@code reduced_shape}.
   */
  public static long[] keptShape(Shape input, int[] axes) {
    long[] d = input.dims();
    for (int a : axes) {
      d[a < 0 ? a + d.length : a] = 1;
    }
    return d;
  }

  /** A rank-0 tensor of {@code like}'s (floating) dtype. */
  public static Tensor scalar(Tensor like, double v) {
    return like.dtype() == DType.FLOAT32 ? Tensor.scalar((float) v) : Tensor.scalar(v);
  }

  /** {@code c - t}. */
  public static Tensor rsub(double c, Tensor t) {
    return Ops.add(Ops.neg(t), c);
  }

  /** {@code g} where {@code mask}, else 0 (TensorFlow's {@code where(mask, g, zeros)}). */
  public static Tensor keep(Tensor mask, Tensor g) {
    return Ops.where(mask, g, scalar(g, 0));
  }

  /** {@code g} where {@code mask} is false, else 0. */
  public static Tensor drop(Tensor mask, Tensor g) {
    return Ops.where(mask, scalar(g, 0), g);
  }

  /** {@code t}, or zeros of {@code like}'s dtype and shape when {@code t} is null. */
  public static Tensor orZeros(Tensor t, Tensor like) {
    return t != null ? t : Ops.zerosLike(like);
  }

  /** {@code a} with {@code name} set to {@code value} (added, or replaced in place). */
  public static Attrs with(Attrs a, String name, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(a.asMap());
    m.put(name, value);
    Object[] kv = new Object[2 * m.size()];
    int i = 0;
    for (var e : m.entrySet()) {
      kv[i++] = e.getKey();
      kv[i++] = e.getValue();
    }
    return Attrs.of(kv);
  }

  /** {@code a} without {@code name}. */
  public static Attrs without(Attrs a, String name) {
    Map<String, Object> m = new LinkedHashMap<>(a.asMap());
    m.remove(name);
    Object[] kv = new Object[2 * m.size()];
    int i = 0;
    for (var e : m.entrySet()) {
      kv[i++] = e.getKey();
      kv[i++] = e.getValue();
    }
    return Attrs.of(kv);
  }

  /** The inverse of a permutation whose entries may count back from the end. */
  public static int[] invertPermutation(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      int p = perm[i] < 0 ? perm[i] + perm.length : perm[i];
      inv[p] = i;
    }
    return inv;
  }
}
