using System.Globalization;
using System.Text.Json;
using MeTAI.Core.IO;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Cases;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;

namespace MeTAI.Service.Plans;

/// <summary>
/// Runs plan jobs with the planner (<see cref="PlanPipeline"/>), as <c>metai plan</c> does: beamlets → influence
/// matrix → fluence optimisation → leaf sequencing → final Monte Carlo dose → goals. It writes the planner's file set
/// (<see cref="PlanOutput"/>: <c>ct/</c>, <c>rtstruct.dcm</c>, <c>rtplan.dcm</c>, <c>rtdose.dcm</c>, <c>dvh.png</c>,
/// <c>dose_axial.png</c>, <c>report.json</c>), the planner's log as <c>plan.log</c> and its DVHs as <c>dvh.json</c>.
/// Progress follows the pipeline's stages (<see cref="PlanStageProgress"/>) up to <see cref="PlanningShare"/>, then
/// the writing of the files; cancellation stops the pipeline between beamlets, optimiser iterations and segments.
/// Settings a request leaves out are the planner's defaults (<see cref="PlanSettings"/>).
/// </summary>
public sealed class PlannerRunner : IPlanRunner
{
    /// <summary>The share of the progress bar the pipeline fills; writing the files fills the rest.</summary>
    public const double PlanningShare = 0.95;

    /// <summary>The planner's log, next to its outputs.</summary>
    public const string LogFile = "plan.log";

    /// <summary>The DVHs as the API sends them (<see cref="DvhSet"/>).</summary>
    public const string DvhFile = "dvh.json";

    private readonly DeviceKind _device;

    /// <summary>A runner that runs the Monte Carlo on <paramref name="device"/>.</summary>
    public PlannerRunner(DeviceKind device = DeviceKind.Auto) => _device = device;

    /// <inheritdoc />
    public string Name => "planner";

    /// <inheritdoc />
    public Task<PlanOutcome> RunAsync(PlanJobRequest request, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(progress);
        // The pipeline is synchronous and CPU-bound: keep it off the request threads.
        return Task.Factory.StartNew(() => Run(request, outputDirectory, progress, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The planner settings for <paramref name="request"/> on <paramref name="device"/>: the request's values, else the planner's defaults.</summary>
    public static PlanSettings Settings(PlanJobRequest request, DeviceKind device)
    {
        ArgumentNullException.ThrowIfNull(request);
        var defaults = new PlanSettings();
        return defaults with
        {
            BeamCount = request.Beams,
            HistoriesPerBeamlet = request.BeamletHistories ?? defaults.HistoriesPerBeamlet,
            FinalHistories = request.Histories ?? defaults.FinalHistories,
            // No history count asked for: the final dose runs to the planner's default uncertainty, as `metai plan` does.
            FinalUncertaintyPercent = request.Histories is null ? PlanSettings.DefaultFinalUncertaintyPercent : null,
            Seed = request.Seed,
            Device = device,
        };
    }

    private PlanOutcome Run(PlanJobRequest request, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken ct)
    {
        progress.Report(new PlanProgress(0, "loading the case"));
        Protocol protocol = ProtocolLoader.Load(request.ProtocolPath);
        PlanResult result;
        using (var log = new StreamWriter(Path.Combine(outputDirectory, LogFile)))
        {
            PlanCase planCase = LoadCase(request, log);
            ct.ThrowIfCancellationRequested();
            var stages = new StageProgress(progress);
            result = PlanPipeline.Run(planCase, protocol, Settings(request, _device), log, stages, ct);
        }

        ct.ThrowIfCancellationRequested();
        progress.Report(new PlanProgress(PlanningShare, "writing DICOM, plots and report.json"));
        PlanOutput.Write(result, outputDirectory);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, DvhFile), JsonSerializer.Serialize(DvhSet.FromResult(result), Jobs.PlanJobs.Json));
        progress.Report(new PlanProgress(1, "done"));
        return new PlanOutcome
        {
            Files = [.. PlanOutput.Files, LogFile, DvhFile],
            Goals = [.. result.Goals.Select(Goal)],
            PrescriptionGy = protocol.Prescription.DoseGy,
            Target = protocol.Prescription.Target,
            Beams = result.Sequenced.Count,
            Summary = Summary(result),
        };
    }

    /// <summary>
    /// A built-in phantom at the request's voxel size, or an uploaded case under the upload's label: the CT series and
    /// structure set the request chose, checked to belong together unless it allows otherwise; what was found, chosen
    /// and accepted goes to plan.log (without patient identity).
    /// </summary>
    private static PlanCase LoadCase(PlanJobRequest request, TextWriter log)
    {
        if (request.CaseDirectory is { } dir)
        {
            var options = new CaseLoadOptions
            {
                CtSeriesUid = request.CtSeriesUid,
                StructureSetUid = request.StructureSetUid,
                AllowInconsistent = request.AllowInconsistent,
                CtSeriesOption = "ctSeries",
                StructureSetOption = "structureSet",
                AllowInconsistentOption = "allowInconsistent",
                LogPatientIdentity = false,
            };
            return PlanCase.From(CaseLoader.FromDirectory(dir, options, log) with { Name = request.CaseName });
        }

        string phantom = request.Case ?? throw new ArgumentException("The request names neither a case nor a case directory.", nameof(request));
        return PlanCase.From(CaseLoader.FromPhantom(PhantomLibrary.Build(phantom, request.VoxelMm)));
    }

    /// <summary>A goal as report.json writes it (same values: the API's goals are the report's).</summary>
    private static GoalOutcome Goal(GoalResult g) => new()
    {
        Structure = g.Structure,
        Metric = g.Metric,
        Comparison = g.Comparison,
        Target = g.Target,
        Achieved = g.Achieved,
        Unit = g.Unit,
        Passed = g.Passed,
        Priority = g.Priority,
    };

    private static string Summary(PlanResult r) => string.Create(CultureInfo.InvariantCulture,
        $"IMRT, {r.Sequenced.Count} beams, {r.Sequenced.Sum(b => b.Segments.Count)} segments, {r.TotalMuPerFraction:0} MU per fraction; " +
        $"{r.Grids.Sum(g => g.Count)} beamlets × {r.Settings.HistoriesPerBeamlet:N0} histories; final dose {r.FinalDose.Histories / 1e6:0.0} M histories on {r.FinalDose.DeviceName}; " +
        $"{r.Goals.Count(g => g.Passed)}/{r.Goals.Count} goals met; {r.Timings.TotalSeconds:0} s");

    private static string StageText(PlanStage stage) => stage switch
    {
        PlanStage.Preparing => "preparing",
        PlanStage.Influence => "influence matrix",
        PlanStage.Optimization => "optimisation",
        PlanStage.Sequencing => "sequencing",
        PlanStage.FinalDose => "final dose",
        _ => "evaluation",
    };

    // Forwards the pipeline's reports on its own thread (Progress<T> would post them to the pool, out of order).
    private sealed class StageProgress(IProgress<PlanProgress> progress) : IProgress<PlanStageProgress>
    {
        public void Report(PlanStageProgress value) =>
            progress.Report(new PlanProgress(PlanningShare * value.Fraction, StageText(value.Stage), value.Detail));
    }
}
