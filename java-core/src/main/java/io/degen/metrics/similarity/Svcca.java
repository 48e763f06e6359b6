package io.degen.metrics.similarity;

import io.degen.backend.Backend;
import io.degen.backend.Svd;
import io.degen.metrics.Metric;
import io.degen.util.Mat;

/**
 * SVCCA (Raghu et al. 2017): center X and Y, keep the top-k singular directions of each
 * ({@code U_k S_k}, the projections on the k leading principal axes), then run CCA between the two
 * reduced representations and average the k canonical correlations.
 *
 * <p>Since the columns of {@code U_k S_k} are orthogonal, their span has the orthonormal basis
 * {@code U_k}, and the canonical correlations are the singular values of {@code Ux_k^T Uy_k}
 * (the cosines of the principal angles between the two k-dimensional subspaces). The mean lies in
 * [0, 1]: {@link #similarity} returns it, and as a {@link Metric} {@link #distance} returns
 * {@code 1 - mean}.
 */
public final class Svcca implements Metric<Mat> {
    private final int k;
    private final Backend backend;

    public Svcca(int k, Backend backend) {
        if (k < 1) throw new IllegalArgumentException("SVCCA needs k >= 1 directions, got " + k);
        this.k = k;
        this.backend = backend;
    }

    public int k() { return k; }

    @Override public String name() { return "svcca"; }

    /** Mean canonical correlation of the top-k SVD subspaces, in [0, 1]. */
    public double similarity(Mat x, Mat y) {
        Representations.validatePair(x, y);
        int n = x.rows();
        int maxK = Math.min(n, Math.min(x.cols(), y.cols()));
        if (k > maxK) {
            throw new IllegalArgumentException("SVCCA k = " + k + " exceeds min(samples, units of X, units of Y) = " + maxK
                    + " (X is " + x.rows() + " x " + x.cols() + ", Y is " + y.rows() + " x " + y.cols() + ")");
        }
        double[] ux = topDirections(Representations.centered(x), "X");
        double[] uy = topDirections(Representations.centered(y), "Y");
        // M = Ux_k^T Uy_k (k x k)
        double[] m = new double[k * k];
        for (int r = 0; r < n; r++) {
            for (int a = 0; a < k; a++) {
                double xa = ux[r * k + a];
                for (int b = 0; b < k; b++) m[a * k + b] += xa * uy[r * k + b];
            }
        }
        double[] s = backend.svd(k, k, m).s();
        double sum = 0;
        for (double v : s) sum += Math.min(1.0, v);
        return sum / k;
    }

    /** 1 - mean canonical correlation: 0 when the top-k subspaces coincide. */
    @Override public double distance(Mat x, Mat y) { return 1.0 - similarity(x, y); }

    /** The first k left singular vectors (n x k, row-major) of the centered matrix. */
    private double[] topDirections(Mat c, String what) {
        Svd svd = backend.svd(c.rows(), c.cols(), c.data());
        double[] s = svd.s();
        double tol = Math.max(c.rows(), c.cols()) * Math.ulp(s[0]);
        if (!(s[k - 1] > tol)) {
            throw new IllegalArgumentException(what + " has rank below k = " + k + " after centering (singular value " + (k)
                    + " is " + s[k - 1] + "); lower --k");
        }
        int kk = svd.k(), n = c.rows();
        double[] u = new double[n * k];
        for (int r = 0; r < n; r++) System.arraycopy(svd.u(), r * kk, u, r * k, k);
        return u;
    }
}
