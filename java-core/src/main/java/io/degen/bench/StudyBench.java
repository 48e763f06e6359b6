package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.pipeline.Experiment;
import io.degen.pipeline.TrainSummary;
import io.degen.plan.Plan;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A whole study end to end, the way {@code degen run} does it: trains every network of a plan into
 * a new store, measures it and writes the report, timing each phase. Reports networks per hour
 * and where the time went, with wall and process CPU seconds (on a shared machine wall time
 * overstates the cost).
 */
public final class StudyBench {
    private StudyBench() { }

    public static Map<String, Object> run(Plan plan, Path out, int workers, Backend be, PrintStream err) throws Exception {
        requireNew(out);
        int networks = plan.runs().size();
        long w0 = System.nanoTime(), c0 = ProcessCpu.nanos();
        TrainSummary t = Experiment.train(plan, out, Experiment.TrainOptions.workers(workers), be, err);
        long w1 = System.nanoTime(), c1 = ProcessCpu.nanos();
        Experiment.measure(plan, out, workers, be, err);
        long w2 = System.nanoTime(), c2 = ProcessCpu.nanos();
        Experiment.report(out);
        long w3 = System.nanoTime(), c3 = ProcessCpu.nanos();

        double train = (w1 - w0) / 1e9, measure = (w2 - w1) / 1e9, report = (w3 - w2) / 1e9, total = (w3 - w0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study", plan.name());
        m.put("profile", plan.spec().profile());
        m.put("out", out.toString());
        m.put("networks", networks);
        m.put("conditions", plan.conditions().size());
        m.put("trained", t.trained());
        m.put("workers", workers);
        m.put("backend", be.name());
        m.put("networks_per_hour", 3600.0 * networks / total);
        m.put("seconds", total);
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("train", phase(train, c0, c1, total));
        phases.put("measure", phase(measure, c1, c2, total));
        phases.put("report", phase(report, c2, c3, total));
        m.put("phases", phases);
        m.put("train_seconds_per_network", train / networks);
        m.put("machine", Machine.current().asMap());
        return m;
    }

    private static Map<String, Object> phase(double wall, long cpuFrom, long cpuTo, double total) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seconds", wall);
        p.put("share", wall / total);
        p.put("cpu_seconds", cpuFrom < 0 || cpuTo < 0 ? -1 : (cpuTo - cpuFrom) / 1e9);
        return p;
    }

    /** A benchmark trains from nothing: a store that already holds networks would be timed as resumed. */
    private static void requireNew(Path out) throws IOException {
        if (!Files.exists(out)) return;
        if (!Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + " is a file; give a new directory");
        try (Stream<Path> s = Files.list(out)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException("--out " + out + " is not empty; a study benchmark trains into a new directory "
                        + "(a store that holds networks would be timed as a resumed run)");
            }
        }
    }
}
