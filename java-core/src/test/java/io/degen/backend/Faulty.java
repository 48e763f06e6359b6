package io.degen.backend;

/**
 * The Java engine with one planted fault, for mutation tests of the comparison harnesses. Each fault
 * is one a GPU engine could plausibly have.
 */
final class Faulty implements Backend {
    enum Fault {
        /** The loss gradient written as zeros (values of order 1e-5: the earlier harness passed it). */
        DY_ZERO,
        /** Element-wise kernels stop at the grid-stride limit (the loop does not wrap). */
        TANH_NO_GRID_STRIDE,
        /** gemm with beta = 0 scales C by 0 instead of overwriting it (NaN in C stays NaN). */
        GEMM_BETA0_READS_C,
        /** gemm with k = 0 leaves C as it is instead of scaling it by beta. */
        GEMM_K0_IGNORES_BETA,
        /** gemmAll runs every product but the last. */
        GEMMALL_DROPS_LAST,
        /** transpose writes the matrix unchanged. */
        TRANSPOSE_COPIES,
        /** Adam with (1 - beta) computed in float. */
        ADAM_FLOAT_ONE_MINUS_BETA,
        /** Reductions lose the partial sum of the last block of 256. */
        SUM_DROPS_LAST_BLOCK,
    }

    private final JavaBackend j = new JavaBackend();
    private final Fault fault;

    Faulty(Fault fault) { this.fault = fault; }

    @Override public String name() { return "faulty-" + fault; }
    @Override public Buf alloc(DType dtype, int size) { return j.alloc(dtype, size); }
    @Override public Buf upload(float[] data) { return j.upload(data); }
    @Override public Buf upload(double[] data) { return j.upload(data); }
    @Override public void download(Buf src, int off, double[] dst, int dstOff, int n) { j.download(src, off, dst, dstOff, n); }
    @Override public void write(Buf dst, int off, double[] src, int srcOff, int n) { j.write(dst, off, src, srcOff, n); }
    @Override public void copy(Buf src, int srcOff, Buf dst, int dstOff, int n) { j.copy(src, srcOff, dst, dstOff, n); }
    @Override public void fill(Buf x, int off, int n, double value) { j.fill(x, off, n, value); }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Buf a, int aOff, int lda, Buf b, int bOff, int ldb,
                     double beta, Buf c, int cOff, int ldc) {
        if (fault == Fault.GEMM_K0_IGNORES_BETA && k == 0) return;
        if (fault == Fault.GEMM_BETA0_READS_C && beta == 0) {
            double[] old = new double[c.size()];
            j.download(c, 0, old, 0, old.length);
            j.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 0, c, cOff, ldc);
            double[] now = new double[c.size()];
            j.download(c, 0, now, 0, now.length);
            for (int i = 0; i < m; i++) for (int q = 0; q < n; q++) { int at = cOff + i * ldc + q; now[at] += 0 * old[at]; }
            j.write(c, 0, now, 0, now.length);
            return;
        }
        j.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override public void gemmAll(GemmOp[] ops, int count) {
        Backend.super.gemmAll(ops, fault == Fault.GEMMALL_DROPS_LAST && count > 0 ? count - 1 : count);
    }

    @Override public void transpose(Buf a, int aOff, int rows, int cols, Buf out, int outOff) {
        if (fault == Fault.TRANSPOSE_COPIES) { j.copy(a, aOff, out, outOff, rows * cols); return; }
        j.transpose(a, aOff, rows, cols, out, outOff);
    }

    @Override public void axpby(int n, double alpha, Buf x, int xOff, double beta, Buf y, int yOff) { j.axpby(n, alpha, x, xOff, beta, y, yOff); }
    @Override public void addRowVector(Buf c, int cOff, int rows, int cols, Buf bias, int biasOff) { j.addRowVector(c, cOff, rows, cols, bias, biasOff); }
    @Override public void sumRows(Buf a, int aOff, int rows, int cols, double beta, Buf out, int outOff) { j.sumRows(a, aOff, rows, cols, beta, out, outOff); }

    @Override public void tanh(Buf x, int xOff, Buf y, int yOff, int n) {
        j.tanh(x, xOff, y, yOff, fault == Fault.TANH_NO_GRID_STRIDE ? Math.min(n, BackendCrossCheck.GRID_STRIDE) : n);
    }

    @Override public void tanhBackward(Buf g, int gOff, Buf h, int hOff, Buf out, int outOff, int n) { j.tanhBackward(g, gOff, h, hOff, out, outOff, n); }
    @Override public void mul(Buf a, int aOff, Buf b, int bOff, Buf out, int outOff, int n) { j.mul(a, aOff, b, bOff, out, outOff, n); }
    @Override public void addSign(Buf w, int wOff, double lambda, Buf g, int gOff, int n) { j.addSign(w, wOff, lambda, g, gOff, n); }

    @Override public double maskedSquaredError(Buf y, Buf target, Buf mask, int n, double gradScale, Buf dy) {
        double s = j.maskedSquaredError(y, target, mask, n, gradScale, dy);
        if (fault == Fault.DY_ZERO) j.fill(dy, 0, n, 0);
        return s;
    }

    @Override public double sumSquares(Buf x, int off, int n) {
        return j.sumSquares(x, off, fault == Fault.SUM_DROPS_LAST_BLOCK && n > 256 ? n - (n - 1) % 256 - 1 : n);
    }

    @Override public double sumAbs(Buf x, int off, int n) { return j.sumAbs(x, off, n); }

    @Override public void adam(Buf p, Buf g, Buf m, Buf v, int n, double lr, double beta1, double beta2, double eps, double bc1, double bc2) {
        if (fault == Fault.ADAM_FLOAT_ONE_MINUS_BETA && p.dtype() == DType.F32) {
            // beta2' such that (float) (1 - beta2') == 1f - (float) beta2, as a float kernel would form it
            double b2 = 1 - (double) (1f - (float) beta2), b1 = 1 - (double) (1f - (float) beta1);
            j.adam(p, g, m, v, n, lr, b1, b2, eps, bc1, bc2);
            return;
        }
        j.adam(p, g, m, v, n, lr, beta1, beta2, eps, bc1, bc2);
    }

    @Override public Svd svd(int m, int n, double[] a) { return j.svd(m, n, a); }
    @Override public Eig eig(int n, double[] a, boolean vectors) { return j.eig(n, a, vectors); }
    @Override public double[] lstsq(int m, int n, int nrhs, double[] a, double[] b) { return j.lstsq(m, n, nrhs, a, b); }
}
