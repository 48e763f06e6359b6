package io.degen.plan;

import io.degen.util.SpecPath;
import io.degen.util.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a {@code *.json} experiment spec into plain data (objects become maps, arrays lists). */
public final class JsonSpecReader implements SpecReader {
    @Override public boolean accepts(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
    }

    @Override @SuppressWarnings("unchecked")
    public Map<String, Object> read(Path file) throws IOException {
        Object v;
        try {
            v = Json.MAPPER.readValue(file.toFile(), Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (" + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (!(v instanceof Map)) throw new IllegalArgumentException(file + ": a spec must be a JSON object, got " + SpecPath.show(v));
        return new LinkedHashMap<>((Map<String, Object>) v);
    }
}
