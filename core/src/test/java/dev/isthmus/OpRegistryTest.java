package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.Dispatch;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.OpRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Checks generated from the op registry: every declaration, whatever its family. */
class OpRegistryTest {
  /** Elementwise ops whose kernel is not one enum operator (documented in their families). */
  private static final Set<String> ELEMENTWISE_WITHOUT_OPERATOR =
      Set.of("Cast", "SelectV2", "ClipByValue", "ReluGrad", "ApplyAdam");

  private static Collection<OpDef> ops() {
    return OpRegistry.all();
  }

  @Test
  void everyFamilyIsRegistered() {
    // one op of each family file: a family missing from OpRegistry.FAMILIES fails here
    for (String name : List.of("Neg", "AddV2", "Equal", "Cast", "Sum", "Softmax", "Reshape",
        "ConcatV2", "StridedSlice", "GatherV2", "PadV2", "Const", "MatMul", "Conv2D")) {
      assertEquals(name, OpRegistry.get(name).name());
    }
    assertTrue(ops().size() >= 80, "ops registered: " + ops().size());
  }

  @Test
  void anUnknownOpIsUnimplemented() {
    var e = assertThrows(UnimplementedException.class, () -> OpRegistry.get("NoSuchOp"));
    assertTrue(e.getMessage().contains("NoSuchOp"), e.getMessage());
  }

  @TestFactory
  Stream<DynamicTest> wrongArityIsAnErrorNamingTheOp() {
    return ops().stream().filter(op -> !op.variadic()).map(op -> DynamicTest.dynamicTest(
        op.name(), () -> {
          Tensor[] tooMany = new Tensor[op.inputNames().size() + 1];
          java.util.Arrays.fill(tooMany, Tensor.scalar(1f));
          var e = assertThrows(InvalidArgumentException.class,
              () -> Dispatch.run(op, Attrs.EMPTY, tooMany));
          assertTrue(e.getMessage().startsWith(op.name() + ": "), e.getMessage());
        }));
  }

  @TestFactory
  Stream<DynamicTest> nullInputsAreAnErrorNamingTheOp() {
    return ops().stream().filter(op -> !op.inputNames().isEmpty())
        .map(op -> DynamicTest.dynamicTest(op.name(), () -> {
          Tensor[] nulls = new Tensor[op.inputNames().size()];
          var e = assertThrows(InvalidArgumentException.class,
              () -> Dispatch.run(op, Attrs.EMPTY, nulls));
          assertTrue(e.getMessage().startsWith(op.name() + ": input "), e.getMessage());
        }));
  }

  @TestFactory
  Stream<DynamicTest> declarationsAreComplete() {
    return ops().stream().map(op -> DynamicTest.dynamicTest(op.name(), () -> {
      assertSame(op, OpRegistry.get(op.name()));
      assertFalse(op.flags().isEmpty(), "every op has a kind");
      if (op.is(OpDef.Flag.ELEMENTWISE) && !ELEMENTWISE_WITHOUT_OPERATOR.contains(op.name())) {
        assertNotNull(op.fusionOp(), "elementwise ops name their kernel operator for fusion");
      }
      if (!op.hasGradient()) {
        var e = assertThrows(UnimplementedException.class, op::gradient);
        assertTrue(e.getMessage().contains(op.name()));
      }
    }));
  }
}
