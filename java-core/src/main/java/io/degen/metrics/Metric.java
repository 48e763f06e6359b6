package io.degen.metrics;

/**
 * A dissimilarity between two fitted objects (weights, DSA operators, representations), in the
 * style of netrep: clear inputs, a documented direction and a pairwise form ({@link Pairwise}).
 * Every implementation returns 0 for identical inputs, grows as they differ, and is symmetric.
 */
public interface Metric<T> {
    /** Name used in reports and JSON ("dsa", "pif", ...). */
    String name();

    /** Distance between a and b: 0 = identical, larger = more different. */
    double distance(T a, T b);
}
