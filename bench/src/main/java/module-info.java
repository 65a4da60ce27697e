/** JMH benchmarks of isthmus and the ratio-table runner. */
module dev.isthmus.bench {
  requires dev.isthmus;
  requires dev.isthmus.scopes;
  requires jmh.core;
  requires jdk.incubator.vector;
  exports dev.isthmus.bench;
  opens dev.isthmus.bench;
}
