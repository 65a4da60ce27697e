package dev.isthmus.kernels.fusion;

import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.fusion.FusedNode.Binary;
import dev.isthmus.kernels.fusion.FusedNode.Cast;
import dev.isthmus.kernels.fusion.FusedNode.Compare;
import dev.isthmus.kernels.fusion.FusedNode.Fma;
import dev.isthmus.kernels.fusion.FusedNode.Input;
import dev.isthmus.kernels.fusion.FusedNode.Literal;
import dev.isthmus.kernels.fusion.FusedNode.Logic;
import dev.isthmus.kernels.fusion.FusedNode.Select;
import dev.isthmus.kernels.fusion.FusedNode.Unary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of {@link FusedExpr}: each node's element type (the per-op kernels' rules, checked
 * with a message naming what was expected), each node's extent (uniform, per row, varying), and
 * the canonical form (duplicates merged, unused nodes dropped, depth-first numbering).
 */
final class FusedTyping {
  private FusedTyping() {}

  static ElementType typeOf(FusedNode node, ElementType[] t) {
    return switch (node) {
      case Input in -> in.type();
      case Literal l -> {
        if (l.type() == ElementType.BOOL && (l.bits() & ~1L) != 0
            || l.type() == ElementType.INT32 && l.bits() != (int) l.bits()
            || l.type() == ElementType.FLOAT32 && l.bits() != (int) l.bits()) {
          throw new IllegalArgumentException("literal bits " + l.bits() + " out of range for "
              + l.type().shortName());
        }
        yield l.type();
      }
      case Unary u -> {
        ElementType x = t[u.x()];
        if (!x.floating() && !(x.integral() && u.op().integral())) {
          throw new IllegalArgumentException(u.op() + " is not defined on " + x.shortName());
        }
        yield x;
      }
      case Binary b -> {
        ElementType x = same(b.op().name(), t[b.a()], t[b.b()]);
        if (!x.numeric() || (b.op().floatingOnly() && !x.floating())) {
          throw new IllegalArgumentException(b.op() + " is not defined on " + x.shortName());
        }
        yield x;
      }
      case Compare c -> {
        ElementType x = same(c.op().name(), t[c.a()], t[c.b()]);
        if (!x.numeric()) {
          throw new IllegalArgumentException(c.op() + " on bool: use logic XNOR or XOR");
        }
        yield ElementType.BOOL;
      }
      case Logic l -> {
        if (t[l.a()] != ElementType.BOOL || t[l.b()] != ElementType.BOOL) {
          throw new IllegalArgumentException(l.op() + " needs bool operands, got "
              + t[l.a()].shortName() + " and " + t[l.b()].shortName());
        }
        yield ElementType.BOOL;
      }
      case Select s -> {
        if (t[s.cond()] != ElementType.BOOL) {
          throw new IllegalArgumentException("select needs a bool condition, got "
              + t[s.cond()].shortName());
        }
        yield same("select", t[s.a()], t[s.b()]);
      }
      case Cast c -> c.to();
      case Fma f -> {
        ElementType x = same("fma", same("fma", t[f.a()], t[f.b()]), t[f.c()]);
        if (!x.floating()) {
          throw new IllegalArgumentException("fma on " + x.shortName());
        }
        yield x;
      }
    };
  }

  private static ElementType same(String what, ElementType a, ElementType b) {
    if (a != b) {
      throw new IllegalArgumentException(what + " needs operands of one type, got "
          + a.shortName() + " and " + b.shortName() + " (cast one)");
    }
    return a;
  }

  static byte extentOf(FusedNode node, byte[] e) {
    return switch (node) {
      case Input in -> in.pattern().varying() ? FusedExpr.VARYING
          : in.pattern() == Pattern.SCALAR ? FusedExpr.UNIFORM : FusedExpr.PER_ROW;
      case Literal l -> FusedExpr.UNIFORM;
      default -> {
        byte x = FusedExpr.UNIFORM;
        for (int o : node.operands()) {
          x = (byte) Math.max(x, e[o]);
        }
        yield x;
      }
    };
  }

  /**
   * The canonical form of {@code nodes} with {@code outputs}: duplicates merged, unused nodes
   * dropped, renumbered in depth-first post-order from the outputs.
   */
  static FusedExpr canonical(List<FusedNode> nodes, Input[] inputs, int[] outputs,
      Reduction reduction, boolean fma) {
    int[] map = new int[nodes.size()];
    Arrays.fill(map, -1);
    List<FusedNode> out = new ArrayList<>();
    Map<FusedNode, Integer> seen = new HashMap<>();
    int[] newOutputs = new int[outputs.length];
    for (int m = 0; m < outputs.length; m++) {
      newOutputs[m] = visit(outputs[m], nodes, map, out, seen);
    }
    return new FusedExpr(out, inputs, newOutputs, reduction, fma);
  }

  // Iterative post-order (deep chains must not overflow the stack).
  private static int visit(int root, List<FusedNode> nodes, int[] map, List<FusedNode> out,
      Map<FusedNode, Integer> seen) {
    int[] stack = new int[16];
    int[] next = new int[16];
    int sp = 0;
    stack[0] = root;
    next[0] = 0;
    while (sp >= 0) {
      int i = stack[sp];
      if (map[i] >= 0) {
        sp--;
        continue;
      }
      int[] ops = nodes.get(i).operands();
      if (next[sp] < ops.length) {
        int child = ops[next[sp]++];
        if (map[child] < 0) {
          if (++sp == stack.length) {
            stack = Arrays.copyOf(stack, 2 * sp);
            next = Arrays.copyOf(next, 2 * sp);
          }
          stack[sp] = child;
          next[sp] = 0;
        }
        continue;
      }
      FusedNode renamed = renumber(nodes.get(i), map);
      Integer existing = seen.get(renamed);
      if (existing == null) {
        existing = out.size();
        out.add(renamed);
        seen.put(renamed, existing);
      }
      map[i] = existing;
      sp--;
    }
    return map[root];
  }

  private static FusedNode renumber(FusedNode node, int[] m) {
    return switch (node) {
      case Input in -> in;
      case Literal l -> l;
      case Unary u -> new Unary(u.op(), m[u.x()]);
      case Binary b -> new Binary(b.op(), m[b.a()], m[b.b()]);
      case Compare c -> new Compare(c.op(), m[c.a()], m[c.b()]);
      case Logic l -> new Logic(l.op(), m[l.a()], m[l.op() == LogicOp.NOT ? l.a() : l.b()]);
      case Select s -> new Select(m[s.cond()], m[s.a()], m[s.b()]);
      case Cast c -> new Cast(c.to(), m[c.x()]);
      case Fma f -> new Fma(m[f.a()], m[f.b()], m[f.c()], f.negateProduct(), f.negateAddend());
    };
  }
}
