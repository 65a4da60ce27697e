package dev.isthmus.kernels;

/**
 * The elementwise unary operators, as data: one entry per operator, read by the kernels, the
 * scalar twins and (later) the fusion compiler.
 */
public enum UnaryOp {
  NEG,
  EXP;
}
