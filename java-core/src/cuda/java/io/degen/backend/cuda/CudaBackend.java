package io.degen.backend.cuda;

import io.degen.backend.Backend;
import io.degen.backend.Backends.BackendUnavailableException;
import io.degen.backend.Buf;
import io.degen.backend.DType;
import io.degen.backend.Eig;
import io.degen.backend.HostDecompositions;
import io.degen.backend.Svd;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.cuda.global.cublas.*;
import static org.bytedeco.cuda.global.cudart.*;
import static org.bytedeco.cuda.global.nvrtc.*;

/**
 * NVIDIA GPU engine: buffers live in device memory (cudaMalloc), GEMMs run in cuBLAS, element-wise
 * kernels and reductions are CUDA C compiled once at construction by NVRTC and launched through the
 * driver API. Only what the {@link Backend} contract returns to the host crosses the bus: reduction
 * results (a few hundred partial sums), downloads, and the host arrays of the decompositions.
 *
 * <p><b>Threads.</b> Each calling thread gets its own cuBLAS handle and its own CUDA stream (created
 * on first use, destroyed by {@link #close()}), so networks trained on different threads overlap on
 * the device. Work is ordered per thread: a thread that reads a buffer (download, reduction) sees all
 * of its own earlier work. Allocation, upload and write complete before they return. A buffer written
 * by GEMMs or kernels on one thread and then used on another must be handed over after a host read on
 * the writing thread (the trainer keeps each network on one thread, so this never arises there).
 *
 * <p><b>Numerics.</b> float32 GEMM uses cuBLAS's default math (no TF32), element-wise kernels are
 * compiled with --fmad=false, reductions accumulate in double as the Java engine does. Results agree
 * with {@code JavaBackend} to float tolerance, not bitwise: GEMM summation order and tanhf differ.
 *
 * <p>Construction throws {@link BackendUnavailableException} (with the reason) when the CUDA
 * libraries (libcuda.so.1, libcudart.so.13, libcublas.so.13, libnvrtc.so.13) do not load or no
 * device is present. The device is $DEGEN_CUDA_DEVICE (default 0).
 */
public final class CudaBackend implements Backend {
    private static volatile String loadFailure;
    private static volatile boolean loaded;

    private final int device;
    private final String deviceName;
    private final int ccMajor, ccMinor;
    private final CUctx_st primary = new CUctx_st();
    private final CUmod_st module = new CUmod_st();
    private final String moduleKind;
    private final CUfunc_st[] fnF, fnD;
    private final List<Ctx> contexts = new ArrayList<>();
    private final ThreadLocal<Ctx> ctx = ThreadLocal.withInitial(this::newCtx);
    private volatile boolean closed;

    private static final int K_FILL = 0, K_AXPBY = 1, K_ADDROW = 2, K_TANH = 3, K_TANHBACK = 4, K_MUL = 5,
            K_ADDSIGN = 6, K_MSE = 7, K_SUMSQ = 8, K_SUMABS = 9, K_ADAM = 10;
    private static final int MAX_BLOCKS = 4096, MAX_REDUCE_BLOCKS = 1024;

