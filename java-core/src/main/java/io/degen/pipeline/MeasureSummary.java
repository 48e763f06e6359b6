package io.degen.pipeline;

import java.util.List;

/** What measuring a trained store did: conditions analysed, levels computed, and whether a joint DSA map was written. */
public record MeasureSummary(String out, int conditions, List<String> levels, boolean jointDsa) { }
