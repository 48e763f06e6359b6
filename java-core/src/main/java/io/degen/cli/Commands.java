package io.degen.cli;

import java.util.List;

/** The built-in command list; each command is its own class next to this one. */
final class Commands {
    private Commands() { }

    static List<Command> builtIn() {
        return List.of(new TrainCommand(), new SimulateCommand(), new ImportTorchCommand(), new BenchTrainCommand(),
                new PlanCommand(), new RunCommand(), new ReportCommand(), new DegeneracyCommand(),
                new ComplexityCommand(), new MergeCommand(), new SlurmCommand());
    }
}
