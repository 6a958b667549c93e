using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Output;

/// <summary>
/// The files of a second check (<see cref="SecondCheckRun"/>): <c>rtdose.dcm</c> on the CT grid, in the CT's study
/// and frame of reference, referencing the plan recomputed, 0 outside the body and in air (so its maximum is the
/// summary's <c>maxDoseGy</c>), and <c>summary.json</c> (plan, beams, statistics, the body, the dose at the isocentre).
/// </summary>
public static class SecondCheckOutput
{
    /// <summary>The files written, relative to the output directory.</summary>
    public static IReadOnlyList<string> Files { get; } = [RtStudyWriter.DoseFile, "summary.json"];

    /// <summary>Writes both files into <see cref="SecondCheckResult.OutDir"/>.</summary>
    public static void Write(SecondCheckResult result, CtSeries ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(ct);
        Directory.CreateDirectory(result.OutDir);
        PlanDose dose = result.Dose;
        var rtDose = new RtDose
        {
            Dose = dose.DoseGy,
            PatientStudy = ct.PatientStudy,
            FrameOfReferenceUid = ct.FrameOfReferenceUid,
            DoseSummationType = "PLAN",
            ReferencedPlanUid = result.Plan.SopInstanceUid,
            Comment = DoseComment.SecondCheck(result.Fractions, dose.Denoised, dose.IsDoseToWater),
            TissueHeterogeneityCorrection = ["IMAGE"],
        };
        RtDoseWriter.Write(rtDose, Path.Combine(result.OutDir, RtStudyWriter.DoseFile));
        AtomicFile.WriteAllText(Path.Combine(result.OutDir, "summary.json"), JsonDefaults.Serialize(Summary(result)));
    }

    /// <summary>The JSON summary (field names are a contract).</summary>
    public static object Summary(SecondCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        PlanDose dose = result.Dose;
        return new
        {
            plan = result.Plan.Label,
            planUid = result.Plan.SopInstanceUid,
            ct = result.CtDirectory,
            inputWarnings = result.InputWarnings,
            fractions = result.Fractions,
            beams = result.Segments.GroupBy(s => s.BeamNumber).Select(b => new
            {
                number = b.Key,
                name = b.First().BeamName,
                gantryDeg = b.First().GantryDeg,
                collimatorDeg = b.First().CollimatorDeg,
                couchDeg = b.First().CouchDeg,
                segments = b.Count(),
                monitorUnitsPerFraction = b.Sum(s => s.MonitorUnits),
                isocenterLps = new[] { b.First().IsocenterLps.X, b.First().IsocenterLps.Y, b.First().IsocenterLps.Z },
            }),
            histories = dose.Histories,
            seconds = dose.Seconds,
            device = dose.DeviceName,
            denoised = dose.Denoised,
            doseToWater = dose.IsDoseToWater,
            body = dose.Body,
            meanRelUncertaintyAbove50 = dose.MeanRelUncertaintyAbove50,
            uncertaintyTarget = dose.Target is { } t ? new { percent = 100 * t.RelativeUncertainty, maxHistories = t.MaxHistories, confidence = t.Confidence } : null,
            stop = dose.Stop switch { Dosimetry.Analysis.StopReason.TargetReached => "target reached", Dosimetry.Analysis.StopReason.HistoryCap => "history cap", _ => null },
            stoppingUncertainty = dose.StoppingUncertainty,
            stoppingUpperBound = dose.StoppingUpperBound,
            maxDoseGy = dose.MaxDoseGy,
            isocenterLps = new[] { result.IsocenterLps.X, result.IsocenterLps.Y, result.IsocenterLps.Z },
            doseAtIsocenterGy = result.DoseAtIsocenterGy,
            doseAtIsocenterPerFractionGy = result.DoseAtIsocenterGy / result.Fractions,
        };
    }
}
