package io.degen.statistics;

/**
 * The distribution functions the tests need: Student's t (CDF and quantile) and the chi-square
 * upper tail, from the regularised incomplete beta and gamma functions (Numerical Recipes' continued
 * fractions and series; log-gamma by Lanczos), accurate to about 1e-12 in the range used here.
 */
public final class Distributions {
    private Distributions() { }

    private static final double[] LANCZOS = {676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

    /** ln Gamma(x), x > 0. */
    public static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double a = 0.99999999999980993, t = x + 7.5;
        for (int i = 0; i < LANCZOS.length; i++) a += LANCZOS[i] / (x + i + 1);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularised incomplete beta function I_x(a, b). */
    public static double betaRegularized(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        if (x < (a + 1) / (a + b + 2)) return front * betaFraction(x, a, b) / a;
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 500; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d; h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) break;
        }
        return h;
    }

    /** P(T <= t) for Student's t with df degrees of freedom (df > 0, not necessarily an integer). */
    public static double tCdf(double t, double df) {
        if (Double.isNaN(t) || !(df > 0)) return Double.NaN;
        if (Double.isInfinite(t)) return t > 0 ? 1 : 0;
        double tail = 0.5 * betaRegularized(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** Two-sided p-value of a t statistic. */
    public static double tTwoSided(double t, double df) {
        if (Double.isNaN(t) || !(df > 0)) return Double.NaN;
        return betaRegularized(df / (df + t * t), df / 2, 0.5);
    }

    /** The p-quantile of Student's t (0 < p < 1), by bisection on the CDF. */
    public static double tQuantile(double p, double df) {
        if (!(p > 0 && p < 1) || !(df > 0)) return Double.NaN;
        if (p == 0.5) return 0;
        if (p < 0.5) return -tQuantile(1 - p, df);
        double lo = 0, hi = 1;
        while (tCdf(hi, df) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (tCdf(mid, df) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** The regularised upper incomplete gamma Q(a, x). */
    public static double gammaQ(double a, double x) {
        if (x <= 0) return 1;
        if (x < a + 1) {
            double sum = 1 / a, del = sum, ap = a;
            for (int n = 0; n < 1000; n++) { ap++; del *= x / ap; sum += del; if (Math.abs(del) < Math.abs(sum) * 1e-15) break; }
            return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
        }
        final double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b; if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c; if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) break;
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** P(X >= x) for a chi-square variable with df degrees of freedom. */
    public static double chiSquareUpper(double x, double df) { return gammaQ(df / 2, x / 2); }
}
