package io.degen.config;

import io.degen.task.TaskOption;
import io.degen.task.TaskRegistry;

import java.util.List;
import java.util.Map;

/**
 * The key tables of docs/dsl.md, made from the {@link Schema} (a test checks that the document
 * holds exactly these, between {@code <!-- schema:keys -->} and {@code <!-- schema:tasks -->}
 * markers and their {@code <!-- /schema -->} ends).
 */
public final class SchemaTables {
    private SchemaTables() { }

    /** The table of every spec key: key, type, default, meaning. */
    public static String keys() {
        StringBuilder b = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Field f : Schema.all()) {
            b.append("| `").append(f.name()).append("` | ").append(f.type()).append(" | ").append(def(f.def())).append(" | ")
                    .append(f.doc()).append(f.sweepable() ? " (a list sweeps it)" : "").append(" |\n");
        }
        return b.toString();
    }

    /** The table of the built-in tasks' options: option, type, default, meaning. */
    public static String tasks() {
        StringBuilder b = new StringBuilder("| task | option | type | default | meaning |\n|---|---|---|---|---|\n");
        for (String t : TaskRegistry.types()) {
            if (!TaskRegistry.builtIn(t)) continue;
            for (TaskOption o : TaskRegistry.options(t)) {
                b.append("| `").append(t).append("` | `").append(o.key()).append("` | ").append(o.type()).append(" | ")
                        .append(def(o.def())).append(" | ").append(o.doc()).append(" |\n");
            }
        }
        return b.toString();
    }

    private static String def(Object v) {
        if (v == null) return "none";
        if (v instanceof Map<?, ?> m && m.isEmpty()) return "`{}`";
        if (v instanceof List<?> l) return "`" + String.join(" ", l.stream().map(String::valueOf).toList()) + "`";
        return "`" + v + "`";
    }
}
