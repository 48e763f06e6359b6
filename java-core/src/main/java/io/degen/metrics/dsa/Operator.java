package io.degen.metrics.dsa;

import io.degen.backend.Eig;
import io.degen.backend.Backend;
import io.degen.util.Mat;

/**
 * A fitted HAVOK operator: the r x r matrix A_v that advances the rank-r Hankel coordinates,
 * v_{t+1} = A_v v_t (column vectors, the DSA package's {@code A_v}), plus how it was obtained.
 *
 * @param a              the operator A_v (r x r)
 * @param nDelays        n_delays of the embedding
 * @param delayInterval  delay_interval of the embedding
 * @param ridge          ridge lambda of the regression
 * @param units          units (observed dimensions) of the data
 * @param trials         trials in the data
 * @param time           time steps per trial
 * @param singularValues all singular values of the Hankel matrix that were computed, descending
 *                       (at least the first r)
 * @param method         "svd" (thin SVD of the Hankel matrix) or "gram" (eigen-decomposition of its Gram matrix)
 */
public record Operator(Mat a, int nDelays, int delayInterval, double ridge, int units, int trials, int time,
                       double[] singularValues, String method) {
    public Operator {
        if (a == null || !a.isSquare() || a.rows() == 0) throw new IllegalArgumentException("operator must be a non-empty square matrix");
    }

    /** The rank r: the operator's size. */
    public int rank() { return a.rows(); }

    /** Eigenvalues of A_v as rows {re, im}, in the order the engine's eigen-solver returns them. */
    public double[][] eigenvalues(Backend engine) {
        int n = rank();
        Eig e = engine.eig(n, a.data().clone(), false);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) out[i] = new double[] {e.re()[i], e.im()[i]};
        return out;
    }

    /** Frobenius norm of A_v. */
    public double norm() { return a.frobenius(); }
}
