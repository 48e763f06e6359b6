package io.degen.backend;

/**
 * The one numeric engine interface. Everything the trainer and the metrics compute goes through
 * it, so a CPU, native or GPU engine is chosen once (a factory argument) and nothing else changes.
 *
 * <p>Matrices are row-major. Offsets and leading dimensions count elements. All operands of one
 * call share a dtype. Decompositions work on host {@code double[]} arrays, because the metrics use
 * them on small analysis matrices (operators of rank 20, 128x128 weights).
 */
public interface Backend extends AutoCloseable {

    /** Short name printed in summaries: "java", "mkl", "cuda". */
    String name();

    /**
     * Whether networks trained together should run as one stacked computation (a {@code Cohort}: a
     * few calls per time step for all of them) rather than as per-network calls grouped per time step.
     * True where each call costs far more than its arithmetic at training sizes (a GPU's launches);
     * the grouped form keeps each seed's numbers bit for bit those of its training alone.
     */
    default boolean stacksEnsembles() { return false; }

    // ---- storage -------------------------------------------------------------------------

    /** A zero-filled buffer. */
    Buf alloc(DType dtype, int size);

    Buf upload(float[] data);

    Buf upload(double[] data);

    /** Copies {@code n} elements starting at {@code off} into {@code dst}, converting to double. */
    void download(Buf src, int off, double[] dst, int dstOff, int n);

    default double[] toDoubles(Buf src) {
        double[] out = new double[src.size()];
        download(src, 0, out, 0, out.length);
        return out;
    }

    /** Overwrites {@code n} elements of {@code dst} at {@code off} from a host array. */
    void write(Buf dst, int off, double[] src, int srcOff, int n);

    void copy(Buf src, int srcOff, Buf dst, int dstOff, int n);

    void fill(Buf x, int off, int n, double value);

    // ---- BLAS-like -----------------------------------------------------------------------

    /** C = alpha op(A) op(B) + beta C with op(A) m x k and op(B) k x n. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double alpha, Buf a, int aOff, int lda,
              Buf b, int bOff, int ldb,
              double beta, Buf c, int cOff, int ldc);

    /** {@code count} independent gemms; operand i starts at off + i * stride. */
    default void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                             double alpha, Buf a, int aOff, int lda, int strideA,
                             Buf b, int bOff, int ldb, int strideB,
                             double beta, Buf c, int cOff, int ldc, int strideC, int count) {
        for (int i = 0; i < count; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
        }
    }

    /**
     * The first {@code count} products of {@code ops}, which must be independent (no output is an
     * input of another). Engines with a grouped GEMM run them in one call, so networks trained
     * together pay one dispatch per time step instead of one per network; the default runs them in
     * order, which gives bit-identical results to separate {@link #gemm} calls.
     */
    default void gemmAll(GemmOp[] ops, int count) {
        for (int i = 0; i < count; i++) {
            GemmOp o = ops[i];
            gemm(o.transA(), o.transB(), o.m(), o.n(), o.k(), o.alpha(), o.a(), o.aOff(), o.lda(), o.b(), o.bOff(), o.ldb(),
                    o.beta(), o.c(), o.cOff(), o.ldc());
        }
    }

    /**
     * out (cols x rows) = transpose of a (rows x cols), both dense row-major. Models transpose the
     * recurrent matrix once per forward pass instead of asking every time step's gemm for op(B)^T.
     * The default goes through the host; engines override it with a device kernel.
     */
    default void transpose(Buf a, int aOff, int rows, int cols, Buf out, int outOff) {
        double[] h = new double[rows * cols], t = new double[rows * cols];
        download(a, aOff, h, 0, h.length);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = h[i * cols + j];
        write(out, outOff, t, 0, t.length);
    }

    /** y = alpha x + beta y. */
    void axpby(int n, double alpha, Buf x, int xOff, double beta, Buf y, int yOff);

    /** c[r][j] += bias[j] for a rows x cols block. */
    void addRowVector(Buf c, int cOff, int rows, int cols, Buf bias, int biasOff);

    /** out[j] = beta out[j] + sum_r a[r][j]. */
    void sumRows(Buf a, int aOff, int rows, int cols, double beta, Buf out, int outOff);

    // ---- element-wise --------------------------------------------------------------------

    /** y = tanh(x); x and y may be the same region. */
    void tanh(Buf x, int xOff, Buf y, int yOff, int n);

    /** out = g * (1 - h^2): the tanh derivative written through its output h. */
    void tanhBackward(Buf g, int gOff, Buf h, int hOff, Buf out, int outOff, int n);

    /** out = a * b element-wise. */
    void mul(Buf a, int aOff, Buf b, int bOff, Buf out, int outOff, int n);

    /** g += lambda * sign(w): the L1 subgradient. */
    void addSign(Buf w, int wOff, double lambda, Buf g, int gOff, int n);

    /**
     * Masked squared error. Returns sum(mask * (y - t)^2) and writes
     * dy = gradScale * mask * (y - t) (pass gradScale = 2 / count for the mean).
     */
    double maskedSquaredError(Buf y, Buf target, Buf mask, int n, double gradScale, Buf dy);

    /** sum of x^2. */
    double sumSquares(Buf x, int off, int n);

    /** sum of |x|. */
    double sumAbs(Buf x, int off, int n);

    /**
     * One Adam update with PyTorch's semantics (no weight decay, no amsgrad):
     * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m / bc1) / (sqrt(v / bc2) + eps),
     * where bc1 = 1 - b1^t, bc2 = 1 - b2^t.
     */
    void adam(Buf p, Buf g, Buf m, Buf v, int n, double lr, double beta1, double beta2, double eps,
              double bc1, double bc2);

    // ---- dense decompositions (host arrays, row-major, float64) ---------------------------

    /** Thin SVD of an m x n matrix: A = U diag(S) Vt, S descending. */
    Svd svd(int m, int n, double[] a);

    /** Eigenvalues (and right eigenvectors) of a general n x n matrix. */
    Eig eig(int n, double[] a, boolean vectors);

    /**
     * The k largest eigenvalues (descending) and their eigenvectors of a symmetric n x n matrix,
     * 1 <= k <= n. Rejects a matrix that is not finite or not symmetric (to 1e-12 of its largest
     * entry). Engines with LAPACK compute only the k pairs asked for; the default decomposes fully
     * with EJML and keeps the top k.
     */
    default SymmetricEig eigSymmetric(int n, double[] a, int k) { return EjmlDecompositions.eigSymmetric(n, a, k); }

    /** Least-squares solution X (n x nrhs) of A X = B with A m x n (m >= n), full column rank. */
    double[] lstsq(int m, int n, int nrhs, double[] a, double[] b);

    @Override
    default void close() { }
}
