package io.degen.backend;

/**
 * One matrix product {@code C = alpha op(A) op(B) + beta C}, as {@link Backend#gemm} takes it, held as
 * a value so that a group of independent products (the same time step of several networks trained
 * together) can be handed to {@link Backend#gemmAll} in one call.
 */
public record GemmOp(boolean transA, boolean transB, int m, int n, int k,
                     double alpha, Buf a, int aOff, int lda,
                     Buf b, int bOff, int ldb,
                     double beta, Buf c, int cOff, int ldc) {

    /** Whether {@code other} has the same shape, transposes, scalars and leading dimensions (only the operands differ). */
    public boolean sameShape(GemmOp other) {
        return transA == other.transA && transB == other.transB && m == other.m && n == other.n && k == other.k
                && alpha == other.alpha && beta == other.beta && lda == other.lda && ldb == other.ldb && ldc == other.ldc;
    }
}
