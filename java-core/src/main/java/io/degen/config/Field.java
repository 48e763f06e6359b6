package io.degen.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One key of the spec schema ({@link Schema}): where it lives ({@code section}, e.g. {@code train}
 * or {@code measure.dsa}; "" for the top level), its check, its default, whether a list of values
 * sweeps it, and its meaning. The check returns what is wrong with a value ("must be a positive
 * integer") or null; messages, docs and the Clojure specs all come from these.
 */
public record Field(String section, String key, String type, Object def, boolean sweepable, String doc, Function<Object, String> check) {
    /** What is wrong with a value, or null. */
    public String problem(Object v) { return check.apply(v); }

    /** The dotted name: {@code train.lr}, {@code measure.dsa.rank}, {@code name}. */
    public String name() { return section.isEmpty() ? key : section + "." + key; }

    public List<String> path() {
        List<String> p = new java.util.ArrayList<>(section.isEmpty() ? List.of() : List.of(section.split("\\.")));
        p.add(key);
        return p;
    }

    // ---- checks -------------------------------------------------------------------------------

    /** An integer value: Integer or Long (16.0 is a number, not an integer: a spec writes 16). */
    static boolean isInt(Object v) {
        return (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) && Math.abs(((Number) v).doubleValue()) < 9e15;
    }

    static Function<Object, String> positiveInt(long max) {
        return v -> !isInt(v) || ((Number) v).longValue() < 1 ? "must be a positive integer"
                : ((Number) v).longValue() > max ? "must be a positive integer at most " + max : null;
    }

    static Function<Object, String> nonNegativeInt(long max) {
        return v -> !isInt(v) || ((Number) v).longValue() < 0 ? "must be a non-negative integer"
                : ((Number) v).longValue() > max ? "must be a non-negative integer at most " + max : null;
    }

    /** A finite number in the interval, each end open or closed; the message names it in words where it can. */
    static Function<Object, String> number(double lo, boolean loOpen, double hi, boolean hiOpen) {
        String words;
        if (lo == 0 && loOpen && hi == Double.POSITIVE_INFINITY) words = "must be a positive number";
        else if (lo == 0 && !loOpen && hi == Double.POSITIVE_INFINITY) words = "must be a non-negative number";
        else words = "must be a number in " + (loOpen ? "(" : "[") + fmt(lo) + ", " + fmt(hi) + (hiOpen ? ")" : "]");
        return v -> {
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) return words;
            double x = n.doubleValue();
            boolean ok = (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi);
            return ok ? null : words;
        };
    }

    static Function<Object, String> choice(List<String> values) {
        String words = "must be one of " + String.join(", ", values);
        return v -> v instanceof String s && values.contains(s) ? null : words;
    }

    static Function<Object, String> string() { return v -> v instanceof String ? null : "must be a string"; }

    static Function<Object, String> bool() { return v -> v instanceof Boolean ? null : "must be true or false"; }

    static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return Double.toString(d).toLowerCase(Locale.ROOT);
    }
}
