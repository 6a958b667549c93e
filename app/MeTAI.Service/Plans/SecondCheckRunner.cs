using System.Globalization;
using System.Text.Json;
using MeTAI.Core.IO;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Output;
using MeTAI.Service.Hosting;

namespace MeTAI.Service.Plans;

/// <summary>
/// Runs a plan's second check as <c>metai dose --ct PLAN --plan PLAN/rtplan.dcm</c> then <c>metai gamma</c> do: the
/// planner's <see cref="SecondCheckRun"/> recomputes the plan's RT Plan (jaws, MLC, MU, angles, isocentre) by Monte
/// Carlo on the plan's CT, inside its EXTERNAL, for the plan's fractions; <see cref="GammaIndex"/> compares the
/// recompute with the plan's own <c>rtdose.dcm</c> (the reference; global gamma with the configured criteria). It
/// writes the recompute's <c>rtdose.dcm</c> and <c>summary.json</c>, <c>second-check.json</c>
/// (<see cref="SecondCheckOutcome"/>), <c>gamma.png</c> (<see cref="GammaPlot"/>) and its log
/// <c>second-check.log</c>. Progress follows the beams simulated; cancellation stops the Monte Carlo between batches.
/// </summary>
public sealed class SecondCheckRunner(DeviceKind device, ServiceOptions options)
{
    /// <summary>The report the API reads back.</summary>
    public const string ReportFile = "second-check.json";

    /// <summary>The gamma map through the isocentre.</summary>
    public const string PlotFile = "gamma.png";

    /// <summary>The check's log.</summary>
    public const string LogFile = "second-check.log";

