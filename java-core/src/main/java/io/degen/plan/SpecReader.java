package io.degen.plan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads an experiment spec file into plain data: a map with string keys (EDN keywords without the
 * colon), lists for vectors and sweep axes, numbers, strings and booleans. Implementations validate
 * the spec and throw {@link IllegalArgumentException} with a message naming the path and value,
 * e.g. {@code [:task :channels 2] must be a positive integer, got -1}. The Clojure DSL module
 * provides the EDN reader (validated with clojure.spec) through {@link java.util.ServiceLoader}.
 */
public interface SpecReader {
    /** Whether this reader handles the file (by extension). */
    boolean accepts(Path file);

    Map<String, Object> read(Path file) throws IOException;
}
