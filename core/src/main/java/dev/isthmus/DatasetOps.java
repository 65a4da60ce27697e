package dev.isthmus;

import dev.isthmus.internal.ContextStack;
import dev.isthmus.internal.EagerContext;
import dev.isthmus.internal.OpDef;
import dev.isthmus.internal.TensorSpec;

/** The dataset op: {@code IteratorGetNext}, stateful, attr {@code iterator}. */
final class DatasetOps {
  private DatasetOps() {}

  static final OpDef GET_NEXT = OpDef.builder("IteratorGetNext")
      .flags(OpDef.Flag.STATEFUL)
      .shape((d, in, a) -> {
        if (!(a.has("iterator") && a.getObject("iterator") instanceof DatasetIterator it)) {
          throw d.invalid(in, a, "expected attribute iterator, a DatasetIterator");
        }
        return it.dataset().spec().toArray(new TensorSpec[0]);
      })
      .kernel((in, a, outs) -> {
        // a map function runs eagerly, whatever context the kernel was called from
        try (Scope eager = ContextStack.push(EagerContext.INSTANCE)) {
          return ((DatasetIterator) a.getObject("iterator")).next();
        }
      })
      .dynamicShape(a -> true)
      .build();
}
