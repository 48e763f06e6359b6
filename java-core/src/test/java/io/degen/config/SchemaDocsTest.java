package io.degen.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** docs/dsl.md's key tables are the schema's: a key added, removed or changed in one place shows up in the other. */
class SchemaDocsTest {
    static final Path DOC = Path.of("..", "docs", "dsl.md");

    /** The document with the text between the named marker and its end replaced by {@code body}. */
    static String with(String doc, String name, String body) {
        String open = "<!-- schema:" + name + " -->\n", close = "<!-- /schema -->";
        int a = doc.indexOf(open);
        assertTrue(a >= 0, DOC + " lacks the marker " + open.trim());
        int b = doc.indexOf(close, a);
        assertTrue(b > a, DOC + " lacks " + close + " after " + open.trim());
        return doc.substring(0, a + open.length()) + body + doc.substring(b);
    }

    @Test void keyTablesAreGeneratedFromTheSchema() throws Exception {
        String doc = Files.readString(DOC);
        String expected = with(with(doc, "keys", SchemaTables.keys()), "tasks", SchemaTables.tasks());
        if (!expected.equals(doc)) {
            Path fixed = Path.of("target", "dsl.md.expected");
            Files.createDirectories(fixed.getParent());
            Files.writeString(fixed, expected);
            fail(DOC + " disagrees with the schema (io.degen.config.Schema, the tasks' declared options); the generated document is "
                    + fixed.toAbsolutePath() + ": copy it over docs/dsl.md");
        }
    }

    @Test void everyFieldHasATypeDocAndAWorkingCheck() {
        for (Field f : Schema.all()) {
            assertFalse(f.type().isBlank(), f.name());
            assertFalse(f.doc().isBlank(), f.name());
            if (f.def() != null && !(f.def() instanceof java.util.Map)) assertNull(f.problem(f.def()), "default of " + f.name() + " passes its own check");
        }
        assertNotNull(Schema.field("train", "lr").problem(10));
        assertNotNull(Schema.field("train", "batch").problem(2_000_000));
        assertEquals("must be a positive integer at most 1000000", Schema.field("train", "batch").problem(2_000_000));
    }
}
