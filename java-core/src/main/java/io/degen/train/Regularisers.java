package io.degen.train;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
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
        RnnModel.Slice w = model.slice(model.recurrentName());
        return apply(model.backend(), model.params(), model.grads(), w.offset(), w.rows(), w.cols(), nuclear, l1);
    }

    /**
     * The same for a rows x cols recurrent matrix at {@code off} of {@code params}, its gradient at
     * {@code off} of {@code grads} (one network of a stacked cohort, or a model's own buffers).
     */
    public static double apply(Backend be, Buf params, Buf grads, int off, int rows, int cols, double nuclear, double l1) {
        if (nuclear == 0 && l1 == 0) return 0;
        int size = rows * cols;
        double penalty = 0;
        if (l1 > 0) {
            penalty += l1 * be.sumAbs(params, off, size);
            be.addSign(params, off, l1, grads, off, size);
        }
        if (nuclear > 0) {
            double[] w = new double[size];
            be.download(params, off, w, 0, size);
            Svd svd = be.svd(rows, cols, w);
            double sum = 0;
            for (double s : svd.s()) sum += s;
            penalty += nuclear * sum;
            int k = svd.k();
            double[] uvt = new double[size];
            for (int i = 0; i < rows; i++) {
                for (int p = 0; p < k; p++) {
                    double u = svd.u()[i * k + p];
                    if (u == 0) continue;
                    for (int j = 0; j < cols; j++) uvt[i * cols + j] += u * svd.vt()[p * cols + j];
                }
            }
            double[] g = new double[size];
            be.download(grads, off, g, 0, size);
            for (int i = 0; i < g.length; i++) g[i] += nuclear * uvt[i];
            be.write(grads, off, g, 0, size);
        }
        return penalty;
    }
}
