package io.degen.dsl;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The repository's {@code ./degen} launcher, run on a copy of it with stand-ins for {@code mvn} and
 * {@code java} first on the PATH (a real first build takes minutes and would overwrite the shared
 * Maven repository): what it says while building, the Maven command line it runs, that no terminal
 * escape code reaches stderr, that a fresh build is not repeated, and that a failed build stops it.
 */
class LauncherBuildTest {
    private static final Path LAUNCHER = Path.of("..", "degen").toAbsolutePath().normalize();

    /** A stand-in Maven: records its arguments and MAVEN_OPTS, writes the resets Debian's Maven 3.8 writes, "builds" the jar. */
    private static final String FAKE_MVN = """
            #!/usr/bin/env bash
            printf '%s\\n' "$*" >> "$FAKE_LOG/mvn-args"
            printf '%s\\n' "${MAVEN_OPTS:-}" >> "$FAKE_LOG/mvn-opts"
            printf '\\033[0m\\033[0m'
            printf '\\033[0m\\033[1;31m[ERROR]\\033[m only if it fails\\n' >&2
            [ -n "${FAKE_FAIL:-}" ] && exit 1
            mkdir -p dsl/target && touch dsl/target/degen-dsl-0.1.0-SNAPSHOT.jar && echo /lib/a.jar > dsl/target/classpath.txt
            """;

    /** A stand-in java: prints its arguments. */
    private static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            echo "java $*"
            """;

    record Run(int code, String out, String err) { }

    private static void executable(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path checkout(Path dir) throws IOException {
        Path root = dir.resolve("repo"), bin = dir.resolve("bin");
        for (String d : List.of("java-core/src/main", "dsl/src/main")) Files.createDirectories(root.resolve(d));
        for (String pom : List.of("pom.xml", "java-core/pom.xml", "dsl/pom.xml")) Files.writeString(root.resolve(pom), "<project/>");
        Files.copy(LAUNCHER, root.resolve("degen"));
        Files.createDirectories(bin);
        executable(bin.resolve("mvn"), FAKE_MVN);
        executable(bin.resolve("java"), FAKE_JAVA);
        return root;
    }

    private static Run launch(Path dir, boolean failBuild, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", dir.resolve("repo/degen").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_LOG", dir.toString());
        pb.environment().remove("MAVEN_OPTS");
        if (failBuild) pb.environment().put("FAKE_FAIL", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        // (reading to the end also waits for the grep that filters java's stderr in the launcher)
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.exitValue(), out, err);
    }

    @Test void firstUseSaysWhatItBuildsWithBatchModeAndNoEscapeCodes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(LAUNCHER), "needs the repository's ./degen");
        checkout(dir);
        Run first = launch(dir, false, "plan", "spec.edn");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().startsWith("degen: first use or sources changed: building with mvn install"
                + " (tests skipped, a few minutes on first use)...\n"), first.err());
        assertFalse(first.err().contains("\u001b") || first.out().contains("\u001b"), "an escape code got through: " + first.err());
        assertTrue(first.err().contains("[ERROR] only if it fails"), "Maven's messages are kept, without their codes: " + first.err());
        assertEquals("-B -q -Dstyle.color=never -DskipTests -pl java-core,dsl -am install\n", Files.readString(dir.resolve("mvn-args")));
        assertTrue(Files.readString(dir.resolve("mvn-opts")).contains("-Djansi.noreset=true"), Files.readString(dir.resolve("mvn-opts")));
        assertTrue(first.out().contains("io.degen.cli.Main plan spec.edn"), first.out());

        Run second = launch(dir, false, "help");
        assertEquals(0, second.code(), second.err());
        assertFalse(second.err().contains("building"), "a fresh build is not repeated: " + second.err());
        assertEquals(1, Files.readAllLines(dir.resolve("mvn-args")).size(), "mvn ran once");
    }

    @Test void aFailedBuildStopsWithAMessageAndRunsNothing(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(LAUNCHER), "needs the repository's ./degen");
        checkout(dir);
        Run r = launch(dir, true, "plan", "spec.edn");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("degen: the build failed (Maven's messages above); nothing was run"), r.err());
        assertFalse(r.err().contains("\u001b"), r.err());
        assertFalse(r.out().contains("io.degen.cli.Main"), "java must not run: " + r.out());
    }
}
