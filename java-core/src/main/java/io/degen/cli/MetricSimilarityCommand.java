package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.metrics.similarity.LinearCka;
import io.degen.metrics.similarity.ProcrustesShape;
import io.degen.metrics.similarity.Representations;
import io.degen.metrics.similarity.Svcca;
import io.degen.util.Mat;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code degen metric cka|procrustes|svcca X.npy Y.npy [--k 4]}: a representational similarity
 * between two activity arrays of shape (samples, units) or (trials, time, units) (flattened to
 * (trials * time, units)). Prints {@code {"value": v}}: linear CKA in [0, 1], the Procrustes
 * shape angle in radians, or the mean SVCCA correlation of the top-k directions.
 */
public final class MetricSimilarityCommand implements Command {

    /** The representational measures this command exposes. */
    public enum Kind {
        CKA("cka", "linear CKA similarity (1 = same up to rotation and scale)"),
        PROCRUSTES("procrustes", "angular Procrustes shape distance in radians"),
        SVCCA("svcca", "mean SVCCA correlation of the top-k SVD directions [--k 4]");

        final String word, help;

        Kind(String word, String help) { this.word = word; this.help = help; }

        public String word() { return word; }

        public static Kind of(String word) {
            for (Kind k : values()) if (k.word.equals(word.toLowerCase(Locale.ROOT))) return k;
            throw new IllegalArgumentException("similarity kind must be cka, procrustes or svcca, got '" + word + "'");
        }
    }

    private final Kind kind;

    public MetricSimilarityCommand(Kind kind) { this.kind = kind; }

    public MetricSimilarityCommand(String kind) { this(Kind.of(kind)); }

    /** One command per kind: "metric cka", "metric procrustes", "metric svcca". */
    public static List<Command> all() {
        return List.of(new MetricSimilarityCommand(Kind.CKA), new MetricSimilarityCommand(Kind.PROCRUSTES),
                new MetricSimilarityCommand(Kind.SVCCA));
    }

    public Kind kind() { return kind; }

    @Override public String name() { return "metric " + kind.word; }

    @Override public String help() { return kind.help + ": X.npy Y.npy"; }

    @Override
    public Object run(Args args) throws Exception {
        if (args.positional().size() != 2) {
            throw new UsageException("expected two activity files X.npy Y.npy, got " + args.positional().size() + " argument(s)");
        }
        Path px = Path.of(args.positional(0, "X.npy")), py = Path.of(args.positional(1, "Y.npy"));
        int k = kind == Kind.SVCCA ? args.integer("k", 4, 1, 100000) : 0;
        String engine = args.string("backend", "java");
        args.finish();
        Mat x = load(px, "X"), y = load(py, "Y");
        double v;
        try (Backend be = Backends.create(engine)) {
            switch (kind) {
                case CKA: v = new LinearCka(be).similarity(x, y); break;
                case PROCRUSTES: v = new ProcrustesShape(be).angle(x, y); break;
                default: v = new Svcca(k, be).similarity(x, y); break;
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("X = " + px + ", Y = " + py + ": " + e.getMessage());
        }
        if (!Double.isFinite(v)) {
            throw new UsageException("X = " + px + ", Y = " + py + ": the " + kind.word() + " value is not finite (" + v
                    + "): the activities are too large for double precision; rescale them");
        }
        return Map.of("value", v);
    }

    static Mat load(Path p, String role) throws Exception {
        NdArray a;
        try {
            a = Npy.read(p);
        } catch (Npy.NpyFormatException e) {
            throw new UsageException(role + ": " + e.getMessage());
        }
        try {
            return Representations.fromArray(a, role + " (" + p + ")");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
