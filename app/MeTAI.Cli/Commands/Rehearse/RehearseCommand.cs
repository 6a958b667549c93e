using System.CommandLine;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dicom.Cases;
using MeTAI.Planner.Beams;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Cases;
using MeTAI.Rehearsal.Output;
using MeTAI.Rehearsal.Search;

namespace MeTAI.Cli.Commands.Rehearse;

/// <summary>
/// <c>metai rehearse --case liver-needle --target ROI --avoid ROI[,ROI] --out DIR</c>: builds the soft-body avatar,
/// simulates needle insertions from sampled skin entries, ranks them and writes trajectories.json, corridor.json,
/// trajectory.json, rehearsal.png and summary.json. Exit code 1 when no candidate keeps the clearance.
/// </summary>
internal static class RehearseCommand
{
    /// <summary>The avatar config of a DICOM case directory without --avatar-config.</summary>
    public const string DicomCaseAvatarConfig = "ct-abdomen";

    public static Command Create()
    {
        var caseOption = new Option<string>("--case") { Description = "Built-in phantom (liver-needle), or DICOM: a folder with ct/ and rtstruct.dcm, an export folder or a DICOMDIR", Required = true };
        var target = new Option<string>("--target") { Description = "Target ROI", Required = true };
        var avoid = new Option<string>("--avoid") { Description = "ROIs to avoid, comma-separated", DefaultValueFactory = _ => string.Empty };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory", DefaultValueFactory = _ => new DirectoryInfo("out/rehearse") };
        var resolution = new Option<double?>("--resolution-mm") { Description = "Mesh lattice cell, mm (default: the avatar config's cellMm)" };
        var candidates = new Option<int>("--candidates") { Description = "Entries to simulate", DefaultValueFactory = _ => 12 };
        var speed = new Option<double>("--speed-mm-s") { Description = "Insertion speed, mm/s", DefaultValueFactory = _ => 20 };
        var clearance = new Option<double>("--min-clearance-mm") { Description = "Required clearance from avoided ROIs, mm", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the entry sampling", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Candidates simulated at once", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var substeps = new Option<int>("--substeps") { Description = "XPBD substeps per 1 ms step", DefaultValueFactory = _ => 4 };
        var voxel = new Option<double>("--voxel-mm") { Description = "Phantom voxel size, mm", DefaultValueFactory = _ => 2 };
        var config = new Option<FileInfo?>("--avatar-config") { Description = "Avatar config (default: configs/avatars/<phantom>.json for a built-in phantom, configs/avatars/ct-abdomen.json for a DICOM case)" };
        var inputs = new CaseOptions();
        var command = new Command("rehearse", "Rehearse a needle approach on the soft-body avatar and export the chosen trajectory and corridor.")
        {
            caseOption, target, avoid, output, resolution, candidates, speed, clearance, seed, threads, substeps, voxel, config,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                string caseName = parse.GetValue(caseOption)!;
                // A built-in phantom brings its own avatar config (configs/avatars/<case>.json); a DICOM case directory
                // uses --avatar-config, or configs/avatars/ct-abdomen.json (ROIs by type or name, the rest by HU).
                PatientCase patient = CaseLoader.Load(caseName, parse.GetValue(voxel), inputs.Options(parse), stdout);
                string configPath = parse.GetValue(config)?.FullName
                    ?? CaseFiles.AvatarConfigPath(patient.Phantom is null ? DicomCaseAvatarConfig : caseName);
                AvatarConfig avatarConfig = AvatarConfigLoader.Load(configPath);
                // Gravity and the couch side follow how the patient lay on the CT (a missing or unknown position is refused).
                (PatientPosition position, string positionOrigin) = CtPatientPosition.Read(patient.Ct, $"case '{patient.Name}'");
                var rehearsalCase = new RehearsalCase(patient.Name, [.. patient.Rois.Select(r => new AvatarRoi(r.Mask, r.InterpretedType))], patient.CtHu, patient.LandmarksLps, position);
                var request = new RehearsalRequest
                {
                    Target = parse.GetValue(target)!,
                    Avoid = CaseFiles.ParseNames(parse.GetValue(avoid)),
                    CellMm = parse.GetValue(resolution),
                    Substeps = parse.GetValue(substeps),
                    Search = new SearchSettings
                    {
                        Candidates = parse.GetValue(candidates),
                        Seed = parse.GetValue(seed),
                        MinClearanceMm = parse.GetValue(clearance),
                        Threads = parse.GetValue(threads),
                    },
                    Insertion = new InsertionSettings { SpeedMmPerS = parse.GetValue(speed) },
                };
                PatientAvatar avatar = CaseRehearsal.BuildAvatar(rehearsalCase, avatarConfig, request);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rehearse: {caseName}, patient position {position.Code()} ({position.Describe()}, from {positionOrigin}; gravity and couch toward {PatientPositions.Letters(position.GravityLps())}), avatar {avatar.Mesh.TetCount} tets / {avatar.Mesh.NodeCount} nodes (cell {avatar.CellMm:0.#} mm), target {request.Target}, avoid {(request.Avoid.Count == 0 ? "nothing" : string.Join(",", request.Avoid))}"));
                RehearseReport.Avatar(stdout, avatar, configPath);
                CaseRehearsalResult result = CaseRehearsal.Search(avatar, request);
                RehearsalPlan plan = result.Plan;
                SearchSettings search = request.Search;
                string dir = parse.GetValue(output)!.FullName;
                RehearsalOutput.Write(plan, avatar, dir);

                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"simulated {plan.Candidates.Count} insertions ({plan.TotalSteps} steps of 1 ms, {plan.Xpbd.Substeps} substeps) in {plan.WallSeconds:0.0} s: {plan.StepsPerSecond:0} steps/s per simulation"));
                stdout.WriteLine("rank  entryLps                     clearance_mm  peak_N  target_err_mm  path_mm   score  feasible");
                foreach (RankedCandidate c in plan.Candidates)
                {
                    InsertionResult r = c.Result;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{c.Rank,4}  ({r.EntryLps.X,7:0.0}, {r.EntryLps.Y,7:0.0}, {r.EntryLps.Z,6:0.0})  {r.MinClearanceMm,12:0.00}  {r.PeakForceN,6:0.00}  {r.TargetErrorMm,13:0.00}  {r.PathLengthMm,7:0.0}  {c.Score,6:0.000}  {(c.Feasible ? "yes" : "no")}{(c.IsDefaultEntry ? "  (default entry)" : string.Empty)}"));
                }

                foreach ((string roi, bool crosses) in plan.DefaultPathCrosses)
                {
                    stdout.WriteLine($"straight path from the default entry {(crosses ? "crosses" : "misses")} {roi}");
                }

                stdout.WriteLine($"wrote {string.Join(", ", RehearsalOutput.Files)} to {dir}");
                if (!plan.Feasible)
                {
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"metai: no candidate keeps {search.MinClearanceMm} mm from {string.Join(", ", plan.AvoidRois)} (best {plan.Chosen.Result.MinClearanceMm:0.0} mm); try more --candidates."));
                    return 1;
                }

                return 0;
            });
        });
        return command;
    }
}
