using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;

namespace MeTAI.Service.Plans;

/// <summary>A case ready to plan: the CT and its ROIs as masks on the CT grid.</summary>
/// <param name="Name">Case name.</param>
/// <param name="Ct">CT series (a phantom gets fresh identities; an upload keeps its own).</param>
/// <param name="Rois">ROIs on the CT grid, with their DICOM type and colour.</param>
public sealed record LoadedCase(string Name, CtSeries Ct, IReadOnlyList<RtRoiMask> Rois)
{
    /// <summary>The ROI called <paramref name="name"/> (case-insensitive), or null.</summary>
    public RtRoiMask? Find(string name) => Rois.FirstOrDefault(r => string.Equals(r.Mask.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Loads a built-in phantom or a DICOM case directory (<c>ct/</c> + <c>rtstruct.dcm</c>), as <c>metai plan --case</c> does.</summary>
public static class PlanCaseLoader
{
    private static readonly RgbColor[] Palette =
    [
        new(230, 25, 75), new(60, 180, 75), new(255, 225, 25), new(0, 130, 200), new(245, 130, 48),
        new(145, 30, 180), new(70, 240, 240), new(240, 50, 230), new(210, 245, 60), new(250, 190, 212),
    ];

    /// <summary>Loads the case of <paramref name="request"/>.</summary>
    public static LoadedCase Load(PlanJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CaseDirectory is { } dir)
        {
            return LoadDirectory(dir, request.CaseName);
        }

        Phantom phantom = PhantomLibrary.Build(request.Case ?? throw new ArgumentException("The request names neither a case nor a case directory."), request.VoxelMm);
        return new LoadedCase(phantom.Name, RtPhantom.ToCtSeries(phantom), RtPhantom.RoiMasks(phantom));
    }

    /// <summary>Structure names of a built-in phantom (built at a coarse grid, which is quick).</summary>
    public static IReadOnlyList<string> PhantomStructures(string phantom) =>
        [.. PhantomLibrary.Build(phantom, 10).Structures.Select(s => s.Name)];

    /// <summary>Loads a DICOM case directory; ROIs without closed planar contours are left out.</summary>
    public static LoadedCase LoadDirectory(string directory, string name)
    {
        RtStudy study = RtStudyReader.Read(directory);
        RtStructureSet ss = study.StructureSet ?? throw new FileNotFoundException($"{directory}: no RTSTRUCT.");
        var rois = new List<RtRoiMask>();
        foreach (RtRoi roi in ss.Rois.Where(r => r.ClosedPlanarCount > 0))
        {
            rois.Add(new RtRoiMask(ss.ToMask(roi, study.Ct.Geometry), roi.InterpretedType.Length > 0 ? roi.InterpretedType : "ORGAN",
                roi.Color ?? Palette[rois.Count % Palette.Length]));
        }

        return new LoadedCase(name, study.Ct, rois);
    }
}
