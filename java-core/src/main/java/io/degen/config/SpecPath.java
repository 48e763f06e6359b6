package io.degen.config;

import io.degen.util.Json;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spec paths in the EDN keyword form used by every validation message:
 * {@code [:task :channels 2] must be a positive integer, got -1} (keys become keywords, list
 * indices stay numbers).
 */
public final class SpecPath {
    private static final Pattern FIELD = Pattern.compile("^(task|model|train)\\.([A-Za-z0-9-]+) (.*)$", Pattern.DOTALL);

    private SpecPath() { }

    public static String of(Object... parts) { return of(List.of(parts)); }

    public static String of(List<?> parts) {
        StringBuilder b = new StringBuilder("[");
        for (Object p : parts) {
            if (b.length() > 1) b.append(' ');
            b.append(p instanceof Number ? p.toString() : ":" + p);
        }
        return b.append(']').toString();
    }

    /** The value as it appears in messages: numbers and booleans bare, strings quoted. */
    public static String show(Object v) {
        if (v == null) return "nil";
        try { return Json.line(v); } catch (RuntimeException e) { return String.valueOf(v); }
    }

    public static IllegalArgumentException error(List<?> path, String what, Object got) {
        return new IllegalArgumentException(of(path) + " " + what + ", got " + show(got));
    }

    /**
     * Rewrites a message of the config records ({@code task.channels must be ..., got -1}) to the
     * path form, with {@code path} (e.g. [:task :channels 2]) replacing the dotted field name.
     */
    public static IllegalArgumentException rewrite(IllegalArgumentException e, List<?> path) {
        String m = String.valueOf(e.getMessage());
        Matcher x = FIELD.matcher(m);
        if (x.matches()) return new IllegalArgumentException(of(path) + " " + x.group(3), e);
        return new IllegalArgumentException(of(path) + " " + m, e);
    }
}