    public CudaBackend() {
        loadLibraries();
        int[] count = {0};
        int rc = cudaGetDeviceCount(count);
        if (rc != cudaSuccess || count[0] == 0) {
            throw new BackendUnavailableException("no CUDA device: cudaGetDeviceCount "
                    + (rc != cudaSuccess ? "failed: " + cudaError(rc) : "found 0 devices"));
        }
        String env = System.getenv("DEGEN_CUDA_DEVICE");
        device = env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim());
        if (device < 0 || device >= count[0]) {
            throw new BackendUnavailableException("no CUDA device " + device + " (this machine has " + count[0] + ")");
        }
        check(cudaSetDevice(device), "cudaSetDevice");
        check(cudaFree(null), "cudaFree(NULL) (context creation)");
        checkDrv(cuInit(0), "cuInit");
        checkDrv(cuCtxGetCurrent(primary), "cuCtxGetCurrent");
        int[] v = {0};
        check(cudaDeviceGetAttribute(v, cudaDevAttrComputeCapabilityMajor, device), "compute capability");
        ccMajor = v[0];
        check(cudaDeviceGetAttribute(v, cudaDevAttrComputeCapabilityMinor, device), "compute capability");
        ccMinor = v[0];
        byte[] name = new byte[256];
        checkDrv(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        deviceName = new String(name, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        moduleKind = loadModule();
        String[] names = CudaKernels.names();
        fnF = new CUfunc_st[names.length];
        fnD = new CUfunc_st[names.length];
        for (int i = 0; i < names.length; i++) {
            fnF[i] = new CUfunc_st();
            fnD[i] = new CUfunc_st();
            checkDrv(cuModuleGetFunction(fnF[i], module, names[i] + "_f"), "cuModuleGetFunction " + names[i] + "_f");
            checkDrv(cuModuleGetFunction(fnD[i], module, names[i] + "_d"), "cuModuleGetFunction " + names[i] + "_d");
        }
    }

    /** Loads the JNI bindings; remembers the first failure so every later attempt reports the same reason. */
    private static synchronized void loadLibraries() {
        if (loaded) return;
        if (loadFailure != null) throw new BackendUnavailableException(loadFailure);
        String step = "libcuda.so.1/libcudart.so.13";
        try {
            Loader.load(org.bytedeco.cuda.global.cudart.class);
            step = "libcublas.so.13/libcublasLt.so.13";
            Loader.load(org.bytedeco.cuda.global.cublas.class);
            step = "libnvrtc.so.13";
            Loader.load(org.bytedeco.cuda.global.nvrtc.class);
            loaded = true;
        } catch (Throwable e) {
            String msg = String.valueOf(e.getMessage());
            Throwable c = e;
            while (c.getCause() != null) c = c.getCause();
            if (c != e) msg = msg + " (" + c.getMessage() + ")";
            loadFailure = (step.startsWith("libcuda.so.1") ? "no CUDA device: " : "CUDA libraries incomplete: ")
                    + step + " did not load: " + msg;
            throw new BackendUnavailableException(loadFailure);
        }
    }

    /** Compiles the kernels: cubin for this device's sm, falling back to PTX (JIT by the driver). */
    private String loadModule() {
        String src = CudaKernels.source();
        String cubinErr;
        try {
            byte[] cubin = compile(src, "--gpu-architecture=sm_" + ccMajor + ccMinor, true);
            BytePointer img = new BytePointer(cubin);
            int rc = cuModuleLoadData(module, img);
            if (rc == CUDA_SUCCESS) return "cubin sm_" + ccMajor + ccMinor;
            cubinErr = "cuModuleLoadData(cubin): " + drvError(rc);
        } catch (RuntimeException e) {
            cubinErr = e.getMessage();
        }
        byte[] ptx = compile(src, "--gpu-architecture=compute_" + ccMajor + ccMinor, false);
        BytePointer img = new BytePointer(ptx.length + 1);
        img.put(ptx, 0, ptx.length).put(ptx.length, (byte) 0);
        int rc = cuModuleLoadData(module, img);
        if (rc != CUDA_SUCCESS) {
            throw new IllegalStateException("cuda: kernels did not load: " + cubinErr + "; cuModuleLoadData(ptx): " + drvError(rc));
        }
        return "ptx compute_" + ccMajor + ccMinor + " (cubin failed: " + cubinErr + ")";
    }

    private static byte[] compile(String src, String arch, boolean cubin) {
        _nvrtcProgram prog = new _nvrtcProgram();
        checkRtc(nvrtcCreateProgram(prog, new BytePointer(src), new BytePointer("degen_kernels.cu"), 0,
                (PointerPointer) null, (PointerPointer) null), "nvrtcCreateProgram");
        try {
            String[] opts = {arch, "--fmad=false"};
            PointerPointer<?> po = new PointerPointer<>(opts);
            int rc = nvrtcCompileProgram(prog, opts.length, po);
            if (rc != NVRTC_SUCCESS) {
                SizeTPointer n = new SizeTPointer(1);
                nvrtcGetProgramLogSize(prog, n);
                BytePointer log = new BytePointer(Math.max(1, n.get()));
                nvrtcGetProgramLog(prog, log);
                throw new IllegalStateException("cuda: NVRTC (" + arch + ") failed: " + rtcError(rc) + "\n" + log.getString());
            }
            SizeTPointer n = new SizeTPointer(1);
            checkRtc(cubin ? nvrtcGetCUBINSize(prog, n) : nvrtcGetPTXSize(prog, n), "nvrtcGet size");
            byte[] out = new byte[(int) n.get()];
            checkRtc(cubin ? nvrtcGetCUBIN(prog, out) : nvrtcGetPTX(prog, out), "nvrtcGet code");
            if (!cubin) {
                int len = out.length;
                while (len > 0 && out[len - 1] == 0) len--;
                out = java.util.Arrays.copyOf(out, len);
            }
            return out;
        } finally {
            nvrtcDestroyProgram(prog);
        }
    }

    @Override public String name() { return "cuda"; }

    /** Each call is a launch (microseconds) against arithmetic of microseconds: seeds train as one stacked cohort. */
    @Override public boolean stacksEnsembles() { return true; }

    /** "NVIDIA H100 80GB HBM3 (sm_90, device 0, cubin sm_90)": for reports. */
    public String describe() {
        return deviceName + " (sm_" + ccMajor + ccMinor + ", device " + device + ", kernels: " + moduleKind + ")";
    }

    /** Waits for all work this thread queued (for timing). */
    public void synchronize() { check(cudaStreamSynchronize(ctx().stream), "cudaStreamSynchronize"); }

    // ---- per-thread state ------------------------------------------------------------------

    /** A thread's cuBLAS handle, stream, kernel-argument block and host/device scratch. */
    private final class Ctx {
        final cublasContext handle = new cublasContext();
        final CUstream_st stream = new CUstream_st();
        final BytePointer args = new BytePointer(32 * 8);
        /*
         * kernelParams for cuLaunchKernel: slot i holds the address of argument i (in args). It must be
         * a PointerPointer: the preset's other overload (Pointer, mapped as @Cast("void**") @ByPtrPtr)
         * passes the address of a temporary that holds argv's address, so the driver reads
         * kernelParams[1] from the stack (NULL or garbage) and faults at the first launch.
         */
        final PointerPointer<Pointer> argv = new PointerPointer<>(32);
        int nargs;
        final FloatPointer fScal = new FloatPointer(2);
        final DoublePointer dScal = new DoublePointer(2);
        final long partials;
        final DoublePointer hostPartials = new DoublePointer(MAX_REDUCE_BLOCKS);
        BytePointer staging = new BytePointer(0);
        long stagingBytes;
        long onesF, onesD;
        int onesFLen, onesDLen;

        Ctx() {
            check(cudaSetDevice(device), "cudaSetDevice");
            checkDrv(cuCtxSetCurrent(primary), "cuCtxSetCurrent");
            check(cudaStreamCreate(stream), "cudaStreamCreate");
            int rc = cublasCreate_v2(handle);
            if (rc != CUBLAS_STATUS_SUCCESS) throw new IllegalStateException("cuda: cublasCreate failed: status " + rc);
            checkBlas(cublasSetStream_v2(handle, stream), "cublasSetStream");
            for (int i = 0; i < 32; i++) argv.put(i, new Raw(args.address() + 8L * i));
            partials = malloc((long) MAX_REDUCE_BLOCKS * 8);
        }

        BytePointer staging(long bytes) {
            if (bytes > stagingBytes) {
                staging.close();
                stagingBytes = Math.max(bytes, 2 * stagingBytes);
                staging = new BytePointer(stagingBytes);
            }
            return staging;
        }

        Ctx begin() { nargs = 0; return this; }

        Ctx ptr(long address) { args.putLong(8L * nargs++, address); return this; }

        Ctx i64(long v) { args.putLong(8L * nargs++, v); return this; }

        Ctx i32(int v) { args.putLong(8L * nargs, 0L); args.putInt(8L * nargs++, v); return this; }

        Ctx f64(double v) { args.putDouble(8L * nargs++, v); return this; }

        Ctx scalar(DType t, double v) {
            if (t == DType.F32) { args.putLong(8L * nargs, 0L); args.putFloat(8L * nargs++, (float) v); }
            else args.putDouble(8L * nargs++, v);
            return this;
        }

        void launch(CUfunc_st fn, int blocks) {
            checkDrv(cuLaunchKernel(fn, blocks, 1, 1, CudaKernels.BLOCK, 1, 1, 0, stream, argv, (PointerPointer<?>) null), "cuLaunchKernel");
        }

        void sync() { check(cudaStreamSynchronize(stream), "cudaStreamSynchronize"); }

        long ones(DType t, int n) {
            if (t == DType.F32) {
                if (n > onesFLen) { if (onesF != 0) free(onesF); onesFLen = Math.max(n, 2 * onesFLen); onesF = malloc(4L * onesFLen); fillOnes(t, onesF, onesFLen); }
                return onesF;
            }
            if (n > onesDLen) { if (onesD != 0) free(onesD); onesDLen = Math.max(n, 2 * onesDLen); onesD = malloc(8L * onesDLen); fillOnes(t, onesD, onesDLen); }
            return onesD;
        }

        private void fillOnes(DType t, long addr, int n) {
            begin().ptr(addr).i64(n).scalar(t, 1.0).launch(fn(t, K_FILL), blocks(n));
        }

        void destroy() {
            cudaStreamSynchronize(stream);
            cublasDestroy_v2(handle);
            cudaStreamDestroy(stream);
            free(partials);
            if (onesF != 0) free(onesF);
            if (onesD != 0) free(onesD);
            staging.close(); args.close(); argv.close(); fScal.close(); dScal.close(); hostPartials.close();
        }
    }

    private Ctx newCtx() {
        synchronized (contexts) {
            if (closed) throw new IllegalStateException("cuda backend is closed");
            Ctx c = new Ctx();
            contexts.add(c);
            return c;
        }
    }

    private Ctx ctx() {
        if (closed) throw new IllegalStateException("cuda backend is closed");
        return ctx.get();
    }

    private CUfunc_st fn(DType t, int k) { return t == DType.F32 ? fnF[k] : fnD[k]; }

    private static int blocks(long n) { return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + CudaKernels.BLOCK - 1) / CudaKernels.BLOCK)); }

    private static int reduceBlocks(long n) { return (int) Math.max(1, Math.min(MAX_REDUCE_BLOCKS, (n + CudaKernels.BLOCK - 1) / CudaKernels.BLOCK)); }

    // ---- buffers -----------------------------------------------------------------------------

    /** Device memory; {@link #close()} frees it (once). */
    static final class DevBuf extends Buf {
        final CudaBackend owner;
        private long address;

        DevBuf(CudaBackend owner, DType t, int size, long address) { super(t, size); this.owner = owner; this.address = address; }

        long address() {
            if (address == 0 && size() > 0) throw new IllegalStateException("cuda buffer used after close");
            return address;
        }

        int elem() { return dtype() == DType.F32 ? 4 : 8; }

        long at(int off) { return address() + (long) off * elem(); }

        @Override public synchronized void close() {
            if (address != 0) { free(address); address = 0; }
        }

        @Override public String toString() { return "cuda " + dtype() + "[" + size() + "]"; }
    }

    private DevBuf d(Buf b) {
        if (!(b instanceof DevBuf db) || db.owner != this) throw new IllegalArgumentException("buffer belongs to another backend: " + b);
        return db;
    }

    private static void checkRange(Buf b, int off, int n) {
        if (n < 0 || off < 0 || (long) off + n > b.size()) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + ((long) off + n) + ") outside buffer of " + b.size());
        }
    }

    private static long malloc(long bytes) {
        Pointer p = new Pointer();
        check(cudaMalloc(p, Math.max(bytes, 1)), "cudaMalloc(" + bytes + " bytes)");
        return p.address();
    }

    private static void free(long address) {
        if (address != 0) cudaFree(new Raw(address));
    }

    /** Untyped device address for cudart calls. */
    private static final class Raw extends Pointer { Raw(long a) { address = a; } }

    /** Float device address for cuBLAS. */
    private static final class DevF extends FloatPointer { DevF(long a) { address = a; } }

    /** Double device address for cuBLAS. */
    private static final class DevD extends DoublePointer { DevD(long a) { address = a; } }

    @Override public Buf alloc(DType dtype, int size) {
        Ctx c = ctx();
        int elem = dtype == DType.F32 ? 4 : 8;
        long a = malloc((long) size * elem);
        DevBuf b = new DevBuf(this, dtype, size, a);
        if (size > 0) {
            check(cudaMemsetAsync(new Raw(a), 0, (long) size * elem, c.stream), "cudaMemsetAsync");
            c.sync();
        }
        return b;
    }

    @Override public Buf upload(float[] data) {
        DevBuf b = (DevBuf) alloc(DType.F32, data.length);
        if (data.length > 0) {
            Ctx c = ctx();
            BytePointer s = c.staging(4L * data.length);
            new FloatPointer(s).put(data);
            h2d(c, b.address(), s, 4L * data.length);
        }
        return b;
    }

    @Override public Buf upload(double[] data) {
        DevBuf b = (DevBuf) alloc(DType.F64, data.length);
        if (data.length > 0) {
            Ctx c = ctx();
            BytePointer s = c.staging(8L * data.length);
            new DoublePointer(s).put(data);
            h2d(c, b.address(), s, 8L * data.length);
        }
        return b;
    }

    private static void h2d(Ctx c, long dst, Pointer src, long bytes) {
        check(cudaMemcpyAsync(new Raw(dst), src, bytes, cudaMemcpyHostToDevice, c.stream), "cudaMemcpyAsync H2D");
        c.sync();
    }

    @Override public void download(Buf src, int off, double[] dst, int dstOff, int n) {
        DevBuf s = d(src);
        checkRange(s, off, n);
        if (n == 0) return;
        Ctx c = ctx();
        long bytes = (long) n * s.elem();
        BytePointer st = c.staging(bytes);
        check(cudaMemcpyAsync(st, new Raw(s.at(off)), bytes, cudaMemcpyDeviceToHost, c.stream), "cudaMemcpyAsync D2H");
        c.sync();
        if (s.dtype() == DType.F32) {
            float[] tmp = new float[n];
            new FloatPointer(st).get(tmp);
            for (int i = 0; i < n; i++) dst[dstOff + i] = tmp[i];
        } else {
            new DoublePointer(st).get(dst, dstOff, n);
        }
    }

    @Override public void write(Buf dst, int off, double[] src, int srcOff, int n) {
        DevBuf t = d(dst);
        checkRange(t, off, n);
        if (n == 0) return;
        Ctx c = ctx();
        long bytes = (long) n * t.elem();
        BytePointer st = c.staging(bytes);
        if (t.dtype() == DType.F32) {
            float[] tmp = new float[n];
            for (int i = 0; i < n; i++) tmp[i] = (float) src[srcOff + i];
            new FloatPointer(st).put(tmp);
        } else {
            new DoublePointer(st).put(src, srcOff, n);
        }
        h2d(c, t.at(off), st, bytes);
    }

    @Override public void copy(Buf src, int srcOff, Buf dst, int dstOff, int n) {
        DevBuf s = d(src), t = d(dst);
        checkRange(s, srcOff, n);
        checkRange(t, dstOff, n);
        if (n == 0) return;
        check(cudaMemcpyAsync(new Raw(t.at(dstOff)), new Raw(s.at(srcOff)), (long) n * s.elem(), cudaMemcpyDeviceToDevice,
                ctx().stream), "cudaMemcpyAsync D2D");
    }

    @Override public void fill(Buf x, int off, int n, double value) {
        DevBuf b = d(x);
        checkRange(b, off, n);
        if (n == 0) return;
        ctx().begin().ptr(b.at(off)).i64(n).scalar(b.dtype(), value).launch(fn(b.dtype(), K_FILL), blocks(n));
    }

    // ---- BLAS --------------------------------------------------------------------------------

    /*
     * Row-major C (m x n, ld ldc) is column-major C^T (n x m, ld ldc); likewise for A and B. So
     * C = alpha op(A) op(B) + beta C is C^T = alpha op(B)^T op(A)^T + beta C^T: call column-major
     * gemm with the operands swapped, (n, m, k) and the same transpose flags.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Buf a, int aOff, int lda, Buf b, int bOff, int ldb,
                     double beta, Buf c, int cOff, int ldc) {
        DevBuf A = d(a), B = d(b), C = d(c);
        if (m == 0 || n == 0) return;
        if (k == 0) { lda = Math.max(lda, 1); ldb = Math.max(ldb, 1); } // cuBLAS rejects ld 0 even when it reads nothing
        Ctx x = ctx();
        int opA = transA ? CUBLAS_OP_T : CUBLAS_OP_N, opB = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
        if (C.dtype() == DType.F32) {
            x.fScal.put(0, (float) alpha).put(1, (float) beta);
            checkBlas(cublasSgemm_v2(x.handle, opB, opA, n, m, k, x.fScal, new DevF(B.at(bOff)), ldb,
                    new DevF(A.at(aOff)), lda, x.fScal.getPointer(1), new DevF(C.at(cOff)), ldc), "cublasSgemm");
        } else {
            x.dScal.put(0, alpha).put(1, beta);
            checkBlas(cublasDgemm_v2(x.handle, opB, opA, n, m, k, x.dScal, new DevD(B.at(bOff)), ldb,
                    new DevD(A.at(aOff)), lda, x.dScal.getPointer(1), new DevD(C.at(cOff)), ldc), "cublasDgemm");
        }
    }

    /*
     * Row-major a (rows x cols) is column-major A' (cols x rows, ld cols); the row-major transpose
     * (cols x rows) is column-major (rows x cols, ld rows) = A'^T: one geam with op T, beta 0.
     */
    @Override
    public void transpose(Buf a, int aOff, int rows, int cols, Buf out, int outOff) {
        DevBuf A = d(a), O = d(out);
        if (rows == 0 || cols == 0) return;
        Ctx x = ctx();
        if (O.dtype() == DType.F32) {
            x.fScal.put(0, 1f).put(1, 0f);
            checkBlas(cublasSgeam(x.handle, CUBLAS_OP_T, CUBLAS_OP_N, rows, cols, x.fScal, new DevF(A.at(aOff)), cols,
                    x.fScal.getPointer(1), new DevF(O.at(outOff)), rows, new DevF(O.at(outOff)), rows), "cublasSgeam");
        } else {
            x.dScal.put(0, 1.0).put(1, 0.0);
            checkBlas(cublasDgeam(x.handle, CUBLAS_OP_T, CUBLAS_OP_N, rows, cols, x.dScal, new DevD(A.at(aOff)), cols,
                    x.dScal.getPointer(1), new DevD(O.at(outOff)), rows, new DevD(O.at(outOff)), rows), "cublasDgeam");
        }
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                            double alpha, Buf a, int aOff, int lda, int strideA,
                            Buf b, int bOff, int ldb, int strideB,
                            double beta, Buf c, int cOff, int ldc, int strideC, int count) {
        DevBuf A = d(a), B = d(b), C = d(c);
        if (m == 0 || n == 0 || count == 0) return;
        Ctx x = ctx();
        int opA = transA ? CUBLAS_OP_T : CUBLAS_OP_N, opB = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
        if (C.dtype() == DType.F32) {
            x.fScal.put(0, (float) alpha).put(1, (float) beta);
            checkBlas(cublasSgemmStridedBatched(x.handle, opB, opA, n, m, k, x.fScal,
                    new DevF(B.at(bOff)), ldb, strideB, new DevF(A.at(aOff)), lda, strideA,
                    x.fScal.getPointer(1), new DevF(C.at(cOff)), ldc, strideC, count), "cublasSgemmStridedBatched");
        } else {
            x.dScal.put(0, alpha).put(1, beta);
            checkBlas(cublasDgemmStridedBatched(x.handle, opB, opA, n, m, k, x.dScal,
                    new DevD(B.at(bOff)), ldb, strideB, new DevD(A.at(aOff)), lda, strideA,
                    x.dScal.getPointer(1), new DevD(C.at(cOff)), ldc, strideC, count), "cublasDgemmStridedBatched");
        }
    }

    @Override public void axpby(int n, double alpha, Buf x, int xOff, double beta, Buf y, int yOff) {
        DevBuf X = d(x), Y = d(y);
        if (n == 0) return;
        DType t = Y.dtype();
        ctx().begin().i64(n).scalar(t, alpha).ptr(X.at(xOff)).scalar(t, beta).ptr(Y.at(yOff)).launch(fn(t, K_AXPBY), blocks(n));
    }

    @Override public void addRowVector(Buf c, int cOff, int rows, int cols, Buf bias, int biasOff) {
        DevBuf C = d(c), B = d(bias);
        if (rows == 0 || cols == 0) return;
        DType t = C.dtype();
        ctx().begin().ptr(C.at(cOff)).i64(rows).i32(cols).ptr(B.at(biasOff)).launch(fn(t, K_ADDROW), blocks((long) rows * cols));
    }

    /* out = beta out + A^T 1: row-major A (rows x cols) is column-major (cols x rows, ld cols), so gemv N. */
    @Override public void sumRows(Buf a, int aOff, int rows, int cols, double beta, Buf out, int outOff) {
        DevBuf A = d(a), O = d(out);
        if (cols == 0) return;
        Ctx x = ctx();
        if (rows == 0) { if (beta != 1) axpby(cols, 0, out, outOff, beta, out, outOff); return; }
        long ones = x.ones(O.dtype(), rows);
        if (O.dtype() == DType.F32) {
            x.fScal.put(0, 1f).put(1, (float) beta);
            checkBlas(cublasSgemv_v2(x.handle, CUBLAS_OP_N, cols, rows, x.fScal, new DevF(A.at(aOff)), cols,
                    new DevF(ones), 1, x.fScal.getPointer(1), new DevF(O.at(outOff)), 1), "cublasSgemv");
        } else {
            x.dScal.put(0, 1.0).put(1, beta);
            checkBlas(cublasDgemv_v2(x.handle, CUBLAS_OP_N, cols, rows, x.dScal, new DevD(A.at(aOff)), cols,
                    new DevD(ones), 1, x.dScal.getPointer(1), new DevD(O.at(outOff)), 1), "cublasDgemv");
        }
    }

    // ---- element-wise --------------------------------------------------------------------------

    @Override public void tanh(Buf x, int xOff, Buf y, int yOff, int n) {
        DevBuf X = d(x), Y = d(y);
        if (n == 0) return;
        ctx().begin().ptr(X.at(xOff)).ptr(Y.at(yOff)).i64(n).launch(fn(X.dtype(), K_TANH), blocks(n));
    }

    @Override public void tanhBackward(Buf g, int gOff, Buf h, int hOff, Buf out, int outOff, int n) {
        DevBuf G = d(g), H = d(h), O = d(out);
        if (n == 0) return;
        ctx().begin().ptr(G.at(gOff)).ptr(H.at(hOff)).ptr(O.at(outOff)).i64(n).launch(fn(G.dtype(), K_TANHBACK), blocks(n));
    }

    @Override public void mul(Buf a, int aOff, Buf b, int bOff, Buf out, int outOff, int n) {
        DevBuf A = d(a), B = d(b), O = d(out);
        if (n == 0) return;
        ctx().begin().ptr(A.at(aOff)).ptr(B.at(bOff)).ptr(O.at(outOff)).i64(n).launch(fn(A.dtype(), K_MUL), blocks(n));
    }

    @Override public void addSign(Buf w, int wOff, double lambda, Buf g, int gOff, int n) {
        DevBuf W = d(w), G = d(g);
        if (n == 0) return;
        ctx().begin().ptr(W.at(wOff)).scalar(W.dtype(), lambda).ptr(G.at(gOff)).i64(n).launch(fn(W.dtype(), K_ADDSIGN), blocks(n));
    }

    @Override public double maskedSquaredError(Buf y, Buf target, Buf mask, int n, double gradScale, Buf dy) {
        DevBuf Y = d(y), T = d(target), M = d(mask), D = d(dy);
        if (n == 0) return 0;
        Ctx c = ctx();
        int nb = reduceBlocks(n);
        c.begin().ptr(Y.at(0)).ptr(T.at(0)).ptr(M.at(0)).i64(n).scalar(Y.dtype(), gradScale).ptr(D.at(0)).ptr(c.partials)
                .launch(fn(Y.dtype(), K_MSE), nb);
        return partialSum(c, nb);
    }

    @Override public double sumSquares(Buf x, int off, int n) {
        DevBuf X = d(x);
        if (n == 0) return 0;
        Ctx c = ctx();
        int nb = reduceBlocks(n);
        c.begin().ptr(X.at(off)).i64(n).ptr(c.partials).launch(fn(X.dtype(), K_SUMSQ), nb);
        return partialSum(c, nb);
    }

    @Override public double sumAbs(Buf x, int off, int n) {
        DevBuf X = d(x);
        if (n == 0) return 0;
        Ctx c = ctx();
        int nb = reduceBlocks(n);
        c.begin().ptr(X.at(off)).i64(n).ptr(c.partials).launch(fn(X.dtype(), K_SUMABS), nb);
        return partialSum(c, nb);
    }

    private static double partialSum(Ctx c, int nb) {
        check(cudaMemcpyAsync(c.hostPartials, new Raw(c.partials), 8L * nb, cudaMemcpyDeviceToHost, c.stream), "cudaMemcpyAsync partials");
        c.sync();
        double s = 0;
        for (int i = 0; i < nb; i++) s += c.hostPartials.get(i);
        return s;
    }

    @Override public void adam(Buf p, Buf g, Buf m, Buf v, int n, double lr, double beta1, double beta2, double eps,
                               double bc1, double bc2) {
        DevBuf P = d(p), G = d(g), M = d(m), V = d(v);
        if (n == 0) return;
        DType t = P.dtype();
        // beta1/beta2 go as double: the kernel rounds beta and (1 - beta) from them, as JavaBackend and
        // PyTorch do ((1 - 0.999f) in float is 1.3e-5 relative off).
        ctx().begin().ptr(P.at(0)).ptr(G.at(0)).ptr(M.at(0)).ptr(V.at(0)).i64(n).f64(beta1).f64(beta2)
                .f64(lr / bc1).f64(Math.sqrt(bc2)).f64(eps).launch(fn(t, K_ADAM), blocks(n));
    }

    // ---- decompositions: small host matrices, EJML ------------------------------------------------

    @Override public Svd svd(int m, int n, double[] a) { return HostDecompositions.svd(m, n, a); }

    @Override public Eig eig(int n, double[] a, boolean vectors) { return HostDecompositions.eig(n, a, vectors); }

    @Override public double[] lstsq(int m, int n, int nrhs, double[] a, double[] b) {
        return HostDecompositions.lstsq(m, n, nrhs, a, b);
    }

    // ---- lifecycle and errors --------------------------------------------------------------------

    /** Destroys every thread's handle and stream. Buffers stay valid to close; the module is kept. */
    @Override public void close() {
        synchronized (contexts) {
            if (closed) return;
            closed = true;
            for (Ctx c : contexts) c.destroy();
            contexts.clear();
        }
    }

    private static String cudaError(int rc) {
        try { return cudaGetErrorString(rc).getString() + " (" + rc + ")"; } catch (Throwable e) { return "error " + rc; }
    }

    private static String drvError(int rc) {
        try {
            BytePointer p = new BytePointer((Pointer) null);
            if (cuGetErrorString(rc, p) == CUDA_SUCCESS && p.address() != 0) return p.getString() + " (" + rc + ")";
        } catch (Throwable ignored) { }
        return "CUresult " + rc;
    }

    private static String rtcError(int rc) {
        try { return nvrtcGetErrorString(rc).getString() + " (" + rc + ")"; } catch (Throwable e) { return "nvrtc error " + rc; }
    }

    private static void check(int rc, String what) {
        if (rc != cudaSuccess) throw new IllegalStateException("cuda: " + what + " failed: " + cudaError(rc));
    }

    private static void checkDrv(int rc, String what) {
        if (rc != CUDA_SUCCESS) throw new IllegalStateException("cuda: " + what + " failed: " + drvError(rc));
    }

    private static void checkBlas(int rc, String what) {
        if (rc != CUBLAS_STATUS_SUCCESS) throw new IllegalStateException("cuda: " + what + " failed: cublasStatus " + rc);
    }

    private static void checkRtc(int rc, String what) {
        if (rc != NVRTC_SUCCESS) throw new IllegalStateException("cuda: " + what + " failed: " + rtcError(rc));
    }
}
