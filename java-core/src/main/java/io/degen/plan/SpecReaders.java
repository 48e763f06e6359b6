package io.degen.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Reads spec files with whichever {@link SpecReader} accepts them: those registered through
 * {@link ServiceLoader} (the Clojure module's EDN reader) first, then the built-in JSON reader.
 */
public final class SpecReaders {
    private SpecReaders() { }

    public static List<SpecReader> all() {
        List<SpecReader> rs = new ArrayList<>();
        for (SpecReader r : ServiceLoader.load(SpecReader.class)) rs.add(r);
        rs.add(new JsonSpecReader());
        return rs;
    }

    /** The spec file as plain data. */
    public static Map<String, Object> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
        for (SpecReader r : all()) if (r.accepts(file)) return r.read(file);
        throw new IllegalArgumentException("no spec reader for '" + file.getFileName() + "': known formats are .json"
                + (all().size() > 1 ? " and those of " + readerNames() : " (.edn needs the degen-dsl module on the classpath)"));
    }

    /** Reads, validates and selects a profile (null for none). */
    public static ExperimentSpec load(Path file, String profile) throws IOException {
        return ExperimentSpec.fromMap(read(file), profile);
    }

    private static String readerNames() {
        List<String> n = new ArrayList<>();
        for (SpecReader r : all()) if (!(r instanceof JsonSpecReader)) n.add(r.getClass().getSimpleName());
        return String.join(", ", n);
    }
}
