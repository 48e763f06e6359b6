package io.degen.degeneracy;

import io.degen.statistics.NetworkStats;
import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.config.Level;
import io.degen.config.MeasureOptions;
import io.degen.config.RunStatus;
import io.degen.io.NdArray;
import io.degen.metrics.FeatureLearning;
import io.degen.metrics.PairProgress;
import io.degen.metrics.Pairwise;
import io.degen.metrics.dsa.DsaMetric;
import io.degen.metrics.dsa.DsaParams;
import io.degen.metrics.dsa.Operator;
import io.degen.metrics.weights.PifMetric;
import io.degen.model.Networks;
import io.degen.model.RnnModel;
import io.degen.model.Simulation;
import io.degen.model.Workspace;
import io.degen.task.Task;
import io.degen.task.TrialBatch;
import io.degen.util.Mat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The degeneracy analysis of in-memory populations: only the requested levels are computed. It
 * takes two engines from its caller: {@code networks} runs the networks forward (in float64) on the
 * probe trials, {@code metrics} does the DSA fits and the d_PIF gradient products. Every random
 * choice comes from {@link MeasureOptions#seed()}, so an analysis is reproducible:
 * <ul>
 *   <li>probe trials: seed; OOD trials: seed + 1; NTK trials: seed + 2; the same-network null's
 *       second probe batch: seed + 3 (each network's own task form, so conditions of different
 *       channel counts share the seed, not the trials).</li>
 * </ul>
 */
public final class Analysis {
    private final Backend networks, metrics;
    private final MeasureOptions o;

    private PairProgress progress = PairProgress.NONE;

    /** This analysis, telling {@code p} as the pairs of its matrices finish. */
    public Analysis reportingPairs(PairProgress p) {
        this.progress = p == null ? PairProgress.NONE : p;
        return this;
    }

    public Analysis(Backend networks, Backend metrics, MeasureOptions options) {
        if (networks == null || metrics == null || options == null) throw new IllegalArgumentException("engines and options are required");
        this.networks = networks;
        this.metrics = metrics;
        this.o = options;
    }

    public MeasureOptions options() { return o; }

    /** All four levels. */
    public static Set<Level> allLevels() { return EnumSet.allOf(Level.class); }

    /** {@link #analyse(Population, Set, Map)} with nothing precomputed. */
    public ConditionResult analyse(Population p, Set<Level> levels) { return analyse(p, levels, Map.of()); }

    /**
     * The requested levels of one condition. {@code precomputed} may hold a pairwise level's full
     * matrix (over the converged networks, in run order; e.g. assembled from block files), which is
     * then used instead of computing it.
     */
    public ConditionResult analyse(Population p, Set<Level> levels, Map<Level, double[][]> precomputed) {
        List<Network> conv = p.converged();
        List<String> ids = p.convergedIds();
        int nets = p.networks().size();
        int notConv = p.count(RunStatus.NOT_CONVERGED), div = p.count(RunStatus.DIVERGED);
        if (conv.isEmpty()) return new ConditionResult(nets, 0, notConv, div, ids, null, null, null, null, Map.of());
        boolean beh = levels.contains(Level.BEHAVIOUR), dyn = levels.contains(Level.DYNAMICS),
                w = levels.contains(Level.WEIGHTS), fl = levels.contains(Level.FEATURE_LEARNING);
        boolean ntk = fl && o.ntk();
        Task task = conv.get(0).config().task();
        TrialBatch probe = dyn ? task.batch(o.probeTrials(), new SplittableRandom(o.seed())) : null;
        TrialBatch ood = beh ? task.oodBatch(o.oodTrials(), new SplittableRandom(o.seed() + 1)) : null;
        boolean overlaps = beh && task.oodOverlap() > 0;
        TrialBatch beyond = overlaps ? task.oodBeyondBatch(o.oodTrials(), new SplittableRandom(o.seed() + 4)) : null;
        TrialBatch ntkProbe = ntk ? FeatureLearning.probe(task, o.ntkTrials(), o.seed() + 2) : null;
        TrialBatch nullProbe = dyn ? task.batch(o.probeTrials(), new SplittableRandom(o.seed() + 3)) : null;
        int n = conv.size();
        double[] oodLoss = new double[n], oodBeyond = new double[n], dwRec = new double[n], dwAll = new double[n], ka = new double[n];
        List<NdArray> trajectories = new ArrayList<>(), nullTrajectories = new ArrayList<>();
        Map<String, NetworkResult> perRun = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Network net = conv.get(i);
            if (beh || dyn || ntk) {
                try (RnnModel m = load(net, net.weights()); Workspace ws = m.workspace()) {
                    if (beh) oodLoss[i] = m.simulate(ws, ood).loss();
                    if (overlaps) oodBeyond[i] = m.simulate(ws, beyond).loss();
                    if (dyn) {
                        trajectories.add(m.simulate(ws, probe(net, probe, 0)).states());
                        nullTrajectories.add(m.simulate(ws, probe(net, nullProbe, 3)).states());
                    }
                    if (ntk) {
                        int[] idx = FeatureLearning.probeIndices(ntkProbe, 10);
                        double[] kT = FeatureLearning.ntk(m, ntkProbe, idx);
                        try (RnnModel m0 = load(net, net.initialWeights())) {
                            ka[i] = FeatureLearning.kernelAlignment(kT, FeatureLearning.ntk(m0, ntkProbe, idx));
                        }
                    }
                }
            }
            if (fl) {
                String rec = RnnModel.recurrentName(net.config().model());
                dwRec[i] = FeatureLearning.weightChange(net.weights(), net.initialWeights(), rec);
                dwAll[i] = FeatureLearning.weightChange(net.weights(), net.initialWeights(), null);
            }
            if (beh || fl) {
                perRun.put(net.id(), new NetworkResult(beh ? oodLoss[i] : null, fl ? dwRec[i] : null, fl ? dwAll[i] : null,
                        ntk ? ka[i] : null, overlaps ? oodBeyond[i] : null));
            }
        }
        Behaviour behaviour = !beh ? null : overlaps
                ? new Behaviour(n, NetworkStats.populationSd(oodLoss), NetworkStats.mean(oodLoss), NetworkStats.of(oodLoss, NetworkStats::populationSd, o.seed()).se(),
                        NetworkStats.populationSd(oodBeyond), NetworkStats.mean(oodBeyond), task.oodOverlap())
                : new Behaviour(n, NetworkStats.populationSd(oodLoss), NetworkStats.mean(oodLoss), NetworkStats.of(oodLoss, NetworkStats::populationSd, o.seed()).se());
        Dynamics dynamics = dyn ? dynamics(trajectories, nullTrajectories, precomputed.get(Level.DYNAMICS)) : null;
        Weights weights = w ? weights(conv, precomputed.get(Level.WEIGHTS)) : null;
        FeatureLearningResult featureLearning = fl ? new FeatureLearningResult(NetworkStats.mean(dwRec), NetworkStats.meanSe(dwRec),
                NetworkStats.mean(dwAll), NetworkStats.meanSe(dwAll), ntk ? NetworkStats.mean(ka) : null, ntk ? NetworkStats.meanSe(ka) : null) : null;
        return new ConditionResult(nets, n, notConv, div, ids, behaviour, dynamics, weights, featureLearning, perRun);
    }

    /**
     * DSA distances between every converged network of several populations (of one task) at once;
     * operators are fitted on the same probe trials as in {@link #analyse}, so each within-condition
     * block equals that condition's own matrix.
     */
    public JointDynamics jointDynamics(List<Population> populations) {
        List<String> ids = new ArrayList<>(), conds = new ArrayList<>();
        List<NdArray> trajectories = new ArrayList<>();
        String type = null;
        for (Population p : populations) {
            for (Network net : p.converged()) {
                String t = net.config().task().type();
                if (type == null) type = t;
                else if (!type.equals(t)) throw new IllegalArgumentException("a joint DSA map needs one task, got " + type + " and " + t);
                trajectories.add(probeStates(net));
                ids.add(net.id());
                conds.add(p.conditionId());
            }
        }
        if (ids.size() < 2) return new JointDynamics(ids, conds, null, null);
        int minUnits = trajectories.stream().mapToInt(t -> t.dim(2)).min().orElse(1);
        DsaMetric dsa = new DsaMetric(dsaParams(minUnits), metrics);
        return new JointDynamics(ids, conds, dsa.params().score().label(),
                Pairwise.matrix(dsa.fitAll(trajectories, o.threads()), dsa, o.threads(), "joint DSA map", progress));
    }

    /**
     * Distances of block {@code index} of {@code k} of a pairwise level's matrix over the converged
     * networks (see {@link PairBlocks}); fits only the DSA operators its pairs need.
     */
    public double[] block(Population p, Level level, int index, int k) {
        if (!level.pairwise()) throw new IllegalArgumentException("level " + level.label() + " has no pairwise matrix");
        List<Network> conv = p.converged();
        List<int[]> pairs = PairBlocks.block(conv.size(), index, k);
        if (pairs.isEmpty()) return new double[0];
        if (level == Level.WEIGHTS) {
            try (PifMetric pif = pif()) { return Pairwise.distances(recurrent(conv, "trained"), pif, pairs, o.threads(), "d_PIF block", progress); }
        }
        TreeSet<Integer> need = new TreeSet<>();
        for (int[] q : pairs) { need.add(q[0]); need.add(q[1]); }
        List<Integer> idx = new ArrayList<>(need);
        List<NdArray> sys = new ArrayList<>();
        for (int i : idx) sys.add(probeStates(conv.get(i)));
        DsaMetric dsa = new DsaMetric(dsaParams(sys.get(0).dim(2)), metrics);
        List<Operator> fitted = dsa.fitAll(sys, o.threads());
        List<Operator> ops = new ArrayList<>(Collections.nCopies(conv.size(), (Operator) null));
        for (int q = 0; q < idx.size(); q++) ops.set(idx.get(q), fitted.get(q));
        return Pairwise.distances(ops, dsa, pairs, o.threads(), "DSA block", progress);
    }

    /**
     * DSA settings for trajectories of {@code units} units. A rank above n_delays x units is refused
     * rather than lowered: networks compared at a lower rank than asked are not what was asked
     * (specs are checked at plan time; this is the check for networks analysed directly).
     */
    public DsaParams dsaParams(int units) {
        MeasureOptions.DsaMisfit m = o.rankMisfit(units);
        if (m != null) {
            long most = (long) o.dsaDelays() * units;
            throw new IllegalArgumentException("DSA rank " + o.dsaRank() + " exceeds n-delays x units = " + o.dsaDelays() + " x " + units + " = " + most
                    + " for networks of " + units + " units: ask for a rank of at most " + most);
        }
        return DsaParams.of(o.dsaDelays(), o.dsaDelayInterval(), o.dsaRank())
                .withScore(DsaParams.Score.parse(o.dsaScore())).withSeed(o.seed());
    }

    private PifMetric pif() {
        return new PifMetric(PifMetric.Options.defaults().withRestarts(o.pifRestarts()).withSeed(o.seed()), metrics);
    }

    private RnnModel load(Network net, Map<String, NdArray> weights) {
        Task t = net.config().task();
        return Networks.load(networks, DType.F64, net.config().model(), t.inputSize(), t.outputSize(), weights);
    }

    /** The network's hidden states on the probe trials of its own task form (its own trials with {@code probe per-network}). */
    private NdArray probeStates(Network net) {
        TrialBatch probe = probe(net, net.config().task().batch(o.probeTrials(), new SplittableRandom(o.seed())), 0);
        try (RnnModel m = load(net, net.weights()); Workspace ws = m.workspace()) {
            return m.simulate(ws, probe).states();
        }
    }

    /**
     * The probe trials a network runs on: the shared batch, or with {@code probe per-network} a batch
     * of its own, from the seed (plus {@code offset}, as the shared batch's) and the network's id, so a
     * network gets the same trials in every analysis.
     */
    private TrialBatch probe(Network net, TrialBatch shared, int offset) {
        if (o.probe().equals(MeasureOptions.SHARED)) return shared;
        long own = (o.seed() + offset) ^ Long.parseUnsignedLong(net.id(), 16);
        return net.config().task().batch(o.probeTrials(), new SplittableRandom(own));
    }

    /** Each network's recurrent matrix: trained, initial, or trained divided by its Frobenius norm. */
    private static List<Mat> recurrent(List<Network> conv, String which) {
        List<Mat> out = new ArrayList<>();
        for (Network net : conv) {
            String rec = RnnModel.recurrentName(net.config().model());
            NdArray w = (which.equals("initial") ? net.initialWeights() : net.weights()).get(rec);
            if (w == null) throw new IllegalArgumentException("network " + net.id() + " has no " + which + " recurrent matrix " + rec);
            Mat m = Mat.of(w, rec);
            if (which.equals("scale-free")) {
                double f = m.frobenius();
                if (!(f > 0)) throw new IllegalArgumentException("network " + net.id() + ": recurrent matrix " + rec + " is all zeros");
                for (int i = 0; i < m.data().length; i++) m.data()[i] /= f;
            }
            out.add(m);
        }
        return out;
    }

    private Dynamics dynamics(List<NdArray> trajectories, List<NdArray> nullTrajectories, double[][] precomputed) {
        DsaMetric dsa = new DsaMetric(dsaParams(trajectories.get(0).dim(2)), metrics);
        DsaParams p = dsa.params();
        List<Operator> ops = dsa.fitAll(trajectories, o.threads());
        double[][] d = precomputed != null ? precomputed : Pairwise.matrix(ops, dsa, o.threads(), "DSA", progress);
        List<Operator> nullOps = dsa.fitAll(nullTrajectories, o.threads());
        double[] nulls = new double[trajectories.size()];
        for (int i = 0; i < nulls.length; i++) nulls[i] = dsa.distance(ops.get(i), nullOps.get(i));
        return new Dynamics(p.score().label(), p.nDelays(), p.delayInterval(), p.rank(), d.length, NetworkStats.pairMean(d),
                NetworkStats.pairwiseSe(d), d.length * (d.length - 1) / 2, NetworkStats.mean(nulls), NetworkStats.meanSe(nulls), nulls, d);
    }

    private Weights weights(List<Network> conv, double[][] precomputed) {
        List<Mat> trained = recurrent(conv, "trained");
        double[][] d, init, free;
        try (PifMetric pif = pif()) {
            d = precomputed != null ? precomputed : Pairwise.matrix(trained, pif, o.threads(), "d_PIF", progress);
            init = Pairwise.matrix(recurrent(conv, "initial"), pif, o.threads(), "d_PIF of the initial weights", progress);
            free = Pairwise.matrix(recurrent(conv, "scale-free"), pif, o.threads(), "d_PIF scale-free", progress);
        }
        int units = trained.get(0).rows();
        double perParam = (double) units * units;
        double mean = NetworkStats.pairMean(d), se = NetworkStats.pairwiseSe(d);
        return new Weights(d.length, units, o.pifRestarts(), mean, se, mean / perParam, se / perParam, d.length * (d.length - 1) / 2, d,
                NetworkStats.pairMean(init), init, NetworkStats.pairMean(free), free);
    }
}
