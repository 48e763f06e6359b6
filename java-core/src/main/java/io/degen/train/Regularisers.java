package io.degen.train;

import io.degen.backend.Backend;
import io.degen.backend.Svd;
import io.degen.model.RnnModel;

/**
 * Structural penalties on the recurrent matrix W: nuclear norm lambda * sum(sigma_i(W)) with the
 * subgradient lambda U V^T from the SVD, and L1 lambda * sum |w_ij| with subgradient lambda sign(w).
 */
public final class Regularisers {
    private Regularisers() { }

    /** Adds the penalties' gradients to the model's gradient buffer; returns the penalty value. */
    public static double apply(RnnModel model, double nuclear, double l1) {
        if (nuclear == 0 && l1 == 0) return 0;
        Backend be = model.backend();
        RnnModel.Slice w = model.slice(model.recurrentName());
        double penalty = 0;
        if (l1 > 0) {
            penalty += l1 * be.sumAbs(model.params(), w.offset(), w.size());
            be.addSign(model.params(), w.offset(), l1, model.grads(), w.offset(), w.size());
        }
        if (nuclear > 0) {
            int n = w.rows();
            Svd svd = be.svd(n, w.cols(), model.parameter(model.recurrentName()));
            double sum = 0;
            for (double s : svd.s()) sum += s;
            penalty += nuclear * sum;
            int k = svd.k();
            double[] uvt = new double[n * w.cols()];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < k; p++) {
                    double u = svd.u()[i * k + p];
                    if (u == 0) continue;
                    for (int j = 0; j < w.cols(); j++) uvt[i * w.cols() + j] += u * svd.vt()[p * w.cols() + j];
                }
            }
            double[] g = model.gradient(model.recurrentName());
            for (int i = 0; i < g.length; i++) g[i] += nuclear * uvt[i];
            be.write(model.grads(), w.offset(), g, 0, g.length);
        }
        return penalty;
    }
}
