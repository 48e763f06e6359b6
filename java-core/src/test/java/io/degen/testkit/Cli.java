package io.degen.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.cli.Main;
import io.degen.util.Json;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The degen command line run in this JVM, as tests use it: exit code, stdout and stderr. */
public final class Cli {
    private Cli() { }

    /** One command's outcome; {@link #json()} is the result object on the last line of stdout. */
    public record Result(int code, String out, String err) {
        public JsonNode json() throws java.io.IOException {
            String[] lines = out.strip().split("\n");
            return Json.parse(lines[lines.length - 1]);
        }
    }

    public static Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
