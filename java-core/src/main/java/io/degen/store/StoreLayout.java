package io.degen.store;

import java.nio.file.Path;

/**
 * Where everything of a store directory lives; the only place that spells these names
 * (docs/store.md describes each):
 * <pre>
 * DIR/plan.json                     the compiled plan (spec, conditions, run ids)
 * DIR/runs/ID/                      one trained network (record.json, weights.npz, init.npz, loss.npy)
 * DIR/metrics/CID.json              one condition's analysis
 * DIR/joint-dsa.json                DSA matrix over all conditions' converged networks
 * DIR/blocks/CID/LEVEL-I-of-K.json  block I of K of a condition's pairwise matrix
 * DIR/shards/I-of-K/                the store of shard I of K (same layout)
 * DIR/report/                       index.html, figures, conditions.csv
 * DIR/catalog.sqlite                the queryable index, rebuildable from runs/
 * DIR/.lock                         the writer's lock
 * </pre>
 */
public record StoreLayout(Path root) {
    public static final String PLAN = "plan.json", RUNS = "runs", METRICS = "metrics", JOINT_DSA = "joint-dsa.json",
            BLOCKS = "blocks", SHARDS = "shards", REPORT = "report", CATALOG = "catalog.sqlite", LOCK = ".lock";

    public static StoreLayout at(Path root) { return new StoreLayout(root); }

    public Path plan() { return root.resolve(PLAN); }

    public Path runs() { return root.resolve(RUNS); }

    public Path run(String id) { return runs().resolve(id); }

    public Path metrics() { return root.resolve(METRICS); }

    public Path metrics(String conditionId) { return metrics().resolve(conditionId + ".json"); }

    public Path jointDsa() { return root.resolve(JOINT_DSA); }

    public Path blocks(String conditionId) { return root.resolve(BLOCKS).resolve(conditionId); }

    public Path shards() { return root.resolve(SHARDS); }

    /** The store of shard {@code index} (0-based) of {@code count}. */
    public StoreLayout shard(int index, int count) { return new StoreLayout(shards().resolve(index + "-of-" + count)); }

    public Path report() { return root.resolve(REPORT); }

    public Path catalog() { return root.resolve(CATALOG); }

    public Path lock() { return root.resolve(LOCK); }
}
