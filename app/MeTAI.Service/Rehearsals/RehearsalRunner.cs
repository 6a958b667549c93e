using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Rehearsal.Cases;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Output;
using MeTAI.Rehearsal.Search;
using MeTAI.Rehearsal.Solver;
using MeTAI.Robotics.Kinematics;
using MeTAI.Service.Plans;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// Runs a rehearsal job as <c>metai rehearse</c> does: the avatar (<see cref="RehearsalAvatarSource"/>), the trajectory
/// search over simulated needle insertions (<see cref="CaseRehearsal.Search"/>), the rehearsal's files (<see cref="RehearsalOutput.Files"/>), the replay of the
/// chosen insertion (<see cref="RehearsalReplay"/>) and the 3D scene
/// (<see cref="SceneFile"/>, <see cref="RehearsalScene"/>) with the CT kept for its slice planes
/// (<see cref="RehearsalCtVolume"/>) and the isodoses of the plan it names (<see cref="RehearsalIsodoses"/>). A job cancelled during the search stops after the candidate
/// being simulated, and its files are discarded.
/// </summary>
public sealed class RehearsalRunner
{
    /// <summary>The scene the 3D page draws (format in docs/scene.md).</summary>
    public const string SceneFile = "scene.json";

    /// <summary>Files a finished rehearsal has.</summary>
    public static readonly IReadOnlyList<string> Files = [.. RehearsalOutput.Files, RehearsalReplay.FileName, RehearsalCtVolume.FileName, RehearsalCtVolume.GeometryFileName, SceneFile];

    /// <summary>Rehearses <paramref name="request"/> into <paramref name="outputDirectory"/>.</summary>
    public Task<RehearsalOutcome> RunAsync(PlanJobRequest request, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        return Task.Factory.StartNew(() => Run(request, outputDirectory, progress, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static RehearsalOutcome Run(PlanJobRequest request, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken ct)
    {
        RehearsalSettings settings = request.Rehearsal ?? throw new ArgumentException("The job is not a rehearsal.", nameof(request));
        progress.Report(new PlanProgress(0.02, "building the avatar", request.CaseName));
        RobotModel robot = RobotConfigJson.Load(ConfigFiles.Existing("robot " + settings.Robot, "robots", settings.Robot + ".json"));
        RehearsalInputs inputs = RehearsalAvatarSource.Build(request);

        // The plan's isodoses first: a dose on another frame of reference fails the job now, not after the search.
        (object? Plan, List<object> Isodoses) dose = RehearsalIsodoses.Build(settings.Plan, inputs.Case.Ct.FrameOfReferenceUid);
        ct.ThrowIfCancellationRequested();
        progress.Report(new PlanProgress(0.1, "simulating needle insertions",
            $"{settings.Candidates} entries on {inputs.Avatar.Mesh.TetCount} tets"));
        RehearsalRequest rehearsal = RehearsalAvatarSource.Request(settings);
        RehearsalPlan plan = CaseRehearsal.Search(inputs.Avatar, rehearsal,
            (done, total) => progress.Report(new PlanProgress(0.1 + 0.75 * done / total, "simulating needle insertions", $"{done} of {total} entries")), ct).Plan;
        XpbdSettings xpbd = plan.Xpbd;
        NeedleSettings needle = rehearsal.Needle;
        InsertionSettings insertion = rehearsal.Insertion;
        ct.ThrowIfCancellationRequested();

        progress.Report(new PlanProgress(0.85, "recording the replay of the chosen insertion"));
        ReplayInfo replay = RehearsalReplay.Write(inputs, plan, xpbd, needle, insertion, outputDirectory, ct);
        progress.Report(new PlanProgress(0.95, "writing the rehearsal and its 3D scene"));
        RehearsalOutput.Write(plan, inputs.Avatar, outputDirectory);
        CtVolumeInfo volume = RehearsalCtVolume.Write(inputs.Case.CtHu, plan.TargetLps, outputDirectory);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, SceneFile), RehearsalScene.Json(plan, inputs, robot, replay, volume, dose));
        InsertionResult best = plan.Chosen.Result;
        return new RehearsalOutcome
        {
            Feasible = plan.Feasible,
            EntryLps = Point(best.EntryLps),
            TargetLps = Point(plan.TargetLps),
            MinClearanceMm = Math.Round(best.MinClearanceMm, 3),
            PeakForceN = Math.Round(best.PeakForceN, 3),
            PathLengthMm = Math.Round(best.PathLengthMm, 3),
            CorridorRadiusMm = Math.Round(plan.Corridor.RadiusMm, 3),
            CandidatesSimulated = plan.Candidates.Count,
            Tets = plan.Tets,
            Nodes = plan.Nodes,
            StepsPerSecond = Math.Round(plan.StepsPerSecond, 1),
            Files = Files,
        };
    }

    private static double[] Point(Vec3 p) => [Math.Round(p.X, 2), Math.Round(p.Y, 2), Math.Round(p.Z, 2)];
}
