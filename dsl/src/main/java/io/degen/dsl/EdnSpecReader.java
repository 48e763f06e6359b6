package io.degen.dsl;

import clojure.lang.ExceptionInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads {@code *.edn} experiment specs through the Clojure DSL ({@code degen.core/read-spec-java}):
 * EDN is parsed, validated with clojure.spec and converted to plain Java data (keywords become
 * strings, vectors become lists, maps have string keys). A validation problem becomes an
 * {@link IllegalArgumentException} whose message names the path and value, e.g.
 * {@code [:task :channels 2] must be a positive integer, got -1}.
 */
public final class EdnSpecReader implements io.degen.plan.SpecReader {
    @Override
    public boolean accepts(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".edn");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
        try {
            return (Map<String, Object>) Clj.fn("degen.core", "read-spec-java").invoke(file.toString());
        } catch (ExceptionInfo e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
