using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Rt;

/// <summary>Turns a built-in <see cref="Phantom"/> into the CT series and ROI masks the RT writers take.</summary>
public static class RtPhantom
{
    /// <summary>
    /// RT ROI Interpreted Type (3006,00A4) of a structure kind. DICOM has no type for bone, vessels or test-phantom
    /// inserts; they are written as ORGAN (they are tissues a plan must account for).
    /// </summary>
    public static string InterpretedType(StructureKind kind) => kind switch
    {
        StructureKind.External => "EXTERNAL",
        StructureKind.Ptv => "PTV",
        StructureKind.Ctv => "CTV",
        StructureKind.Gtv => "GTV",
        StructureKind.Avoidance => "AVOIDANCE",
        _ => "ORGAN",
    };

    /// <summary>A new CT series (fresh UIDs) holding the phantom's HU, patient named after the phantom.</summary>
    public static CtSeries ToCtSeries(Phantom phantom, RtPatientStudy? patientStudy = null)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        RtPatientStudy ps = patientStudy ?? RtPatientStudy.Create("Phantom^" + phantom.Name, "METAI-" + phantom.Name.ToUpperInvariant()) with
        {
            StudyDescription = "MeTAI phantom " + phantom.Name,
        };
        return CtSeries.Create(phantom.CtHu, ps, "MeTAI phantom " + phantom.Name);
    }

    /// <summary>The phantom's structures as ROI masks, in the phantom's order.</summary>
    public static IReadOnlyList<RtRoiMask> RoiMasks(Phantom phantom)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        return [.. phantom.Structures.Select(s => new RtRoiMask(s.Mask, InterpretedType(s.Kind), s.Color))];
    }

    /// <summary>Writes the phantom as <c>ct/</c> and <c>rtstruct.dcm</c> (and optionally a plan and dose) under <paramref name="directory"/>.</summary>
    public static RtStudy Write(Phantom phantom, string directory, RtPlan? plan = null, RtDose? dose = null)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        return RtStudyWriter.Write(directory, ToCtSeries(phantom), RoiMasks(phantom), plan, dose);
    }
}
