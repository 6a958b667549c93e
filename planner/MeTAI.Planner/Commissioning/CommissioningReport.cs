using System.Globalization;
using System.Text;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The commissioning report, in a folder next to the beam file (<c>NAME-report/</c>): <c>summary.md</c> and
/// <c>summary.json</c> (the stages, the fitted values, one row per measured curve and output factor with gamma pass
/// rates, deviations, penumbrae and whether issue 18's criteria hold) and a PNG per curve plus one of the output
/// factors (<see cref="CommissioningPlots"/>). Every file through <see cref="AtomicFile"/>.
/// </summary>
public static class CommissioningReport
{
    /// <summary>The report folder for a beam file.</summary>
    public static string DirectoryFor(string beamPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(beamPath))!, Path.GetFileNameWithoutExtension(beamPath) + "-report");

    /// <summary>Writes the report for <paramref name="result"/>; returns the path of <c>summary.md</c>.</summary>
    public static string Write(CommissioningResult result, string beamPath, string dataDirectory, ComparisonOptions criteria)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(criteria);
        string dir = DirectoryFor(beamPath);
        Directory.CreateDirectory(dir);
        foreach (CurveComparisonResult c in result.Curves)
        {
            CommissioningPlots.Curve(Path.Combine(dir, c.Measured.Label + ".png"), c, criteria);
        }

        if (result.OutputFactors.Count > 0)
        {
            CommissioningPlots.OutputFactors(Path.Combine(dir, "output-factors.png"), result.OutputFactors);
        }

        AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), JsonDefaults.Serialize(Json(result, beamPath, dataDirectory, criteria)) + "\n");
        string md = Path.Combine(dir, "summary.md");
        AtomicFile.WriteAllText(md, Markdown(result, beamPath, dataDirectory, criteria));
        return md;
    }

    private static string Gamma(ComparisonOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"{100 * o.DoseTolerance:0.##} %/{o.DtaMm:0.##} mm {(o.Local ? "local" : "global")}, threshold {100 * o.ThresholdFraction:0} %");

    private static string Markdown(CommissioningResult r, string beamPath, string dataDirectory, ComparisonOptions o)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Commissioning report: {Path.GetFileName(beamPath)}\n\nMeasured data: `{dataDirectory}`. Monte Carlo runs: {r.Runs}. Gamma: {Gamma(o)}, measured points as reference. PDDs normalised to their maxima, profiles to their central-axis values, output factors to 10 × 10 cm².\n\n## Fit\n\n");
        foreach (string s in r.Stages)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {s}\n");
        }

        sb.Append("\n## Curves\n\n| curve | file:line | points | gamma pass | max γ | dmax meas/model (mm) | max dev. (%) at (mm) | build-up DTA (mm) | penumbra 80–20 meas/model (mm) | 50 % width meas/model (mm) | issue 18 criteria |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (CurveComparisonResult c in r.Curves)
        {
            (bool pass, string why) = CommissioningCriteria.Check(c);
            sb.Append(CultureInfo.InvariantCulture,
                $"| [{c.Measured.Label}]({c.Measured.Label}.png) | {Path.GetFileName(c.Measured.File)}:{c.Measured.Line} | {c.AnalysedPoints} | {100 * c.GammaPassRate:0.0} % | {c.MaxGamma:0.00} | {F(c.DmaxMeasuredMm)}/{F(c.DmaxModelMm)} | {F(c.MaxDeviationPercent, "0.00")} at {F(c.MaxDeviationAtMm)} | {F(c.BuildUpDtaMm, "0.00")} | {F(c.PenumbraMeasuredMm, "0.0")}/{F(c.PenumbraModelMm, "0.0")} | {F(c.Width50MeasuredMm, "0.0")}/{F(c.Width50ModelMm, "0.0")} | {(pass ? "met" : "**not met**: " + why)} |\n");
        }

        if (r.OutputFactors.Count > 0)
        {
            sb.Append("\n## Output factors ([plot](output-factors.png))\n\n| field (mm) | measured | model | deviation (%) | tolerance (%) | met |\n|---|---|---|---|---|---|\n");
            foreach (OutputFactorComparison f in r.OutputFactors)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {f.FieldXMm:0.#} × {f.FieldYMm:0.#} | {f.Measured:0.0000} | {f.Model:0.0000} | {f.DeviationPercent:+0.00;-0.00} | {CommissioningCriteria.Tolerance(f):0.0} | {(CommissioningCriteria.Check(f) ? "yes" : "**no**")} |\n");
            }
        }

        sb.Append("\n## MLC\n\n");
        sb.Append(r.Mlc is { } m
            ? string.Create(CultureInfo.InvariantCulture, $"Measured ({Path.GetFileName(m.File)}): transmission {100 * m.TransmissionFraction:0.00} %, DLG {m.DlgMm:0.00} mm. Not fitted: the base model has no MLC parameters.\n")
            : "No MLC data in the folder.\n");
        return sb.ToString();
    }

    private static string F(double v, string format = "0.0") => double.IsNaN(v) ? "–" : double.IsInfinity(v) ? "∞" : v.ToString(format, CultureInfo.InvariantCulture);

    private static object Json(CommissioningResult r, string beamPath, string dataDirectory, ComparisonOptions o) => new
    {
        beamFile = beamPath,
        beamDataDirectory = dataDirectory,
        gamma = new { doseTolerancePercent = 100 * o.DoseTolerance, dtaMm = o.DtaMm, local = o.Local, thresholdPercent = 100 * o.ThresholdFraction },
        monteCarloRuns = r.Runs,
        stages = r.Stages,
        fitted = r.Parameters.Select((p, i) => new { name = p.Name, stage = p.Stage.ToString(), lower = p.Lower, upper = p.Upper, start = p.Start, value = r.Values[i] }),
        curves = r.Curves.Select(c => new
        {
            label = c.Measured.Label,
            kind = c.Measured.Kind.ToString(),
            file = c.Measured.File,
            line = c.Measured.Line,
            fieldXMm = c.Measured.FieldXMm,
            fieldYMm = c.Measured.FieldYMm,
            ssdMm = c.Measured.SsdMm,
            depthMm = c.Measured.DepthMm,
            analysedPoints = c.AnalysedPoints,
            gammaPassPercent = Finite(100 * c.GammaPassRate),
            maxGamma = Finite(c.MaxGamma),
            dmaxMeasuredMm = Finite(c.DmaxMeasuredMm),
            dmaxModelMm = Finite(c.DmaxModelMm),
            maxDeviationPercent = Finite(c.MaxDeviationPercent),
            maxDeviationAtMm = Finite(c.MaxDeviationAtMm),
            buildUpDtaMm = Finite(c.BuildUpDtaMm),
            penumbraMeasuredMm = Finite(c.PenumbraMeasuredMm),
            penumbraModelMm = Finite(c.PenumbraModelMm),
            width50MeasuredMm = Finite(c.Width50MeasuredMm),
            width50ModelMm = Finite(c.Width50ModelMm),
            criteriaMet = CommissioningCriteria.Check(c).Pass,
            criteriaNotMet = CommissioningCriteria.Check(c).Why,
            png = c.Measured.Label + ".png",
        }),
        outputFactors = r.OutputFactors.Select(f => new
        {
            fieldXMm = f.FieldXMm, fieldYMm = f.FieldYMm, measured = f.Measured, model = f.Model, deviationPercent = f.DeviationPercent,
            tolerancePercent = CommissioningCriteria.Tolerance(f), met = CommissioningCriteria.Check(f),
        }),
        mlc = r.Mlc is { } m ? new { transmissionPercent = 100 * m.TransmissionFraction, dlgMm = m.DlgMm, file = m.File, fitted = false } : null,
    };

    // JSON has no NaN or infinity: null stands for "does not apply / not measured".
    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
