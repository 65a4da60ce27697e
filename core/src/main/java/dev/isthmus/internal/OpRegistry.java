package dev.isthmus.internal;

import dev.isthmus.UnimplementedException;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every op declaration, by name. Each declaration registers itself when its family class is
 * initialised; {@link #all()} loads every family first, so tests generated from the registry
 * see all ops.
 */
public final class OpRegistry {
  private static final ConcurrentHashMap<String, OpDef> OPS = new ConcurrentHashMap<>();

  /** The op family classes; each declares its ops as static fields. */
  private static final String[] FAMILIES = {
    "dev.isthmus.internal.UnaryOps",
    "dev.isthmus.internal.BinaryOps",
    "dev.isthmus.internal.CompareOps",
    "dev.isthmus.internal.CastOps",
    "dev.isthmus.internal.ReduceOps",
    "dev.isthmus.internal.ShapeOps",
    "dev.isthmus.internal.ConcatOps",
    "dev.isthmus.internal.SliceOps",
    "dev.isthmus.internal.GatherOps",
    "dev.isthmus.internal.PadOps",
    "dev.isthmus.internal.CreationOps",
    "dev.isthmus.internal.MatmulOps",
    "dev.isthmus.internal.NnOps",
    "dev.isthmus.internal.NnGradOps",
    "dev.isthmus.internal.TrainOps",
    "dev.isthmus.GraphOps",
    "dev.isthmus.VariableOps",
    "dev.isthmus.DatasetOps",
    "dev.isthmus.FunctionGradients",
    "dev.isthmus.ControlFlowOps",
  };

  private OpRegistry() {}

  static void register(OpDef d) {
    if (OPS.putIfAbsent(d.name(), d) != null) {
      throw new IllegalStateException("op " + d.name() + " is declared twice");
    }
  }

  private static void loadAll() {
    for (String f : FAMILIES) {
      try {
        Class.forName(f, true, OpRegistry.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        // a family not written yet: its ops are simply absent
      }
    }
  }

  /** The op named {@code name}, or {@link UnimplementedException}. */
  public static OpDef get(String name) {
    OpDef d = OPS.get(name);
    if (d == null) {
      loadAll();
      d = OPS.get(name);
    }
    if (d == null) {
      throw new UnimplementedException("no op named " + name + " is registered");
    }
    return d;
  }

  /** Every registered op. */
  public static Collection<OpDef> all() {
    loadAll();
    return Collections.unmodifiableCollection(OPS.values());
  }
}
