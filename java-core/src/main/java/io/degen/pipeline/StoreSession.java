package io.degen.pipeline;

import io.degen.store.Catalog;
import io.degen.store.Store;
import io.degen.store.StoreLayout;
import io.degen.store.StoreLock;
import java.io.IOException;
import java.sql.SQLException;

/** A store opened for writing: its lock, catalog and verified view of its runs. */
final class StoreSession implements AutoCloseable {
    final StoreLayout layout;
    final Store store;
    final StoreLock lock;
    final Catalog catalog;

    private StoreSession(StoreLayout layout, StoreLock lock, Catalog catalog) {
        this.layout = layout;
        this.store = new Store(layout);
        this.lock = lock;
        this.catalog = catalog;
    }

    /**
     * Takes the store's lock and opens its catalog; a damaged catalog is moved aside and rebuilt from
     * the run directories, plan and metrics files (said on {@code err}).
     */
    static StoreSession open(StoreLayout layout, java.io.PrintStream err) throws IOException, SQLException {
        StoreLock lock = StoreLock.acquire(layout.root());
        try {
            int stale = 0;
            for (java.nio.file.Path d : new java.nio.file.Path[] {layout.root(), layout.metrics(), layout.report()}) stale += io.degen.io.AtomicFiles.removeStale(d);
            if (stale > 0) err.printf("removed %d temporary file(s) left by an interrupted writer%n", stale);
            StoreSession s = new StoreSession(layout, lock, Catalog.openOrRecover(layout.root(), err));
            if (s.catalog.recovered()) {
                io.degen.plan.Plan plan = java.nio.file.Files.isRegularFile(layout.plan()) ? Experiment.storedPlan(layout.root()) : null;
                Reindex.Counts c = Reindex.rebuild(s, plan, err);
                err.printf("catalog rebuilt: %d run(s), %d condition(s), %d metric value(s)%n", c.runs(), c.conditions(), c.metrics());
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override public void close() throws IOException, SQLException {
        try { catalog.close(); } finally { lock.close(); }
    }
}
