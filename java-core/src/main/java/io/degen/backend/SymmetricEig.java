package io.degen.backend;

/**
 * The k largest eigenpairs of a real symmetric n x n matrix: {@code values} descending, and column
 * c of the row-major n x k array {@code vectors} the unit eigenvector of {@code values[c]} (the
 * columns are orthonormal; each one's sign is whatever the solver returned).
 */
public record SymmetricEig(int n, int k, double[] values, double[] vectors) { }
