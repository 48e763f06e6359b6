package io.degen.metrics.similarity;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
import io.degen.io.NdArray;
import io.degen.util.Mat;

import java.util.Arrays;

/**
 * Helpers shared by the representational similarity measures. A representation is a matrix of
 * samples x units (one row per stimulus, or per trial and time step); two representations are
 * compared row by row, so they need the same number of samples but may have different widths.
 */
public final class Representations {
    private Representations() { }

    /**
     * A rank-2 array (samples, units) as is, or a rank-3 array (trials, time, units) flattened to
     * (trials * time, units) in C order.
     */
    public static Mat fromArray(NdArray a, String what) {
        if (a.rank() == 2) return new Mat(a.dim(0), a.dim(1), a.data().clone());
        if (a.rank() == 3) {
            long rows = (long) a.dim(0) * a.dim(1);
            if (rows > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " has too many samples: " + Arrays.toString(a.shape()));
            return new Mat((int) rows, a.dim(2), a.data().clone());
        }
        throw new IllegalArgumentException(what + " must have shape (samples, units) or (trials, time, units), got shape "
                + Arrays.toString(a.shape()));
    }

    /** Checks a pair of representations: non-empty, finite, same number of samples. */
    public static void validatePair(Mat x, Mat y) {
        validate(x, "X");
        validate(y, "Y");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("X has " + x.rows() + " samples but Y has " + y.rows()
                    + "; representations are compared sample by sample");
        }
    }

    static void validate(Mat m, String what) {
        if (m == null) throw new IllegalArgumentException(what + " must not be null");
        if (m.rows() == 0 || m.cols() == 0) throw new IllegalArgumentException(what + " is empty (" + m.rows() + " x " + m.cols() + ")");
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            if (!Double.isFinite(d[k])) {
                throw new IllegalArgumentException(what + " contains " + d[k] + " at sample " + k / m.cols() + ", unit " + k % m.cols());
            }
        }
    }

    /** A copy with every column's mean subtracted. */
    public static Mat centered(Mat m) {
        int r = m.rows(), c = m.cols();
        double[] mean = new double[c];
        double[] d = m.data();
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) mean[j] += d[i * c + j];
        for (int j = 0; j < c; j++) mean[j] /= r;
        double[] out = new double[d.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[i * c + j] = d[i * c + j] - mean[j];
        return new Mat(r, c, out);
    }

    /** X^T Y (cols(X) x cols(Y)) for matrices with the same rows, through the backend GEMM. */
    static double[] crossProduct(Backend be, Mat x, Mat y) {
        int n = x.rows(), p = x.cols(), q = y.cols();
        try (Buf bx = be.upload(x.data()); Buf by = be.upload(y.data()); Buf out = be.alloc(io.degen.backend.DType.F64, p * q)) {
            be.gemm(true, false, p, q, n, 1.0, bx, 0, p, by, 0, q, 0.0, out, 0, q);
            return be.toDoubles(out);
        }
    }

    static double frobenius(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        return Math.sqrt(s);
    }
}
