/** Property-test kit: generators for shapes and tensors, and tolerance-aware assertions. */
module dev.isthmus.testkit {
  requires transitive dev.isthmus;
  requires static quicktheories;
  exports dev.isthmus.testkit;
}
