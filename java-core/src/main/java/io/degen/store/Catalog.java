package io.degen.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queryable index of a store directory: an embedded SQLite database {@code DIR/catalog.sqlite}
 * in WAL mode (readers never block the writer) with a busy timeout. Tables:
 * {@code runs} (one row per trained network), {@code conditions} (axis values of each condition)
 * and {@code condition_metrics} (one row per condition and metric). Every write is an upsert in a
 * transaction, so recording the same thing twice leaves one row. The run directories stay the
 * source of truth: the catalog can be rebuilt from them.
 */
public final class Catalog implements AutoCloseable {
    public static final String FILE = StoreLayout.CATALOG;

    /** One row of {@code runs}; null numbers are stored as NULL. */
    public record RunRow(String runId, String specName, String specHash, String conditionId, String conditionJson, long seed,
                         String status, Integer epochs, Double finalLoss, Double oodLoss, Double wallSeconds, String backend) {
        /** A row as returned by {@link #runs()}. */
        public static RunRow of(Map<String, Object> m) {
            return new RunRow((String) m.get("run_id"), (String) m.get("spec_name"), (String) m.get("spec_hash"),
                    (String) m.get("condition_id"), (String) m.get("condition_json"), ((Number) m.get("seed")).longValue(),
                    (String) m.get("status"), m.get("epochs") instanceof Number n ? n.intValue() : null, dbl(m.get("final_loss")),
                    dbl(m.get("ood_loss")), dbl(m.get("wall_seconds")), (String) m.get("backend"));
        }

        private static Double dbl(Object o) { return o instanceof Number n ? n.doubleValue() : null; }
    }

    /** A functional body run inside a transaction. */
    public interface Work<T> { T run() throws SQLException; }

    private final Connection conn;
    private final Path file;

    private Catalog(Path file, Connection conn) { this.file = file; this.conn = conn; }

