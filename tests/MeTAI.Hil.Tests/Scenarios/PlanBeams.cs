using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Hil.Radiotherapy;

namespace MeTAI.Hil.Tests.Scenarios;

/// <summary>Reads an RTPLAN into the HIL's beam list, as `metai hil run` does.</summary>
internal static class PlanBeams
{
    public static IReadOnlyList<BeamPose> Read(string path)
    {
        RtPlan plan = RtPlanReader.Read(path);
        return [.. plan.Beams.Select(b =>
        {
            RtControlPoint cp = b.ControlPoints[0];
            return new BeamPose(b.Number, b.Name, cp.GantryDeg ?? 0, cp.CollimatorDeg ?? 0, cp.CouchDeg ?? 0, cp.IsocenterLps ?? Vec3.Zero, plan.MetersetMu(b.Number) ?? 0);
        })];
    }
}
