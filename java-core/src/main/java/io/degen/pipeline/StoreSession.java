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

    static StoreSession open(StoreLayout layout) throws IOException, SQLException {
        StoreLock lock = StoreLock.acquire(layout.root());
        try {
            return new StoreSession(layout, lock, Catalog.open(layout.root()));
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override public void close() throws IOException, SQLException {
        try { catalog.close(); } finally { lock.close(); }
    }
}
