package io.degen.bench;

/**
 * y = coefficient * x^exponent, fitted by least squares on log y against log x. Least squares in
 * log space weighs a 2x error at 32 units as much as one at 512, which is what a growth exponent
 * should do; a fit in linear space would follow the largest sizes only.
 */
record PowerLaw(double exponent, double coefficient) {

    /** NaN exponent and coefficient when fewer than two distinct positive x values have a positive, finite y. */
    static PowerLaw fit(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        int n = 0;
        double sx = 0, sy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!usable(x[i], y[i])) continue;
            n++;
            sx += Math.log(x[i]);
            sy += Math.log(y[i]);
        }
        if (n < 2) return new PowerLaw(Double.NaN, Double.NaN);
        double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!usable(x[i], y[i])) continue;
            double dx = Math.log(x[i]) - mx;
            sxx += dx * dx;
            sxy += dx * (Math.log(y[i]) - my);
        }
        if (sxx == 0) return new PowerLaw(Double.NaN, Double.NaN);
        double p = sxy / sxx;
        return new PowerLaw(p, Math.exp(my - p * mx));
    }

    double at(double x) { return coefficient * Math.pow(x, exponent); }

    boolean defined() { return Double.isFinite(exponent) && Double.isFinite(coefficient); }

    private static boolean usable(double x, double y) {
        return x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y);
    }
}
