package io.degen.backend;

/**
 * Eigen-decomposition of a real n x n matrix. Eigenvalue j is (re[j], im[j]). When vectors were
 * asked for, column j of the row-major n x n arrays vecRe/vecIm is the right eigenvector j.
 */
public record Eig(int n, double[] re, double[] im, double[] vecRe, double[] vecIm) { }
