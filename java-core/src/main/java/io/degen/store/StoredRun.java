package io.degen.store;

import io.degen.config.RunConfig;
import io.degen.config.RunStatus;
import io.degen.io.NdArray;
import io.degen.io.Npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A network read back from its run directory and verified against its record's checksums. */
public record StoredRun(Path dir, RunRecord record, RunConfig config) {
    public String id() { return record.id(); }

    public RunStatus status() { return record.status(); }

    public boolean converged() { return record.status() == RunStatus.CONVERGED; }

    public Map<String, NdArray> weights() throws IOException { return Npy.readNpz(dir.resolve(RunArtifacts.WEIGHTS)); }

    public Map<String, NdArray> initialWeights() throws IOException { return Npy.readNpz(dir.resolve(RunArtifacts.INIT)); }

    public double[] lossCurve() throws IOException { return Npy.read(dir.resolve(RunArtifacts.LOSS)).data(); }
}
