package dev.isthmus.scopes.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Function;
import dev.isthmus.InvalidArgumentException;
import dev.isthmus.Ops;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.kernels.fusion.FusedKernels;
import dev.isthmus.scopes.JitStats;
import dev.isthmus.scopes.Scopes;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link FusionRunner}: clusters lowered to generated kernels, GEMM epilogues and op-by-op
 * members, each result held to the same program run without jit.
 */
class FusionRunnerTest {
  static Tensor floats(long seed, long... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 4 - 2);
    }
    return Tensor.of(v, shape);
  }

  /** A Function whose body runs in a jitScope. */
  static Function jit(UnaryOperator<List<Tensor>> body) {
    return Function.ofList(args -> {
      try (Scope s = Scopes.jitScope()) {
        return body.apply(args);
      }
    });
  }

  static List<Tensor> relu4(List<Tensor> a) {
    return List.of(a.get(0).mul(a.get(1)).add(a.get(2)).relu().mul(a.get(3)));
  }

  static FusionPlan planOf(Function f, Tensor... args) {
    FusionRunner.latest = new java.lang.ref.WeakReference<>(null);
    f.callAll(args); // the first run of a signature plans it (the Function keeps it)
    FusionPlan p = FusionRunner.latest.get();
    assertTrue(p != null, "no plan was made");
    return p;
  }

  static long count(FusionPlan p, Class<?> kind) {
    return Arrays.stream(p.steps()).filter(kind::isInstance).count();
  }

  @Test
  void reluOfAxBPlusCTimesDRunsAsOneGeneratedKernel() throws InterruptedException {
    long n = 3 * 65536 + 77; // three chunks of rows and a shorter rest
    Tensor[] in = {floats(1, n), floats(2, n), floats(3, n), floats(4, n)};
    float[] want = relu4(List.of(in)).get(0).toFloatArray();
    Function f = jit(FusionRunnerTest::relu4);
    FusionPlan p = planOf(f, in);
    if (!FusedKernels.enabled()) {
      return; // no Vector API here: the cluster runs op by op, checked by the other tests
    }
    assertEquals(1, p.steps().length, p.toString());
    FusedStep s = (FusedStep) p.steps()[0];
    assertTrue(s.kernel().compiled(), s.describe());
    // what -Disthmus.fusion.print=true prints: the members, the step, the generated kernel
    String printed = p.toString();
    assertTrue(printed.contains("members: Mul AddV2 Relu Mul_1"), printed);
    assertTrue(printed.contains("fused flat: Mul AddV2 Relu Mul_1"), printed);
    assertTrue(printed.contains("isthmus fusion: compiled in"), printed);
    long fused = Scopes.jitStats().fusedRuns();
    long end = System.nanoTime() + 120_000_000_000L;
    while (Scopes.jitStats().fusedRuns() == fused) {
      assertArrayEquals(want, f.callAll(in).get(0).toFloatArray());
      assertTrue(System.nanoTime() < end, "the kernel never ran generated code");
      Thread.sleep(1);
    }
    assertArrayEquals(want, f.callAll(in).get(0).toFloatArray());
  }

  @Test
  void aRetraceWithOtherConstantsCompilesNothing() {
    Tensor x = floats(5, 1000);
    Function f1 = jit(a -> List.of(a.get(0).mul(2f).add(1f).tanh().mul(a.get(0))));
    f1.callAll(x);
    f1.callAll(x);
    JitStats before = Scopes.jitStats();
    Function f2 = jit(a -> List.of(a.get(0).mul(3f).add(-5f).tanh().mul(a.get(0))));
    Tensor got = f2.callAll(x).get(0);
    f2.callAll(x);
    JitStats after = Scopes.jitStats();
    assertArrayEquals(x.mul(3f).add(-5f).tanh().mul(x).toFloatArray(), got.toFloatArray());
    assertEquals(before.kernelsCompiled(), after.kernelsCompiled());
    assertEquals(before.clustersPrepared() + 1, after.clustersPrepared());
    if (FusedKernels.enabled()) {
      assertEquals(before.kernelCacheHits() + 1, after.kernelCacheHits());
    }
  }

  @Test
  void aTransposeInTheMiddleRunsOpByOpBetweenFusedGroups() {
    Tensor a = floats(6, 37, 53);
    Tensor b = floats(7, 37, 53);
    Tensor c = floats(8, 53, 37);
    UnaryOperator<List<Tensor>> body = x -> List.of(Ops.transpose(x.get(0).mul(x.get(1))
        .sigmoid().add(x.get(0)), 1, 0).mul(x.get(2)).sub(x.get(2).abs()).exp());
    Function f = jit(body);
    FusionPlan p = planOf(f, a, b, c);
    assertArrayEquals(body.apply(List.of(a, b, c)).get(0).toFloatArray(),
        f.callAll(a, b, c).get(0).toFloatArray());
    assertEquals(1, count(p, FusionPlan.MemberStep.class), p.toString());
    if (FusedKernels.enabled()) {
      assertEquals(2, count(p, FusedStep.class), p.toString());
    }
  }

  @Test
  void aConcatBetweenGroupsAndABroadcastBias() {
    Tensor a = floats(9, 20, 30);
    Tensor bias = floats(10, 30);
    UnaryOperator<List<Tensor>> body = x -> {
      Tensor h = x.get(0).add(x.get(1)).relu();
      Tensor both = Ops.concat(0, h, h.neg());
      return List.of(both.mul(2f).add(x.get(1)).square());
    };
    Function f = jit(body);
    FusionPlan p = planOf(f, a, bias);
    assertArrayEquals(body.apply(List.of(a, bias)).get(0).toFloatArray(),
        f.callAll(a, bias).get(0).toFloatArray());
    assertTrue(count(p, FusionPlan.MemberStep.class) >= 1, p.toString());
  }

  @Test
  void aMatmulWithBiasAndReluIsOneGemmWithItsEpilogue() {
    Tensor x = floats(11, 64, 96);
    Tensor w = floats(12, 96, 48);
    Tensor b = floats(13, 48);
    UnaryOperator<List<Tensor>> body =
        t -> List.of(Ops.matmul(t.get(0), t.get(1)).add(t.get(2)).relu());
    Function f = jit(body);
    FusionPlan p = planOf(f, x, w, b);
    assertEquals(1, count(p, GemmStep.class), p.toString());
    assertEquals(1, p.steps().length, p.toString());
    float[] want = body.apply(List.of(x, w, b)).get(0).toFloatArray();
    float[] got = f.callAll(x, w, b).get(0).toFloatArray();
    for (int i = 0; i < want.length; i++) {
      // both are GEMMs over k = 96 of values below 2: they may round differently
      assertEquals(want[i], got[i], 1e-4f * 96 * 4, "element " + i);
    }
  }

  @Test
  void aFetchedIntermediateIsAnOutputOfTheFusedKernel() {
    Tensor[] in = {floats(14, 300), floats(15, 300), floats(16, 300), floats(17, 300)};
    UnaryOperator<List<Tensor>> body = a -> {
      Tensor h = a.get(0).mul(a.get(1)).add(a.get(2));
      return List.of(h, h.relu().mul(a.get(3)));
    };
    Function f = jit(body);
    FusionPlan p = planOf(f, in);
    List<Tensor> want = body.apply(List.of(in));
    List<Tensor> got = f.callAll(in);
    assertArrayEquals(want.get(0).toFloatArray(), got.get(0).toFloatArray());
    assertArrayEquals(want.get(1).toFloatArray(), got.get(1).toFloatArray());
    if (FusedKernels.enabled()) {
      assertEquals(1, p.steps().length, p.toString());
      assertEquals(2, ((FusedStep) p.steps()[0]).writes().length);
    }
  }

  @Test
  void aSumOverTheLastAxisJoinsItsProducers() {
    Tensor a = floats(18, 40, 129);
    Tensor b = floats(19, 129);
    UnaryOperator<List<Tensor>> body =
        t -> List.of(Ops.reduceSum(t.get(0).mul(t.get(1)).add(1f).relu(), -1));
    Function f = jit(body);
    FusionPlan p = planOf(f, a, b);
    float[] want = body.apply(List.of(a, b)).get(0).toFloatArray();
    float[] got = f.callAll(a, b).get(0).toFloatArray();
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 129 * 4 * 1e-6f, "row " + i);
    }
    if (FusedKernels.enabled()) {
      assertEquals(1, p.steps().length, p.toString());
    }
  }

  @Test
  void integerDivisionByZeroInsideAClusterKeepsItsTypeAndMessage() {
    Tensor x = Tensor.of(7, 8, 9);
    Tensor zero = Tensor.of(1, 0, 2);
    Function f = jit(a -> List.of(Ops.floorDiv(a.get(0).add(1), a.get(1)).mul(2)));
    for (int call = 0; call < 2; call++) { // the first run (op by op) and the planned one
      InvalidArgumentException e =
          assertThrows(InvalidArgumentException.class, () -> f.callAll(x, zero));
      assertTrue(e.getMessage().contains("Integer division by zero"), e.getMessage());
      assertTrue(e.getMessage().contains("FloorDiv"), e.getMessage());
    }
    assertArrayEquals(new int[] {8, 6, 4}, f.callAll(x, Tensor.of(2, 3, 5)).get(0).toIntArray());
  }

  @Test
  void aShapeErrorInsideAClusterKeepsItsTypeAndMessage() {
    Function f = Function.builder().relaxShapes(true).buildList(a -> {
      try (Scope s = Scopes.jitScope()) {
        return List.of(a.get(0).mul(a.get(1)).relu());
      }
    });
    Function plain = Function.builder().relaxShapes(true)
        .buildList(a -> List.of(a.get(0).mul(a.get(1)).relu()));
    Tensor x = floats(20, 3);
    f.callAll(x, x);
    f.callAll(x, x);
    InvalidArgumentException want =
        assertThrows(InvalidArgumentException.class, () -> plain.callAll(x, floats(21, 4)));
    InvalidArgumentException got =
        assertThrows(InvalidArgumentException.class, () -> f.callAll(x, floats(21, 4)));
    // the same message, and the member that failed named as the executor names nodes
    assertTrue(got.getMessage().startsWith(want.getMessage()), got.getMessage());
    assertTrue(got.getMessage().contains("[[node Mul (Mul)"), got.getMessage());
  }

  @Test
  void aGroupTooLargeForC2IsSplitIntoKernelsThatFit() {
    Tensor[] in = {floats(22, 999), floats(23, 999), floats(24, 999)};
    UnaryOperator<List<Tensor>> body = a -> {
      Tensor x = a.get(0);
      for (int i = 0; i < 150; i++) { // 450 ops: one loop would be far over 8000 bytes
        x = x.mul(a.get(1)).add(a.get(2)).tanh();
      }
      return List.of(x);
    };
    Function f = jit(body);
    FusionPlan p = planOf(f, in);
    assertArrayEquals(body.apply(List.of(in)).get(0).toFloatArray(),
        f.callAll(in).get(0).toFloatArray());
    if (FusedKernels.enabled()) {
      long parts = count(p, FusedStep.class);
      assertTrue(parts >= 2, p.toString());
      assertEquals(parts, p.steps().length, "every part compiled");
      for (FusionPlan.Step s : p.steps()) {
        assertTrue(((FusedStep) s).kernel().bytecodeSize() <= FusedKernels.MAX_METHOD_BYTES);
      }
    }
  }

  @Test
  void aDtypeErrorInsideAJitScopeIsTheUnjittedOne() {
    Tensor ints = Tensor.of(1, 2, 3);
    InvalidArgumentException want =
        assertThrows(InvalidArgumentException.class, () -> Ops.sqrt(ints.add(1)));
    Function f = jit(a -> List.of(Ops.sqrt(a.get(0).add(1))));
    InvalidArgumentException got =
        assertThrows(InvalidArgumentException.class, () -> f.callAll(ints));
    assertTrue(got.getMessage().startsWith(want.getMessage()), got.getMessage());
  }
}
