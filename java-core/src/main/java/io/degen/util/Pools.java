package io.degen.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Shutting down the worker pools of parallel loops. */
public final class Pools {
    private Pools() { }

    /**
     * Interrupts the pool's workers and waits for them (up to 10 minutes), so that after a failure
     * no worker still uses what the caller is about to close (an engine, a file). An interrupt of
     * the waiting thread ends the wait and is kept.
     *
     * @return whether every worker stopped
     */
    public static boolean stopAndWait(ExecutorService pool) {
        pool.shutdownNow();
        try {
            return pool.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
