package io.degen.cli;

import java.util.ArrayList;
import java.util.List;

/** The built-in command list; each command is its own class next to this one. */
final class Commands {
    private Commands() { }

    static List<Command> builtIn() {
        List<Command> cs = new ArrayList<>(List.of(
                new TrainCommand(), new SimulateCommand(), new ImportTorchCommand(),
                new PlanCommand(), new RunCommand(), new MeasureCommand(), new ReportCommand(), new VerdictCommand(), new SensitivityCommand(), new DegeneracyCommand(), new ComplexityCommand(),
                new MergeCommand(), new ReindexCommand(), new SlurmCommand(), new MetricBlockCommand(),
                new MetricHavokCommand(), new MetricDsaCommand(), new MetricDsaMatrixCommand(), new MetricPifCommand()));
        cs.addAll(MetricSimilarityCommand.all());
        cs.addAll(List.of(new BenchTrainCommand(), new BenchDsaCommand(), new BenchPifCommand(), new BenchSweepCommand(), new BenchStudyCommand()));
        return cs;
    }
}
