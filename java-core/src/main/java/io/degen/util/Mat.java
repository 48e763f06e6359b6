package io.degen.util;

import io.degen.io.NdArray;

/** A dense row-major float64 matrix: the currency of the metrics (weights, operators). */
public record Mat(int rows, int cols, double[] data) {
    public Mat {
        if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("matrix " + rows + " x " + cols + " cannot hold " + data.length + " values");
        }
    }

    public static Mat zeros(int rows, int cols) { return new Mat(rows, cols, new double[rows * cols]); }

    public static Mat identity(int n) {
        Mat m = zeros(n, n);
        for (int i = 0; i < n; i++) m.data[i * n + i] = 1;
        return m;
    }

    public static Mat of(NdArray a, String what) {
        a.requireRank(what, 2);
        return new Mat(a.dim(0), a.dim(1), a.data().clone());
    }

    public NdArray toNdArray() { return NdArray.f64(data.clone(), rows, cols); }

    public double get(int r, int c) { return data[r * cols + c]; }

    public void set(int r, int c, double v) { data[r * cols + c] = v; }

    public boolean isSquare() { return rows == cols; }

    public double frobenius() {
        double s = 0;
        for (double v : data) s += v * v;
        return Math.sqrt(s);
    }
}
