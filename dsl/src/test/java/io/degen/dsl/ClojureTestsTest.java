package io.degen.dsl;

import clojure.java.api.Clojure;
import clojure.lang.IFn;
import clojure.lang.Var;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the clojure.test suites under src/test/clojure/degen/*_test.clj inside JUnit 5: one
 * {@link DynamicTest} per deftest, so Surefire counts and reports each. A failing assertion or an
 * exception fails that JUnit test with the clojure.test report as its message.
 */
class ClojureTestsTest {
    private static final String BRIDGE = "degen.junit-bridge";

    static List<String> testNamespaces() throws IOException, URISyntaxException {
        URL dir = ClojureTestsTest.class.getClassLoader().getResource("degen/junit_bridge.clj");
        if (dir == null) throw new IllegalStateException("degen/junit_bridge.clj is not on the test classpath");
        Path folder = Path.of(dir.toURI()).getParent();
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_test.clj")).sorted()
                    .forEach(n -> out.add("degen." + n.substring(0, n.length() - 4).replace('_', '-')));
        }
        return out;
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> clojureTests() throws Exception {
        Clojure.var("clojure.core", "require").invoke(Clojure.read(BRIDGE));
        IFn testVars = Clojure.var(BRIDGE, "test-vars");
        IFn runVar = Clojure.var(BRIDGE, "run-var");
        List<String> namespaces = testNamespaces();
        assertTrue(!namespaces.isEmpty(), "no *_test.clj namespaces found");
        List<DynamicTest> tests = new ArrayList<>();
        for (String ns : namespaces) {
            for (Object v : (List<Object>) testVars.invoke(ns)) {
                Var var = (Var) v;
                tests.add(DynamicTest.dynamicTest(ns + "/" + var.sym.getName(), () -> {
                    Map<String, Object> r = (Map<String, Object>) runVar.invoke(var);
                    long failures = ((Number) r.get("fail")).longValue() + ((Number) r.get("error")).longValue();
                    if (failures > 0) fail(ns + "/" + var.sym.getName() + ": " + failures + " failing assertion(s)\n" + r.get("report"));
                    if (((Number) r.get("pass")).longValue() == 0) fail(ns + "/" + var.sym.getName() + " made no assertions");
                }));
            }
        }
        return tests.stream();
    }
}
