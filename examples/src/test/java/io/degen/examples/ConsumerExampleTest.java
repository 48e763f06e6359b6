package io.degen.examples;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * examples/consumer is built and run the way a user's own project is: a separate Maven build of a
 * copy outside this checkout (no parent, no .mvn), against a fresh local repository that holds only
 * what that build asks for.
 *
 * <ul>
 *   <li>degen-parent, degen-core and degen-dsl are the artifacts of this build: the reactor's jars
 *   on this test's classpath with their module poms (what {@code mvn install} would publish), placed
 *   there in the local repository's layout;</li>
 *   <li>everything else (Clojure, MKL, the plugins) is fetched on demand from this build's own
 *   local repository, served to the nested build as its {@code central}, a {@code file://}
 *   repository: it is only read (never written), and nothing goes to the network. The consumer pins
 *   its plugins to the versions this build uses, so all it needs is there once degen has built.</li>
 * </ul>
 *
 * Then: its runtime classpath holds no test library (pdfbox 3.0.1 declares junit-jupiter 5.10.1 in
 * compile scope; degen-core excludes it), and its program, started with
 * {@code --add-modules jdk.incubator.vector} as docs/dsl-clojure.md says, prints its plan's size.
 */
@Tag("e2e")
class ConsumerExampleTest {
    static final Path EXAMPLES = Path.of("").toAbsolutePath();
    static final Pattern TEST_LIBRARY = Pattern.compile("junit|opentest4j|apiguardian|hamcrest|mockito|assertj|archunit");

    @Test
    void consumerBuildsAgainstThisBuildsArtifactsAndPrintsItsRunCount(@TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        String version = System.getProperty("degen.version");
        assertNotNull(version, "degen.version is set by examples/pom.xml's Surefire configuration");
        Path core = reactorJar("degen-core-" + version + ".jar");
        Path dsl = reactorJar("degen-dsl-" + version + ".jar");
        Path root = core.getParent().getParent().getParent();
        assertEquals(root, dsl.getParent().getParent().getParent(), "degen-core and degen-dsl from one checkout");
        Path seed = Path.of(System.getProperty("degen.seed.repo", System.getProperty("user.home") + "/.m2/repository"));
        assertTrue(Files.isDirectory(seed.resolve("org/clojure/clojure")), "this build's local repository: " + seed);

        Path repo = tmp.resolve("repo");
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, settings(repo, seed));

        // 1. put this build's three artifacts into the fresh repository, where `mvn install` would
        //    (the module poms are published as they are: no flattening)
        install(repo, "degen-parent", version, root.resolve("pom.xml"), null);
        install(repo, "degen-core", version, core.getParent().getParent().resolve("pom.xml"), core);
        install(repo, "degen-dsl", version, dsl.getParent().getParent().resolve("pom.xml"), dsl);
        long t1 = System.nanoTime();

        // 2. build a copy of the consumer (not inside this checkout)
        Path project = tmp.resolve("consumer");
        copyTree(EXAMPLES.resolve("consumer"), project);
        mvn(project, settings, tmp.resolve("consumer-build.log"), "package");
        long t2 = System.nanoTime();

        List<String> classpath = Arrays.asList(Files.readString(project.resolve("target/classpath.txt")).trim().split(File.pathSeparator));
        String installedDsl = "io/degen/degen-dsl/" + version + "/degen-dsl-" + version + ".jar";
        String installedCore = "io/degen/degen-core/" + version + "/degen-core-" + version + ".jar";
        assertTrue(classpath.contains(repo.resolve(installedDsl).toString()), "degen-dsl from the fresh repository: " + classpath);
        assertTrue(classpath.contains(repo.resolve(installedCore).toString()), "degen-core from the fresh repository: " + classpath);
        assertTrue(classpath.stream().allMatch(e -> e.startsWith(repo.toString())), "every jar from the fresh repository: " + classpath);
        String clojure = "/org/clojure/clojure/" + System.getProperty("degen.clojure.version") + "/";
        assertTrue(classpath.stream().anyMatch(e -> e.contains(clojure)), "Clojure " + clojure + " comes with degen-dsl: " + classpath);
        List<String> leaked = classpath.stream().filter(e -> TEST_LIBRARY.matcher(Path.of(e).getFileName().toString()).find()).toList();
        assertEquals(List.of(), leaked, "test libraries on a consumer's runtime classpath");

        // 3. run its program as the docs say
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path runLog = tmp.resolve("consumer-run.log");
        run(project, runLog, List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                project.resolve("target/classes") + File.pathSeparator + String.join(File.pathSeparator, classpath),
                "clojure.main", "-m", "consumer.main"));
        List<String> out = Files.readAllLines(runLog).stream().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(List.of("conditions: 2", "runs: 6"), out);
        long t3 = System.nanoTime();
        System.out.printf("consumer example: publish %.1f s, build %.1f s, run %.1f s, %d jars on its classpath%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, classpath.size());
    }

    /** The jar of a reactor module on this test's classpath (MODULE/target/NAME), or the test is skipped. */
    static Path reactorJar(String name) {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        for (String e : entries) {
            Path p = Path.of(e).toAbsolutePath().normalize();
            if (p.getFileName() != null && p.getFileName().toString().equals(name)) {
                Assumptions.assumeTrue(p.getParent().getFileName().toString().equals("target"),
                        name + " comes from " + p + ", not from this build's reactor: build with -am (e.g. mvn verify -pl examples -am)");
                return p;
            }
        }
        Assumptions.abort("no " + name + " on the test classpath (the reactor gave classes folders: run the package phase, e.g. mvn verify)");
        return null;
    }

    /**
     * Installs io.degen:ARTIFACT:VERSION (POM, and JAR unless null) in the local repository REPO's
     * layout. Files are placed, not installed with maven-install-plugin: `mvn verify` never resolves
     * that plugin, so a fresh CI machine would not have it to serve to the nested build. Maven takes
     * an artifact it finds there without download records as locally installed.
     */
    static void install(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("io/degen").resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
    }

    /** A settings file: local repository REPO, and SEED (a local repository) served as central, read-only. */
    static String settings(Path repo, Path seed) {
        String url = seed.toUri().toString();
        String policies = "<releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>";
        return """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors><mirror><id>seed</id><mirrorOf>*,!central</mirrorOf><url>%s</url></mirror></mirrors>
                  <profiles><profile><id>seed</id>
                    <repositories><repository><id>central</id><url>%s</url>%s</repository></repositories>
                    <pluginRepositories><pluginRepository><id>central</id><url>%s</url>%s</pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
                </settings>
                """.formatted(repo, url, url, policies, url, policies);
    }

    static void mvn(Path dir, Path settings, Path log, String... args) throws Exception {
        String home = System.getProperty("degen.maven.home");
        String mvn = home != null && Files.isExecutable(Path.of(home, "bin", "mvn")) ? Path.of(home, "bin", "mvn").toString() : "mvn";
        List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-q", "-s", settings.toString(), "-gs", settings.toString()));
        cmd.addAll(List.of(args));
        run(dir, log, cmd);
    }

    static void run(Path dir, Path log, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("MAVEN_BASEDIR");
        env.remove("MAVEN_PROJECTBASEDIR");
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out after 300 s: " + String.join(" ", cmd) + "\n" + tail(log));
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + tail(log));
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream().collect(Collectors.joining("\n"));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(p -> !from.relativize(p).toString().startsWith("target")).toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
    }
}
