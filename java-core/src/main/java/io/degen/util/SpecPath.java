package io.degen.util;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spec paths in the EDN keyword form used by every validation message:
 * {@code [:task :channels 2] must be a positive integer, got -1} (keys become keywords, list
 * indices stay numbers), and the values shown in messages (cut to about 100 characters).
 */
public final class SpecPath {
    private static final Pattern FIELD = Pattern.compile("^(task|model|train)\\.([A-Za-z0-9-]+) (.*)$", Pattern.DOTALL);
    /** Longest value shown in a message. */
    public static final int SHOW_MAX = 100;

    private SpecPath() { }

    public static String of(Object... parts) { return of(List.of(parts)); }

    public static String of(List<?> parts) {
        StringBuilder b = new StringBuilder("[");
        for (Object p : parts) {
            if (b.length() > 1) b.append(' ');
            b.append(p instanceof Number ? p.toString() : ":" + cut(String.valueOf(p)));
        }
        return b.append(']').toString();
    }

    /** The value as it appears in messages: numbers and booleans bare, strings quoted, at most about 100 characters. */
    public static String show(Object v) {
        if (v == null) return "nil";
        if (v instanceof Double d && !Double.isFinite(d)) return d.toString();
        if (v instanceof Float f && !Float.isFinite(f)) return f.toString();
        String s;
        try { s = Json.line(v); } catch (RuntimeException e) { s = String.valueOf(v); }
        return cut(s);
    }

    /** A message (e.g. a parser's) cut to about 100 characters. */
    public static String cutMessage(String s) { return s == null ? "" : cut(s); }

    private static String cut(String s) {
        return s.length() <= SHOW_MAX ? s : s.substring(0, SHOW_MAX) + "... (" + s.length() + " characters)";
    }

    /** A problem with the value at a spec path: {@code PATH WHAT, got VALUE}. */
    public static SpecException error(List<?> path, String what, Object got) {
        return new SpecException(of(path) + " " + what + ", got " + show(got), path, got);
    }

    /** A problem that names no value ({@code [:name] is required}). */
    public static SpecException error(List<?> path, String what) {
        return new SpecException(of(path) + " " + what, path, null);
    }

    /**
     * Rewrites a message of the config records ({@code task.channels must be ..., got -1}) to the
     * path form, with {@code path} (e.g. [:task :channels 2]) replacing the dotted field name.
     */
    public static SpecException rewrite(IllegalArgumentException e, List<?> path) {
        String m = String.valueOf(e.getMessage());
        Matcher x = FIELD.matcher(m);
        SpecException out = new SpecException(of(path) + " " + (x.matches() ? x.group(3) : m), path, null);
        out.initCause(e);
        return out;
    }

    /** A spec problem: the message, and the path and value it names (for the Clojure DSL's ex-data). */
    public static final class SpecException extends IllegalArgumentException {
        private final transient List<?> path;
        private final transient Object value;

        public SpecException(String message, List<?> path, Object value) {
            super(message);
            this.path = List.copyOf(path);
            this.value = value;
        }

        public List<?> path() { return path; }

        public Object value() { return value; }
    }
}
