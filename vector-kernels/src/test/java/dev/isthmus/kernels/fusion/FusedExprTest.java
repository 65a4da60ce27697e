package dev.isthmus.kernels.fusion;

import static dev.isthmus.kernels.fusion.ElementType.BOOL;
import static dev.isthmus.kernels.fusion.ElementType.FLOAT32;
import static dev.isthmus.kernels.fusion.ElementType.FLOAT64;
import static dev.isthmus.kernels.fusion.ElementType.INT32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.kernels.BinaryOp;
import dev.isthmus.kernels.CompareOp;
import dev.isthmus.kernels.LogicOp;
import dev.isthmus.kernels.UnaryOp;
import org.junit.jupiter.api.Test;

/** The expression IR: typing, canonical form and equality, printing, FMA lowering. */
class FusedExprTest {
  @Test
  void buildOrderDoesNotChangeTheExpression() {
    FusedExpr.Builder b1 = FusedExpr.builder();
    FusedExpr.Ref x1 = b1.input(0, FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref y1 = b1.input(1, FLOAT32, Pattern.ROW);
    FusedExpr.Ref e1 = b1.unary(UnaryOp.EXP, y1);
    FusedExpr.Ref s1 = b1.unary(UnaryOp.SIGMOID, x1);
    b1.output(b1.binary(BinaryOp.ADD, s1, e1));
    FusedExpr.Builder b2 = FusedExpr.builder();
    FusedExpr.Ref y2 = b2.input(1, FLOAT32, Pattern.ROW);
    FusedExpr.Ref x2 = b2.input(0, FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref s2 = b2.unary(UnaryOp.SIGMOID, x2);
    FusedExpr.Ref e2 = b2.unary(UnaryOp.EXP, y2);
    b2.output(b2.binary(BinaryOp.ADD, s2, e2));
    FusedExpr a = b1.build();
    FusedExpr b = b2.build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a.nodes(), b.nodes());
    assertEquals(2, a.inputCount());
  }

  @Test
  void duplicatesMergeAndUnusedNodesGo() {
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref x = b.input(0, FLOAT32, Pattern.ELEMENTWISE);
    assertSame(b.unary(UnaryOp.EXP, x), b.unary(UnaryOp.EXP, x));
    b.unary(UnaryOp.LOG, x); // unused
    b.output(b.binary(BinaryOp.MUL, b.unary(UnaryOp.EXP, x), b.unary(UnaryOp.EXP, x)));
    FusedExpr e = b.build();
    assertEquals(3, e.nodes().size(), e.toString());
  }

  @Test
  void structureLiteralsPatternsAndOptionsDistinguishExpressions() {
    assertNotEquals(scaled(0.5f, Pattern.ELEMENTWISE, false),
        scaled(0.25f, Pattern.ELEMENTWISE, false));
    assertNotEquals(scaled(0.5f, Pattern.ELEMENTWISE, false),
        scaled(0.5f, Pattern.ROW, false));
    assertNotEquals(scaled(0.5f, Pattern.ELEMENTWISE, false),
        scaled(0.5f, Pattern.ELEMENTWISE, true));
    assertEquals(scaled(0.5f, Pattern.ELEMENTWISE, true),
        scaled(0.5f, Pattern.ELEMENTWISE, true));
  }

  private static FusedExpr scaled(float k, Pattern p, boolean fma) {
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref x = b.input(0, FLOAT32, p);
    return b.output(b.binary(BinaryOp.ADD, b.binary(BinaryOp.MUL, x, b.literal(k)), x))
        .contractFma(fma).build();
  }

  @Test
  void typesFollowTheKernelsRules() {
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref f = b.input(0, FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref d = b.input(1, FLOAT64, Pattern.SCALAR);
    FusedExpr.Ref i = b.input(2, INT32, Pattern.COLUMN);
    FusedExpr.Ref z = b.input(3, BOOL, Pattern.ELEMENTWISE);
    assertEquals(BOOL, b.compare(CompareOp.LESS, f, b.literal(1f)).type());
    assertEquals(FLOAT64, b.cast(f, FLOAT64).type());
    assertSame(f, b.cast(f, FLOAT32));
    assertEquals(INT32, b.unary(UnaryOp.ABS, i).type());
    assertEquals(FLOAT32, b.select(z, f, f).type());
    assertEquals(BOOL, b.logic(LogicOp.XOR, z, b.not(z)).type());
    assertMessage(() -> b.binary(BinaryOp.ADD, f, d), "one type");
    assertMessage(() -> b.unary(UnaryOp.EXP, i), "EXP is not defined on i32");
    assertMessage(() -> b.binary(BinaryOp.ATAN2, i, i), "ATAN2");
    assertMessage(() -> b.compare(CompareOp.EQUAL, z, z), "XNOR");
    assertMessage(() -> b.select(f, f, f), "bool condition");
    assertMessage(() -> b.logic(LogicOp.AND, f, f), "bool operands");
    assertMessage(() -> b.logic(LogicOp.NOT, z, z), "not(x)");
    assertMessage(() -> b.input(0, FLOAT64, Pattern.ELEMENTWISE), "declared");
    FusedExpr.Builder other = FusedExpr.builder();
    assertMessage(() -> other.unary(UnaryOp.EXP, f), "another builder");
  }

  @Test
  void wellFormedExpressionsOnly() {
    FusedExpr.Builder gap = FusedExpr.builder();
    gap.output(gap.input(1, FLOAT32, Pattern.ELEMENTWISE));
    assertMessage(gap::build, "input 0 is not declared");
    assertMessage(() -> FusedExpr.builder().build(), "at least one output");
    FusedExpr.Builder two = FusedExpr.builder();
    FusedExpr.Ref x = two.input(0, FLOAT32, Pattern.ELEMENTWISE);
    two.output(x).output(x).reduce(Reduction.Op.SUM, Reduction.Axes.ALL);
    assertMessage(two::build, "exactly one output");
    FusedExpr.Builder mean = FusedExpr.builder();
    mean.output(mean.input(0, INT32, Pattern.ELEMENTWISE))
        .reduce(Reduction.Op.MEAN, Reduction.Axes.INNER);
    assertMessage(mean::build, "floating types only");
    FusedExpr.Builder unused = FusedExpr.builder();
    unused.input(1, FLOAT32, Pattern.ROW);
    unused.output(unused.input(0, FLOAT32, Pattern.ELEMENTWISE));
    FusedExpr e = unused.build();
    assertEquals(2, e.inputCount(), "an unused input keeps its place");
    assertEquals(Pattern.ROW, e.input(1).pattern());
  }

  private static void assertMessage(Runnable r, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void printsOneNodePerLine() {
    FusedExpr e = scaled(0.5f, Pattern.ROW, false);
    String s = e.toString();
    assertTrue(s.contains("%0 = in0 f32 row"), s);
    assertTrue(s.contains("%1 = 0.5 f32"), s);
    assertTrue(s.contains("%2 = mul(%0, %1) f32"), s);
    assertTrue(s.contains("out0 = %3"), s);
    FusedExpr.Builder b = FusedExpr.builder();
    b.output(b.input(0, FLOAT64, Pattern.ELEMENTWISE)).reduce(Reduction.Op.MAX,
        Reduction.Axes.INNER);
    assertTrue(b.build().toString().contains("out0 = max over inner of %0"));
  }

  @Test
  void fmaContractsSingleUseProductsOnly() {
    FusedExpr off = scaled(0.5f, Pattern.ELEMENTWISE, false);
    assertSame(off, off.lowered());
    FusedExpr on = scaled(0.5f, Pattern.ELEMENTWISE, true).lowered();
    assertInstanceOf(FusedNode.Fma.class, on.nodes().get(on.outputNode(0)), on.toString());
    // c - a*b
    FusedExpr.Builder b = FusedExpr.builder();
    FusedExpr.Ref x = b.input(0, FLOAT64, Pattern.ELEMENTWISE);
    FusedExpr.Ref p = b.binary(BinaryOp.MUL, x, x);
    b.output(b.binary(BinaryOp.SUB, b.literal(1.0), p)).contractFma(true);
    FusedNode.Fma f = (FusedNode.Fma) b.build().lowered().nodes().get(2);
    assertTrue(f.negateProduct());
    assertFalse(f.negateAddend());
    // a product with a second use stays a product
    FusedExpr.Builder s = FusedExpr.builder();
    FusedExpr.Ref y = s.input(0, FLOAT32, Pattern.ELEMENTWISE);
    FusedExpr.Ref q = s.binary(BinaryOp.MUL, y, y);
    s.output(s.binary(BinaryOp.ADD, q, y)).output(q).contractFma(true);
    FusedExpr shared = s.build();
    assertEquals(shared.nodes(), shared.lowered().nodes());
    // integers never contract
    FusedExpr.Builder i = FusedExpr.builder();
    FusedExpr.Ref n = i.input(0, INT32, Pattern.ELEMENTWISE);
    i.output(i.binary(BinaryOp.ADD, i.binary(BinaryOp.MUL, n, n), n)).contractFma(true);
    FusedExpr ints = i.build();
    assertEquals(ints.nodes(), ints.lowered().nodes());
  }

  @Test
  void withoutReductionKeepsTheValues() {
    FusedExpr.Builder b = FusedExpr.builder();
    b.output(b.unary(UnaryOp.SQUARE, b.input(0, FLOAT32, Pattern.ELEMENTWISE)))
        .reduce(Reduction.Op.SUM, Reduction.Axes.ALL);
    FusedExpr e = b.build();
    FusedExpr v = e.withoutReduction();
    assertEquals(null, v.reduction());
    assertEquals(e.nodes(), v.nodes());
    assertTrue(FusedExpr.builder().input(0, FLOAT32, Pattern.SCALAR).type() == FLOAT32);
  }
}
