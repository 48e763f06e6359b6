package io.degen.backend;

import static org.bytedeco.mkl.global.mkl_rt.CblasNoTrans;
import static org.bytedeco.mkl.global.mkl_rt.CblasRowMajor;
import static org.bytedeco.mkl.global.mkl_rt.CblasTrans;
import static org.bytedeco.mkl.global.mkl_rt.LAPACKE_dgeev;
import static org.bytedeco.mkl.global.mkl_rt.LAPACKE_dgels;
import static org.bytedeco.mkl.global.mkl_rt.LAPACKE_dgesdd;
import static org.bytedeco.mkl.global.mkl_rt.LAPACKE_dsyevr;
import static org.bytedeco.mkl.global.mkl_rt.LAPACK_ROW_MAJOR;
import static org.bytedeco.mkl.global.mkl_rt.MKL_Get_Max_Threads;
import static org.bytedeco.mkl.global.mkl_rt.MKL_Get_Version_String;
import static org.bytedeco.mkl.global.mkl_rt.MKL_Set_Num_Threads;
import static org.bytedeco.mkl.global.mkl_rt.VML_HA;
import static org.bytedeco.mkl.global.mkl_rt.cblas_daxpby;
import static org.bytedeco.mkl.global.mkl_rt.cblas_dgemm;
import static org.bytedeco.mkl.global.mkl_rt.cblas_dgemm_batch;
import static org.bytedeco.mkl.global.mkl_rt.cblas_dgemm_batch_strided;
import static org.bytedeco.mkl.global.mkl_rt.cblas_dgemv;
import static org.bytedeco.mkl.global.mkl_rt.cblas_dger;
import static org.bytedeco.mkl.global.mkl_rt.cblas_saxpby;
import static org.bytedeco.mkl.global.mkl_rt.cblas_sgemm;
import static org.bytedeco.mkl.global.mkl_rt.cblas_sgemm_batch;
import static org.bytedeco.mkl.global.mkl_rt.cblas_sgemm_batch_strided;
import static org.bytedeco.mkl.global.mkl_rt.cblas_sgemv;
import static org.bytedeco.mkl.global.mkl_rt.cblas_sger;
import static org.bytedeco.mkl.global.mkl_rt.vdMul;
import static org.bytedeco.mkl.global.mkl_rt.vmdTanh;
import static org.bytedeco.mkl.global.mkl_rt.vmsTanh;
import static org.bytedeco.mkl.global.mkl_rt.vsMul;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Native engine on Intel MKL through the JavaCPP preset ({@code org.bytedeco.mkl.global.mkl_rt}).
 *
 * <p>Buffers live off-heap ({@link FloatPointer} / {@link DoublePointer} memory owned by an
 * {@link MklBuf}, freed by {@link Buf#close()} or, failing that, by JavaCPP's GC deallocator).
 * GEMM, batched GEMM, axpby, the bias broadcast (rank-1 {@code ger}), the column sum
 * ({@code gemv}), tanh and mul call MKL directly on the off-heap memory. The remaining element-wise
 * kernels (tanh backward, L1 sign, masked squared error, the sums and Adam) copy chunks through a
 * small per-thread heap scratch and run plain Java loops there. Decompositions copy the host arrays
 * into temporary off-heap memory and call row-major LAPACKE ({@code dgesdd}, {@code dgeev},
 * {@code dgels}).
 *
 * <p>Offsets are applied through per-thread "view" pointers whose address is set to the element
 * address before each call. The owning buffer's pointer is never repositioned, so the same buffer
 * can be read by several threads at once (e.g. a data set shared by networks trained in parallel).
 *
 * <p>MKL runs single-threaded by default because degen parallelises across networks; set
 * {@code DEGEN_MKL_THREADS} to change that. The setting is process-wide (MKL's global thread count).
 */
public final class MklBackend implements Backend {
    /** Environment variable overriding MKL's thread count (default 1). */
    public static final String THREADS_ENV = "DEGEN_MKL_THREADS";

    /** Elements per heap-scratch chunk for the copy-through kernels. */
    private static final int CHUNK = 4096;

    private static volatile String firstLoadFailure;

    private final int threads;
    private final ThreadLocal<Ctx> ctx = ThreadLocal.withInitial(Ctx::new);

    /** Loads MKL and sets its thread count from {@code DEGEN_MKL_THREADS} (default 1). */
    public MklBackend() {
        this(threadsFromEnv(System.getenv(THREADS_ENV)));
    }

    /** Loads MKL with the given (process-wide) thread count. */
    public MklBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("MKL thread count must be >= 1, got " + threads);
        loadNatives();
        MKL_Set_Num_Threads(threads);
        this.threads = threads;
    }

    static int threadsFromEnv(String v) {
        if (v == null || v.isBlank()) return 1;
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) return t;
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(THREADS_ENV + " must be a positive integer, got '" + v + "'");
    }

    private static void loadNatives() {
        String earlier = firstLoadFailure;
        if (earlier != null) throw new Backends.BackendUnavailableException(earlier);
        try {
            Loader.load(org.bytedeco.mkl.global.mkl_rt.class);
        } catch (LinkageError | RuntimeException e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            StringBuilder msg = new StringBuilder("mkl native libraries did not load: ").append(cause);
            for (Throwable c = cause.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                msg.append("; caused by ").append(c);
            }
            msg.append(" (needs org.bytedeco:mkl with classifiers linux-x86_64 and linux-x86_64-redist on the"
                    + " class path, on linux-x86_64)");
            firstLoadFailure = msg.toString();
            throw new Backends.BackendUnavailableException(firstLoadFailure);
        }
    }

    @Override public String name() { return "mkl"; }

    /** MKL's current maximum thread count (process-wide). */
    public int threads() { return MKL_Get_Max_Threads(); }

    /** The thread count this backend asked for. */
    public int requestedThreads() { return threads; }

    /** MKL's version string, e.g. "Intel(R) oneAPI Math Kernel Library Version 2025.3 ...". */
    public static String mklVersion() {
        byte[] buf = new byte[256];
        MKL_Get_Version_String(buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) len++;
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.US_ASCII).trim();
    }

    // ---- buffers ---------------------------------------------------------------------------

    /** Off-heap buffer: malloc'd memory freed on {@link #close()}. */
    static final class MklBuf extends Buf {
        private final Pointer mem;
        private final long address;
        private final int elemBytes;
        private volatile boolean closed;

        MklBuf(DType dtype, int size) {
            super(dtype, size);
            long n = Math.max(1, size);
            mem = dtype == DType.F32 ? new FloatPointer(n) : new DoublePointer(n);
            if (mem.isNull()) throw new OutOfMemoryError("could not allocate " + n + " off-heap " + dtype + " elements");
            mem.zero();
            address = mem.address();
            elemBytes = dtype == DType.F32 ? Float.BYTES : Double.BYTES;
        }

        long addr(long off) {
            if (closed) throw new IllegalStateException("mkl buffer " + this + " is closed");
            return address + off * elemBytes;
        }

        boolean isClosed() { return closed; }

        @Override public synchronized void close() {
            if (closed) return;
            closed = true;
            mem.deallocate();
        }

        @Override public String toString() {
            return "mkl " + dtype() + "[" + size() + "]" + (closed ? " (closed)" : "");
        }
    }

    /** A pointer into some buffer's memory; the owner reference keeps the buffer reachable while in use. */
    private static final class FView extends FloatPointer {
        @SuppressWarnings("unused") private Object owner;

        FView at(MklBuf b, long off, long n) {
            address = b.addr(off);
            position = 0;
            limit = n;
            capacity = n;
            owner = b;
            return this;
        }
    }

    private static final class DView extends DoublePointer {
        @SuppressWarnings("unused") private Object owner;

        DView at(MklBuf b, long off, long n) {
            address = b.addr(off);
            position = 0;
            limit = n;
            capacity = n;
            owner = b;
            return this;
        }
    }

    /** Per-thread views, heap scratch and an off-heap vector of ones. */
    /** Native argument arrays of a grouped GEMM, reused by one thread. */
    private static final class Grouped {
        final int capacity;
        /** Operand addresses, and the same memory seen as the void** MKL takes. */
        final LongPointer a, b, c;
        final PointerPointer<?> ap, bp, cp;
        final IntPointer ints = new IntPointer(9);
        final FloatPointer fScalars = new FloatPointer(2);
        final DoublePointer dScalars = new DoublePointer(2);
        private final IntPointer[] views = new IntPointer[9];

        Grouped(int capacity) {
            this.capacity = capacity;
            a = new LongPointer(capacity);
            b = new LongPointer(capacity);
            c = new LongPointer(capacity);
            ap = new PointerPointer<>(a);
            bp = new PointerPointer<>(b);
            cp = new PointerPointer<>(c);
            for (int i = 0; i < views.length; i++) views[i] = ints.getPointer(i);
        }

        /** The one-element array holding argument i (group count is 1, so each array has one entry). */
        IntPointer view(int i) { return views[i]; }

        /** Frees the native arrays now instead of at garbage collection (as fOnes/dOnes do when they grow). */
        void deallocate() {
            for (Pointer p : new Pointer[] {a, b, c, ints, fScalars, dScalars}) p.deallocate();
        }
    }

    private static final class Ctx {
        final FView[] f = {new FView(), new FView(), new FView(), new FView()};
        final DView[] d = {new DView(), new DView(), new DView(), new DView()};
        final float[][] fs = new float[4][CHUNK];
        final double[][] ds = new double[4][CHUNK];
        FloatPointer fOnes;
        DoublePointer dOnes;
        private Grouped grouped;

        Grouped grouped(int count) {
            if (grouped == null || grouped.capacity < count) {
                if (grouped != null) grouped.deallocate();
                grouped = new Grouped(Math.max(count, 16));
            }
            return grouped;
        }

        FloatPointer fOnes(int n) {
            if (fOnes == null || fOnes.capacity() < n) {
                if (fOnes != null) fOnes.deallocate();
                fOnes = new FloatPointer(Math.max(n, 64));
                float[] one = new float[(int) fOnes.capacity()];
                Arrays.fill(one, 1f);
                fOnes.put(one, 0, one.length);
            }
            return fOnes;
        }

        DoublePointer dOnes(int n) {
            if (dOnes == null || dOnes.capacity() < n) {
                if (dOnes != null) dOnes.deallocate();
                dOnes = new DoublePointer(Math.max(n, 64));
                double[] one = new double[(int) dOnes.capacity()];
                Arrays.fill(one, 1.0);
                dOnes.put(one, 0, one.length);
            }
            return dOnes;
        }
    }

    private static MklBuf m(Buf b) {
        if (b instanceof MklBuf mb) return mb;
        throw new IllegalArgumentException("buffer belongs to another backend: " + b
                + " (the mkl backend only takes buffers made by its own alloc/upload)");
    }

    private static DType same(MklBuf a, MklBuf b) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException("dtype mismatch: " + a + " vs " + b);
        return a.dtype();
    }

    private static DType same(MklBuf a, MklBuf b, MklBuf c) {
        same(a, b);
        return same(a, c);
    }

    private static void range(MklBuf b, long off, long n, String what) {
        if (off < 0 || n < 0 || off + n > b.size()) {
            throw new IndexOutOfBoundsException(what + ": elements [" + off + ", " + (off + n) + ") lie outside " + b);
        }
    }

    private static void hostRange(int len, int off, int n, String what) {
        if (off < 0 || n < 0 || (long) off + n > len) {
            throw new IndexOutOfBoundsException(what + ": elements [" + off + ", " + ((long) off + n) + ") outside an array of " + len);
        }
    }

    /** Checks a rows x cols row-major block with leading dimension ld starting at off. */
    private static void matRange(MklBuf b, long off, int rows, int cols, int ld, String what) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(what + ": negative shape " + rows + " x " + cols);
        if (ld < cols) throw new IllegalArgumentException(what + ": leading dimension " + ld + " < " + cols + " columns");
        long extent = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        range(b, off, extent, what);
    }

    @Override public Buf alloc(DType dtype, int size) { return new MklBuf(dtype, size); }

    @Override public Buf upload(float[] data) {
        MklBuf b = new MklBuf(DType.F32, data.length);
        if (data.length > 0) ctx.get().f[0].at(b, 0, data.length).put(data, 0, data.length);
        return b;
    }

    @Override public Buf upload(double[] data) {
        MklBuf b = new MklBuf(DType.F64, data.length);
        if (data.length > 0) ctx.get().d[0].at(b, 0, data.length).put(data, 0, data.length);
        return b;
    }

    @Override public void download(Buf src, int off, double[] dst, int dstOff, int n) {
        MklBuf s = m(src);
        range(s, off, n, "download source");
        hostRange(dst.length, dstOff, n, "download destination");
        if (n == 0) return;
        Ctx x = ctx.get();
        if (s.dtype() == DType.F64) {
            x.d[0].at(s, off, n).get(dst, dstOff, n);
        } else {
            float[] t = x.fs[0];
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                x.f[0].at(s, off + i, c).get(t, 0, c);
                for (int j = 0; j < c; j++) dst[dstOff + i + j] = t[j];
            }
        }
    }

    @Override public void write(Buf dst, int off, double[] src, int srcOff, int n) {
        MklBuf d = m(dst);
        range(d, off, n, "write destination");
        hostRange(src.length, srcOff, n, "write source");
        if (n == 0) return;
        Ctx x = ctx.get();
        if (d.dtype() == DType.F64) {
            x.d[0].at(d, off, n).put(src, srcOff, n);
        } else {
            float[] t = x.fs[0];
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                for (int j = 0; j < c; j++) t[j] = (float) src[srcOff + i + j];
                x.f[0].at(d, off + i, c).put(t, 0, c);
            }
        }
    }

    @Override public void copy(Buf src, int srcOff, Buf dst, int dstOff, int n) {
        MklBuf s = m(src), d = m(dst);
        DType t = same(s, d);
        range(s, srcOff, n, "copy source");
        range(d, dstOff, n, "copy destination");
        if (n == 0) return;
        Ctx x = ctx.get();
        if (t == DType.F32) Pointer.memmove(x.f[1].at(d, dstOff, n), x.f[0].at(s, srcOff, n), (long) n * Float.BYTES);
        else Pointer.memmove(x.d[1].at(d, dstOff, n), x.d[0].at(s, srcOff, n), (long) n * Double.BYTES);
    }

    @Override public void fill(Buf buf, int off, int n, double value) {
        MklBuf b = m(buf);
        range(b, off, n, "fill");
        if (n == 0) return;
        Ctx x = ctx.get();
        if (b.dtype() == DType.F32) {
            float[] t = x.fs[0];
            Arrays.fill(t, 0, Math.min(CHUNK, n), (float) value);
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                x.f[0].at(b, off + i, c).put(t, 0, c);
            }
        } else {
            double[] t = x.ds[0];
            Arrays.fill(t, 0, Math.min(CHUNK, n), value);
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                x.d[0].at(b, off + i, c).put(t, 0, c);
            }
        }
    }

    // ---- BLAS-like ---------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Buf a, int aOff, int lda, Buf b, int bOff, int ldb,
                     double beta, Buf c, int cOff, int ldc) {
        MklBuf A = m(a), B = m(b), C = m(c);
        DType t = same(A, B, C);
        matRange(A, aOff, transA ? k : m, transA ? m : k, lda, "gemm A");
        matRange(B, bOff, transB ? n : k, transB ? k : n, ldb, "gemm B");
        matRange(C, cOff, m, n, ldc, "gemm C");
        if (m == 0 || n == 0) return;
        int ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
        Ctx x = ctx.get();
        if (t == DType.F32) {
            cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, (float) alpha, x.f[0].at(A, aOff, 0), Math.max(1, lda),
                    x.f[1].at(B, bOff, 0), Math.max(1, ldb), (float) beta, x.f[2].at(C, cOff, 0), Math.max(1, ldc));
        } else {
            cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, x.d[0].at(A, aOff, 0), Math.max(1, lda),
                    x.d[1].at(B, bOff, 0), Math.max(1, ldb), beta, x.d[2].at(C, cOff, 0), Math.max(1, ldc));
        }
    }

    /**
     * One {@code cblas_?gemm_batch} call (a single group) when the products share their shape and
     * scalars, as the same time step of networks trained together does; otherwise one gemm each.
     */
    @Override
    public void gemmAll(GemmOp[] ops, int count) {
        if (count <= 1 || !uniform(ops, count)) {
            Backend.super.gemmAll(ops, count);
            return;
        }
        GemmOp o = ops[0];
        DType t = null;
        for (int i = 0; i < count; i++) {
            GemmOp g = ops[i];
            MklBuf A = m(g.a()), B = m(g.b()), C = m(g.c());
            DType ti = same(A, B, C);
            if (t != null && ti != t) throw new IllegalArgumentException("gemmAll: dtype mismatch between products 0 and " + i);
            t = ti;
            matRange(A, g.aOff(), o.transA() ? o.k() : o.m(), o.transA() ? o.m() : o.k(), o.lda(), "gemmAll A[" + i + "]");
            matRange(B, g.bOff(), o.transB() ? o.n() : o.k(), o.transB() ? o.k() : o.n(), o.ldb(), "gemmAll B[" + i + "]");
            matRange(C, g.cOff(), o.m(), o.n(), o.ldc(), "gemmAll C[" + i + "]");
        }
        if (o.m() == 0 || o.n() == 0) return;
        Ctx x = ctx.get();
        Grouped gr = x.grouped(count);
        for (int i = 0; i < count; i++) {
            GemmOp g = ops[i];
            gr.a.put(i, m(g.a()).addr(g.aOff()));
            gr.b.put(i, m(g.b()).addr(g.bOff()));
            gr.c.put(i, m(g.c()).addr(g.cOff()));
        }
        gr.ints.put(0, o.transA() ? CblasTrans : CblasNoTrans).put(1, o.transB() ? CblasTrans : CblasNoTrans)
                .put(2, o.m()).put(3, o.n()).put(4, o.k())
                .put(5, Math.max(1, o.lda())).put(6, Math.max(1, o.ldb())).put(7, Math.max(1, o.ldc())).put(8, count);
        IntPointer ta = gr.view(0), tb = gr.view(1), mm = gr.view(2), nn = gr.view(3), kk = gr.view(4),
                lda = gr.view(5), ldb = gr.view(6), ldc = gr.view(7), size = gr.view(8);
        if (t == DType.F32) {
            gr.fScalars.put(0, (float) o.alpha()).put(1, (float) o.beta());
            cblas_sgemm_batch(CblasRowMajor, ta, tb, mm, nn, kk, gr.fScalars, gr.ap, lda, gr.bp, ldb,
                    gr.fScalars.getPointer(1), gr.cp, ldc, 1, size);
        } else {
            gr.dScalars.put(0, o.alpha()).put(1, o.beta());
            cblas_dgemm_batch(CblasRowMajor, ta, tb, mm, nn, kk, gr.dScalars, gr.ap, lda, gr.bp, ldb,
                    gr.dScalars.getPointer(1), gr.cp, ldc, 1, size);
        }
    }

    private static boolean uniform(GemmOp[] ops, int count) {
        for (int i = 1; i < count; i++) if (!ops[0].sameShape(ops[i])) return false;
        return true;
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                            double alpha, Buf a, int aOff, int lda, int strideA,
                            Buf b, int bOff, int ldb, int strideB,
                            double beta, Buf c, int cOff, int ldc, int strideC, int count) {
        if (count < 0) throw new IllegalArgumentException("gemmBatched count must be >= 0, got " + count);
        if (count == 0) return;
        if (count == 1) {
            gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException("gemmBatched strides must be >= 0, got " + strideA + ", " + strideB + ", " + strideC);
        }
        MklBuf A = m(a), B = m(b), C = m(c);
        DType t = same(A, B, C);
        long last = count - 1L;
        matRange(A, aOff, transA ? k : m, transA ? m : k, lda, "gemmBatched A[0]");
        matRange(A, aOff + last * strideA, transA ? k : m, transA ? m : k, lda, "gemmBatched A[last]");
        matRange(B, bOff, transB ? n : k, transB ? k : n, ldb, "gemmBatched B[0]");
        matRange(B, bOff + last * strideB, transB ? n : k, transB ? k : n, ldb, "gemmBatched B[last]");
        matRange(C, cOff, m, n, ldc, "gemmBatched C[0]");
        matRange(C, cOff + last * strideC, m, n, ldc, "gemmBatched C[last]");
        if (m == 0 || n == 0) return;
        int ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
        Ctx x = ctx.get();
        if (t == DType.F32) {
            cblas_sgemm_batch_strided(CblasRowMajor, ta, tb, m, n, k, (float) alpha,
                    x.f[0].at(A, aOff, 0), Math.max(1, lda), strideA,
                    x.f[1].at(B, bOff, 0), Math.max(1, ldb), strideB,
                    (float) beta, x.f[2].at(C, cOff, 0), Math.max(1, ldc), strideC, count);
        } else {
            cblas_dgemm_batch_strided(CblasRowMajor, ta, tb, m, n, k, alpha,
                    x.d[0].at(A, aOff, 0), Math.max(1, lda), strideA,
                    x.d[1].at(B, bOff, 0), Math.max(1, ldb), strideB,
                    beta, x.d[2].at(C, cOff, 0), Math.max(1, ldc), strideC, count);
        }
    }

    @Override public void axpby(int n, double alpha, Buf xb, int xOff, double beta, Buf yb, int yOff) {
        MklBuf X = m(xb), Y = m(yb);
        DType t = same(X, Y);
        range(X, xOff, n, "axpby x");
        range(Y, yOff, n, "axpby y");
        if (n == 0) return;
        Ctx x = ctx.get();
        if (t == DType.F32) cblas_saxpby(n, (float) alpha, x.f[0].at(X, xOff, n), 1, (float) beta, x.f[1].at(Y, yOff, n), 1);
        else cblas_daxpby(n, alpha, x.d[0].at(X, xOff, n), 1, beta, x.d[1].at(Y, yOff, n), 1);
    }

    @Override public void addRowVector(Buf c, int cOff, int rows, int cols, Buf bias, int biasOff) {
        MklBuf C = m(c), Bi = m(bias);
        DType t = same(C, Bi);
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("addRowVector: negative shape " + rows + " x " + cols);
        range(C, cOff, (long) rows * cols, "addRowVector c");
        range(Bi, biasOff, cols, "addRowVector bias");
        if (rows == 0 || cols == 0) return;
        Ctx x = ctx.get();
        // C += ones(rows) * bias^T: one rank-1 update instead of a loop over rows.
        if (t == DType.F32) {
            cblas_sger(CblasRowMajor, rows, cols, 1f, x.fOnes(rows), 1, x.f[0].at(Bi, biasOff, cols), 1,
                    x.f[1].at(C, cOff, (long) rows * cols), cols);
        } else {
            cblas_dger(CblasRowMajor, rows, cols, 1.0, x.dOnes(rows), 1, x.d[0].at(Bi, biasOff, cols), 1,
                    x.d[1].at(C, cOff, (long) rows * cols), cols);
        }
    }

    @Override public void sumRows(Buf a, int aOff, int rows, int cols, double beta, Buf out, int outOff) {
        MklBuf A = m(a), O = m(out);
        DType t = same(A, O);
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("sumRows: negative shape " + rows + " x " + cols);
        range(A, aOff, (long) rows * cols, "sumRows a");
        range(O, outOff, cols, "sumRows out");
        if (cols == 0) return;
        Ctx x = ctx.get();
        if (rows == 0) {
            // BLAS gemv returns early for an empty matrix without applying beta; keep out = beta * out.
            scale(x, O, outOff, cols, beta);
            return;
        }
        // out = A^T ones + beta out.
        if (t == DType.F32) {
            cblas_sgemv(CblasRowMajor, CblasTrans, rows, cols, 1f, x.f[0].at(A, aOff, (long) rows * cols), cols,
                    x.fOnes(rows), 1, (float) beta, x.f[1].at(O, outOff, cols), 1);
        } else {
            cblas_dgemv(CblasRowMajor, CblasTrans, rows, cols, 1.0, x.d[0].at(A, aOff, (long) rows * cols), cols,
                    x.dOnes(rows), 1, beta, x.d[1].at(O, outOff, cols), 1);
        }
    }

    private void scale(Ctx x, MklBuf b, int off, int n, double beta) {
        if (beta == 1.0) return;
        if (b.dtype() == DType.F32) {
            float[] t = x.fs[0];
            float s = (float) beta;
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                FView v = x.f[0].at(b, off + i, c);
                v.get(t, 0, c);
                for (int j = 0; j < c; j++) t[j] *= s;
                v.put(t, 0, c);
            }
        } else {
            double[] t = x.ds[0];
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                DView v = x.d[0].at(b, off + i, c);
                v.get(t, 0, c);
                for (int j = 0; j < c; j++) t[j] *= beta;
                v.put(t, 0, c);
            }
        }
    }

    // ---- element-wise --------------------------------------------------------------------

    @Override public void tanh(Buf xb, int xOff, Buf yb, int yOff, int n) {
        MklBuf X = m(xb), Y = m(yb);
        DType t = same(X, Y);
        range(X, xOff, n, "tanh x");
        range(Y, yOff, n, "tanh y");
        if (n == 0) return;
        Ctx x = ctx.get();
        if (t == DType.F32) {
            // float32 through the Java engine's vector tanh on heap chunks: measured faster than
            // vmsTanh on these AMD machines (19% of a training step went to vmsTanh), and the same
            // function on both CPU engines.
            float[] xs = x.fs[0];
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                x.f[0].at(X, xOff + i, c).get(xs, 0, c);
                VectorTanh.apply(xs, 0, xs, 0, c);
                x.f[1].at(Y, yOff + i, c).put(xs, 0, c);
            }
        } else {
            // Explicit high-accuracy mode so the result does not depend on a thread's vmlSetMode state.
            vmdTanh(n, x.d[0].at(X, xOff, n), x.d[1].at(Y, yOff, n), VML_HA);
        }
    }

    @Override public void tanhBackward(Buf g, int gOff, Buf h, int hOff, Buf out, int outOff, int n) {
        MklBuf G = m(g), H = m(h), O = m(out);
        DType t = same(G, H, O);
        range(G, gOff, n, "tanhBackward g");
        range(H, hOff, n, "tanhBackward h");
        range(O, outOff, n, "tanhBackward out");
        Ctx x = ctx.get();
        for (int i = 0; i < n; i += CHUNK) {
            int c = Math.min(CHUNK, n - i);
            if (t == DType.F32) {
                float[] gs = x.fs[0], hs = x.fs[1];
                x.f[0].at(G, gOff + i, c).get(gs, 0, c);
                x.f[1].at(H, hOff + i, c).get(hs, 0, c);
                for (int j = 0; j < c; j++) { float hv = hs[j]; gs[j] = gs[j] * (1f - hv * hv); }
                x.f[2].at(O, outOff + i, c).put(gs, 0, c);
            } else {
                double[] gs = x.ds[0], hs = x.ds[1];
                x.d[0].at(G, gOff + i, c).get(gs, 0, c);
                x.d[1].at(H, hOff + i, c).get(hs, 0, c);
                for (int j = 0; j < c; j++) { double hv = hs[j]; gs[j] = gs[j] * (1.0 - hv * hv); }
                x.d[2].at(O, outOff + i, c).put(gs, 0, c);
            }
        }
    }

    @Override public void mul(Buf a, int aOff, Buf b, int bOff, Buf out, int outOff, int n) {
        MklBuf A = m(a), B = m(b), O = m(out);
        DType t = same(A, B, O);
        range(A, aOff, n, "mul a");
        range(B, bOff, n, "mul b");
        range(O, outOff, n, "mul out");
        if (n == 0) return;
        Ctx x = ctx.get();
        if (t == DType.F32) vsMul(n, x.f[0].at(A, aOff, n), x.f[1].at(B, bOff, n), x.f[2].at(O, outOff, n));
        else vdMul(n, x.d[0].at(A, aOff, n), x.d[1].at(B, bOff, n), x.d[2].at(O, outOff, n));
    }

    @Override public void addSign(Buf w, int wOff, double lambda, Buf g, int gOff, int n) {
        MklBuf W = m(w), G = m(g);
        DType t = same(W, G);
        range(W, wOff, n, "addSign w");
        range(G, gOff, n, "addSign g");
        Ctx x = ctx.get();
        for (int i = 0; i < n; i += CHUNK) {
            int c = Math.min(CHUNK, n - i);
            if (t == DType.F32) {
                float[] ws = x.fs[0], gs = x.fs[1];
                float l = (float) lambda;
                x.f[0].at(W, wOff + i, c).get(ws, 0, c);
                FView gv = x.f[1].at(G, gOff + i, c);
                gv.get(gs, 0, c);
                for (int j = 0; j < c; j++) gs[j] += l * Math.signum(ws[j]);
                gv.put(gs, 0, c);
            } else {
                double[] ws = x.ds[0], gs = x.ds[1];
                x.d[0].at(W, wOff + i, c).get(ws, 0, c);
                DView gv = x.d[1].at(G, gOff + i, c);
                gv.get(gs, 0, c);
                for (int j = 0; j < c; j++) gs[j] += lambda * Math.signum(ws[j]);
                gv.put(gs, 0, c);
            }
        }
    }

    @Override public double maskedSquaredError(Buf y, Buf target, Buf mask, int n, double gradScale, Buf dy) {
        MklBuf Y = m(y), T = m(target), M = m(mask), D = m(dy);
        DType t = same(Y, T, M);
        same(Y, D);
        range(Y, 0, n, "maskedSquaredError y");
        range(T, 0, n, "maskedSquaredError target");
        range(M, 0, n, "maskedSquaredError mask");
        range(D, 0, n, "maskedSquaredError dy");
        Ctx x = ctx.get();
        double sum = 0;
        for (int i = 0; i < n; i += CHUNK) {
            int c = Math.min(CHUNK, n - i);
            if (t == DType.F32) {
                float[] ys = x.fs[0], ts = x.fs[1], ms = x.fs[2];
                float gs = (float) gradScale;
                x.f[0].at(Y, i, c).get(ys, 0, c);
                x.f[1].at(T, i, c).get(ts, 0, c);
                x.f[2].at(M, i, c).get(ms, 0, c);
                for (int j = 0; j < c; j++) {
                    float e = (ys[j] - ts[j]) * ms[j];
                    sum += (double) e * e;
                    ys[j] = gs * e;
                }
                x.f[3].at(D, i, c).put(ys, 0, c);
            } else {
                double[] ys = x.ds[0], ts = x.ds[1], ms = x.ds[2];
                x.d[0].at(Y, i, c).get(ys, 0, c);
                x.d[1].at(T, i, c).get(ts, 0, c);
                x.d[2].at(M, i, c).get(ms, 0, c);
                for (int j = 0; j < c; j++) {
                    double e = (ys[j] - ts[j]) * ms[j];
                    sum += e * e;
                    ys[j] = gradScale * e;
                }
                x.d[3].at(D, i, c).put(ys, 0, c);
            }
        }
        return sum;
    }

    @Override public double sumSquares(Buf xb, int off, int n) { return sum(xb, off, n, "sumSquares", v -> v * v); }

    @Override public double sumAbs(Buf xb, int off, int n) { return sum(xb, off, n, "sumAbs", Math::abs); }

    /** sum of f(x_i), each element widened to double, read through heap chunks. */
    private double sum(Buf xb, int off, int n, String what, java.util.function.DoubleUnaryOperator f) {
        MklBuf X = m(xb);
        range(X, off, n, what);
        Ctx x = ctx.get();
        double s = 0;
        for (int i = 0; i < n; i += CHUNK) {
            int c = Math.min(CHUNK, n - i);
            if (X.dtype() == DType.F32) {
                float[] t = x.fs[0];
                x.f[0].at(X, off + i, c).get(t, 0, c);
                for (int j = 0; j < c; j++) s += f.applyAsDouble(t[j]);
            } else {
                double[] t = x.ds[0];
                x.d[0].at(X, off + i, c).get(t, 0, c);
                for (int j = 0; j < c; j++) s += f.applyAsDouble(t[j]);
            }
        }
        return s;
    }

    @Override public void adam(Buf p, Buf g, Buf mb, Buf vb, int n, double lr, double beta1, double beta2,
                               double eps, double bc1, double bc2) {
        MklBuf P = m(p), G = m(g), M = m(mb), V = m(vb);
        DType t = same(P, G, M);
        same(P, V);
        range(P, 0, n, "adam p");
        range(G, 0, n, "adam g");
        range(M, 0, n, "adam m");
        range(V, 0, n, "adam v");
        Ctx x = ctx.get();
        // Same operation order as JavaBackend / torch.optim.Adam's single-tensor path:
        // step = lr / bc1, denom = sqrt(v) / sqrt(bc2) + eps, p -= step * m / denom.
        double step = lr / bc1, sq = Math.sqrt(bc2);
        for (int i = 0; i < n; i += CHUNK) {
            int c = Math.min(CHUNK, n - i);
            if (t == DType.F32) {
                float[] ps = x.fs[0], gs = x.fs[1], ms = x.fs[2], vs = x.fs[3];
                // (1 - beta) formed in double, then rounded, as PyTorch hands it to its float kernels.
                float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2);
                FView pv = x.f[0].at(P, i, c), mv = x.f[2].at(M, i, c), vv = x.f[3].at(V, i, c);
                pv.get(ps, 0, c);
                x.f[1].at(G, i, c).get(gs, 0, c);
                mv.get(ms, 0, c);
                vv.get(vs, 0, c);
                for (int j = 0; j < c; j++) {
                    float gi = gs[j];
                    float mi = b1 * ms[j] + c1 * gi;
                    float vi = b2 * vs[j] + c2 * gi * gi;
                    ms[j] = mi;
                    vs[j] = vi;
                    ps[j] -= (float) (step * mi / (Math.sqrt(vi) / sq + eps));
                }
                pv.put(ps, 0, c);
                mv.put(ms, 0, c);
                vv.put(vs, 0, c);
            } else {
                double[] ps = x.ds[0], gs = x.ds[1], ms = x.ds[2], vs = x.ds[3];
                DView pv = x.d[0].at(P, i, c), mv = x.d[2].at(M, i, c), vv = x.d[3].at(V, i, c);
                pv.get(ps, 0, c);
                x.d[1].at(G, i, c).get(gs, 0, c);
                mv.get(ms, 0, c);
                vv.get(vs, 0, c);
                for (int j = 0; j < c; j++) {
                    double gi = gs[j];
                    double mi = beta1 * ms[j] + (1 - beta1) * gi;
                    double vi = beta2 * vs[j] + (1 - beta2) * gi * gi;
                    ms[j] = mi;
                    vs[j] = vi;
                    ps[j] -= step * mi / (Math.sqrt(vi) / sq + eps);
                }
                pv.put(ps, 0, c);
                mv.put(ms, 0, c);
                vv.put(vs, 0, c);
            }
        }
    }

    // ---- decompositions (LAPACKE, row-major) ----------------------------------------------------

    private static void checkShape(double[] a, long expected, String what) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        if (a.length != expected) throw new IllegalArgumentException(what + " has " + a.length + " elements, expected " + expected);
    }

    private static DoublePointer offHeap(double[] a, int size) {
        DoublePointer p = new DoublePointer(Math.max(1, size));
        if (a != null && a.length > 0) p.put(a, 0, a.length);
        return p;
    }

    private static double[] toHost(DoublePointer p, int n) {
        double[] out = new double[n];
        if (n > 0) p.get(out, 0, n);
        return out;
    }

    private static void free(DoublePointer... ps) {
        for (DoublePointer p : ps) if (p != null) p.deallocate();
    }

    @Override public Svd svd(int m, int n, double[] a) {
        if (m < 0 || n < 0) throw new IllegalArgumentException("svd: negative shape " + m + " x " + n);
        checkShape(a, (long) m * n, "svd input");
        EjmlDecompositions.checkFinite(a, "svd input");
        int k = Math.min(m, n);
        if (k == 0) return new Svd(m, n, new double[0], new double[0], new double[0]);
        DoublePointer A = offHeap(a, m * n), S = null, U = null, VT = null;
        try {
            S = new DoublePointer(k);
            U = new DoublePointer((long) m * k);
            VT = new DoublePointer((long) k * n);
            // jobz 'S': thin factors, U m x k (ldu = k), Vt k x n (ldvt = n); S comes out descending.
            int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, (byte) 'S', m, n, A, n, S, U, k, VT, n);
            if (info < 0) throw new IllegalStateException("LAPACKE_dgesdd: argument " + (-info) + " was illegal");
            if (info > 0) throw new ArithmeticException("SVD did not converge (dgesdd info " + info + ")");
            return new Svd(m, n, toHost(U, m * k), toHost(S, k), toHost(VT, k * n));
        } finally {
            free(A, S, U, VT);
        }
    }

    /** LAPACK's MRRR solver (dsyevr) for eigenvalues il..iu only: the k largest of the n. */
    @Override public SymmetricEig eigSymmetric(int n, double[] a, int k) {
        EjmlDecompositions.checkSymmetric(n, a, k, "eigSymmetric input");
        DoublePointer A = offHeap(a, n * n), W = null, Z = null;
        IntPointer found = null, support = null;
        try {
            W = new DoublePointer(n);
            Z = new DoublePointer((long) n * k);
            found = new IntPointer(1);
            support = new IntPointer(2L * k);
            // Range 'I' selects eigenvalues by index, ascending: n - k + 1 .. n are the k largest.
            int info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'I', (byte) 'U', n, A, n, 0.0, 0.0,
                    n - k + 1, n, 0.0, found, W, Z, k, support);
            if (info < 0) throw new IllegalStateException("LAPACKE_dsyevr: argument " + (-info) + " was illegal");
            if (info > 0) throw new ArithmeticException("symmetric eigendecomposition did not converge (dsyevr info " + info + ")");
            if (found.get() != k) throw new ArithmeticException("dsyevr returned " + found.get() + " eigenvalues, expected " + k);
            double[] w = toHost(W, k), z = toHost(Z, n * k);
            double[] values = new double[k], vectors = new double[n * k];
            for (int c = 0; c < k; c++) {
                int src = k - 1 - c;  // ascending -> descending
                values[c] = w[src];
                for (int i = 0; i < n; i++) vectors[i * k + c] = z[i * k + src];
            }
            return new SymmetricEig(n, k, values, vectors);
        } finally {
            free(A, W, Z);
            if (found != null) found.close();
            if (support != null) support.close();
        }
    }

    @Override public Eig eig(int n, double[] a, boolean vectors) {
        if (n < 0) throw new IllegalArgumentException("eig: negative size " + n);
        checkShape(a, (long) n * n, "eig input");
        EjmlDecompositions.checkFinite(a, "eig input");
        if (n == 0) return new Eig(0, new double[0], new double[0], vectors ? new double[0] : null, vectors ? new double[0] : null);
        DoublePointer A = offHeap(a, n * n), WR = null, WI = null, VL = null, VR = null;
        try {
            WR = new DoublePointer(n);
            WI = new DoublePointer(n);
            VL = new DoublePointer(1);
            VR = new DoublePointer(vectors ? (long) n * n : 1);
            int info = LAPACKE_dgeev(LAPACK_ROW_MAJOR, (byte) 'N', (byte) (vectors ? 'V' : 'N'), n, A, n,
                    WR, WI, VL, 1, VR, vectors ? n : 1);
            if (info < 0) throw new IllegalStateException("LAPACKE_dgeev: argument " + (-info) + " was illegal");
            if (info > 0) throw new ArithmeticException("eigendecomposition did not converge (dgeev info " + info + ")");
            double[] re = toHost(WR, n), im = toHost(WI, n);
            if (!vectors) return new Eig(n, re, im, null, null);
            double[] vr = toHost(VR, n * n);
            double[] vecRe = new double[n * n], vecIm = new double[n * n];
            // LAPACK stores a complex pair (lambda, conj lambda), im > 0 first, as two real columns
            // j, j+1: v_j = VR[:, j] + i VR[:, j+1], v_{j+1} = VR[:, j] - i VR[:, j+1].
            for (int j = 0; j < n; j++) {
                if (im[j] == 0 || j + 1 == n) {
                    for (int r = 0; r < n; r++) vecRe[r * n + j] = vr[r * n + j];
                } else {
                    for (int r = 0; r < n; r++) {
                        double x = vr[r * n + j], y = vr[r * n + j + 1];
                        vecRe[r * n + j] = x;
                        vecIm[r * n + j] = y;
                        vecRe[r * n + j + 1] = x;
                        vecIm[r * n + j + 1] = -y;
                    }
                    j++;
                }
            }
            return new Eig(n, re, im, vecRe, vecIm);
        } finally {
            free(A, WR, WI, VL, VR);
        }
    }

    @Override public double[] lstsq(int m, int n, int nrhs, double[] a, double[] b) {
        if (m < 0 || n < 0 || nrhs < 0) throw new IllegalArgumentException("lstsq: negative shape");
        checkShape(a, (long) m * n, "least-squares matrix");
        checkShape(b, (long) m * nrhs, "least-squares right-hand side");
        EjmlDecompositions.checkFinite(a, "least-squares matrix");
        EjmlDecompositions.checkFinite(b, "least-squares right-hand side");
        if (m < n) throw new IllegalArgumentException("least squares needs rows >= cols, got " + m + " x " + n);
        if (n == 0 || nrhs == 0) return new double[n * nrhs];
        DoublePointer A = offHeap(a, m * n), B = offHeap(b, m * nrhs);
        try {
            int info = LAPACKE_dgels(LAPACK_ROW_MAJOR, (byte) 'N', m, n, nrhs, A, n, B, nrhs);
            if (info < 0) throw new IllegalStateException("LAPACKE_dgels: argument " + (-info) + " was illegal");
            if (info > 0) {
                throw new ArithmeticException("least-squares matrix is rank deficient (diagonal element " + info
                        + " of R is zero)");
            }
            // dgels only stops on an exactly zero diagonal of R; also refuse a numerically singular R,
            // whose "solution" would be noise.
            double rMax = 0, rMin = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double r = Math.abs(A.get((long) i * n + i));
                rMax = Math.max(rMax, r);
                rMin = Math.min(rMin, r);
            }
            if (!(rMin > rMax * Math.max(m, n) * 0x1p-52)) {
                throw new ArithmeticException("least-squares matrix is rank deficient (|R| diagonal ranges from "
                        + rMin + " to " + rMax + ")");
            }
            // The first n rows of B hold the solution.
            return toHost(B, n * nrhs);
        } finally {
            free(A, B);
        }
    }
}
