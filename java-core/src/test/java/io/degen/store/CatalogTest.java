package io.degen.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class CatalogTest {
    @Test void upsertsAreIdempotentAndTheDatabaseIsWal(@TempDir Path dir) throws Exception {
        try (Catalog c = Catalog.open(dir)) {
            assertEquals("wal", c.journalMode().toLowerCase());
            Catalog.RunRow r = new Catalog.RunRow("r1", "spec", "h", "c1", "{}", 0, "converged", 3, 0.01, null, 1.5, "java");
            c.upsertRun(r);
            c.upsertRun(r);
            c.upsertRun(new Catalog.RunRow("r2", "spec", "h", "c1", "{}", 1, "not_converged", 3, 0.5, null, 1.0, "java"));
            assertEquals(2, c.runs().size());
            c.setOodLoss("r1", 0.25);
            c.upsertRun(r); // re-recording the run keeps the OOD loss computed later
            assertEquals(0.25, (Double) c.query("SELECT ood_loss FROM runs WHERE run_id = 'r1'").get(0).get("ood_loss"));
            c.upsertMetric("spec", "c1", "behaviour_sd_ood", 0.1, 0.01, 2);
            c.upsertMetric("spec", "c1", "behaviour_sd_ood", 0.2, Double.NaN, 2);
            List<?> m = c.metrics("spec");
            assertEquals(1, m.size());
            assertEquals(0.2, (Double) c.metrics("spec").get(0).get("value"));
            assertNull(c.metrics("spec").get(0).get("se"));
            c.upsertCondition("c1", "spec", "{\"nuclear\":0}");
            c.upsertCondition("c1", "spec", "{\"nuclear\":0}");
            assertEquals(1, c.query("SELECT * FROM conditions").size());
            assertThrows(java.sql.SQLException.class, () -> c.transaction(() -> {
                c.upsertCondition("c2", "spec", "{}");
                throw new java.sql.SQLException("boom");
            }));
            assertEquals(1, c.query("SELECT * FROM conditions").size(), "rolled back");
        }
        try (Catalog c = Catalog.open(dir)) { assertEquals(2, c.runs().size()); }
    }

    @Test void aSecondLockInThisJvmIsRefusedClearly(@TempDir Path dir) throws Exception {
        long me = ProcessHandle.current().pid();
        try (StoreLock l = StoreLock.acquire(dir)) {
            StoreLock.LockedException e = assertThrows(StoreLock.LockedException.class, () -> StoreLock.acquire(dir));
            assertEquals("another degen run holds " + dir.resolve(".lock").toAbsolutePath().normalize() + " (pid " + me + ")", e.getMessage());
        }
        try (StoreLock l = StoreLock.acquire(dir)) { assertNotNull(l.file()); }
        // A lock taken through another channel of this JVM: tryLock throws OverlappingFileLockException, mapped to the message.
        Path other = dir.resolve("o");
        java.nio.file.Files.createDirectories(other);
        try (FileChannel ch = FileChannel.open(other.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var held = ch.lock()) {
            StoreLock.LockedException e = assertThrows(StoreLock.LockedException.class, () -> StoreLock.acquire(other));
            assertTrue(e.getMessage().startsWith("another degen run holds "), e.getMessage());
        }
    }

    @Test void aLockHeldByAnotherProcessIsRefusedWithItsPid(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StoreLock.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            String line = out.readLine();
            assertNotNull(line, "child failed to take the lock");
            assertEquals("locked " + p.pid(), line);
            StoreLock.LockedException e = assertThrows(StoreLock.LockedException.class, () -> StoreLock.acquire(dir));
            assertTrue(e.getMessage().endsWith("holds " + dir.resolve(".lock").toAbsolutePath().normalize() + " (pid " + p.pid() + ")"), e.getMessage());
        } finally {
            p.getOutputStream().close();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        }
        try (StoreLock l = StoreLock.acquire(dir)) { assertNotNull(l); }
    }
}
