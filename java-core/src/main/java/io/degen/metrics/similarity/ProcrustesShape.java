package io.degen.metrics.similarity;

import io.degen.backend.Backend;
import io.degen.metrics.Metric;
import io.degen.util.Mat;

/**
 * Angular Procrustes shape distance (Williams et al. 2021, "Generalized shape metrics on neural
 * representations"): center the columns of X and Y, scale each to unit Frobenius norm (Xn, Yn),
 * zero-pad the narrower one to the other's width, and take the angle
 *
 * <pre>  theta(X, Y) = arccos( max over orthogonal Q of tr(Xn^T Yn Q) ) = arccos( ||Xn^T Yn||_* )</pre>
 *
 * where ||.||_* is the nuclear norm (sum of singular values). Zero-padding only adds zero singular
 * values, so the padded and unpadded products have the same nuclear norm. The result lies in
 * [0, pi/2], is 0 when X and Y agree up to rotation, translation and scale, and is a metric.
 */
public final class ProcrustesShape implements Metric<Mat> {
    private final Backend backend;

    public ProcrustesShape(Backend backend) { this.backend = backend; }

    @Override public String name() { return "procrustes"; }

    /** The angle in radians. */
    public double angle(Mat x, Mat y) {
        Representations.validatePair(x, y);
        Mat xn = unitNorm(Representations.centered(x), "X"), yn = unitNorm(Representations.centered(y), "Y");
        double[] c = Representations.crossProduct(backend, xn, yn);
        double[] s = backend.svd(xn.cols(), yn.cols(), c).s();
        double nuclear = 0;
        for (double v : s) nuclear += v;
        // Cauchy-Schwarz bounds the nuclear norm by 1; clamp rounding above it.
        return Math.acos(Math.max(-1.0, Math.min(1.0, nuclear)));
    }

    @Override public double distance(Mat x, Mat y) { return angle(x, y); }

    private static Mat unitNorm(Mat c, String what) {
        double norm = Representations.frobenius(c.data());
        if (norm == 0) throw new IllegalArgumentException(what + " has zero variance after centering; the shape angle is undefined");
        double[] d = c.data().clone();
        for (int i = 0; i < d.length; i++) d[i] /= norm;
        return new Mat(c.rows(), c.cols(), d);
    }
}
