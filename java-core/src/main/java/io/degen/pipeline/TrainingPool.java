package io.degen.pipeline;

import io.degen.backend.Backend;
import io.degen.config.RunConfig;
import io.degen.store.Store;
import io.degen.store.StoredRun;
import io.degen.train.CostModel;
import io.degen.train.TrainResult;
import io.degen.train.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * Trains many networks at once on worker threads (each network on one thread, so the result of a
 * seed does not depend on the worker count), skipping runs whose verified artifacts already exist.
 * With {@code ensemble} K > 1, a worker takes up to K seeds of one condition and trains them in
 * lockstep ({@link Trainer#train(List, List, Trainer.Finished)}: grouped recurrent GEMMs, each seed
 * on its own trials). Each finished network is published atomically as soon as it finishes.
 */
public final class TrainingPool {
    /** The outcome of one run in this invocation: the stored network, and the training result where it was trained now. */
    public record Outcome(RunConfig run, StoredRun stored, TrainResult result, boolean skipped) {
        public Path dir() { return stored.dir(); }
    }

    private final Backend be;
    private final int workers, ensemble;
    private final PrintStream err;
    private java.util.function.Function<RunConfig, String> describe =
            r -> r.task().type() + "/" + r.model().type() + "-" + r.model().hidden();

    public TrainingPool(Backend be, int workers, PrintStream err) { this(be, workers, 1, err); }

    /** How progress names a run's condition (a plan names it by its swept values); the default is task/model-width. */
    public TrainingPool describedBy(java.util.function.Function<RunConfig, String> d) {
        this.describe = d;
        return this;
    }

    public TrainingPool(Backend be, int workers, int ensemble, PrintStream err) {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        if (ensemble < 1) throw new IllegalArgumentException("ensemble must be >= 1, got " + ensemble);
        this.be = be; this.workers = workers; this.ensemble = ensemble; this.err = err;
    }

    /**
     * Consecutive groups of at most {@code size} runs sharing a condition, in the order the runs
     * first appear, so that a condition's seeds are trained together.
     */
    static List<List<RunConfig>> groups(List<RunConfig> runs, int size) {
        java.util.Map<String, List<RunConfig>> byCondition = new java.util.LinkedHashMap<>();
        for (RunConfig r : runs) byCondition.computeIfAbsent(r.conditionId(), c -> new ArrayList<>()).add(r);
        List<List<RunConfig>> out = new ArrayList<>();
        for (List<RunConfig> c : byCondition.values()) {
            for (int i = 0; i < c.size(); i += size) out.add(new ArrayList<>(c.subList(i, Math.min(c.size(), i + size))));
        }
        return out;
    }

    /** Estimated heap bytes to train one network ({@link CostModel#bytes}). */
    public static long estimateBytes(RunConfig r) { return CostModel.bytes(r); }

    /**
     * Refuses, before anything is trained, a sweep whose networks cannot fit in the heap: the largest
     * estimate ({@link #estimateBytes}) times the networks trained at once against {@code maxHeap}.
     */
    public static void checkMemory(List<RunConfig> todo, int workers, long maxHeap) {
        if (todo.isEmpty()) return;
        RunConfig worst = todo.get(0);
        for (RunConfig r : todo) if (estimateBytes(r) > estimateBytes(worst)) worst = r;
        int parallel = Math.min(workers, todo.size());
        long need = estimateBytes(worst) * parallel;
        if (need > maxHeap) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "not enough memory: training %d network(s) at once (hidden %d, batch %d, trial length %d) needs about %,d bytes (%.1f MiB; %.1f MiB each) "
                    + "but the JVM's max heap is %,d bytes (%.1f MiB); use fewer --workers, a smaller model/batch, or a larger heap "
                    + "(DEGEN_JAVA_OPTS=-Xmx...)", parallel, worst.model().hidden(), worst.train().batch(), worst.task().trialLength(),
                    need, need / 1048576.0, estimateBytes(worst) / 1048576.0, maxHeap, maxHeap / 1048576.0));
        }
    }

    /** Trains into a fresh {@link Store} of {@code root} (see {@link #train(List, Store, BiConsumer)}). */
    public List<Outcome> train(List<RunConfig> runs, Path root, BiConsumer<RunConfig, TrainResult> onFinished)
            throws IOException, InterruptedException {
        return train(runs, Store.at(root), onFinished);
    }

    /**
     * Trains every run that the store does not hold verified, publishing each as it finishes and
     * then calling {@code onFinished}; returns the outcomes in run order.
     */
    public List<Outcome> train(List<RunConfig> runs, Store store, BiConsumer<RunConfig, TrainResult> onFinished)
            throws IOException, InterruptedException {
        List<Outcome> out = Collections.synchronizedList(new ArrayList<>());
        List<RunConfig> todo = new ArrayList<>();
        for (RunConfig r : runs) {
            StoredRun s = store.get(r.id());
            if (s != null) out.add(new Outcome(r, s, null, true));
            else todo.add(r);
        }
        if (!out.isEmpty()) err.printf("%d of %d runs already finished; training %d%n", out.size(), runs.size(), todo.size());
        checkMemory(todo, workers * ensemble, Runtime.getRuntime().maxMemory());
        Progress progress = new Progress(err, todo);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> { Thread t = new Thread(r, "train"); t.setDaemon(true); return t; });
        // Futures are taken as they complete, so the first failure ends the call at once.
        java.util.concurrent.CompletionService<Void> done = new java.util.concurrent.ExecutorCompletionService<>(pool);
        try {
            int submitted = 0;
            for (List<RunConfig> group : groups(todo, ensemble)) {
                submitted++;
                done.submit(() -> {
                    List<String> labels = new ArrayList<>();
                    List<Trainer.Listener> listeners = new ArrayList<>();
                    for (RunConfig r : group) {
                        String label = describe.apply(r) + " seed " + r.seed();
                        labels.add(label);
                        listeners.add((ep, loss, lr) -> progress.epoch(r, label, ep, loss));
                    }
                    new Trainer(be).train(group, listeners, (i, res) -> {
                        RunConfig r = group.get(i);
                        StoredRun stored;
                        try { stored = store.write(r, res, null); }
                        catch (IOException e) { throw new java.io.UncheckedIOException(e); }
                        if (onFinished != null) onFinished.accept(r, res);
                        progress.finished(r, labels.get(i), String.format(java.util.Locale.ROOT, "%s after %d epoch%s, loss %.3g, %.1fs",
                                res.status().label(), res.epochs(), res.epochs() == 1 ? "" : "s", res.finalLoss(), res.wallSeconds()), res.converged(),
                                res.status() != io.degen.config.RunStatus.DIVERGED);
                        out.add(new Outcome(r, stored, res, false));
                    });
                    return null;
                });
            }
            for (int i = 0; i < submitted; i++) {
                try { done.take().get(); }
                catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof java.io.UncheckedIOException u) throw u.getCause();
                    if (c instanceof IOException io) throw io;
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error er) throw er;
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            // After a failure, stop the other workers and wait for them: training checks for interruption
            // between steps, so none is left half-way through writing a network when the process exits.
            pool.shutdownNow();
            if (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES)) {
                err.println("warning: training workers did not stop within 10 minutes");
            }
        }
        List<Outcome> ordered = new ArrayList<>();
        for (RunConfig r : runs) for (Outcome o : out) if (o.run().id().equals(r.id())) { ordered.add(o); break; }
        return ordered;
    }
}
