package io.degen.metrics.similarity;

import io.degen.backend.Backend;
import io.degen.metrics.Metric;
import io.degen.util.Mat;

/**
 * Linear centered kernel alignment (Kornblith et al. 2019) between representations X (n x p) and
 * Y (n x q) with columns centered:
 *
 * <pre>  CKA(X, Y) = ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F)</pre>
 *
 * CKA is a similarity in [0, 1] (1 = the same up to rotation and isotropic scaling);
 * {@link #similarity} returns it and, as a {@link Metric}, {@link #distance} returns {@code 1 - CKA}.
 * Invariant to orthogonal transforms and isotropic scaling of either side, not to general
 * invertible linear maps.
 */
public final class LinearCka implements Metric<Mat> {
    private final Backend backend;

    public LinearCka(Backend backend) { this.backend = backend; }

    @Override public String name() { return "cka"; }

    /** CKA in [0, 1]. Fails if either side has no variance after centering. */
    public double similarity(Mat x, Mat y) {
        Representations.validatePair(x, y);
        Mat xc = Representations.centered(x), yc = Representations.centered(y);
        double xx = Representations.frobenius(Representations.crossProduct(backend, xc, xc));
        double yy = Representations.frobenius(Representations.crossProduct(backend, yc, yc));
        if (xx == 0) throw new IllegalArgumentException("X has zero variance after centering; CKA is undefined");
        if (yy == 0) throw new IllegalArgumentException("Y has zero variance after centering; CKA is undefined");
        double yx = Representations.frobenius(Representations.crossProduct(backend, yc, xc));
        return yx * yx / (xx * yy);
    }

    /** 1 - CKA: 0 for identical representations. */
    @Override public double distance(Mat x, Mat y) { return 1.0 - similarity(x, y); }
}
