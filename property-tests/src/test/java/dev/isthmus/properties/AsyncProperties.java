package dev.isthmus.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import dev.isthmus.Dataset;
import dev.isthmus.DatasetIterator;
import dev.isthmus.Function;
import dev.isthmus.IsthmusException;
import dev.isthmus.Ops;
import dev.isthmus.OutOfRangeException;
import dev.isthmus.Scope;
import dev.isthmus.Tensor;
import dev.isthmus.Variable;
import dev.isthmus.scopes.Scopes;
import dev.isthmus.testkit.Draw;
import dev.isthmus.testkit.TensorGens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random programs give the same results in an async scope as synchronously: every value, the
 * state of a variable and of a dataset iterator they update, and the type of the first error
 * when one is injected (an out-of-range gather index, or reading past the end of the data).
 *
 * <p>A program is a list of instructions over a file of {@code [n, n]} float32 registers: ops,
 * a variable update, a traced Function call and iterator reads. The same kernels run in both
 * modes, so values must agree bit for bit; the programs use only ops whose results do not depend
 * on the JIT (no transcendentals, no reduction across the last axis, which can differ by an ulp
 * between interpreted and compiled Vector API code while the JIT warms up).
 *
 * <p>Synchronously a program stops at its first error. Asynchronously it goes on issuing until
 * dispatch fails fast (or to its end); ops issued after the failing one are cancelled. So the
 * instructions before the error must have the same values, the failing one and every later one
 * must throw the same type, and the variable and the iterator must end in the same state.
 */
@SuppressWarnings("try") // scopes entered for their effect
class AsyncProperties {
  /** Instruction kinds. */
  enum Kind { ADD, SUB, MUL, MAXIMUM, NEG, ABS, CLIP, MATMUL, TRANSPOSE, ADD_COLUMN_SUMS, GATHER,
    ASSIGN_ADD, GET_NEXT, CALL, BAD_GATHER }

  /** {@code r[dst] = kind(r[a], r[b])}, and {@code rows} for a gather. */
  record Instr(Kind kind, int dst, int a, int b, int[] rows) {
    @Override
    public String toString() {
      return kind + " r" + dst + " <- r" + a + ", r" + b
          + (rows != null ? " " + Arrays.toString(rows) : "");
    }
  }

  /** Registers of {@code [n, n]}, their initial values, the code, and how many data elements. */
  record Program(int n, float[][] init, List<Instr> code, int dataElements) {
    @Override
    public String toString() {
      return "Program(n=" + n + ", data=" + dataElements + ", code=" + code + ")";
    }
  }

  static final int REGISTERS = 4;

  static Gen<Program> programs() {
    return in -> {
      Draw d = TensorGens.draw(in);
      int n = d.intBetween(1, 5);
      float[][] init = new float[REGISTERS][n * n];
      for (float[] r : init) {
        for (int i = 0; i < r.length; i++) {
          r[i] = d.intBetween(-8, 8) / 4f;
        }
      }
      int len = d.intBetween(1, 30);
      // a third of the programs get one bad gather; reading past the data fails on its own
      int bad = d.intBetween(0, 2) == 0 ? d.intBetween(0, len - 1) : -1;
      Kind[] kinds = Arrays.copyOf(Kind.values(), Kind.values().length - 1);
      List<Instr> code = new ArrayList<>();
      for (int k = 0; k < len; k++) {
        Kind kind = k == bad ? Kind.BAD_GATHER : kinds[d.intBetween(0, kinds.length - 1)];
        int[] rows = null;
        if (kind == Kind.GATHER || kind == Kind.BAD_GATHER) {
          rows = new int[d.intBetween(1, 3)];
          for (int i = 0; i < rows.length; i++) {
            rows[i] = d.intBetween(0, n - 1);
          }
          if (kind == Kind.BAD_GATHER) {
            rows[d.intBetween(0, rows.length - 1)] = n + d.intBetween(0, 3);
          }
        }
        code.add(new Instr(kind, d.intBetween(0, REGISTERS - 1), d.intBetween(0, REGISTERS - 1),
            d.intBetween(0, REGISTERS - 1), rows));
      }
      return new Program(n, init, code, d.intBetween(0, 6));
    };
  }

  /** What one run left behind. */
  static final class Run {
    final Tensor[] written; // the tensor each instruction wrote, null if it was not issued
    Variable variable;
    DatasetIterator iterator;
    int failedAt = -1; // the instruction that threw (synchronously), or -1
    IsthmusException error; // the first error, or null

    Run(int len) {
      written = new Tensor[len];
    }
  }

  /** The traced function the programs call. */
  static final Function CALLED = Function.of((x, y) -> Ops.clipByValue(x.mul(y).add(x), -4, 4));

