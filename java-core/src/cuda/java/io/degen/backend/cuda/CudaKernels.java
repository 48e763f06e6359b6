package io.degen.backend.cuda;

/**
 * CUDA C source of the element-wise and reduction kernels, compiled once per backend by NVRTC.
 * Every kernel is a template over the element type with two {@code extern "C"} entry points,
 * {@code name_f} (float) and {@code name_d} (double), so their names are not mangled.
 *
 * <p>Element-wise kernels use grid-stride loops over 64-bit indices. Reductions write one double
 * partial sum per block (blockDim must be {@link #BLOCK}); the host adds the partials.
 * The source is compiled with {@code --fmad=false} so products and sums round exactly as the Java
 * engine's; {@code tanh} uses the device's tanhf/tanh, which differ from the Java engine's
 * vectorised tanh in the last bits (results agree to float tolerance, not bitwise).
 */
final class CudaKernels {
    private CudaKernels() { }

    static final int BLOCK = 256;

    /** Kernels: name, parameter list with T for the element type, argument list. */
    private static final String[][] ENTRIES = {
        {"fill", "T* x, long long n, T v", "x, n, v"},
        {"axpby", "long long n, T a, const T* x, T b, T* y", "n, a, x, b, y"},
        {"addrow", "T* c, long long rows, int cols, const T* bias", "c, rows, cols, bias"},
        {"tanhk", "const T* x, T* y, long long n", "x, y, n"},
        {"tanhback", "const T* g, const T* h, T* o, long long n", "g, h, o, n"},
        {"mulk", "const T* a, const T* b, T* o, long long n", "a, b, o, n"},
        {"addsign", "const T* w, T lam, T* g, long long n", "w, lam, g, n"},
        {"mse", "const T* y, const T* t, const T* m, long long n, T gs, T* dy, double* partial", "y, t, m, n, gs, dy, partial"},
        {"sumsq", "const T* x, long long n, double* partial", "x, n, partial"},
        {"sumabs", "const T* x, long long n, double* partial", "x, n, partial"},
        {"adam", "T* p, const T* g, T* m, T* v, long long n, double b1, double b2, double step, double sq, double eps",
                "p, g, m, v, n, b1, b2, step, sq, eps"},
    };

    static String[] names() {
        String[] n = new String[ENTRIES.length];
        for (int i = 0; i < n.length; i++) n[i] = ENTRIES[i][0];
        return n;
    }

    private static final String BODY = String.join("\n",
        "#define BLOCK " + BLOCK,
        "#define LOOP(i, n) for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long)blockDim.x * gridDim.x)",
        "__device__ __forceinline__ float tanh_(float x) { return tanhf(x); }",
        "__device__ __forceinline__ double tanh_(double x) { return tanh(x); }",
        "__device__ __forceinline__ float abs_(float x) { return fabsf(x); }",
        "__device__ __forceinline__ double abs_(double x) { return fabs(x); }",
        // Math.signum: -1, 0 or 1, NaN stays NaN, -0 stays -0 (times lambda it adds nothing either way).
        "template<typename T> __device__ __forceinline__ T sign_(T x) { return x > (T)0 ? (T)1 : (x < (T)0 ? (T)-1 : x); }",
        "__device__ void block_sum(double acc, double* partial) {",
        "  __shared__ double sh[BLOCK];",
        "  sh[threadIdx.x] = acc; __syncthreads();",
        "  for (int s = BLOCK / 2; s > 0; s >>= 1) { if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s]; __syncthreads(); }",
        "  if (threadIdx.x == 0) partial[blockIdx.x] = sh[0];",
        "}",
        "template<typename T> __device__ void fill_t(T* x, long long n, T v) { LOOP(i, n) x[i] = v; }",
        "template<typename T> __device__ void axpby_t(long long n, T a, const T* x, T b, T* y) {",
        "  LOOP(i, n) { T p = a * x[i]; T q = b * y[i]; y[i] = p + q; } }",
        "template<typename T> __device__ void addrow_t(T* c, long long rows, int cols, const T* bias) {",
        "  LOOP(i, rows * cols) c[i] += bias[i % cols]; }",
        "template<typename T> __device__ void tanhk_t(const T* x, T* y, long long n) { LOOP(i, n) y[i] = tanh_(x[i]); }",
        "template<typename T> __device__ void tanhback_t(const T* g, const T* h, T* o, long long n) {",
        "  LOOP(i, n) { T hv = h[i]; T d = (T)1 - hv * hv; o[i] = g[i] * d; } }",
        "template<typename T> __device__ void mulk_t(const T* a, const T* b, T* o, long long n) { LOOP(i, n) o[i] = a[i] * b[i]; }",
        "template<typename T> __device__ void addsign_t(const T* w, T lam, T* g, long long n) {",
        "  LOOP(i, n) { T s = lam * sign_(w[i]); g[i] = g[i] + s; } }",
        "template<typename T> __device__ void mse_t(const T* y, const T* t, const T* m, long long n, T gs, T* dy, double* partial) {",
        "  double acc = 0;",
        "  LOOP(i, n) { T e = (y[i] - t[i]) * m[i]; double ed = (double)e; acc += ed * ed; dy[i] = gs * e; }",
        "  block_sum(acc, partial); }",
        "template<typename T> __device__ void sumsq_t(const T* x, long long n, double* partial) {",
        "  double acc = 0; LOOP(i, n) { double v = (double)x[i]; acc += v * v; } block_sum(acc, partial); }",
        "template<typename T> __device__ void sumabs_t(const T* x, long long n, double* partial) {",
        "  double acc = 0; LOOP(i, n) { acc += (double)abs_(x[i]); } block_sum(acc, partial); }",
        // Same operation order as JavaBackend.adam (torch's single-tensor Adam): moments in T, the
        // step in double, rounded to T before it is subtracted.
        // beta arrives as double; beta and (1 - beta) are each rounded from double to T, as JavaBackend
        // and PyTorch form them ((T)1 - (T)0.999 in float is 1.3e-5 relative off).
        "template<typename T> __device__ void adam_t(T* p, const T* g, T* m, T* v, long long n, double beta1, double beta2, double step, double sq, double eps) {",
        "  T b1 = (T)beta1, b2 = (T)beta2, c1 = (T)(1.0 - beta1), c2 = (T)(1.0 - beta2);",
        "  LOOP(i, n) {",
        "    T gi = g[i];",
        "    T mi = b1 * m[i]; T t1 = c1 * gi; mi = mi + t1;",
        "    T vi = b2 * v[i]; T t2 = c2 * gi; t2 = t2 * gi; vi = vi + t2;",
        "    m[i] = mi; v[i] = vi;",
        "    double den = sqrt((double)vi) / sq + eps;",
        "    T upd = (T)(step * (double)mi / den);",
        "    p[i] = p[i] - upd;",
        "  } }");

    /** The full program: the templates plus float and double entry points for each kernel. */
    static String source() {
        StringBuilder sb = new StringBuilder(BODY).append('\n');
        for (String[] e : ENTRIES) {
            for (String[] t : new String[][] {{"f", "float"}, {"d", "double"}}) {
                sb.append("extern \"C\" __global__ void ").append(e[0]).append('_').append(t[0]).append('(')
                  .append(e[1].replace("T*", t[1] + "*").replace("T ", t[1] + " ")).append(") { ")
                  .append(e[0]).append("_t<").append(t[1]).append(">(").append(e[2]).append("); }\n");
            }
        }
        return sb.toString();
    }
}
