package io.degen.cli;

import io.degen.store.ShardMerge;
import io.degen.store.StoreLock;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code degen merge DIR}: moves the shards' verified networks and catalog rows into DIR ({@link ShardMerge}). */
public final class MergeCommand implements Command {
    @Override public String name() { return "merge"; }

    @Override public String help() { return "gather shard stores DIR/shards/* into DIR: merge DIR"; }

    @Override public Object run(Args a) throws Exception {
        Path out = Path.of(a.positional(0, "DIR (the --out of the sharded runs)"));
        a.finish();
        if (!Files.isDirectory(out)) throw new UsageException("store directory '" + out + "' does not exist");
        try {
            return ShardMerge.merge(out, a.err()).toMap();
        } catch (StoreLock.LockedException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
