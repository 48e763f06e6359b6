package io.degen.io;

import java.util.Arrays;

/**
 * An n-dimensional array read from or written to {@code .npy}: C-order data as double, with the
 * element type it was stored in ("f4", "f8", "i4", "i8") so it can be written back unchanged.
 */
public record NdArray(int[] shape, double[] data, String dtype) {
    public NdArray {
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count + " values, got " + data.length);
        }
    }

    public static NdArray f64(double[] data, int... shape) { return new NdArray(shape, data, "f8"); }

    public static NdArray f32(double[] data, int... shape) { return new NdArray(shape, data, "f4"); }

    public int rank() { return shape.length; }

    public int dim(int i) { return shape[i]; }

    public int size() { return data.length; }

    /** Fails with a message naming {@code what} unless the array has the given rank. */
    public NdArray requireRank(String what, int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(what + " must have " + rank + " dimensions, got shape " + Arrays.toString(shape));
        }
        return this;
    }

    /** Fails unless every value is finite, naming {@code what} and the first bad index. */
    public NdArray requireFinite(String what) {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) throw new IllegalArgumentException(what + " contains " + data[i] + " at flat index " + i);
        }
        return this;
    }

    public NdArray requireNonEmpty(String what) {
        if (data.length == 0) throw new IllegalArgumentException(what + " is empty (shape " + Arrays.toString(shape) + ")");
        return this;
    }

    @Override public String toString() { return "NdArray" + Arrays.toString(shape) + ":" + dtype; }
}
