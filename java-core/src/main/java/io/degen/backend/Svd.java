package io.degen.backend;

/** Thin SVD A = U diag(s) Vt of an m x n matrix, k = min(m, n); arrays row-major. */
public record Svd(int m, int n, double[] u, double[] s, double[] vt) {
    public int k() { return s.length; }
}
