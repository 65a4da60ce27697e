/** The isthmus demo. */
module dev.isthmus.examples {
  requires dev.isthmus;
  requires dev.isthmus.scopes;
  requires java.management;
}