  /** Runs {@code p} on this thread's current executor, recording what each instruction wrote. */
  static void interpret(Program p, Run run) {
    int n = p.n();
    Tensor[] r = new Tensor[REGISTERS];
    for (int i = 0; i < REGISTERS; i++) {
      r[i] = Tensor.of(p.init()[i], n, n);
    }
    run.variable = Variable.of(Ops.zeros(dev.isthmus.DType.FLOAT32, n, n));
    float[] data = new float[p.dataElements() * n * n];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i % 7) / 2f - 1;
    }
    run.iterator = Dataset.fromTensorSlices(Tensor.of(data, p.dataElements(), n, n)).iterator();
    List<Instr> code = p.code();
    for (int k = 0; k < code.size(); k++) {
      Instr in = code.get(k);
      Tensor a = r[in.a()];
      Tensor b = r[in.b()];
      Tensor out;
      try {
        out = switch (in.kind()) {
          case ADD -> a.add(b);
          case SUB -> a.sub(b);
          case MUL -> a.mul(b);
          case MAXIMUM -> Ops.maximum(a, b);
          case NEG -> a.neg();
          case ABS -> a.abs();
          case CLIP -> Ops.clipByValue(a, -4, 4);
          case MATMUL -> Ops.clipByValue(Ops.matmul(a, b), -4, 4);
          case TRANSPOSE -> Ops.transpose(a);
          case ADD_COLUMN_SUMS -> b.add(Ops.reduceSum(a, true, 0));
          case GATHER, BAD_GATHER -> {
            // back to [n, n]: gather whole rows, then tile them into n rows
            Tensor g = Ops.gather(a, Tensor.of(in.rows()));
            int[] back = new int[n];
            for (int i = 0; i < n; i++) {
              back[i] = i % in.rows().length;
            }
            yield Ops.gather(g, Tensor.of(back));
          }
          case ASSIGN_ADD -> run.variable.assignAdd(Ops.clipByValue(a, -1, 1));
          case GET_NEXT -> run.iterator.getNext().add(a);
          case CALL -> CALLED.call(a, b);
        };
      } catch (IsthmusException e) {
        run.failedAt = k;
        throw e;
      }
      run.written[k] = out;
      r[in.dst()] = out;
    }
  }

  static Run sync(Program p) {
    Run run = new Run(p.code().size());
    try {
      interpret(p, run);
    } catch (IsthmusException e) {
      run.error = e;
    }
    return run;
  }

  static Run async(Program p) {
    Run run = new Run(p.code().size());
    try (Scope s = Scopes.asyncScope()) {
      interpret(p, run);
    } catch (IsthmusException e) {
      // thrown by close (the barrier), or by a dispatch that failed fast with the same error
      run.error = e;
    }
    return run;
  }

  private static int[] bits(Tensor t) {
    float[] v = t.toFloatArray();
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  private static int remaining(DatasetIterator it) {
    int left = 0;
    while (true) {
      try {
        it.getNext();
        left++;
      } catch (OutOfRangeException e) {
        return left;
      }
    }
  }

  @Test
  void asyncAndSyncAgreeOnValuesStateAndTheFirstError() {
    qt().withExamples(150).forAll(programs()).checkAssert(p -> {
      Run want = sync(p);
      Run got = async(p);
      String what = p + (want.error != null ? " failing at " + want.failedAt : "");
      if (want.error == null) {
        assertNull(got.error, what);
      } else {
        assertNotNull(got.error, what);
        assertEquals(want.error.getClass(), got.error.getClass(), what);
      }
      int valid = want.error == null ? p.code().size() : want.failedAt;
      for (int k = 0; k < valid; k++) {
        assertArrayEquals(bits(want.written[k]), bits(got.written[k]), what + " at " + k);
      }
      for (int k = valid; k < p.code().size(); k++) {
        Tensor t = got.written[k];
        if (t != null) { // issued before dispatch failed fast: cancelled with the first error
          assertEquals(want.error.getClass(), assertThrows(IsthmusException.class, t::toFloatArray)
              .getClass(), what + " at " + k);
        }
      }
      // ops after the first error never ran: the variable and the iterator are where sync left
      assertArrayEquals(bits(want.variable.read()), bits(got.variable.read()), what);
      assertEquals(remaining(want.iterator), remaining(got.iterator), what);
    });
  }

  @Test
  void afterClearErrorTheSameScopeRunsTheProgramAgain() {
    qt().withExamples(40).forAll(programs()).checkAssert(p -> {
      Run want = sync(p);
      Run got = new Run(p.code().size());
      try (Scope s = Scopes.asyncScope()) {
        try {
          interpret(p, new Run(p.code().size())); // fails or not; either way then cleared
          dev.isthmus.Context.executor().waitForPending();
        } catch (IsthmusException e) {
          Scopes.asyncClearError();
        }
        try {
          interpret(p, got);
          dev.isthmus.Context.executor().waitForPending();
        } catch (IsthmusException e) {
          got.error = e;
          Scopes.asyncClearError();
        }
      }
      assertEquals(want.error == null ? null : want.error.getClass(),
          got.error == null ? null : got.error.getClass(), p.toString());
      int valid = want.error == null ? p.code().size() : want.failedAt;
      for (int k = 0; k < valid; k++) {
        assertArrayEquals(bits(want.written[k]), bits(got.written[k]), p + " at " + k);
      }
    });
  }
}
