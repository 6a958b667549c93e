using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization;
using MeTAI.Planner.Optimization.Objectives;
using MeTAI.Planner.Optimization.Solver;
using MeTAI.Planner.Output;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Plans;

/// <summary>
/// The planning pipeline, in matRad's order: beams and beamlets (<c>generateStf</c>) → influence matrix
/// (<c>calcDoseInfluence</c>) → fluence optimisation (<c>fluenceOptimization</c>, with goal-driven re-weighting) →
/// leaf sequencing and segment weight optimisation (<c>sequencing</c>) → final Monte Carlo dose on the deliverable
/// apertures → normalisation → evaluation (<c>planAnalysis</c>). Progress lines go to the log writer; stage and
/// fraction reports (<see cref="PlanStageProgress"/>) to an optional progress sink.
/// </summary>
public static class PlanPipeline
{
    /// <summary>Plans <paramref name="plan"/> with <paramref name="protocol"/>.</summary>
    /// <param name="plan">The case.</param>
    /// <param name="protocol">Prescription, objectives, goals, beams.</param>
    /// <param name="settings">How to run (null: the defaults).</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="cancellationToken">Checked between stages, beamlets, optimiser iterations and segments.</param>
    /// <exception cref="KeyNotFoundException">The protocol names a structure the case lacks (the message lists the case's).</exception>
    public static PlanResult Run(PlanCase plan, Protocol protocol, PlanSettings? settings, TextWriter? log, CancellationToken cancellationToken) =>
        Run(plan, protocol, settings, log, null, cancellationToken);

    /// <summary>Plans <paramref name="plan"/> with <paramref name="protocol"/>, reporting each stage's progress.</summary>
    /// <param name="plan">The case.</param>
    /// <param name="protocol">Prescription, objectives, goals, beams.</param>
    /// <param name="settings">How to run (null: the defaults).</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="progress">Stage and fraction reports, on the planning thread (null: none).</param>
    /// <param name="cancellationToken">Checked between stages, beamlets, optimiser iterations and segments.</param>
    /// <exception cref="KeyNotFoundException">The protocol names a structure the case lacks (the message lists the case's).</exception>
    public static PlanResult Run(PlanCase plan, Protocol protocol, PlanSettings? settings = null, TextWriter? log = null, IProgress<PlanStageProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(protocol);
        settings ??= new PlanSettings();
        settings.Validate();
        var total = Stopwatch.StartNew();
        var tracker = new PlanProgressTracker(progress);
        tracker.Report(PlanStage.Preparing, 0, "rings, beams and beamlets");
        ProtocolLoader.CheckStructures(protocol, plan);
        VoxelMask body = plan.BodyMask();
        foreach (RingSpec ring in protocol.Rings)
        {
            plan = plan.WithStructure(new PlanStructure(ring.Build(plan.Structure(ring.Around).Mask, body), "CONTROL", new RgbColor(170, 170, 170)));
        }

        Prescription rx = protocol.Prescription;
        VoxelMask rxMask = plan.Structure(rx.Target).Mask;
        Vec3 iso = rxMask.CentroidLps();
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile(settings.BeamModel));
        IReadOnlyList<PlanBeam> beams = protocol.GantryDeg.Count > 0 && settings.BeamCount is null
            ? BeamArrangement.FromGantryAngles(protocol.GantryDeg, iso)
            : BeamArrangement.Coplanar(settings.BeamCount ?? protocol.BeamCount, iso, protocol.StartGantryDeg);

        // Beamlets cover every target the protocol optimises.
        VoxelMask coverage = rxMask;
        foreach (ObjectiveSpec o in protocol.Objectives)
        {
            PlanStructure s = plan.Structure(o.Structure);
            if (s.IsTarget)
            {
                coverage = coverage.Union(s.Mask);
            }
        }

