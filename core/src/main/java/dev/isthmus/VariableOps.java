package dev.isthmus;

import dev.isthmus.internal.Attrs;
import dev.isthmus.internal.BinaryOps;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;

/**
 * The variable ops, declared once and run the same way eagerly and in graphs: attr
 * {@code variable} is the {@link Variable} itself (isthmus's resource handle). All are stateful,
 * so they keep their order and always run inside functions.
 */
final class VariableOps {
  private VariableOps() {}

  /** The variable's current value (TensorFlow's ReadVariableOp). */
  static final OpDef READ = OpDef.builder("ReadVariableOp")
      .flags(OpDef.Flag.STATEFUL)
      .shape((d, in, a) -> new TensorSpec[] {variable(d, in, a).spec()})
      .kernel((in, a, outs) -> new Tensor[] {((Variable) a.getObject("variable")).value()})
      .build();

  /** Replaces the value; outputs the new value (TensorFlow's AssignVariableOp, then a read). */
  static final OpDef ASSIGN = update("AssignVariableOp", null);

  /** Adds to the value; outputs the new value (AssignAddVariableOp). */
  static final OpDef ASSIGN_ADD = update("AssignAddVariableOp", BinaryOps.ADD);

  /** Subtracts from the value; outputs the new value (AssignSubVariableOp). */
  static final OpDef ASSIGN_SUB = update("AssignSubVariableOp", BinaryOps.SUB);

  private static OpDef update(String name, OpDef combine) {
    return OpDef.builder(name)
        .inputs("value")
        .flags(OpDef.Flag.STATEFUL)
        .shape((d, in, a) -> {
          Variable v = variable(d, in, a);
          TensorSpec s = v.spec();
          if (in[0].dtype() != s.dtype() || !in[0].shape().equals(s.shape())) {
            throw d.invalid(in, a, "a value of the variable's dtype and shape, " + s);
          }
          return new TensorSpec[] {s};
        })
        .kernel((in, a, outs) -> {
          Variable v = (Variable) a.getObject("variable");
          synchronized (v) { // every update holds the lock: an assign is never lost to an add
            if (combine == null) {
              v.set(in[0]);
              return new Tensor[] {in[0]};
            }
            Tensor old = v.value();
            // the kernel directly: an update is not an op a tape should see
            Tensor[] args = {old, in[0]};
            Tensor next = combine.compute(args, Attrs.EMPTY, combine.infer(args, Attrs.EMPTY))[0];
            v.set(next);
            return new Tensor[] {next};
          }
        })
        .build();
  }

  private static Variable variable(OpDef d, Tensor[] in, Attrs a) {
    if (!(a.has("variable") && a.getObject("variable") instanceof Variable v)) {
      throw d.invalid(in, a, "expected attribute variable, a Variable");
    }
    return v;
  }
}
