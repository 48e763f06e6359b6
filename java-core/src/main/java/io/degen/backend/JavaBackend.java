package io.degen.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java engine: always available. GEMM and the element-wise kernels run on the JDK Vector
 * API; decompositions come from EJML ({@link EjmlDecompositions}). Buffers are heap arrays.
 */
public final class JavaBackend implements Backend {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;


    static final class HeapBuf extends Buf {
        final float[] f;
        final double[] d;

        HeapBuf(float[] f) { super(DType.F32, f.length); this.f = f; this.d = null; }

        HeapBuf(double[] d) { super(DType.F64, d.length); this.f = null; this.d = d; }
    }

    @Override public String name() { return "java"; }

    private static HeapBuf h(Buf b) {
        if (!(b instanceof HeapBuf)) throw new IllegalArgumentException("buffer belongs to another backend: " + b);
        return (HeapBuf) b;
    }

    /** The heap array behind a java-backend F32 buffer (for zero-copy readers such as tests). */
    public static float[] floats(Buf b) { return h(b).f; }

    public static double[] doubles(Buf b) { return h(b).d; }

    @Override public Buf alloc(DType dtype, int size) {
        return dtype == DType.F32 ? new HeapBuf(new float[size]) : new HeapBuf(new double[size]);
    }

    @Override public Buf upload(float[] data) { return new HeapBuf(data.clone()); }

    @Override public Buf upload(double[] data) { return new HeapBuf(data.clone()); }

    @Override public void download(Buf src, int off, double[] dst, int dstOff, int n) {
        HeapBuf s = h(src);
        if (s.f != null) for (int i = 0; i < n; i++) dst[dstOff + i] = s.f[off + i];
        else System.arraycopy(s.d, off, dst, dstOff, n);
    }

    @Override public void write(Buf dst, int off, double[] src, int srcOff, int n) {
        HeapBuf d = h(dst);
        if (d.f != null) for (int i = 0; i < n; i++) d.f[off + i] = (float) src[srcOff + i];
        else System.arraycopy(src, srcOff, d.d, off, n);
    }

    @Override public void copy(Buf src, int srcOff, Buf dst, int dstOff, int n) {
        HeapBuf s = h(src), d = h(dst);
        if (s.f != null) System.arraycopy(s.f, srcOff, d.f, dstOff, n);
        else System.arraycopy(s.d, srcOff, d.d, dstOff, n);
    }

    @Override public void fill(Buf x, int off, int n, double value) {
        HeapBuf b = h(x);
        if (b.f != null) java.util.Arrays.fill(b.f, off, off + n, (float) value);
        else java.util.Arrays.fill(b.d, off, off + n, value);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Buf a, int aOff, int lda, Buf b, int bOff, int ldb,
                     double beta, Buf c, int cOff, int ldc) {
        HeapBuf A = h(a), B = h(b), C = h(c);
        if (C.f != null) {
            float[] cf = C.f;
            float fb = (float) beta;
            if (k == 0 || alpha == 0) { scaleBlock(cf, cOff, m, n, ldc, fb); return; }
            if (fb != 0f) scaleBlock(cf, cOff, m, n, ldc, fb);  // beta = 0: the kernel overwrites C
            // op(A) and op(B) are read through strides, so neither is transposed here (the kernel copies
            // both into its own panels): A(i, p) = a[aOff + i * lda + p], or a[aOff + p * lda + i] transposed.
            VectorGemm.sgemm(m, n, k, (float) alpha, A.f, aOff, transA ? 1 : lda, transA ? lda : 1,
                    B.f, bOff, transB ? 1 : ldb, transB ? ldb : 1, cf, cOff, ldc, fb == 0f);
        } else {
            double[] cd = C.d;
            if (k == 0 || alpha == 0) { scaleBlock(cd, cOff, m, n, ldc, beta); return; }
            if (beta != 0) scaleBlock(cd, cOff, m, n, ldc, beta);
            VectorGemm.dgemm(m, n, k, alpha, A.d, aOff, transA ? 1 : lda, transA ? lda : 1,
                    B.d, bOff, transB ? 1 : ldb, transB ? ldb : 1, cd, cOff, ldc, beta == 0);
        }
    }

    @Override public void transpose(Buf a, int aOff, int rows, int cols, Buf out, int outOff) {
        HeapBuf A = h(a), O = h(out);
        if (A.f != null) {
            if (outOff == 0) transpose(A.f, aOff, cols, rows, cols, O.f);
            else { float[] t = new float[rows * cols]; transpose(A.f, aOff, cols, rows, cols, t); System.arraycopy(t, 0, O.f, outOff, t.length); }
        } else {
            if (outOff == 0) transpose(A.d, aOff, cols, rows, cols, O.d);
            else { double[] t = new double[rows * cols]; transpose(A.d, aOff, cols, rows, cols, t); System.arraycopy(t, 0, O.d, outOff, t.length); }
        }
    }

