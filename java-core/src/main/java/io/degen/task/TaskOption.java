package io.degen.task;

import java.util.Locale;

/**
 * One declared option of a task type: its key, kind, default, range (inclusive) and meaning. The
 * declarations are the one source of a task's options: the task reads its values through them
 * ({@link TaskOptions}), and the spec schema, its validator, the Clojure specs and the tables of
 * docs/dsl.md are made from them.
 */
public record TaskOption(String key, Kind kind, Object def, double min, double max, java.util.List<String> choices, String doc) {
    public enum Kind { INTEGER, NUMBER, BOOLEAN, CHOICE }

    public TaskOption {
        choices = choices == null ? java.util.List.of() : java.util.List.copyOf(choices);
        if (key == null || !key.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("task option names are lower-case words joined by '-', got " + key);
        if (kind == Kind.CHOICE && !choices.contains(def)) throw new IllegalArgumentException("option " + key + ": default " + def + " is not one of " + choices);
        if (kind != Kind.CHOICE && kind != Kind.BOOLEAN && !(min <= max)) throw new IllegalArgumentException("option " + key + ": min " + min + " > max " + max);
        String p = problemOf(kind, min, max, choices, def);
        if (p != null) throw new IllegalArgumentException("option " + key + ": the default " + def + " " + p);
    }

    public static TaskOption integer(String key, int def, int min, int max, String doc) {
        return new TaskOption(key, Kind.INTEGER, def, min, max, null, doc);
    }

    public static TaskOption number(String key, double def, double min, double max, String doc) {
        return new TaskOption(key, Kind.NUMBER, def, min, max, null, doc);
    }

    public static TaskOption bool(String key, boolean def, String doc) {
        return new TaskOption(key, Kind.BOOLEAN, def, 0, 1, null, doc);
    }

    public static TaskOption choice(String key, String def, java.util.List<String> values, String doc) {
        return new TaskOption(key, Kind.CHOICE, def, 0, 0, values, doc);
    }

    /** What is wrong with a value for this option ("must be in [1, 64]"), or null when it is valid. */
    public String problem(Object v) { return problemOf(kind, min, max, choices, v); }

    private static String problemOf(Kind kind, double min, double max, java.util.List<String> choices, Object v) {
        switch (kind) {
            case CHOICE:
                return v instanceof String s && choices.contains(s) ? null : "must be one of " + String.join(", ", choices);
            case BOOLEAN:
                return v instanceof Boolean ? null : "must be true or false";
            case INTEGER: {
                if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) return "must be an integer";
                Number n = (Number) v;
                double x = n.doubleValue();
                if (x < min && min == 1) return "must be a positive integer";
                if (x < min && min == 0) return "must be a non-negative integer";
                return x >= min && x <= max ? null : "must be in " + range(kind, min, max);
            }
            default: {
                if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) return "must be a number";
                double x = n.doubleValue();
                return x >= min && x <= max ? null : "must be in " + range(kind, min, max);
            }
        }
    }

    /** The range as written in messages and docs: [1, 64]. */
    public String range() { return range(kind, min, max); }

    private static String range(Kind kind, double min, double max) {
        return kind == Kind.INTEGER ? "[" + (long) min + ", " + (long) max + "]" : "[" + fmt(min) + ", " + fmt(max) + "]";
    }

    /** The type column of docs/dsl.md. */
    public String type() {
        return switch (kind) {
            case BOOLEAN -> "boolean";
            case CHOICE -> "one of " + String.join(", ", choices);
            case INTEGER -> "integer in " + range();
            default -> "number in " + range();
        };
    }

    static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        String s = Double.toString(d);
        return s.toLowerCase(Locale.ROOT);
    }
}
