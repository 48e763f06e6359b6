package io.degen.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.config.MeasureOptions;
import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.JointDynamics;
import io.degen.degeneracy.MetricValue;
import io.degen.io.AtomicFiles;
import io.degen.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis files of a store: {@code metrics/CID.json} per condition (spec name and hash,
 * condition id and axis values, its run ids, the options, the full {@link ConditionResult} under
 * {@code analysis}, and its flattened {@code metrics}) and {@code joint-dsa.json}.
 */
public final class MetricsFiles {
    private MetricsFiles() { }

    public static void write(StoreLayout layout, String spec, String specHash, String conditionId, Map<String, Object> values,
                             List<String> runs, MeasureOptions options, ConditionResult analysis) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", spec);
        m.put("spec_hash", specHash);
        m.put("condition_id", conditionId);
        m.put("values", values);
        m.put("runs", runs);
        m.put("options", options);
        m.put("analysis", analysis);
        Map<String, Object> flat = new LinkedHashMap<>();
        for (MetricValue v : analysis.metrics()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("value", v.value());
            x.put("se", v.se());
            x.put("n", v.n());
            flat.put(v.metric(), x);
        }
        m.put("metrics", flat);
        AtomicFiles.writeString(layout.metrics(conditionId), Json.pretty(m));
    }

    /** The analysis of a condition, or null when it has none yet. Files of earlier versions read too. */
    public static ConditionResult read(StoreLayout layout, String conditionId) throws IOException {
        Path f = layout.metrics(conditionId);
        if (!Files.isRegularFile(f)) return null;
        JsonNode j;
        try {
            j = Json.read(f);
            return Json.MAPPER.treeToValue(j.get("analysis"), ConditionResult.class);
        } catch (IOException | RuntimeException e) {
            throw new StoreFormatException(f + ": not a readable metrics file (" + e.getMessage() + "); run 'degen measure "
                    + layout.root() + "' to compute it again");
        }
    }

    public static void writeJoint(StoreLayout layout, JointDynamics joint) throws IOException {
        AtomicFiles.writeString(layout.jointDsa(), Json.pretty(joint));
    }

    /** The joint DSA map, or null when there is none. */
    public static JointDynamics readJoint(StoreLayout layout) throws IOException {
        Path f = layout.jointDsa();
        if (!Files.isRegularFile(f)) return null;
        try {
            return Json.MAPPER.readValue(f.toFile(), JointDynamics.class);
        } catch (IOException | RuntimeException e) {
            throw new StoreFormatException(f + ": not a readable joint DSA file (" + e.getMessage() + ")");
        }
    }
}
