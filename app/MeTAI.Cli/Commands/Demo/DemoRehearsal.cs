using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Cases;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Output;
using MeTAI.Rehearsal.Search;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Cli.Commands.Demo;

/// <summary>The surgeon's rehearsal part of the demo: a needle approach to the liver tumour on the soft-body avatar.</summary>
internal static class DemoRehearsal
{
    /// <summary>Target and avoided structures of the liver-needle phantom.</summary>
    public const string Target = "Tumor";

    /// <summary>Structures the needle must keep clear of.</summary>
    public static readonly IReadOnlyList<string> Avoid = ["Vessel", "Ribs"];

    /// <summary>Rehearses liver-needle into <paramref name="directory"/>.</summary>
    public static (DemoPart Part, RehearsalPlan Plan) Run(string directory, bool quick)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PatientCase patient = CaseLoader.FromPhantom(PhantomLibrary.Build("liver-needle", 2));
        AvatarConfig config = AvatarConfigLoader.Load(CaseFiles.AvatarConfigPath("liver-needle"));
        PatientAvatar avatar = AvatarBuilder.FromMasks(patient.Name, patient.Masks, patient.LandmarksLps, config, PatientPosition.HeadFirstSupine);
        var search = new SearchSettings { Candidates = quick ? 3 : 8, Seed = 1, Threads = Environment.ProcessorCount >= 2 ? 2 : 1 };
        var insertion = new InsertionSettings { SpeedMmPerS = quick ? 60 : 30 };
        RehearsalPlan plan = TrajectorySearch.Run(avatar, Target, Avoid, search, new XpbdSettings(), new NeedleSettings(), insertion);
        RehearsalOutput.Write(plan, avatar, directory);

        InsertionResult chosen = plan.Chosen.Result;
        string figures = string.Create(CultureInfo.InvariantCulture,
            $"clearance {chosen.MinClearanceMm:0.0} mm from {string.Join("/", Avoid)}, peak force {chosen.PeakForceN:0.00} N, tip error {chosen.TargetErrorMm:0.0} mm, {plan.Tets} tets at {plan.StepsPerSecond:0} steps/s");
        var part = new DemoPart
        {
            Name = "Rehearse liver-needle (XPBD)",
            Passed = plan.Feasible,
            Figures = figures,
            Directory = directory,
            Files = RehearsalOutput.Files,
            Seconds = clock.Elapsed.TotalSeconds,
        };
        return (part, plan);
    }
}