    public static Catalog open(Path dir) throws SQLException {
        try { Files.createDirectories(dir); } catch (java.io.IOException e) { throw new SQLException("cannot create " + dir + ": " + e.getMessage(), e); }
        Path f = dir.resolve(FILE);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 30000");
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, spec_name TEXT, spec_hash TEXT, condition_id TEXT, "
                    + "condition_json TEXT, seed INTEGER, status TEXT, epochs INTEGER, final_loss REAL, ood_loss REAL, "
                    + "wall_seconds REAL, backend TEXT, updated_at TEXT)");
            s.execute("CREATE TABLE IF NOT EXISTS conditions (condition_id TEXT PRIMARY KEY, spec_name TEXT, values_json TEXT)");
            s.execute("CREATE TABLE IF NOT EXISTS condition_metrics (spec_name TEXT, condition_id TEXT, metric TEXT, value REAL, "
                    + "se REAL, n INTEGER, PRIMARY KEY (spec_name, condition_id, metric))");
            s.execute("CREATE INDEX IF NOT EXISTS runs_condition ON runs (condition_id)");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.setAutoCommit(true);
        return new Catalog(f, c);
    }

    public Path file() { return file; }

    /** Whether an SQLite error says the database file is damaged (not a transient or a locking problem). */
    static boolean damaged(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB") || m.contains("malformed") || m.contains("not a database");
    }

    /**
     * Opens the catalog of {@code dir}; a damaged one (the run directories are the source of truth) is
     * moved aside as {@code catalog.sqlite.corrupt-TIMESTAMP} (with its -wal and -shm files), said so
     * on {@code err}, and a fresh one is opened: the caller rebuilds its rows ({@link #recovered()}).
     */
    public static Catalog openOrRecover(Path dir, java.io.PrintStream err) throws SQLException {
        try {
            Catalog c = open(dir);
            c.integrityCheck();
            return c;
        } catch (SQLException e) {
            if (!damaged(e)) throw e;
            Path f = dir.resolve(FILE);
            String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path aside = dir.resolve(FILE + ".corrupt-" + stamp);
            try {
                java.nio.file.Files.move(f, aside);
                for (String x : new String[] {"-wal", "-shm"}) {
                    Path side = dir.resolve(FILE + x);
                    if (java.nio.file.Files.exists(side)) java.nio.file.Files.move(side, dir.resolve(FILE + ".corrupt-" + stamp + x));
                }
            } catch (java.io.IOException io) {
                throw new SQLException("the catalog " + f + " is damaged and cannot be moved aside: " + io.getMessage(), io);
            }
            err.printf("the catalog %s was damaged (%s): moved aside to %s; rebuilding it from the run directories%n", f, e.getMessage(), aside);
            Catalog c = open(dir);
            c.recovered = true;
            return c;
        }
    }

    private boolean recovered;

    /** Whether this catalog replaced a damaged one and so holds no rows yet. */
    public boolean recovered() { return recovered; }

    private void integrityCheck() throws SQLException {
        try {
            List<Map<String, Object>> r = query("PRAGMA quick_check");
            Object v = r.isEmpty() ? null : r.get(0).values().iterator().next();
            if (!"ok".equals(v)) throw new SQLException("SQLITE_CORRUPT: quick_check says " + v);
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Deletes the rows of runs that are not in {@code keep} (their directories are gone); returns how many. */
    public synchronized int deleteRunsNotIn(java.util.Set<String> keep) throws SQLException {
        int n = 0;
        for (Map<String, Object> r : runs()) {
            String id = (String) r.get("run_id");
            if (keep.contains(id)) continue;
            try (PreparedStatement p = conn.prepareStatement("DELETE FROM runs WHERE run_id = ?")) {
                p.setString(1, id);
                n += p.executeUpdate();
            }
        }
        return n;
    }

    /** Runs body in one transaction (committed on return, rolled back on exception); a nested call joins the enclosing one. */
    public synchronized <T> T transaction(Work<T> body) throws SQLException {
        if (!conn.getAutoCommit()) return body.run(); // nested: part of the enclosing transaction
        conn.setAutoCommit(false);
        try {
            T t = body.run();
            conn.commit();
            return t;
        } catch (SQLException e) {
            try { conn.rollback(); } catch (SQLException ignored) { /* the transaction may already be gone (disk full) */ }
            String m = String.valueOf(e.getMessage());
            if (m.contains("SQLITE_FULL") || m.contains("disk is full") || m.contains("no transaction is active")) {
                throw new SQLException("no space left on device while writing the catalog " + file + " (" + m + ")", e);
            }
            throw e;
        } catch (RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }

    public synchronized void upsertRun(RunRow r) throws SQLException {
        transaction(() -> {
            try (PreparedStatement p = conn.prepareStatement("INSERT INTO runs (run_id, spec_name, spec_hash, condition_id, condition_json, seed, "
                    + "status, epochs, final_loss, ood_loss, wall_seconds, backend, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    + "ON CONFLICT(run_id) DO UPDATE SET spec_name=excluded.spec_name, spec_hash=excluded.spec_hash, "
                    + "condition_id=excluded.condition_id, condition_json=excluded.condition_json, seed=excluded.seed, status=excluded.status, "
                    + "epochs=excluded.epochs, final_loss=excluded.final_loss, ood_loss=COALESCE(excluded.ood_loss, runs.ood_loss), "
                    + "wall_seconds=excluded.wall_seconds, backend=excluded.backend, updated_at=excluded.updated_at")) {
                p.setString(1, r.runId()); p.setString(2, r.specName()); p.setString(3, r.specHash()); p.setString(4, r.conditionId());
                p.setString(5, r.conditionJson()); p.setLong(6, r.seed()); p.setString(7, r.status());
                setInt(p, 8, r.epochs()); setReal(p, 9, r.finalLoss()); setReal(p, 10, r.oodLoss()); setReal(p, 11, r.wallSeconds());
                p.setString(12, r.backend()); p.setString(13, java.time.Instant.now().toString());
                p.executeUpdate();
            }
            return null;
        });
    }

    public synchronized void setOodLoss(String runId, double ood) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("UPDATE runs SET ood_loss = ?, updated_at = ? WHERE run_id = ?")) {
            setReal(p, 1, ood); p.setString(2, java.time.Instant.now().toString()); p.setString(3, runId);
            p.executeUpdate();
        }
    }

    public synchronized void upsertCondition(String conditionId, String specName, String valuesJson) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO conditions (condition_id, spec_name, values_json) VALUES (?,?,?) "
                + "ON CONFLICT(condition_id) DO UPDATE SET spec_name=excluded.spec_name, values_json=excluded.values_json")) {
            p.setString(1, conditionId); p.setString(2, specName); p.setString(3, valuesJson);
            p.executeUpdate();
        }
    }

    public synchronized void upsertMetric(String specName, String conditionId, String metric, Double value, Double se, Integer n) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO condition_metrics (spec_name, condition_id, metric, value, se, n) "
                + "VALUES (?,?,?,?,?,?) ON CONFLICT(spec_name, condition_id, metric) DO UPDATE SET value=excluded.value, se=excluded.se, n=excluded.n")) {
            p.setString(1, specName); p.setString(2, conditionId); p.setString(3, metric);
            setReal(p, 4, value); setReal(p, 5, se); setInt(p, 6, n);
            p.executeUpdate();
        }
    }

    /** Rows of any read-only query as maps (column name to value). */
    public synchronized List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) p.setObject(i + 1, params[i]);
            try (ResultSet rs = p.executeQuery()) {
                List<Map<String, Object>> out = new ArrayList<>();
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) row.put(md.getColumnLabel(c), rs.getObject(c));
                    out.add(row);
                }
                return out;
            }
        }
    }

    public List<Map<String, Object>> runs() throws SQLException { return query("SELECT * FROM runs ORDER BY run_id"); }

    public List<Map<String, Object>> metrics(String specName) throws SQLException {
        return query("SELECT * FROM condition_metrics WHERE spec_name = ? ORDER BY condition_id, metric", specName);
    }

    public String journalMode() throws SQLException {
        return String.valueOf(query("PRAGMA journal_mode").get(0).values().iterator().next());
    }

    private static void setReal(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) p.setNull(i, Types.REAL); else p.setDouble(i, v);
    }

    private static void setInt(PreparedStatement p, int i, Integer v) throws SQLException {
        if (v == null) p.setNull(i, Types.INTEGER); else p.setInt(i, v);
    }

    @Override public synchronized void close() throws SQLException { conn.close(); }
}
