using System.CommandLine;
using System.Globalization;
using MeTAI.Core.IO;
using MeTAI.Dicom.Cases;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;

namespace MeTAI.Cli.Commands.Planning;

/// <summary>
/// <c>metai plan --case tg119-cshape|prostate|multitarget|DIR [--protocol FILE] [--beams N] --out DIR</c>: an IMRT plan
/// end to end (beamlets → influence matrix → optimisation → sequencing → final Monte Carlo dose) written as ct/,
/// rtstruct.dcm, rtplan.dcm, rtdose.dcm, dvh.png, dose_axial.png and report.json. DIR may be an export folder or a
/// DICOMDIR (<see cref="CaseLoader"/>; <c>--ct-series</c>, <c>--structure-set</c>, <c>--allow-inconsistent</c>).
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var caseOption = new Option<string>("--case") { Description = "Built-in phantom (tg119-cshape, prostate, multitarget), or DICOM: a folder with ct/ and rtstruct.dcm, an export folder (CT.*, RS.*, …) or a DICOMDIR", Required = true };
        var protocol = new Option<FileInfo?>("--protocol") { Description = "Protocol JSON (default configs/protocols/<case>.json)" };
        var beams = new Option<int?>("--beams") { Description = "Number of equi-spaced coplanar beams (default: the protocol's)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory", Required = true };
        var voxel = new Option<double>("--voxel") { Description = "Phantom voxel size, mm", DefaultValueFactory = _ => 5 };
        var beamletHistories = new Option<long>("--beamlet-histories") { Description = "Monte Carlo histories per 5 mm beamlet", DefaultValueFactory = _ => new PlanSettings().HistoriesPerBeamlet };
        var finalHistories = new Option<long>("--final-histories") { Description = "Monte Carlo histories of the final dose (all beams); given, it replaces the default 1 % target", DefaultValueFactory = _ => new PlanSettings().FinalHistories };
        var cutoff = new Option<double>("--cutoff") { Description = "Relative cut-off of beamlet doses", DefaultValueFactory = _ => new PlanSettings().RelativeCutoff };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
        var cache = new Option<FileInfo?>("--cache") { Description = "Influence-matrix cache file (reused when its inputs match, rebuilt otherwise)" };
        var levels = new Option<int?>("--levels") { Description = "Sequencing intensity levels (default: the protocol's)" };
        var minMu = new Option<double?>("--min-segment-mu") { Description = "Minimum MU per segment per fraction (default: the protocol's)" };
        var leaf = new Option<double>("--leaf-width") { Description = "MLC leaf width at the isocentre, mm", DefaultValueFactory = _ => 5 };
        var noDenoise = new Option<bool>("--no-denoise") { Description = "Keep the raw Monte Carlo final dose" };
        var smoothing = new Option<int>("--beamlet-smoothing") { Description = "Savitzky–Golay window (voxels, odd) along each beamlet's ray; 0 keeps the raw beamlet doses", DefaultValueFactory = _ => new PlanSettings().BeamletDepthSmoothing };
        var beamModel = new Option<string>("--beam-model") { Description = "Beam model in configs/beams: 6MV-point (default); 6MV, whose jaws and MLC attenuate, is refused for planning (docs/planning.md)", DefaultValueFactory = _ => new PlanSettings().BeamModel };
        var uncertainty = new Option<double?>("--uncertainty") { Description = "Run the final dose in rounds until its mean relative σ (D > 50 % Dmax, or --uncertainty-roi) is at most PCT % at 95 % confidence (default 1 % unless --final-histories is given)" };
        var uncertaintyRoi = new Option<string?>("--uncertainty-roi") { Description = "The ROI whose voxels --uncertainty is taken over (e.g. PTV)" };
        var maxHistories = new Option<long>("--max-histories") { Description = "History cap of a final dose run to --uncertainty", DefaultValueFactory = _ => new PlanSettings().MaxFinalHistories };
        var spmv = new Option<string>("--spmv") { Description = "Influence-matrix products: cpu or ilgpu", DefaultValueFactory = _ => "cpu" };
        var inputs = new CaseOptions();
        var command = new Command("plan", "Plan IMRT on a case: beamlets, influence matrix, optimisation, leaf sequencing, final Monte Carlo dose, DVHs and goals.")
        {
            caseOption, protocol, beams, output, voxel, beamletHistories, finalHistories, cutoff, device, seed, cache, levels, minMu, leaf, noDenoise, spmv, beamModel, smoothing, uncertainty, uncertaintyRoi, maxHistories,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                string caseName = parse.GetValue(caseOption)!;
                PatientCase patient = CaseLoader.Load(caseName, parse.GetValue(voxel), inputs.Options(parse), stdout);
                PlanCase planCase = PlanCase.From(patient);
                string protocolPath = parse.GetValue(protocol)?.FullName ?? DefaultProtocol(patient.Phantom is null ? null : planCase.Name);
                if (!File.Exists(protocolPath))
                {
                    string shipped = ConfigFiles.PathOf("protocols");
                    throw new FileNotFoundException(
                        $"Protocol file {protocolPath} does not exist; shipped protocols in {shipped}: {string.Join(", ", ProtocolLoader.Available(shipped))}.", protocolPath);
                }

                Protocol p = ProtocolLoader.Load(protocolPath);
                string spmvName = parse.GetValue(spmv)!.Trim().ToLowerInvariant();
                if (spmvName is not ("cpu" or "ilgpu"))
                {
                    throw new ArgumentException($"--spmv '{spmvName}': use cpu or ilgpu.");
                }

                if (parse.GetValue(uncertainty) is not null && parse.GetResult(finalHistories) is { Implicit: false })
                {
                    throw new ArgumentException("--final-histories and --uncertainty exclude each other: a final dose run to a target uncertainty chooses its histories (cap them with --max-histories).");
                }

                bool fixedFinal = parse.GetResult(finalHistories) is { Implicit: false };
                var settings = new PlanSettings
                {
                    FinalUncertaintyPercent = parse.GetValue(uncertainty) ?? (fixedFinal ? null : PlanSettings.DefaultFinalUncertaintyPercent),
                    FinalUncertaintyRoi = parse.GetValue(uncertaintyRoi),
                    MaxFinalHistories = parse.GetValue(maxHistories),
                    BeamCount = parse.GetValue(beams),
                    HistoriesPerBeamlet = parse.GetValue(beamletHistories),
                    FinalHistories = parse.GetValue(finalHistories),
                    RelativeCutoff = parse.GetValue(cutoff),
                    Device = DeviceKindParser.Parse(parse.GetValue(device)),
                    Seed = parse.GetValue(seed),
                    BeamModel = parse.GetValue(beamModel)!,
                    BeamletDepthSmoothing = parse.GetValue(smoothing),
                    CachePath = parse.GetValue(cache)?.FullName,
                    SequencingLevels = parse.GetValue(levels),
                    MinSegmentMu = parse.GetValue(minMu),
                    LeafWidthMm = parse.GetValue(leaf),
                    Denoise = !parse.GetValue(noDenoise),
                    IlgpuSpmv = spmvName == "ilgpu",
                };
                PlanResult r = PlanPipeline.Run(planCase, p, settings, stdout);
                string dir = parse.GetValue(output)!.FullName;
                PlanOutput.Write(r, dir);
                stdout.WriteLine("goal                         target        achieved   result");
                foreach (GoalResult g in r.Goals)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{g.Structure + " " + g.Metric,-24} {g.Comparison} {g.Target,8:0.00} {g.Unit,-3} {g.Achieved,8:0.00} {g.Unit,-3} {(g.Passed ? "pass" : "FAIL")}"));
                }

                if (r.FinalDose.Denoised)
                {
                    IReadOnlyList<string> flipped = DenoisingSummary.FlippedGoals(r);
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"σ per ROI, raw → denoised (goals judged on the denoised, exported dose): {string.Join(", ", DenoisingSummary.SigmaPerStructure(r).Select(x => $"{x.Structure} {100 * x.Raw:0.00} → {100 * x.Exported:0.00} %"))}; " +
                        $"goals that flip between raw and denoised: {(flipped.Count == 0 ? "none" : string.Join(", ", flipped))}"));
                }

                if (r.FinalDose.Target is { } target)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"final dose target σ ≤ {100 * target.RelativeUncertainty:0.###} % over {settings.FinalUncertaintyRoi ?? "D > 50 % Dmax"}: {(r.FinalDose.Stop == Dosimetry.Analysis.StopReason.TargetReached ? "reached" : "NOT reached (history cap)")} with {r.FinalDose.Histories:N0} histories; " +
                        $"σ {100 * r.FinalDose.StoppingUncertainty:0.00} %, upper bound {100 * r.FinalDose.StoppingUpperBound:0.00} % at {100 * target.Confidence:0} % confidence; after the segment weights σ(D>50%) {100 * r.FinalDose.RawMeanRelUncertaintyAbove50:0.00} % raw"));
                }

                PlanTimings t = r.Timings;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Goals.Count(g => g.Passed)}/{r.Goals.Count} goals met; {r.TotalMuPerFraction:0} MU per fraction in {r.Sequenced.Sum(b => b.Segments.Count)} segments; " +
                    $"influence {t.InfluenceSeconds:0.0} s, optimisation {t.OptimizationSeconds:0.0} s, sequencing {t.SequencingSeconds:0.0} s, final dose {t.FinalDoseSeconds:0.0} s, total {t.TotalSeconds:0.0} s"));
                stdout.WriteLine($"wrote {string.Join(", ", PlanOutput.Files)} to {dir}");
                return 0;
            });
        });
        return command;
    }

    /// <summary>configs/protocols/&lt;case&gt;.json, or an error listing the protocols there.</summary>
    private static string DefaultProtocol(string? caseName)
    {
        string dir = ConfigFiles.PathOf("protocols");
        IReadOnlyList<string> available = ProtocolLoader.Available(dir);
        if (caseName is not null)
        {
            string path = Path.Combine(dir, caseName + ".json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new ArgumentException(
            $"No protocol for case '{caseName ?? "(DICOM directory)"}'; pass --protocol FILE (protocols in {dir}: {(available.Count > 0 ? string.Join(", ", available) : "none")}).");
    }
}
