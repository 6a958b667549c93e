using MeTAI.Core.IO;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Output;

/// <summary>
/// Writes a plan's files into a directory: <c>ct/</c>, <c>rtstruct.dcm</c>, <c>rtplan.dcm</c>, <c>rtdose.dcm</c>
/// (one consistent DICOM study: the RT objects share the CT's patient, study and frame of reference; the plan
/// references the structure set, the dose the plan; the plan from <see cref="RtPlanBuilder"/>), <c>dvh.png</c>,
/// <c>dose_axial.png</c> and <c>report.json</c>. The dose written is the final dose as evaluated: 0 outside the body
/// and in air (<see cref="Dose.DoseMask"/>), so its maximum is the report's <c>finalDose.maxDoseGy</c>.
/// </summary>
public static class PlanOutput
{
    /// <summary>The files written, relative to the directory.</summary>
    public static IReadOnlyList<string> Files { get; } = ["ct/", RtStudyWriter.StructureSetFile, RtStudyWriter.PlanFile, RtStudyWriter.DoseFile, "dvh.png", "dose_axial.png", "report.json"];

    /// <summary>Writes everything; returns the DICOM study as written.</summary>
    public static RtStudy Write(PlanResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var rois = result.Case.Structures.Select(s => new RtRoiMask(s.Mask, s.InterpretedType.Length > 0 ? s.InterpretedType : "ORGAN", s.Color)).ToList();
        var dose = new RtDose
        {
            Dose = result.FinalDose.DoseGy,
            DoseSummationType = "PLAN",
            Comment = DoseComment.Plan(result.FinalDose.Denoised, result.FinalDose.IsDoseToWater),
            TissueHeterogeneityCorrection = ["IMAGE"],
        };
        RtStudy study = RtStudyWriter.Write(directory, result.Case.Ct, rois, RtPlanBuilder.Build(result), dose);
        string title = $"{result.Case.Name} / {result.Protocol.Name}";
        PlanPlots.SaveDvh(result.Dvhs, title + ": DVH (final Monte Carlo dose)", Path.Combine(directory, "dvh.png"));
        PlanPlots.SaveAxial(result.Case, result.FinalDose.DoseGy.Data, result.Protocol.Prescription.DoseGy, result.IsocenterLps, title, Path.Combine(directory, "dose_axial.png"));
        AtomicFile.WriteAllText(Path.Combine(directory, "report.json"), PlanReport.ToJson(result, Files));
        return study;
    }
}