    /** dst (cols x rows) = transpose of src (rows x cols, leading dimension ld). */
    private static void transpose(float[] src, int off, int ld, int rows, int cols, float[] dst) {
        for (int i0 = 0; i0 < rows; i0 += 32) {
            int i1 = Math.min(rows, i0 + 32);
            for (int j0 = 0; j0 < cols; j0 += 32) {
                int j1 = Math.min(cols, j0 + 32);
                for (int i = i0; i < i1; i++) {
                    int s = off + i * ld;
                    for (int j = j0; j < j1; j++) dst[j * rows + i] = src[s + j];
                }
            }
        }
    }

    private static void transpose(double[] src, int off, int ld, int rows, int cols, double[] dst) {
        for (int i0 = 0; i0 < rows; i0 += 32) {
            int i1 = Math.min(rows, i0 + 32);
            for (int j0 = 0; j0 < cols; j0 += 32) {
                int j1 = Math.min(cols, j0 + 32);
                for (int i = i0; i < i1; i++) {
                    int s = off + i * ld;
                    for (int j = j0; j < j1; j++) dst[j * rows + i] = src[s + j];
                }
            }
        }
    }

    private static void scaleBlock(float[] c, int off, int m, int n, int ldc, float beta) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int r = off + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, r, r + n, 0f);
            else for (int j = 0; j < n; j++) c[r + j] *= beta;
        }
    }

    private static void scaleBlock(double[] c, int off, int m, int n, int ldc, double beta) {
        if (beta == 1.0) return;
        for (int i = 0; i < m; i++) {
            int r = off + i * ldc;
            if (beta == 0.0) java.util.Arrays.fill(c, r, r + n, 0.0);
            else for (int j = 0; j < n; j++) c[r + j] *= beta;
        }
    }

    @Override public void axpby(int n, double alpha, Buf x, int xOff, double beta, Buf y, int yOff) {
        HeapBuf X = h(x), Y = h(y);
        if (Y.f != null) {
            float a = (float) alpha, bb = (float) beta;
            for (int i = 0; i < n; i++) Y.f[yOff + i] = a * X.f[xOff + i] + bb * Y.f[yOff + i];
        } else {
            for (int i = 0; i < n; i++) Y.d[yOff + i] = alpha * X.d[xOff + i] + beta * Y.d[yOff + i];
        }
    }

    @Override public void addRowVector(Buf c, int cOff, int rows, int cols, Buf bias, int biasOff) {
        HeapBuf C = h(c), B = h(bias);
        for (int r = 0; r < rows; r++) {
            int o = cOff + r * cols;
            if (C.f != null) for (int j = 0; j < cols; j++) C.f[o + j] += B.f[biasOff + j];
            else for (int j = 0; j < cols; j++) C.d[o + j] += B.d[biasOff + j];
        }
    }

    @Override public void sumRows(Buf a, int aOff, int rows, int cols, double beta, Buf out, int outOff) {
        HeapBuf A = h(a), O = h(out);
        if (O.f != null) {
            float[] acc = new float[cols];
            for (int r = 0; r < rows; r++) { int o = aOff + r * cols; for (int j = 0; j < cols; j++) acc[j] += A.f[o + j]; }
            for (int j = 0; j < cols; j++) O.f[outOff + j] = (float) beta * O.f[outOff + j] + acc[j];
        } else {
            double[] acc = new double[cols];
            for (int r = 0; r < rows; r++) { int o = aOff + r * cols; for (int j = 0; j < cols; j++) acc[j] += A.d[o + j]; }
            for (int j = 0; j < cols; j++) O.d[outOff + j] = beta * O.d[outOff + j] + acc[j];
        }
    }

    @Override public void tanh(Buf x, int xOff, Buf y, int yOff, int n) {
        HeapBuf X = h(x), Y = h(y);
        if (X.f != null) {
            VectorTanh.apply(X.f, xOff, Y.f, yOff, n);
        } else {
            // float64 is the reference path (gradient checks at 1e-9): keep the correctly rounded libm tanh.
            for (int i = 0; i < n; i++) Y.d[yOff + i] = Math.tanh(X.d[xOff + i]);
        }
    }

    @Override public void tanhBackward(Buf g, int gOff, Buf hb, int hOff, Buf out, int outOff, int n) {
        HeapBuf G = h(g), H = h(hb), O = h(out);
        if (G.f != null) {
            float[] gs = G.f, hs = H.f, os = O.f;
            int i = 0, up = FS.loopBound(n);
            for (; i < up; i += FS.length()) {
                FloatVector hv = FloatVector.fromArray(FS, hs, hOff + i);
                FloatVector one = FloatVector.broadcast(FS, 1f);
                FloatVector.fromArray(FS, gs, gOff + i).mul(one.sub(hv.mul(hv))).intoArray(os, outOff + i);
            }
            for (; i < n; i++) { float hv = hs[hOff + i]; os[outOff + i] = gs[gOff + i] * (1f - hv * hv); }
        } else {
            double[] gs = G.d, hs = H.d, os = O.d;
            int i = 0, up = DS.loopBound(n);
            for (; i < up; i += DS.length()) {
                DoubleVector hv = DoubleVector.fromArray(DS, hs, hOff + i);
                DoubleVector.fromArray(DS, gs, gOff + i).mul(DoubleVector.broadcast(DS, 1.0).sub(hv.mul(hv)))
                        .intoArray(os, outOff + i);
            }
            for (; i < n; i++) { double hv = hs[hOff + i]; os[outOff + i] = gs[gOff + i] * (1.0 - hv * hv); }
        }
    }

    @Override public void mul(Buf a, int aOff, Buf b, int bOff, Buf out, int outOff, int n) {
        HeapBuf A = h(a), B = h(b), O = h(out);
        if (A.f != null) for (int i = 0; i < n; i++) O.f[outOff + i] = A.f[aOff + i] * B.f[bOff + i];
        else for (int i = 0; i < n; i++) O.d[outOff + i] = A.d[aOff + i] * B.d[bOff + i];
    }

    @Override public void addSign(Buf w, int wOff, double lambda, Buf g, int gOff, int n) {
        HeapBuf W = h(w), G = h(g);
        if (W.f != null) for (int i = 0; i < n; i++) G.f[gOff + i] += (float) lambda * Math.signum(W.f[wOff + i]);
        else for (int i = 0; i < n; i++) G.d[gOff + i] += lambda * Math.signum(W.d[wOff + i]);
    }

    @Override public double maskedSquaredError(Buf y, Buf target, Buf mask, int n, double gradScale, Buf dy) {
        HeapBuf Y = h(y), T = h(target), M = h(mask), D = h(dy);
        double sum = 0;
        if (Y.f != null) {
            float gs = (float) gradScale;
            for (int i = 0; i < n; i++) {
                float e = (Y.f[i] - T.f[i]) * M.f[i];
                sum += (double) e * e;
                D.f[i] = gs * e;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double e = (Y.d[i] - T.d[i]) * M.d[i];
                sum += e * e;
                D.d[i] = gradScale * e;
            }
        }
        return sum;
    }

    @Override public double sumSquares(Buf x, int off, int n) {
        HeapBuf X = h(x);
        double s = 0;
        if (X.f != null) for (int i = 0; i < n; i++) { double v = X.f[off + i]; s += v * v; }
        else for (int i = 0; i < n; i++) { double v = X.d[off + i]; s += v * v; }
        return s;
    }

    @Override public double sumAbs(Buf x, int off, int n) {
        HeapBuf X = h(x);
        double s = 0;
        if (X.f != null) for (int i = 0; i < n; i++) s += Math.abs(X.f[off + i]);
        else for (int i = 0; i < n; i++) s += Math.abs(X.d[off + i]);
        return s;
    }

    @Override public void adam(Buf p, Buf g, Buf m, Buf v, int n, double lr, double beta1, double beta2,
                               double eps, double bc1, double bc2) {
        HeapBuf P = h(p), G = h(g), M = h(m), V = h(v);
        // Same operation order as torch.optim.Adam (single-tensor path): step = lr / bc1,
        // denom = sqrt(v) / sqrt(bc2) + eps, p -= step * m / denom.
        double step = lr / bc1, sq = Math.sqrt(bc2);
        if (P.f != null) {
            // The (1 - beta) weights are formed in double and then rounded, as PyTorch passes them to
            // its float kernels: (1 - 0.999f) in float would be 0.000999987, off by 1.3e-5 relative.
            float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2);
            for (int i = 0; i < n; i++) {
                float gi = G.f[i];
                float mi = b1 * M.f[i] + c1 * gi;
                float vi = b2 * V.f[i] + c2 * gi * gi;
                M.f[i] = mi; V.f[i] = vi;
                P.f[i] -= (float) (step * mi / (Math.sqrt(vi) / sq + eps));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double gi = G.d[i];
                double mi = beta1 * M.d[i] + (1 - beta1) * gi;
                double vi = beta2 * V.d[i] + (1 - beta2) * gi * gi;
                M.d[i] = mi; V.d[i] = vi;
                P.d[i] -= step * mi / (Math.sqrt(vi) / sq + eps);
            }
        }
    }

    @Override public Svd svd(int m, int n, double[] a) { return EjmlDecompositions.svd(m, n, a); }

    @Override public Eig eig(int n, double[] a, boolean vectors) { return EjmlDecompositions.eig(n, a, vectors); }

    @Override public double[] lstsq(int m, int n, int nrhs, double[] a, double[] b) {
        return EjmlDecompositions.lstsq(m, n, nrhs, a, b);
    }
}
