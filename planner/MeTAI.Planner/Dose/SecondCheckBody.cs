using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Dose;

/// <summary>
/// The body a second check keeps its dose inside (<see cref="DoseMask"/>): the body ROI of the structure set beside
/// the CT (<c>rtstruct.dcm</c> in the case directory, on the CT's frame of reference) when it has one, else the CT's
/// outline — the choice <see cref="PlanCase.BodyMask"/> makes for a case.
/// </summary>
internal static class SecondCheckBody
{
    /// <summary>The body of <paramref name="ct"/>, read from <paramref name="caseDirectory"/>.</summary>
    public static VoxelMask Of(CtSeries ct, string caseDirectory)
    {
        var structures = new List<PlanStructure>();
        string path = Path.Combine(caseDirectory, RtStudyWriter.StructureSetFile);
        if (File.Exists(path))
        {
            RtStructureSet ss = RtStructureSetReader.Read(path);
            if (ss.FrameOfReferenceUid == ct.FrameOfReferenceUid)
            {
                // Only the ROIs that can be the body are rasterised.
                foreach (RtRoi roi in ss.Rois)
                {
                    if (roi.ClosedPlanarCount > 0 && PlanCase.IsBodyRoi(roi.InterpretedType, roi.Name))
                    {
                        structures.Add(new PlanStructure(ss.ToMask(roi, ct.Geometry), roi.InterpretedType, roi.Color ?? CaseLoader.DefaultRoiColor));
                    }
                }
            }
        }

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(caseDirectory)));
        return new PlanCase(name.Length > 0 ? name : "CT", ct, structures).BodyMask();
    }
}