        var grids = beams.Select(b => BeamletGrid.Cover(b, model.SadMm, coverage, protocol.BeamletMm, protocol.BeamletMarginMm)).ToList();
        int[] voxelIndices = RowVoxels(plan, protocol, coverage, body, settings.RowMarginMm);
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plan: case {plan.Name}, protocol {protocol.Name}: {rx.DoseGy} Gy to {rx.Target} in {rx.Fractions} fractions; isocentre ({iso.X:0.0}, {iso.Y:0.0}, {iso.Z:0.0}) mm; " +
            $"{beams.Count} beams ({string.Join(", ", beams.Select(b => b.GantryDeg.ToString("0.#", CultureInfo.InvariantCulture)))}°), {grids.Sum(g => g.Count)} beamlets of {protocol.BeamletMm} mm, {voxelIndices.Length} voxels"));

        VoxelPhantom phantom = VoxelPhantom.FromCt(plan.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        using var engine = new MonteCarloEngine(settings.Device);
        int beamletCount = grids.Sum(g => g.Count);
        tracker.SetMonteCarloWork(beamletCount, settings.HistoriesPerBeamlet, settings.FinalHistories, settings.CachePath is string c && File.Exists(c));
        tracker.Report(PlanStage.Preparing, 1, "phantom ready");
        cancellationToken.ThrowIfCancellationRequested();

        // Influence matrix.
        var sw = Stopwatch.StartNew();
        byte[] hash = InputsHash(plan, model, grids, voxelIndices, settings);
        InfluenceMatrix influence;
        bool fromCache = false;
        tracker.Report(PlanStage.Influence, 0, string.Create(CultureInfo.InvariantCulture, $"beamlet 0/{beamletCount}"));
        IProgress<double>? beamletProgress = tracker.Stage(PlanStage.Influence,
            f => string.Create(CultureInfo.InvariantCulture, $"beamlet {(int)Math.Round(f * beamletCount)}/{beamletCount}"));
        if (settings.CachePath is string cache && File.Exists(cache))
        {
            try
            {
                influence = InfluenceCache.Load(cache, hash);
                fromCache = true;
                log?.WriteLine($"  influence: loaded {cache}");
            }
            catch (InfluenceCacheException ex)
            {
                log?.WriteLine($"  influence: cache not used ({ex.Message})");
                influence = BuildInfluence(engine, model, settings, phantom, grids, voxelIndices, log, beamletProgress, cancellationToken);
                InfluenceCache.Save(cache, influence, hash);
            }
        }
        else
        {
            influence = BuildInfluence(engine, model, settings, phantom, grids, voxelIndices, log, beamletProgress, cancellationToken);
            if (settings.CachePath is string path)
            {
                InfluenceCache.Save(path, influence, hash);
            }
        }

        double influenceSeconds = sw.Elapsed.TotalSeconds;
        tracker.Report(PlanStage.Influence, 1, fromCache ? "influence matrix from the cache" : string.Create(CultureInfo.InvariantCulture, $"beamlet {beamletCount}/{beamletCount}"));
        cancellationToken.ThrowIfCancellationRequested();
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  influence: {influence.Rows} × {influence.Columns}, {influence.Matrix.NonZeros / 1e6:0.00} M non-zeros ({influence.Matrix.Bytes / 1048576.0:0} MiB), {influenceSeconds:0.0} s"));

        // Fluence optimisation with goal-driven re-weighting.
        sw.Restart();
        var objectives = protocol.Objectives.Select(o => o.Create(influence.RowsOf(plan.Structure(o.Structure).Mask))).ToList();
        using IDoseOperator op = settings.IlgpuSpmv ? new IlgpuDoseOperator(influence.Matrix, settings.Device) : new CpuDoseOperator(influence.Matrix);
        var planObjective = new PlanObjective(objectives, influence.Rows);
        var problem = new FluenceProblem(op, planObjective);
        int[] rxRows = influence.RowsOf(rxMask);
        double[] x = InitialFluence.Uniform(op, rxRows, rx.DoseGy);
        if (settings.FluenceSmoothing > 0)
        {
            problem.Smoothing = new FluenceSmoothing(grids, settings.FluenceSmoothing, x.Average());
        }

        var lower = new double[x.Length];
        var optimizer = new ProjectedLbfgsB(settings.Optimizer);
        var runs = new List<OptimizationResult>();
        IReadOnlyList<GoalResult> predicted = [];
        for (int round = 0; ; round++)
        {
            tracker.Report(PlanStage.Optimization, round / (double)(settings.ReweightRounds + 1),
                string.Create(CultureInfo.InvariantCulture, $"fluence optimisation, round {round + 1}"));
            OptimizationResult r = optimizer.Minimize(problem, x, lower, preconditioner: problem.DiagonalPreconditioner(x), cancellationToken: cancellationToken);
            runs.Add(r);
            predicted = PredictedGoals(plan, protocol, influence, problem, x);
            var failing = predicted.Where(g => !PassesWithMargin(g, settings.GoalMargin)).ToList();
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  optimise{(round > 0 ? $" (round {round + 1})" : string.Empty)}: {r.Iterations} iterations, {r.Evaluations} evaluations, F {r.History[0].Objective:0.###e0} → {r.Objective:0.###e0}, {r.Seconds:0.00} s ({r.StopReason}); predicted goals failing: {(failing.Count == 0 ? "none" : string.Join(", ", failing.Select(f => $"{f.Structure} {f.Metric} {f.Achieved:0.00}/{f.Target:0.00}")))}"));
            if (failing.Count == 0 || round >= settings.ReweightRounds)
            {
                break;
            }

            Boost(objectives, failing);
        }

        double optimizationSeconds = sw.Elapsed.TotalSeconds;

        // Sequencing and segment weight optimisation.
        sw.Restart();
        tracker.Report(PlanStage.Sequencing, 0, "leaf sequencing");
        var mlc = MlcModel.Uniform(settings.LeafWidthMm, settings.LeafPairs);
        var seqOptions = new SequencingOptions
        {
            Levels = settings.SequencingLevels ?? protocol.SequencingLevels,
            MinSegmentMu = settings.MinSegmentMu ?? protocol.MinSegmentMu,
            LeafWidthMm = settings.LeafWidthMm,
            LeafPairs = settings.LeafPairs,
        };
        var sequenced = new List<SequencedBeam>();
        int col = 0;
        foreach (BeamletGrid grid in grids)
        {
            var w = new double[grid.Count];
            for (int n = 0; n < w.Length; n++)
            {
                w[n] = x[col + n] / rx.Fractions;
            }

            col += grid.Count;
            sequenced.Add(LeafSequencer.Sequence(grid, w, mlc, seqOptions));
            tracker.Report(PlanStage.Sequencing, 0.5 * sequenced.Count / grids.Count, string.Create(CultureInfo.InvariantCulture, $"leaf sequencing, beam {sequenced.Count}/{grids.Count}"));
        }

        OptimizationResult? segmentRun = null;
        IReadOnlyList<GoalResult> sequencedGoals = [];
        if (settings.SegmentWeightOptimization)
        {
            tracker.Report(PlanStage.Sequencing, 0.5, "segment weights");
            float[] segDose;
            (sequenced, segmentRun, segDose) = OptimizeSegments(influence, grids, sequenced, planObjective, rx, seqOptions.MinSegmentMu, settings.Optimizer, cancellationToken);
            sequencedGoals = PredictedGoals(plan, protocol, influence, segDose);
        }
        else
        {
            var seqX = new double[x.Length];
            int c0 = 0;
            for (int b = 0; b < grids.Count; b++)
            {
                double[] dw = LeafSequencer.DeliveredWeights(grids[b], sequenced[b]);
                for (int n = 0; n < dw.Length; n++)
                {
                    seqX[c0 + n] = dw[n] * rx.Fractions;
                }

                c0 += dw.Length;
            }

            sequencedGoals = PredictedGoals(plan, protocol, influence, problem, seqX);
        }

        double sequencingSeconds = sw.Elapsed.TotalSeconds;
        string swo = segmentRun is null ? string.Empty : string.Create(CultureInfo.InvariantCulture,
            $", segment weights re-optimised F {segmentRun.History[0].Objective:0.###e0} → {segmentRun.Objective:0.###e0} in {segmentRun.Iterations} iterations");
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sequence: {sequenced.Sum(b => b.Segments.Count)} segments ({string.Join(", ", sequenced.Select(b => b.Segments.Count))}), {sequenced.Sum(b => b.MonitorUnits):0.0} MU per fraction{swo}, {sequencingSeconds:0.0} s; predicted: {string.Join(", ", sequencedGoals.Select(f => $"{f.Structure} {f.Metric} {f.Achieved:0.00}"))}"));

        // Final Monte Carlo dose on the deliverable apertures: every segment simulated on its own, its MU re-optimised
        // on those Monte Carlo doses (the plan dose is linear in them), then denoised and normalised.
        sw.Restart();
        cancellationToken.ThrowIfCancellationRequested();
        RtPlan rtPlan = RtPlanBuilder.Build(sequenced, rx, Label(plan.Name), model.SadMm);
        IReadOnlyList<DeliverySegment> deliverySegments = RtPlanBeams.Segments(rtPlan);
        int segmentCount = sequenced.Sum(b => b.Segments.Count);
        if (deliverySegments.Count != segmentCount)
        {
            throw new InvalidOperationException($"The plan delivers {deliverySegments.Count} segments but {segmentCount} were sequenced (segments without MU?).");
        }

        // The segments' Monte Carlo is 90 % of this stage's share; the weight rounds on its doses the rest.
        tracker.Report(PlanStage.FinalDose, 0, string.Create(CultureInfo.InvariantCulture, $"Monte Carlo dose of {segmentCount} segments"));
        IProgress<double>? segmentProgress = tracker.Stage(PlanStage.FinalDose,
            f => string.Create(CultureInfo.InvariantCulture, $"Monte Carlo dose of {segmentCount} segments, {100 * f:0} % of the histories"));
        SegmentDoses segmentDoses = SegmentDoses.Compute(engine, model, phantom, deliverySegments, settings.FinalHistories, settings.Seed + 1_000_003, log,
            segmentProgress is null ? null : new ScaledProgress(segmentProgress, 0.9), cancellationToken);
        var mu = new double[segmentCount];
        int si = 0;
        foreach (SequencedBeam sb in sequenced)
        {
            foreach (Segment seg in sb.Segments)
            {
                mu[si++] = seg.MonitorUnits * rx.Fractions;
            }
        }

        // Segment weights on the Monte Carlo segment doses; when a goal misses its margin on the (denoised,
        // normalised) result, the objectives of that structure are boosted and the weights re-optimised (no new Monte
        // Carlo: the plan dose is linear in the segment MUs).
        OptimizationResult? mcSegmentRun = null;
        PlanDose final;
        double factor = 1;
        int mcRounds = 0;
        using var mcOp = new CpuDoseOperator(segmentDoses.Matrix(voxelIndices));
        var mcProblem = new FluenceProblem(mcOp, planObjective);
        var mcLower = new double[segmentCount];
        Array.Fill(mcLower, seqOptions.MinSegmentMu * rx.Fractions);
        while (true)
        {
            tracker.Report(PlanStage.FinalDose, 0.9 + 0.1 * mcRounds / (settings.ReweightRounds + 1),
                string.Create(CultureInfo.InvariantCulture, $"segment weights on the Monte Carlo doses, round {mcRounds + 1}"));
            if (settings.MonteCarloSegmentWeights)
            {
                mcSegmentRun = new ProjectedLbfgsB(settings.Optimizer).Minimize(mcProblem, mu, mcLower, preconditioner: mcProblem.DiagonalPreconditioner(mu), cancellationToken: cancellationToken);
            }

            (VoxelGrid<float> rawDose, VoxelGrid<float> rawUnc) = segmentDoses.Sum(mu);
            final = PlanDoseCalculator.Finish(rawDose, rawUnc, phantom.DensitiesGPerCm3, settings.Denoise, segmentDoses.Histories, segmentDoses.Seconds, segmentDoses.DeviceName,
                [.. deliverySegments.Select((d, n) => new BeamDoseRecord(d.BeamNumber, mu[n], d.Rectangles.Count, 0, 0, 0))]);
            factor = 1;
            if (protocol.Normalization is NormalizationSpec norm)
            {
                var sd = new StructureDose(norm.Structure, final.DoseGy.Data, plan.Structure(norm.Structure).Mask);
                double value = sd.Value(DoseMetrics.Parse(norm.Metric), rx.DoseGy);
                factor = value > 0 ? norm.Percent / 100 * rx.DoseGy / value : 1;
            }

            IReadOnlyList<GoalResult> check = Evaluate(plan, protocol, Scale(final, factor).DoseGy.Data, body).Goals;
            var failing = check.Where(g => !PassesWithMargin(g, settings.FinalGoalMargin)).ToList();
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  segment weights on the Monte Carlo segment doses{(mcRounds > 0 ? $" (round {mcRounds + 1})" : string.Empty)}: " +
                $"{(mcSegmentRun is null ? "off" : $"F {mcSegmentRun.History[0].Objective:0.###e0} → {mcSegmentRun.Objective:0.###e0} in {mcSegmentRun.Iterations} iterations")}; " +
                $"goals missing their margin: {(failing.Count == 0 ? "none" : string.Join(", ", failing.Select(f => $"{f.Structure} {f.Metric} {f.Achieved:0.00}/{f.Target:0.00}")))}"));
            if (failing.Count == 0 || !settings.MonteCarloSegmentWeights || mcRounds >= settings.ReweightRounds)
            {
                break;
            }

            Boost(objectives, failing);
            mcRounds++;
        }

        si = 0;
        sequenced = [.. sequenced.Select(sb => sb with { Segments = [.. sb.Segments.Select(seg => seg with { MonitorUnits = mu[si++] / rx.Fractions })] })];
        final = Scale(final, factor);
        sequenced = [.. sequenced.Select(b => b with { Segments = [.. b.Segments.Select(s => s with { MonitorUnits = s.MonitorUnits * factor })] })];
        rtPlan = RtPlanBuilder.Build(sequenced, rx, Label(plan.Name), model.SadMm);

        double finalSeconds = sw.Elapsed.TotalSeconds;
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  final dose: mean σ in {rx.Target}: {100 * MeanOver(final.RawRelativeUncertainty.Data, rxMask):0.00} % raw, {100 * MeanOver(final.RelativeUncertainty.Data, rxMask):0.00} % as used"));
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  final dose: {final.Histories / 1e6:0.0} M histories on {final.DeviceName}, {final.Seconds:0.0} s, σ(D>50%) {100 * final.RawMeanRelUncertaintyAbove50:0.0} % raw" +
            $"{(final.Denoised ? $", {100 * final.MeanRelUncertaintyAbove50:0.0} % denoised ({100 * final.SmoothedFraction:0} % of voxel steps smoothed)" : string.Empty)}, normalisation × {factor:0.000}"));

        // Evaluation.
        tracker.Report(PlanStage.Evaluation, 0, "metrics, DVHs and goals");
        (Dictionary<string, StructureMetrics> metrics, List<Dvh> dvhs, IReadOnlyList<GoalResult> goals) = Evaluate(plan, protocol, final.DoseGy.Data, body);
        IReadOnlyList<GoalResult> rawGoals = final.Denoised ? Evaluate(plan, protocol, final.RawDoseGy.Data, body).Goals : goals;
        double other = total.Elapsed.TotalSeconds - influenceSeconds - optimizationSeconds - sequencingSeconds - finalSeconds;
        tracker.Report(PlanStage.Evaluation, 1, "done");
        return new PlanResult
        {
            Case = plan,
            Protocol = protocol,
            Settings = settings,
            IsocenterLps = iso,
            Grids = grids,
            Influence = (influence.Rows, influence.Columns, influence.Matrix.NonZeros, fromCache),
            OperatorName = op.Name,
            FluenceRuns = runs,
            SegmentRun = segmentRun,
            MonteCarloSegmentRun = mcSegmentRun,
            FinalWeights = [.. objectives.Select(o => o.Weight)],
            PredictedGoals = predicted,
            SequencedGoals = sequencedGoals,
            Sequenced = sequenced,
            Plan = rtPlan,
            FinalDose = final,
            NormalizationFactor = factor,
            Metrics = metrics,
            Goals = goals,
            RawDoseGoals = rawGoals,
            Dvhs = dvhs,
            Timings = new PlanTimings
            {
                InfluenceSeconds = influenceSeconds,
                OptimizationSeconds = optimizationSeconds,
                SequencingSeconds = sequencingSeconds,
                FinalDoseSeconds = finalSeconds,
                OtherSeconds = other,
            },
        };
    }

    /// <summary>Metrics of every structure, DVHs, and the protocol's goals on <paramref name="doseGy"/>.</summary>
    public static (Dictionary<string, StructureMetrics> Metrics, List<Dvh> Dvhs, IReadOnlyList<GoalResult> Goals) Evaluate(PlanCase plan, Protocol protocol, float[] doseGy, VoxelMask body)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(body);
        double rxGy = protocol.Prescription.DoseGy;
        var doses = new Dictionary<string, StructureDose>(StringComparer.OrdinalIgnoreCase);
        var metrics = new Dictionary<string, StructureMetrics>(StringComparer.Ordinal);
        var dvhs = new List<Dvh>();
        foreach (PlanStructure s in plan.Structures)
        {
            var sd = new StructureDose(s.Name, doseGy, s.Mask);
            doses[s.Name] = sd;
            StructureMetrics m = sd.Metrics();
            if (s.IsTarget)
            {
                m = m with
                {
                    PaddickConformityIndex = PlanQuality.PaddickConformityIndex(doseGy, s.Mask, body, rxGy),
                    HomogeneityIndex = PlanQuality.HomogeneityIndex(sd),
                };
            }

            metrics[s.Name] = m;
            dvhs.Add(Dvh.From(sd, Math.Max(0.01, rxGy / 500)));
        }

        IReadOnlyList<GoalResult> goals = GoalEvaluator.Evaluate(protocol.Goals, name => doses.TryGetValue(name, out StructureDose? d) ? d : throw new KeyNotFoundException($"No structure '{name}'. Structures: {plan.StructureNames()}."), rxGy);
        return (metrics, dvhs, goals);
    }

    private static InfluenceMatrix BuildInfluence(MonteCarloEngine engine, BeamModel model, PlanSettings settings, VoxelPhantom phantom, List<BeamletGrid> grids, int[] voxelIndices, TextWriter? log,
        IProgress<double>? progress, CancellationToken ct)
    {
        var builder = new InfluenceBuilder(engine, model, new InfluenceSettings
        {
            HistoriesPerBeamlet = settings.HistoriesPerBeamlet,
            RelativeCutoff = settings.RelativeCutoff,
            Seed = settings.Seed,
            MaxMemoryBytes = settings.MaxInfluenceBytes,
            DepthSmoothingPoints = settings.BeamletDepthSmoothing,
        });
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  influence: {grids.Sum(g => g.Count)} beamlets × {settings.HistoriesPerBeamlet} histories on {engine.DeviceName}"));
        return builder.Build(phantom, grids, voxelIndices, log, progress, ct);
    }

    private static int[] RowVoxels(PlanCase plan, Protocol protocol, VoxelMask coverage, VoxelMask body, double marginMm)
    {
        VoxelMask rows = coverage.Expand(marginMm).Intersect(body);
        foreach (string name in protocol.ReferencedStructures().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            rows = rows.Union(plan.Structure(name).Mask);
        }

        var list = new List<int>();
        byte[] v = rows.Voxels;
        for (int n = 0; n < v.Length; n++)
        {
            if (v[n] != 0)
            {
                list.Add(n);
            }
        }

        return [.. list];
    }

    private static IReadOnlyList<GoalResult> PredictedGoals(PlanCase plan, Protocol protocol, InfluenceMatrix influence, FluenceProblem problem, double[] x)
    {
        var rowDose = new float[influence.Rows];
        problem.DoseOf(x, rowDose);
        return PredictedGoals(plan, protocol, influence, rowDose);
    }

    private static IReadOnlyList<GoalResult> PredictedGoals(PlanCase plan, Protocol protocol, InfluenceMatrix influence, float[] rowDose)
    {
        float[] grid = influence.ToGrid(rowDose);
        if (protocol.Normalization is NormalizationSpec norm)
        {
            var sd = new StructureDose(norm.Structure, grid, plan.Structure(norm.Structure).Mask);
            double v = sd.Value(DoseMetrics.Parse(norm.Metric), protocol.Prescription.DoseGy);
            if (v > 0)
            {
                float k = (float)(norm.Percent / 100 * protocol.Prescription.DoseGy / v);
                for (int n = 0; n < grid.Length; n++)
                {
                    grid[n] *= k;
                }
            }
        }

        return GoalEvaluator.Evaluate(protocol.Goals, name => new StructureDose(name, grid, plan.Structure(name).Mask), protocol.Prescription.DoseGy);
    }

    /// <summary>Doubles (priority 1) or multiplies by 1.5 the weights of the objectives that push a failing goal's way.</summary>
    private static void Boost(List<IObjective> objectives, List<GoalResult> failing)
    {
        foreach (GoalResult f in failing)
        {
            bool upper = f.Comparison == "<=";
            foreach (IObjective o in objectives)
            {
                if (string.Equals(o.Structure, f.Structure, StringComparison.OrdinalIgnoreCase) && (upper ? o.PenalizesHighDose : o.PenalizesLowDose))
                {
                    o.Weight *= f.Priority <= 1 ? 2.0 : 1.5;
                }
            }
        }
    }

    private static bool PassesWithMargin(GoalResult g, double margin) =>
        g.Comparison == "<=" ? g.Achieved <= g.Target * (1 - margin) + 1e-9 : g.Passed;

    private static (List<SequencedBeam> Beams, OptimizationResult Run, float[] RowDose) OptimizeSegments(InfluenceMatrix influence, List<BeamletGrid> grids, List<SequencedBeam> sequenced,
        PlanObjective objective, Prescription rx, double minSegmentMu, OptimizerOptions options, CancellationToken ct)
    {
        CsrMatrix b = SegmentMatrix.Build(influence, grids, sequenced);
        using var op = new CpuDoseOperator(b);
        var problem = new FluenceProblem(op, objective);
        var x = new double[b.Columns];
        var lower = new double[b.Columns];
        int c = 0;
        foreach (SequencedBeam sb in sequenced)
        {
            foreach (Segment s in sb.Segments)
            {
                x[c] = s.MonitorUnits * rx.Fractions;
                lower[c] = minSegmentMu * rx.Fractions;
                c++;
            }
        }

        OptimizationResult r = new ProjectedLbfgsB(options).Minimize(problem, x, lower, preconditioner: problem.DiagonalPreconditioner(x), cancellationToken: ct);
        var result = new List<SequencedBeam>(sequenced.Count);
        c = 0;
        foreach (SequencedBeam sb in sequenced)
        {
            var segs = new List<Segment>(sb.Segments.Count);
            foreach (Segment s in sb.Segments)
            {
                segs.Add(s with { MonitorUnits = x[c++] / rx.Fractions });
            }

            result.Add(sb with { Segments = segs });
        }

        var rowDose = new float[influence.Rows];
        problem.DoseOf(x, rowDose);
        return (result, r, rowDose);
    }

    private static PlanDose Scale(PlanDose d, double factor)
    {
        var grid = new VoxelGrid<float>(d.DoseGy.Geometry);
        for (int n = 0; n < grid.Data.Length; n++)
        {
            grid.Data[n] = (float)(d.DoseGy.Data[n] * factor);
        }

        var raw = new VoxelGrid<float>(d.RawDoseGy.Geometry);
        for (int n = 0; n < raw.Data.Length; n++)
        {
            raw.Data[n] = (float)(d.RawDoseGy.Data[n] * factor);
        }

        return new PlanDose
        {
            DoseGy = grid,
            RelativeUncertainty = d.RelativeUncertainty,
            MeanRelUncertaintyAbove50 = d.MeanRelUncertaintyAbove50,
            RawDoseGy = raw,
            RawRelativeUncertainty = d.RawRelativeUncertainty,
            RawMeanRelUncertaintyAbove50 = d.RawMeanRelUncertaintyAbove50,
            Denoised = d.Denoised,
            SmoothedFraction = d.SmoothedFraction,
            Beams = [.. d.Beams.Select(b => b with { MonitorUnits = b.MonitorUnits * factor })],
            HistoriesSimulated = d.HistoriesSimulated,
            Seconds = d.Seconds,
            DeviceName = d.DeviceName,
            MaxDoseGy = d.MaxDoseGy * factor,
        };
    }

    private static double MeanOver(float[] values, VoxelMask mask)
    {
        double s = 0;
        int n = 0;
        for (int v = 0; v < values.Length; v++)
        {
            if (mask.Voxels[v] != 0)
            {
                s += values[v];
                n++;
            }
        }

        return n > 0 ? s / n : 0;
    }

    private static string Label(string caseName)
    {
        string s = new([.. caseName.ToUpperInvariant().Where(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')]);
        return s.Length == 0 ? "METAI" : s.Length > 16 ? s[..16] : s;
    }

    private static byte[] InputsHash(PlanCase plan, BeamModel model, List<BeamletGrid> grids, int[] voxelIndices, PlanSettings s)
    {
        var text = new StringBuilder();
        GridGeometry g = plan.Geometry;
        text.Append(CultureInfo.InvariantCulture, $"grid {g.SizeX} {g.SizeY} {g.SizeZ} {g.SpacingMm} {g.OriginLps} {g.Direction}\n");
        text.Append(CultureInfo.InvariantCulture, $"histories {s.HistoriesPerBeamlet} cutoff {s.RelativeCutoff:R} seed {s.Seed} depth-smoothing {s.BeamletDepthSmoothing} physics {new MeTAI.Dosimetry.MonteCarlo.PhysicsOptions()}\n");
        foreach (BeamletGrid b in grids)
        {
            PlanBeam pb = b.Beam;
            text.Append(CultureInfo.InvariantCulture, $"beam {pb.GantryDeg:R} {pb.CollimatorDeg:R} {pb.CouchDeg:R} {pb.IsocenterLps} {b.WidthMm:R} {b.HeightMm:R} {string.Join(',', b.Ix)} {string.Join(',', b.Iy)}\n");
        }

        return InfluenceCache.ParametersHash(
        [
            Encoding.UTF8.GetBytes(text.ToString()),
            MemoryMarshal.AsBytes(plan.CtHu.Data.AsSpan()).ToArray(),
            File.ReadAllBytes(DosimetryPaths.HuCalibrationFile()),
            File.ReadAllBytes(model.Path),
            MemoryMarshal.AsBytes(voxelIndices.AsSpan()).ToArray(),
        ]);
    }

    // Scales a sub-step's 0–1 fraction into the first part of its stage, on the calling thread.
    private sealed class ScaledProgress(IProgress<double> inner, double scale) : IProgress<double>
    {
        public void Report(double value) => inner.Report(scale * value);
    }
}
