package io.degen.bench;

import java.nio.file.Path;
import java.util.List;

/** What {@code bench sweep} runs: {@code sweep} at each of {@code values} after an untimed warm-up, its files written to {@code out}. */
public record SweepBenchOptions(Sweep sweep, List<Integer> values, double warmupSeconds, Path out) { }
