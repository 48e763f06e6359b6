package io.degen.backend;

/**
 * Public entry to the host (EJML) decompositions, for engines outside this package (the CUDA engine
 * copies the small analysis matrices to the host and decomposes them here). Same contracts as
 * {@link Backend#svd}, {@link Backend#eig} and {@link Backend#lstsq}.
 */
public final class HostDecompositions {
    private HostDecompositions() { }

    public static Svd svd(int m, int n, double[] a) { return EjmlDecompositions.svd(m, n, a); }

    public static Eig eig(int n, double[] a, boolean vectors) { return EjmlDecompositions.eig(n, a, vectors); }

    public static double[] lstsq(int m, int n, int nrhs, double[] a, double[] b) {
        return EjmlDecompositions.lstsq(m, n, nrhs, a, b);
    }
}
