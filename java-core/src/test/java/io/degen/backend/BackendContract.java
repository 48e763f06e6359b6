package io.degen.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.degen.io.NdArray;
import io.degen.io.Npy;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every {@link Backend} must meet, as one generic suite: each engine instantiates it
 * ({@code JavaBackendContractTest}, {@code MklBackendContractTest}, {@code CudaBackendContractTest}),
 * as Neanderthal runs one suite per engine. An engine whose native libraries or device are missing is
 * reported as skipped (JUnit assumption) with the reason. Every op is checked against a plain scalar
 * reference written here (double precision, naive loops) and against {@link JavaBackend}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
    private static final double TOL_F32 = 1e-5;
    private static final double TOL_F64 = 1e-12;
    private static final JavaBackend JAVA = new JavaBackend();
    private Backend engine;

    /** The engine under test, by its {@link Backends} name. */
    protected abstract String engineName();

    /** The engine, created once for the suite; skipped (with the reason) where it does not load. */
    private synchronized Backend backend() {
        if (engine != null) return engine;
        String name = engineName(), reason = Backends.unavailableReason(name);
        assumeTrue(reason == null, () -> "backend " + name + " skipped: " + reason);
        engine = Backends.create(name);
        assertEquals(name, engine.name());
        return engine;
    }

    @AfterAll
    synchronized void closeEngine() {
        if (engine != null) engine.close();
        engine = null;
    }

    // ---- helpers -------------------------------------------------------------------------

    private static double tol(DType t) { return t == DType.F32 ? TOL_F32 : TOL_F64; }

    /** Random values, already rounded to float for F32 so the reference sees the exact inputs. */
    private static double[] rand(Random r, int n, DType t) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = round(t, r.nextDouble() * 2 - 1);
        return a;
    }

    private static double round(DType t, double v) { return t == DType.F32 ? (float) v : v; }

    private static Buf up(Backend b, DType t, double[] data) {
        if (t == DType.F64) return b.upload(data);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return b.upload(f);
    }

    /** |got - ref| <= tol * scale elementwise (scale = |ref| when null), with a tiny absolute floor. */
    private static void close(String what, double[] ref, double[] got, double[] scale, double tol) {
        assertEquals(ref.length, got.length, what + ": length");
        for (int i = 0; i < ref.length; i++) {
            double s = scale == null ? Math.abs(ref[i]) : scale[i];
            double err = Math.abs(got[i] - ref[i]);
            if (!(err <= tol * s + 1e-300) && !(Double.isNaN(ref[i]) && Double.isNaN(got[i])) && ref[i] != got[i]) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + ref[i] + " (error " + err
                        + " > " + tol + " * " + s + ")");
            }
        }
    }

    private static void closeScalar(String what, double ref, double got, double scale, double tol) {
        close(what, new double[] {ref}, new double[] {got}, new double[] {scale}, tol);
    }

    /** Runs op on the backend under test and on JavaBackend; checks both against ref and each other. */
    private static void both(String what, Backend b, Function<Backend, double[]> op, double[] ref, double[] scale, double tol) {
        double[] got = op.apply(b);
        close(b.name() + " " + what + " vs scalar reference", ref, got, scale, tol);
        if (!(b instanceof JavaBackend)) {
            double[] java = op.apply(JAVA);
            close("java " + what + " vs scalar reference", ref, java, scale, tol);
            close(b.name() + " " + what + " vs java", java, got, scale, 2 * tol);
        }
    }

    // ---- storage -------------------------------------------------------------------------

    @Test
    void storageRoundTrips() {
        Backend b = backend();
        Random r = new Random(1);
        for (DType t : DType.values()) {
            double[] data = rand(r, 10_007, t);
            try (Buf x = up(b, t, data)) {
                assertEquals(t, x.dtype());
                assertEquals(data.length, x.size());
                assertTrue(Arrays.equals(data, b.toDoubles(x)), t + " upload/download round trip");
                double[] part = new double[20];
                Arrays.fill(part, -7);
                b.download(x, 4095, part, 3, 10);
                for (int i = 0; i < 10; i++) assertEquals(data[4095 + i], part[3 + i], "download with offsets");
                assertEquals(-7, part[2]);
                assertEquals(-7, part[13]);
            }
            try (Buf z = b.alloc(t, 9000)) {
                for (double v : b.toDoubles(z)) assertEquals(0.0, v, "alloc must zero-fill");
                double[] src = rand(r, 5000, t);
                b.write(z, 3000, src, 7, 4993);
                double[] all = b.toDoubles(z);
                for (int i = 0; i < 9000; i++) {
                    double exp = i >= 3000 && i < 7993 ? src[7 + i - 3000] : 0.0;
                    assertEquals(exp, all[i], t + " write at offset, element " + i);
                }
                b.fill(z, 100, 8000, 2.5);
                all = b.toDoubles(z);
                for (int i = 0; i < 9000; i++) {
                    double exp = i >= 100 && i < 8100 ? 2.5 : i >= 3000 && i < 7993 ? src[7 + i - 3000] : 0.0;
                    assertEquals(exp, all[i], t + " fill, element " + i);
                }
                try (Buf w = up(b, t, rand(r, 9000, t))) {
                    double[] before = b.toDoubles(w);
                    b.copy(z, 50, w, 4000, 4500);
                    double[] after = b.toDoubles(w);
                    for (int i = 0; i < 9000; i++) {
                        double exp = i >= 4000 && i < 8500 ? all[50 + i - 4000] : before[i];
                        assertEquals(exp, after[i], t + " copy, element " + i);
                    }
                    // Overlapping copy within one buffer behaves like System.arraycopy.
                    double[] ref = after.clone();
                    System.arraycopy(ref, 10, ref, 25, 5000);
                    b.copy(w, 10, w, 25, 5000);
                    assertTrue(Arrays.equals(ref, b.toDoubles(w)), t + " overlapping copy");
                }
            }
            try (Buf e = b.alloc(t, 0)) {
                assertEquals(0, e.size());
                assertEquals(0, b.toDoubles(e).length);
            }
        }
        // F32 storage rounds to float.
        try (Buf f = b.alloc(DType.F32, 2)) {
            b.write(f, 0, new double[] {0.1, 1e-3}, 0, 2);
            double[] d = b.toDoubles(f);
            assertEquals((float) 0.1, d[0]);
            assertEquals((float) 1e-3, d[1]);
        }
        // Rounding exactly as a (float) cast, for every kind of double and at odd offsets and
        // lengths (vector lanes and scalar tails alike): halfway cases, overflow, subnormals, NaN.
        double[] odd = new double[1003];
        for (int i = 0; i < odd.length; i++) {
            odd[i] = switch (i % 8) {
                case 0 -> r.nextGaussian();
                case 1 -> 1 + Math.ulp(1f) / 2 * (r.nextBoolean() ? 1 : 3);  // ties to even
                case 2 -> r.nextGaussian() * 1e39;                          // beyond float: infinity
                case 3 -> r.nextGaussian() * 1e-42;                         // float subnormals
                case 4 -> Double.NaN;
                case 5 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : -0.0;
                default -> r.nextDouble() * 1e5 - 5e4;
            };
        }
        try (Buf f = b.alloc(DType.F32, 1100)) {
            b.write(f, 5, odd, 2, 1001);
            double[] back = new double[1001];
            b.download(f, 5, back, 0, 1001);
            for (int i = 0; i < 1001; i++) {
                assertEquals(Double.doubleToLongBits((double) (float) odd[2 + i]), Double.doubleToLongBits(back[i]), "F32 rounding of " + odd[2 + i]);
            }
        }
    }

    @Test
    void transposeIsExactForEveryShapeAndOffset() {
        Backend b = backend();
        Random r = new Random(11);
        for (DType t : DType.values()) {
            for (int[] s : new int[][] {{1, 1}, {3, 7}, {128, 128}, {37, 53}}) {
                int rows = s[0], cols = s[1], aOff = 3, oOff = 2;
                double[] a = rand(r, aOff + rows * cols + 1, t), o = rand(r, oOff + rows * cols + 4, t);
                double[] ref = o.clone(), scale = new double[o.length];
                Arrays.fill(scale, 1.0);
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) ref[oOff + j * rows + i] = a[aOff + i * cols + j];
                both(t + " transpose " + rows + "x" + cols, b, be -> {
                    try (Buf A = up(be, t, a); Buf O = up(be, t, o)) {
                        be.transpose(A, aOff, rows, cols, O, oOff);
                        return be.toDoubles(O);
                    }
                }, ref, scale, 0.0);
            }
        }
    }

    @Test
    void foreignBufferIsRejected() {
        Backend b = backend();
        Buf foreign = new Buf(DType.F32, 4) { @Override public String toString() { return "foreign buffer"; } };
        try (Buf own = b.alloc(DType.F32, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.gemm(false, false, 2, 2, 1, 1, foreign, 0, 1, own, 0, 2, 0, own, 0, 2));
            assertTrue(e.getMessage().contains("another backend"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.tanh(foreign, 0, own, 0, 4));
            assertTrue(e.getMessage().contains("another backend"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.toDoubles(foreign));
            assertTrue(e.getMessage().contains("another backend"), e.getMessage());
            if (!(b instanceof JavaBackend)) {
                // A buffer made by a different engine is just as foreign.
                Buf javaBuf = JAVA.alloc(DType.F32, 4);
                e = assertThrows(IllegalArgumentException.class, () -> b.axpby(4, 1, javaBuf, 0, 1, own, 0));
                assertTrue(e.getMessage().contains("another backend"), e.getMessage());
            }
        }
    }

    @Test
    void decompositionsRejectNaN() {
        Backend b = backend();
        double[] a = {1, 2, 3, Double.NaN};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.svd(2, 2, a));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.eig(2, a, true));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.lstsq(2, 2, 1, a, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.lstsq(2, 2, 1, new double[] {1, 0, 0, 1}, new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    // ---- gemm ----------------------------------------------------------------------------

    private static final int[][] GEMM_SHAPES = {{1, 1, 1}, {37, 53, 29}, {64, 128, 128}, {5, 7, 3}, {17, 3, 33}, {4, 6, 0}};
    private static final double[][] ALPHA_BETA = {{1, 0}, {0.5, -1.25}, {-2, 1}, {0, 0.5}};

    /** C (m x n, ldc) = alpha op(A) op(B) + beta C in double, naive triple loop; beta == 0 ignores C. */
    private static double[] refGemm(boolean tA, boolean tB, int m, int n, int k, double alpha,
                                    double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                    double beta, double[] c, int cOff, int ldc, double[] scale) {
        double[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, abs = 0;
                for (int l = 0; l < k; l++) {
                    double av = tA ? a[aOff + l * lda + i] : a[aOff + i * lda + l];
                    double bv = tB ? b[bOff + j * ldb + l] : b[bOff + l * ldb + j];
                    s += av * bv;
                    abs += Math.abs(av * bv);
                }
                int ci = cOff + i * ldc + j;
                double cv = beta == 0 ? 0 : beta * c[ci];
                out[ci] = alpha * s + cv;
                scale[ci] = Math.abs(alpha) * abs + Math.abs(cv) + Double.MIN_NORMAL;
            }
        }
        return out;
    }

    @Test
    void gemmAllTransposesShapesAndScalars() {
        Backend b = backend();
        Random r = new Random(2);
        for (DType t : DType.values()) {
            for (int[] s : GEMM_SHAPES) {
                for (int tr = 0; tr < 4; tr++) {
                    boolean tA = (tr & 1) != 0, tB = (tr & 2) != 0;
                    for (double[] ab : ALPHA_BETA) {
                        for (int pad = 0; pad < 2; pad++) {
                            checkGemm(b, r, t, tA, tB, s[0], s[1], s[2], ab[0], ab[1], pad == 1);
                        }
                    }
                }
            }
        }
    }

    private static void checkGemm(Backend b, Random r, DType t, boolean tA, boolean tB, int m, int n, int k,
                                  double alpha, double beta, boolean padded) {
        String what = String.format("%s gemm%s%s %dx%dx%d alpha=%s beta=%s%s", t, tA ? "T" : "N", tB ? "T" : "N",
                m, n, k, alpha, beta, padded ? " with offsets/ld" : "");
        int aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
        int aOff = padded ? 5 : 0, bOff = padded ? 3 : 0, cOff = padded ? 7 : 0;
        int lda = aCols + (padded ? 3 : 0), ldb = bCols + (padded ? 5 : 0), ldc = n + (padded ? 2 : 0);
        double[] a = rand(r, aOff + aRows * lda + 2, t);
        double[] bb = rand(r, bOff + bRows * ldb + 2, t);
        double[] c = new double[cOff + m * ldc + 3];
        Arrays.fill(c, 12345);  // sentinel outside the block: must stay untouched
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = beta == 0 ? Double.NaN : round(t, r.nextDouble() * 2 - 1);
        }
        double[] scale = new double[c.length];
        Arrays.fill(scale, Double.MIN_NORMAL);
        double[] ref = refGemm(tA, tB, m, n, k, alpha, a, aOff, lda, bb, bOff, ldb, beta, c, cOff, ldc, scale);
        both(what, b, be -> {
            try (Buf A = up(be, t, a); Buf B = up(be, t, bb); Buf C = up(be, t, c)) {
                be.gemm(tA, tB, m, n, k, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
                return be.toDoubles(C);
            }
        }, ref, scale, tol(t));
    }

    @Test
    void gemmSharedOperandBuffer() {
        // A and B in one buffer at different offsets, as packed weights are.
        Backend b = backend();
        Random r = new Random(3);
        for (DType t : DType.values()) {
            int m = 9, n = 11, k = 13, bOff = m * k + 4;
            double[] w = rand(r, bOff + k * n, t);
            double[] c = new double[m * n];
            double[] scale = new double[c.length];
            double[] ref = refGemm(false, false, m, n, k, 1, w, 0, k, w, bOff, n, 0, c, 0, n, scale);
            both(t + " gemm shared buffer", b, be -> {
                try (Buf W = up(be, t, w); Buf C = be.alloc(t, m * n)) {
                    be.gemm(false, false, m, n, k, 1, W, 0, k, W, bOff, n, 0, C, 0, n);
                    return be.toDoubles(C);
                }
            }, ref, scale, tol(t));
        }
    }

    @Test
    void gemmBatched() {
        Backend b = backend();
        Random r = new Random(4);
        for (DType t : DType.values()) {
            for (int tr = 0; tr < 4; tr++) {
                boolean tA = (tr & 1) != 0, tB = (tr & 2) != 0;
                for (int[] s : new int[][] {{7, 5, 9}, {32, 64, 48}, {1, 3, 1}}) {
                    int m = s[0], n = s[1], k = s[2], count = 5;
                    int aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
                    int lda = aCols + 1, ldb = bCols + 2, ldc = n + 3;
                    int sA = aRows * lda + 4, sB = bRows * ldb + 1, sC = m * ldc + 2;
                    int aOff = 2, bOff = 1, cOff = 3;
                    double[] a = rand(r, aOff + count * sA, t), bb = rand(r, bOff + count * sB, t);
                    double[] c = rand(r, cOff + count * sC, t);
                    double alpha = 0.75, beta = -0.5;
                    double[] ref = c.clone(), scale = new double[c.length];
                    Arrays.fill(scale, Double.MIN_NORMAL);
                    for (int i = 0; i < count; i++) {
                        double[] sc = new double[c.length];
                        double[] one = refGemm(tA, tB, m, n, k, alpha, a, aOff + i * sA, lda, bb, bOff + i * sB, ldb,
                                beta, c, cOff + i * sC, ldc, sc);
                        for (int row = 0; row < m; row++) {
                            for (int j = 0; j < n; j++) {
                                int ci = cOff + i * sC + row * ldc + j;
                                ref[ci] = one[ci];
                                scale[ci] = sc[ci];
                            }
                        }
                    }
                    both(String.format("%s gemmBatched%s%s %dx%dx%d", t, tA ? "T" : "N", tB ? "T" : "N", m, n, k), b, be -> {
                        try (Buf A = up(be, t, a); Buf B = up(be, t, bb); Buf C = up(be, t, c)) {
                            be.gemmBatched(tA, tB, m, n, k, alpha, A, aOff, lda, sA, B, bOff, ldb, sB,
                                    beta, C, cOff, ldc, sC, count);
                            return be.toDoubles(C);
                        }
                    }, ref, scale, tol(t));
                }
            }
        }
    }

    /**
     * Grouped products on separate buffers (each network's own workspace), as networks trained in
     * lockstep issue them: uniform groups (one grouped call on engines that have one) and a mixed
     * group (shapes differ, so products run one by one), against separate gemm references.
     */
    @Test
    void gemmAllOnSeparateBuffers() {
        Backend b = backend();
        Random r = new Random(9);
        for (DType t : DType.values()) {
            for (boolean mixed : new boolean[] {false, true}) {
                for (int count : new int[] {1, 3, 6}) {
                    int[][] shapes = new int[count][];
                    for (int i = 0; i < count; i++) shapes[i] = mixed && i % 2 == 1 ? new int[] {5, 7, 3} : new int[] {16, 24, 20};
                    double[][] as = new double[count][], bs = new double[count][], cs = new double[count][];
                    double[] ref = new double[0], scale = new double[0];
                    for (int i = 0; i < count; i++) {
                        int m = shapes[i][0], n = shapes[i][1], k = shapes[i][2];
                        as[i] = rand(r, 1 + m * k, t);
                        bs[i] = rand(r, 2 + k * n, t);
                        cs[i] = rand(r, m * n, t);
                        double[] sc = new double[m * n];
                        double[] one = refGemm(false, false, m, n, k, 0.5, as[i], 1, k, bs[i], 2, n, 1.0, cs[i], 0, n, sc);
                        ref = concat(ref, one);
                        scale = concat(scale, sc);
                    }
                    both(String.format("%s gemmAll %s x%d", t, mixed ? "mixed" : "uniform", count), b, be -> {
                        Buf[] A = new Buf[count], B = new Buf[count], C = new Buf[count];
                        GemmOp[] ops = new GemmOp[count + 1];
                        try {
                            for (int i = 0; i < count; i++) {
                                int m = shapes[i][0], n = shapes[i][1], k = shapes[i][2];
                                A[i] = up(be, t, as[i]);
                                B[i] = up(be, t, bs[i]);
                                C[i] = up(be, t, cs[i]);
                                ops[i] = new GemmOp(false, false, m, n, k, 0.5, A[i], 1, k, B[i], 2, n, 1.0, C[i], 0, n);
                            }
                            be.gemmAll(ops, count);
                            double[] got = new double[0];
                            for (int i = 0; i < count; i++) got = concat(got, be.toDoubles(C[i]));
                            return got;
                        } finally {
                            for (int i = 0; i < count; i++) for (Buf x : new Buf[] {A[i], B[i], C[i]}) if (x != null) x.close();
                        }
                    }, ref, scale, tol(t));
                }
            }
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- BLAS-like and element-wise --------------------------------------------------------

    private static final int N = 10_007;  // spans several 4096-element chunks, not a multiple of any vector width

    @Test
    void axpby() {
        Backend b = backend();
        Random r = new Random(5);
        for (DType t : DType.values()) {
            for (double[] ab : new double[][] {{1.5, -0.25}, {1, 1}, {-3, 0.5}}) {
                double[] x = rand(r, N + 20, t), y = rand(r, N + 30, t);
                double[] ref = y.clone(), scale = new double[y.length];
                for (int i = 0; i < y.length; i++) scale[i] = Double.MIN_NORMAL;
                for (int i = 0; i < N; i++) {
                    ref[9 + i] = ab[0] * x[3 + i] + ab[1] * y[9 + i];
                    scale[9 + i] = Math.abs(ab[0] * x[3 + i]) + Math.abs(ab[1] * y[9 + i]);
                }
                both(t + " axpby", b, be -> {
                    try (Buf X = up(be, t, x); Buf Y = up(be, t, y)) {
                        be.axpby(N, ab[0], X, 3, ab[1], Y, 9);
                        return be.toDoubles(Y);
                    }
                }, ref, scale, tol(t));
            }
        }
    }

    @Test
    void addRowVectorAndSumRows() {
        Backend b = backend();
        Random r = new Random(6);
        for (DType t : DType.values()) {
            for (int[] s : new int[][] {{1, 1}, {37, 53}, {64, 128}, {300, 3}, {0, 5}}) {
                int rows = s[0], cols = s[1], cOff = 4, bOff = 2;
                double[] c = rand(r, cOff + rows * cols + 3, t), bias = rand(r, bOff + cols + 1, t);
                double[] ref = c.clone(), scale = new double[c.length];
                Arrays.fill(scale, Double.MIN_NORMAL);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        int ci = cOff + i * cols + j;
                        ref[ci] = c[ci] + bias[bOff + j];
                        scale[ci] = Math.abs(c[ci]) + Math.abs(bias[bOff + j]);
                    }
                }
                both(t + " addRowVector " + rows + "x" + cols, b, be -> {
                    try (Buf C = up(be, t, c); Buf B = up(be, t, bias)) {
                        be.addRowVector(C, cOff, rows, cols, B, bOff);
                        return be.toDoubles(C);
                    }
                }, ref, scale, tol(t));

                for (double beta : new double[] {0, 1, -0.5}) {
                    double[] out = rand(r, cols + 6, t);
                    int oOff = 5;
                    double[] sref = out.clone(), sscale = new double[out.length];
                    Arrays.fill(sscale, Double.MIN_NORMAL);
                    for (int j = 0; j < cols; j++) {
                        double sum = 0, abs = 0;
                        for (int i = 0; i < rows; i++) { sum += c[cOff + i * cols + j]; abs += Math.abs(c[cOff + i * cols + j]); }
                        sref[oOff + j] = beta * out[oOff + j] + sum;
                        sscale[oOff + j] = Math.abs(beta * out[oOff + j]) + abs + Double.MIN_NORMAL;
                    }
                    both(t + " sumRows " + rows + "x" + cols + " beta=" + beta, b, be -> {
                        try (Buf A = up(be, t, c); Buf O = up(be, t, out)) {
                            be.sumRows(A, cOff, rows, cols, beta, O, oOff);
                            return be.toDoubles(O);
                        }
                    }, sref, sscale, tol(t));
                }
            }
        }
    }

    /** Inputs for tanh including zero, tiny, saturating and huge values. */
    private static double[] tanhInputs(Random r, int n, DType t) {
        double[] x = new double[n];
        double[] special = {0, -0.0, 1e-20, -1e-20, 1e-4, 0.5, -0.5, 3, -3, 9, -9, 20, -20, 1e4, -1e4};
        for (int i = 0; i < n; i++) x[i] = round(t, i < special.length ? special[i] : (r.nextDouble() * 2 - 1) * 6);
        return x;
    }

    @Test
    void tanhForwardAndBackward() {
        Backend b = backend();
        Random r = new Random(7);
        for (DType t : DType.values()) {
            for (int n : new int[] {1, 7, N, 100_000}) {
                double[] x = tanhInputs(r, n + 4, t);
                double[] y = rand(r, n + 9, t);
                double[] ref = y.clone(), scale = new double[y.length];
                for (int i = 0; i < y.length; i++) scale[i] = Math.abs(ref[i]) + Float.MIN_NORMAL;
                for (int i = 0; i < n; i++) { ref[6 + i] = Math.tanh(x[4 + i]); scale[6 + i] = Math.abs(ref[6 + i]) + Float.MIN_NORMAL; }
                both(t + " tanh n=" + n, b, be -> {
                    try (Buf X = up(be, t, x); Buf Y = up(be, t, y)) {
                        be.tanh(X, 4, Y, 6, n);
                        return be.toDoubles(Y);
                    }
                }, ref, scale, tol(t));
                // In place.
                double[] inRef = x.clone(), inScale = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    if (i >= 4) inRef[i] = Math.tanh(x[i]);
                    inScale[i] = Math.abs(inRef[i]) + Float.MIN_NORMAL;
                }
                both(t + " tanh in place n=" + n, b, be -> {
                    try (Buf X = up(be, t, x)) {
                        be.tanh(X, 4, X, 4, n);
                        return be.toDoubles(X);
                    }
                }, inRef, inScale, tol(t));
            }
            // Backward: out = g (1 - h^2), with h = tanh of something so |h| <= 1.
            int n = N;
            double[] g = rand(r, n + 3, t), h = new double[n + 5], out = rand(r, n + 8, t);
            for (int i = 0; i < h.length; i++) h[i] = round(t, Math.tanh((r.nextDouble() * 2 - 1) * 4));
            double[] ref = out.clone(), scale = new double[out.length];
            Arrays.fill(scale, Double.MIN_NORMAL);
            for (int i = 0; i < n; i++) {
                double hv = h[i + 2];
                ref[i + 1] = g[i] * (1 - hv * hv);
                scale[i + 1] = Math.abs(g[i]) * (1 + hv * hv);
            }
            both(t + " tanhBackward", b, be -> {
                try (Buf G = up(be, t, g); Buf H = up(be, t, h); Buf O = up(be, t, out)) {
                    be.tanhBackward(G, 0, H, 2, O, 1, n);
                    return be.toDoubles(O);
                }
            }, ref, scale, tol(t));
            // Backward written over g (aliasing output and input).
            double[] aref = g.clone(), ascale = new double[g.length];
            for (int i = 0; i < g.length; i++) ascale[i] = Math.abs(g[i]) + Double.MIN_NORMAL;
            for (int i = 0; i < n; i++) { double hv = h[i + 2]; aref[i] = g[i] * (1 - hv * hv); ascale[i] = Math.abs(g[i]) * (1 + hv * hv); }
            both(t + " tanhBackward in place", b, be -> {
                try (Buf G = up(be, t, g); Buf H = up(be, t, h)) {
                    be.tanhBackward(G, 0, H, 2, G, 0, n);
                    return be.toDoubles(G);
                }
            }, aref, ascale, tol(t));
        }
    }

    @Test
    void mulAndAddSign() {
        Backend b = backend();
        Random r = new Random(8);
        for (DType t : DType.values()) {
            double[] a = rand(r, N + 2, t), bb = rand(r, N + 5, t), out = rand(r, N + 1, t);
            double[] ref = out.clone();
            for (int i = 0; i < N; i++) ref[1 + i] = a[2 + i] * bb[5 + i];
            // A float product of floats rounded once: the reference rounded the same way is exact.
            double[] roundedRef = ref.clone();
            for (int i = 0; i < ref.length; i++) roundedRef[i] = round(t, ref[i]);
            both(t + " mul", b, be -> {
                try (Buf A = up(be, t, a); Buf B = up(be, t, bb); Buf O = up(be, t, out)) {
                    be.mul(A, 2, B, 5, O, 1, N);
                    return be.toDoubles(O);
                }
            }, roundedRef, null, 0);
            both(t + " mul in place", b, be -> {
                try (Buf A = up(be, t, a)) {
                    be.mul(A, 0, A, 0, A, 0, N + 2);
                    return be.toDoubles(A);
                }
            }, squareRounded(a, t), null, 0);

            double[] w = rand(r, N + 3, t), g = rand(r, N + 4, t);
            for (int i = 0; i < w.length; i += 7) w[i] = 0;  // sign(0) = 0
            double lambda = 0.03;
            double[] sref = g.clone(), sscale = new double[g.length];
            for (int i = 0; i < g.length; i++) sscale[i] = Math.abs(g[i]) + Double.MIN_NORMAL;
            for (int i = 0; i < N; i++) {
                sref[4 + i] = g[4 + i] + lambda * Math.signum(w[3 + i]);
                sscale[4 + i] = Math.abs(g[4 + i]) + lambda;
            }
            both(t + " addSign", b, be -> {
                try (Buf W = up(be, t, w); Buf G = up(be, t, g)) {
                    be.addSign(W, 3, lambda, G, 4, N);
                    return be.toDoubles(G);
                }
            }, sref, sscale, tol(t));
        }
    }

    private static double[] squareRounded(double[] a, DType t) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = round(t, a[i] * a[i]);
        return out;
    }

    @Test
    void maskedSquaredErrorAndSums() {
        Backend b = backend();
        Random r = new Random(9);
        for (DType t : DType.values()) {
            double[] y = rand(r, N, t), target = rand(r, N, t), mask = new double[N];
            for (int i = 0; i < N; i++) mask[i] = r.nextInt(3) == 0 ? 0 : 1;
            double gs = 2.0 / N;
            double sum = 0;
            double[] dyRef = new double[N], dyScale = new double[N];
            for (int i = 0; i < N; i++) {
                double e = (y[i] - target[i]) * mask[i];
                sum += e * e;
                dyRef[i] = gs * e;
                dyScale[i] = Math.abs(gs * e) + Double.MIN_NORMAL;
            }
            double fsum = sum;
            double[] sumOut = new double[1];
            both(t + " maskedSquaredError dy", b, be -> {
                try (Buf Y = up(be, t, y); Buf T = up(be, t, target); Buf M = up(be, t, mask); Buf D = be.alloc(t, N)) {
                    sumOut[0] = be.maskedSquaredError(Y, T, M, N, gs, D);
                    closeScalar(be.name() + " " + t + " maskedSquaredError sum", fsum, sumOut[0], fsum, tol(t));
                    return be.toDoubles(D);
                }
            }, dyRef, dyScale, tol(t));

            double[] x = rand(r, N + 10, t);
            double ss = 0, sa = 0;
            for (int i = 0; i < N; i++) { ss += x[6 + i] * x[6 + i]; sa += Math.abs(x[6 + i]); }
            double fss = ss, fsa = sa;
            both(t + " sumSquares/sumAbs", b, be -> {
                try (Buf X = up(be, t, x)) {
                    return new double[] {be.sumSquares(X, 6, N), be.sumAbs(X, 6, N)};
                }
            }, new double[] {fss, fsa}, null, tol(t));
        }
    }

    // ---- Adam ----------------------------------------------------------------------------

    /** One Adam step exactly as the PyTorch docs write it (textbook form, double precision). */
    private static void refAdamStep(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2,
                                    double eps, int step) {
        double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < p.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mHat = m[i] / bc1, vHat = v[i] / bc2;
            p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    @Test
    void adamMatchesScalarPyTorchFormula() {
        Backend b = backend();
        Random r = new Random(10);
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        int steps = 4;
        for (DType t : DType.values()) {
            int n = 5000;
            double[] p0 = rand(r, n, t);
            double[][] grads = new double[steps][];
            for (int s = 0; s < steps; s++) grads[s] = rand(r, n, t);
            double[] p = p0.clone(), m = new double[n], v = new double[n];
            for (int s = 1; s <= steps; s++) refAdamStep(p, grads[s - 1], m, v, lr, b1, b2, eps, s);
            double[] pScale = new double[n];
            for (int i = 0; i < n; i++) pScale[i] = Math.abs(p[i]) + lr;
            double[] ref = new double[3 * n], scale = new double[3 * n];
            double mMax = Arrays.stream(m).map(Math::abs).max().orElse(1), vMax = Arrays.stream(v).max().orElse(1);
            for (int i = 0; i < n; i++) {
                ref[i] = p[i]; scale[i] = pScale[i];
                ref[n + i] = m[i]; scale[n + i] = mMax;
                ref[2 * n + i] = v[i]; scale[2 * n + i] = vMax;
            }
            both(t + " adam x" + steps, b, be -> {
                try (Buf P = up(be, t, p0); Buf M = be.alloc(t, n); Buf V = be.alloc(t, n); Buf G = be.alloc(t, n)) {
                    for (int s = 1; s <= steps; s++) {
                        be.write(G, 0, grads[s - 1], 0, n);
                        be.adam(P, G, M, V, n, lr, b1, b2, eps, 1 - Math.pow(b1, s), 1 - Math.pow(b2, s));
                    }
                    double[] out = new double[3 * n];
                    be.download(P, 0, out, 0, n);
                    be.download(M, 0, out, n, n);
                    be.download(V, 0, out, 2 * n, n);
                    return out;
                }
            }, ref, scale, t == DType.F32 ? TOL_F32 : 1e-11);
        }
    }

    @Test
    void adamMatchesTorchFixture() throws Exception {
        Backend b = backend();
        NdArray p0 = npy("adam/p0.npy"), grads = npy("adam/grads.npy"), pAfter = npy("adam/p_after.npy");
        int n = p0.size(), steps = grads.dim(0);
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (DType t : DType.values()) {
            try (Buf P = up(b, t, p0.data()); Buf M = b.alloc(t, n); Buf V = b.alloc(t, n); Buf G = b.alloc(t, n)) {
                for (int s = 1; s <= steps; s++) {
                    b.write(G, 0, grads.data(), (s - 1) * n, n);
                    b.adam(P, G, M, V, n, lr, b1, b2, eps, 1 - Math.pow(b1, s), 1 - Math.pow(b2, s));
                }
                double[] scale = new double[n];
                for (int i = 0; i < n; i++) scale[i] = Math.abs(pAfter.data()[i]) + lr;
                close(b.name() + " " + t + " adam vs torch fixture", pAfter.data(), b.toDoubles(P), scale,
                        t == DType.F32 ? TOL_F32 : 1e-12);
            }
        }
    }

    private static NdArray npy(String path) throws Exception {
        try (InputStream in = BackendContract.class.getResourceAsStream("/fixtures/" + path)) {
            assertNotNull(in, "fixture " + path);
            return Npy.read(in, path);
        }
    }

    // ---- decompositions --------------------------------------------------------------------

    private static double[] gaussian(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian();
        return a;
    }

    @Test
    void svdReconstructsWithOrthonormalFactors() {
        Backend b = backend();
        Random r = new Random(11);
        for (int[] s : new int[][] {{6, 4}, {4, 6}, {40, 40}, {50, 20}, {1, 7}, {128, 128}}) {
            int m = s[0], n = s[1], k = Math.min(m, n);
            double[] a = gaussian(r, m * n);
            double[] aCopy = a.clone();
            Svd d = b.svd(m, n, a);
            assertTrue(Arrays.equals(aCopy, a), "svd must not modify its input");
            String what = b.name() + " svd " + m + "x" + n;
            assertEquals(k, d.k(), what);
            assertEquals(m * k, d.u().length, what + " U size");
            assertEquals(k * n, d.vt().length, what + " Vt size");
            for (int i = 0; i < k; i++) {
                assertTrue(d.s()[i] >= 0, what + " singular values >= 0");
                if (i > 0) assertTrue(d.s()[i - 1] >= d.s()[i], what + " singular values descending: " + Arrays.toString(d.s()));
            }
            double maxErr = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double v = 0;
                    for (int l = 0; l < k; l++) v += d.u()[i * k + l] * d.s()[l] * d.vt()[l * n + j];
                    maxErr = Math.max(maxErr, Math.abs(v - a[i * n + j]));
                }
            }
            assertTrue(maxErr < 1e-10, what + " reconstruction error " + maxErr);
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    double uu = 0, vv = 0;
                    for (int i = 0; i < m; i++) uu += d.u()[i * k + p] * d.u()[i * k + q];
                    for (int j = 0; j < n; j++) vv += d.vt()[p * n + j] * d.vt()[q * n + j];
                    double id = p == q ? 1 : 0;
                    assertTrue(Math.abs(uu - id) < 1e-10, what + " U^T U != I at " + p + "," + q + ": " + uu);
                    assertTrue(Math.abs(vv - id) < 1e-10, what + " V^T V != I at " + p + "," + q + ": " + vv);
                }
            }
            double[] js = JAVA.svd(m, n, a).s();
            close(what + " singular values vs java", js, d.s(), null, 1e-10);
        }
    }

    /** A symmetric matrix with a known spectrum: Q diag(lambda) Q^T, Q from a QR of a Gaussian matrix. */
    private static double[] withSpectrum(Random r, double[] lambda) {
        int n = lambda.length;
        Svd q = JAVA.svd(n, n, gaussian(r, n * n));  // U is orthogonal
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int l = 0; l < n; l++) v += q.u()[i * n + l] * lambda[l] * q.u()[j * n + l];
                a[i * n + j] = v;
            }
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a[i * n + j] = a[j * n + i];  // exactly symmetric
        return a;
    }

    @Test
    void eigSymmetricGivesTheTopPairs() {
        Backend b = backend();
        Random r = new Random(14);
        for (int n : new int[] {1, 7, 64, 130}) {
            // Known spectrum, distinct values of both signs, in shuffled order.
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) lambda[i] = (i % 2 == 0 ? 1 : -1) * (1 + 3.0 * i / n) + 0.01 * i;
            double[] known = withSpectrum(r, lambda);
            double[] sorted = lambda.clone();
            Arrays.sort(sorted);
            // A Gram matrix (positive semi-definite, as in HAVOK) and a symmetrised Gaussian one.
            double[] x = gaussian(r, 3 * n * n), gram = new double[n * n], sym = gaussian(r, n * n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = 0;
                    for (int t = 0; t < 3 * n; t++) v += x[t * n + i] * x[t * n + j];
                    gram[i * n + j] = v;
                }
            }
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) { double v = 0.5 * (sym[i * n + j] + sym[j * n + i]); sym[i * n + j] = v; sym[j * n + i] = v; }
            for (int k : new int[] {1, Math.min(5, n), n}) {
                for (double[] a : new double[][] {known, gram, sym}) {
                    String what = b.name() + " eigSymmetric n=" + n + " k=" + k + (a == known ? " known" : a == gram ? " gram" : " sym");
                    double[] copy = a.clone();
                    SymmetricEig e = b.eigSymmetric(n, a, k);
                    assertTrue(Arrays.equals(copy, a), what + ": input modified");
                    assertEquals(k, e.values().length, what);
                    assertEquals(n * k, e.vectors().length, what);
                    double scale = 0;
                    for (double v : a) scale = Math.max(scale, Math.abs(v));
                    for (int c = 0; c < k; c++) {
                        if (c > 0) assertTrue(e.values()[c - 1] >= e.values()[c], what + ": not descending " + Arrays.toString(e.values()));
                        double res = 0;
                        for (int i = 0; i < n; i++) {
                            double av = 0;
                            for (int j = 0; j < n; j++) av += a[i * n + j] * e.vectors()[j * k + c];
                            res = Math.max(res, Math.abs(av - e.values()[c] * e.vectors()[i * k + c]));
                        }
                        assertTrue(res < 1e-9 * n * scale, what + ": |A v - lambda v| = " + res + " for pair " + c);
                        for (int d = 0; d <= c; d++) {
                            double dot = 0;
                            for (int i = 0; i < n; i++) dot += e.vectors()[i * k + c] * e.vectors()[i * k + d];
                            assertEquals(c == d ? 1.0 : 0.0, dot, 1e-9, what + ": vectors " + c + ", " + d + " not orthonormal");
                        }
                        if (a == known) assertEquals(sorted[n - 1 - c], e.values()[c], 1e-10 * n, what + ": eigenvalue " + c);
                    }
                    close(what + " values vs java", JAVA.eigSymmetric(n, a, k).values(), e.values(), null, 1e-9 * n * scale);
                }
            }
        }
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> b.eigSymmetric(2, new double[] {1, 2, 3, 1}, 1));
        assertTrue(ex.getMessage().contains("not symmetric") && ex.getMessage().contains("(0, 1)"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> b.eigSymmetric(2, new double[] {1, 0, 0, 1}, 3));
        assertTrue(ex.getMessage().contains("k must be in [1, 2], got 3"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> b.eigSymmetric(2, new double[] {1, 0, 0, Double.NaN}, 1));
        assertTrue(ex.getMessage().contains("NaN"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.eigSymmetric(2, new double[] {1, 0, 0}, 1));
    }

    @Test
    void eigSatisfiesAvEqualsLambdaV() {
        Backend b = backend();
        Random r = new Random(12);
        List<double[]> mats = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        mats.add(gaussian(r, 36)); sizes.add(6);
        mats.add(gaussian(r, 1600)); sizes.add(40);
        // A 6x6 with a known complex pair (a rotation block) and real eigenvalues, hidden by a similarity.
        mats.add(rotationBlockMatrix(r)); sizes.add(6);
        // Symmetric: all real.
        double[] sym = gaussian(r, 100);
        for (int i = 0; i < 10; i++) for (int j = 0; j < i; j++) sym[i * 10 + j] = sym[j * 10 + i];
        mats.add(sym); sizes.add(10);
        boolean sawComplex = false;
        for (int idx = 0; idx < mats.size(); idx++) {
            int n = sizes.get(idx);
            double[] a = mats.get(idx);
            double[] aCopy = a.clone();
            Eig e = b.eig(n, a, true);
            assertTrue(Arrays.equals(aCopy, a), "eig must not modify its input");
            String what = b.name() + " eig " + n + "x" + n + " #" + idx;
            double aNorm = 0;
            for (double v : a) aNorm = Math.max(aNorm, Math.abs(v));
            for (int j = 0; j < n; j++) {
                double lr = e.re()[j], li = e.im()[j];
                if (li != 0) sawComplex = true;
                double vnorm = 0;
                for (int i = 0; i < n; i++) vnorm += sq(e.vecRe()[i * n + j]) + sq(e.vecIm()[i * n + j]);
                vnorm = Math.sqrt(vnorm);
                assertTrue(vnorm > 0.5, what + " eigenvector " + j + " has norm " + vnorm);
                double res = 0;
                for (int i = 0; i < n; i++) {
                    // (A v)_i - lambda v_i in complex arithmetic.
                    double avr = 0, avi = 0;
                    for (int l = 0; l < n; l++) {
                        avr += a[i * n + l] * e.vecRe()[l * n + j];
                        avi += a[i * n + l] * e.vecIm()[l * n + j];
                    }
                    double vr = e.vecRe()[i * n + j], vi = e.vecIm()[i * n + j];
                    double lvr = lr * vr - li * vi, lvi = lr * vi + li * vr;
                    res = Math.max(res, Math.hypot(avr - lvr, avi - lvi));
                }
                assertTrue(res < 1e-10 * n * (1 + aNorm) * vnorm, what + " residual |Av - lambda v| = " + res
                        + " for lambda = " + lr + (li >= 0 ? "+" : "") + li + "i");
            }
            // Same spectrum as the Java engine (as a multiset).
            assertSameSpectrum(what + " vs java", JAVA.eig(n, a, false), e, 1e-9);
            Eig valuesOnly = b.eig(n, a, false);
            assertNull(valuesOnly.vecRe(), what + " no vectors asked");
            assertSameSpectrum(what + " values only", e, valuesOnly, 1e-10);
        }
        assertTrue(sawComplex, "test matrices must include complex eigenpairs");
    }

    private static double sq(double v) { return v * v; }

    private static double[] rotationBlockMatrix(Random r) {
        int n = 6;
        double[] d = new double[n * n];
        d[0] = 0.3; d[1] = -1.7; d[n] = 1.7; d[n + 1] = 0.3;  // eigenvalues 0.3 +- 1.7i
        d[2 * n + 2] = 2; d[3 * n + 3] = -1; d[4 * n + 4] = 0.5; d[5 * n + 5] = 4;
        double[] s = gaussian(r, n * n);
        for (int i = 0; i < n; i++) s[i * n + i] += 4;  // well conditioned
        double[] sInv = JAVA.lstsq(n, n, n, s, identity(n));
        return matmul(n, matmul(n, s, d), sInv);
    }

    private static double[] identity(int n) {
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) id[i * n + i] = 1;
        return id;
    }

    private static double[] matmul(int n, double[] a, double[] b) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) for (int l = 0; l < n; l++) for (int j = 0; j < n; j++) c[i * n + j] += a[i * n + l] * b[l * n + j];
        return c;
    }

    /** Every eigenvalue of {@code got} matches a distinct one of {@code ref} (greedy nearest match). */
    private static void assertSameSpectrum(String what, Eig ref, Eig got, double tol) {
        int n = ref.n();
        assertEquals(n, got.n(), what);
        boolean[] used = new boolean[n];
        for (int j = 0; j < n; j++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (used[i]) continue;
                double d = Math.hypot(got.re()[j] - ref.re()[i], got.im()[j] - ref.im()[i]);
                if (d < bestD) { bestD = d; best = i; }
            }
            used[best] = true;
            double mag = Math.hypot(ref.re()[best], ref.im()[best]);
            assertTrue(bestD < tol * (1 + mag), what + ": eigenvalue " + got.re()[j] + (got.im()[j] >= 0 ? "+" : "")
                    + got.im()[j] + "i has no match (nearest off by " + bestD + ")");
        }
    }

    @Test
    void lstsqSatisfiesNormalEquations() {
        Backend b = backend();
        Random r = new Random(13);
        for (int[] s : new int[][] {{30, 7, 3}, {6, 6, 1}, {200, 40, 5}}) {
            int m = s[0], n = s[1], nrhs = s[2];
            double[] a = gaussian(r, m * n), rhs = gaussian(r, m * nrhs);
            double[] aCopy = a.clone(), rhsCopy = rhs.clone();
            double[] x = b.lstsq(m, n, nrhs, a, rhs);
            assertTrue(Arrays.equals(aCopy, a) && Arrays.equals(rhsCopy, rhs), "lstsq must not modify its inputs");
            String what = b.name() + " lstsq " + m + "x" + n + " nrhs=" + nrhs;
            assertEquals(n * nrhs, x.length, what);
            // A^T (A x - b) = 0.
            for (int c = 0; c < nrhs; c++) {
                double[] res = new double[m];
                for (int i = 0; i < m; i++) {
                    double v = -rhs[i * nrhs + c];
                    for (int j = 0; j < n; j++) v += a[i * n + j] * x[j * nrhs + c];
                    res[i] = v;
                }
                for (int j = 0; j < n; j++) {
                    double g = 0;
                    for (int i = 0; i < m; i++) g += a[i * n + j] * res[i];
                    assertTrue(Math.abs(g) < 1e-10 * m, what + " normal equation " + j + " of rhs " + c + ": " + g);
                }
            }
            close(what + " vs java", JAVA.lstsq(m, n, nrhs, a, rhs), x, null, 1e-9);
        }
    }
}
