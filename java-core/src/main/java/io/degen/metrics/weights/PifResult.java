package io.degen.metrics.weights;

import java.util.Arrays;

/**
 * Result of a permutation-invariant Frobenius comparison.
 *
 * <p>Convention: {@code permutation[i]} is the unit of W2 matched to unit i of W1, so with
 * {@code W2p[i][j] = W2[permutation[i]][permutation[j]]} (NumPy: {@code W2[np.ix_(perm, perm)]})
 * the raw distance is {@code frobenius = ||W1 - W2p||_F}. {@code distance} equals
 * {@code frobenius}, or {@code frobenius / n^2} when the metric normalises.
 *
 * @param distance    the reported distance (normalised when asked)
 * @param permutation row/column i of W1 is matched to row/column permutation[i] of W2
 * @param frobenius   the un-normalised Frobenius distance for this permutation
 */
public record PifResult(double distance, int[] permutation, double frobenius) {
    public PifResult {
        permutation = permutation.clone();
    }

    @Override public int[] permutation() { return permutation.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof PifResult r && Double.compare(distance, r.distance) == 0
                && Double.compare(frobenius, r.frobenius) == 0 && Arrays.equals(permutation, r.permutation);
    }

    @Override public int hashCode() { return Double.hashCode(distance) * 31 + Arrays.hashCode(permutation); }

    @Override public String toString() {
        return "PifResult[distance=" + distance + ", frobenius=" + frobenius + ", permutation=" + Arrays.toString(permutation) + "]";
    }
}