    /// <summary>Checks plan <paramref name="request"/>.<see cref="PlanJobRequest.SecondCheckOf"/>, whose files are in <paramref name="planDirectory"/>.</summary>
    public Task<SecondCheckOutcome> RunAsync(PlanJobRequest request, string planDirectory, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        return Task.Factory.StartNew(() => Run(request, planDirectory, outputDirectory, progress, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private SecondCheckOutcome Run(PlanJobRequest request, string planDirectory, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken ct)
    {
        string planId = request.SecondCheckOf ?? throw new ArgumentException("The request is not a second check.", nameof(request));
        string planDose = Path.Combine(planDirectory, "rtdose.dcm");
        foreach (string needed in new[] { "rtplan.dcm", "rtdose.dcm", "rtstruct.dcm", "ct" })
        {
            if (!Path.Exists(Path.Combine(planDirectory, needed)))
            {
                throw new FileNotFoundException($"Plan {planId} has no {needed} to check (its runner did not write one, or it was removed).", needed);
            }
        }

        progress.Report(new PlanProgress(0, "loading the plan and its CT"));
        long histories = request.Histories ?? options.SecondCheckHistories;
        var check = new SecondCheckRequest(planDirectory, Path.Combine(planDirectory, "rtplan.dcm"), null, null, histories, device, request.Seed, options.SecondCheckDenoise, outputDirectory);
        SecondCheckResult result;
        using (var log = new ProgressLog(new StreamWriter(Path.Combine(outputDirectory, LogFile)), progress))
        {
            result = SecondCheckRun.Run(check, log, ct);
        }

        ct.ThrowIfCancellationRequested();
        progress.Report(new PlanProgress(0.9, "gamma against the plan's dose"));
        VoxelGrid<float> reference = RtDoseReader.Read(planDose).Dose;
        var gamma = new GammaOptions
        {
            DoseTolerance = options.SecondCheckDosePercent / 100,
            DtaMm = options.SecondCheckDtaMm,
            ThresholdFraction = options.SecondCheckThresholdPercent / 100,
        };
        GammaResult g = GammaIndex.Compute(reference, result.Dose.DoseGy, gamma);
        double maxDiff = MaxDifference(reference, result.Dose.DoseGy, gamma.ThresholdFraction * g.ReferenceDoseGy);
        double passRate = 100 * g.PassRate;
        string criteria = string.Create(CultureInfo.InvariantCulture,
            $"{options.SecondCheckDosePercent:0.##} %/{options.SecondCheckDtaMm:0.##} mm global, threshold {options.SecondCheckThresholdPercent:0.#} % of {g.ReferenceDoseGy:0.00} Gy");
        var outcome = new SecondCheckOutcome
        {
            PlanId = planId,
            Passed = g.AnalysedVoxels > 0 && passRate >= options.SecondCheckPassRatePercent,
            GammaPassRatePercent = Math.Round(passRate, 2),
            PassRateRequiredPercent = options.SecondCheckPassRatePercent,
            Criteria = criteria,
            DoseTolerancePercent = options.SecondCheckDosePercent,
            DtaMm = options.SecondCheckDtaMm,
            ThresholdPercent = options.SecondCheckThresholdPercent,
            AnalysedVoxels = g.AnalysedVoxels,
            PassedVoxels = g.PassedVoxels,
            MeanGamma = Math.Round(g.MeanGamma, 4),
            PlanMaxDoseGy = Math.Round(g.ReferenceDoseGy, 4),
            CheckMaxDoseGy = Math.Round(result.Dose.MaxDoseGy, 4),
            MaxDoseDifferenceGy = Math.Round(maxDiff, 4),
            MaxDoseDifferencePercent = g.ReferenceDoseGy > 0 ? Math.Round(100 * maxDiff / g.ReferenceDoseGy, 2) : 0,
            MeanRelUncertaintyAbove50 = Math.Round(result.Dose.MeanRelUncertaintyAbove50, 5),
            Histories = result.Dose.Histories,
            Denoised = result.Dose.Denoised,
            Fractions = result.Fractions,
            Device = result.Dose.DeviceName,
            Seconds = Math.Round(result.Dose.Seconds, 1),
            Files = [.. SecondCheckOutput.Files, ReportFile, PlotFile, LogFile],
        };
        GammaPlot.Save(Path.Combine(outputDirectory, PlotFile), g.Gamma, result.IsocenterLps,
            string.Create(CultureInfo.InvariantCulture, $"Second check: gamma {criteria}; pass rate {passRate:0.0} % ({(outcome.Passed ? "pass" : "fail")})"));
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, ReportFile), JsonSerializer.Serialize(outcome, Jobs.PlanJobs.Json));
        progress.Report(new PlanProgress(1, "done"));
        return outcome;
    }

    /// <summary>Largest |evaluated − reference| where either is at or above <paramref name="thresholdGy"/> (the gamma's analysed voxels), Gy.</summary>
    private static double MaxDifference(VoxelGrid<float> reference, VoxelGrid<float> evaluated, double thresholdGy)
    {
        float[] e = evaluated.Geometry.SameAs(reference.Geometry) ? evaluated.Data : GammaIndex.Resample(evaluated, reference.Geometry);
        float[] r = reference.Data;
        double max = 0;
        for (int n = 0; n < r.Length; n++)
        {
            if (r[n] >= thresholdGy || e[n] >= thresholdGy)
            {
                max = Math.Max(max, Math.Abs(e[n] - r[n]));
            }
        }

        return max;
    }

    // The second check's log, line by line into second-check.log, and the beams simulated as progress: the run says
    // how many beams it delivers ("dose: plan 'X' (3 beams, 41 segments, …"), then writes a line per beam done.
    private sealed class ProgressLog(StreamWriter file, IProgress<PlanProgress> progress) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();
        private int _beams, _done;

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            file.Write(value);
            if (value != '\n')
            {
                _line.Append(value);
                return;
            }

            string line = _line.ToString().TrimEnd('\r');
            _line.Clear();
            if (line.StartsWith("dose: plan ", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.Match(line, @"\((\d+) beams") is { Success: true } m)
            {
                _beams = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                progress.Report(new PlanProgress(0.02, "Monte Carlo recompute", $"0/{_beams} beams"));
            }
            else if (line.StartsWith("  dose: beam ", StringComparison.Ordinal) && _beams > 0)
            {
                _done++;
                progress.Report(new PlanProgress(0.02 + (0.88 * Math.Min(_done, _beams) / _beams), "Monte Carlo recompute", $"beam {_done}/{_beams} done"));
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
