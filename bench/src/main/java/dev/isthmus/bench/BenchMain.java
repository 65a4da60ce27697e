package dev.isthmus.bench;

/** Runs a JMH group briefly and prints a ratio table. */
public final class BenchMain {
  private BenchMain() {}

  /** Entry point: {@code BenchMain <group>}. */
  public static void main(String[] args) {
    System.out.println("no benchmarks yet");
  }
}
