using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

/// <summary>
/// The one reader of DICOM RT Plan beams. <see cref="Segments"/> turns a plan into what the Monte Carlo engine
/// simulates (the second check, <c>metai dose --plan</c>; sequencing makes the same segments for a plan's final dose
/// without the round trip, <see cref="Sequencing.SequencedBeam.DeliverySegments"/>); <see cref="TreatmentBeams(string)"/>
/// describes each treatment beam as the room is set up for it (the HIL delivery moves the arm to those poses):
/// <list type="bullet">
/// <item>Jaws: X / ASYMX give [X1, X2], Y / ASYMY give [Y1, Y2] (mm at the isocentre); a missing pair is open
/// (±<see cref="OpenJawMm"/>).</item>
/// <item>MLCX: leaf pair k spans Y ∈ [boundary k, boundary k + 1] and is open in X from the bank-A position (the first
/// N values, the −X side, leaves 1xx) to the bank-B position (the last N, leaves 2xx); MLCY the same with X and Y
/// swapped. Everything is clipped by the jaws.</item>
/// <item>Angles, isocentre and SSD: the first control point's, carried forward until a control point changes them.</item>
/// <item>Control points k → k + 1 deliver (CMW(k + 1) − CMW(k)) / FinalCMW × Beam Meterset MU with the aperture of
/// control point k (step-and-shoot repeats it at k + 1); leaf positions that move between k and k + 1 (dynamic MLC)
/// are averaged, and a gantry that moves is taken at the segment's mean angle.</item>
/// </list>
/// Only photon beams of a 6 MV machine are modelled (the engine has one beam model); other energies and radiation
/// types are refused with the beam named.
/// </summary>
public static partial class RtPlanBeams
{
    /// <summary>Half-width of a jaw pair that the plan does not give, mm.</summary>
    public const double OpenJawMm = 200;

    /// <summary>
    /// The plan's delivery as segments with their MU per fraction. <paramref name="isocenterOverrideLps"/> moves every
    /// beam's isocentre there (a plan recomputed on a phantom); beams with no MU are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">A beam the engine cannot model, or an inconsistent beam.</exception>
    public static IReadOnlyList<DeliverySegment> Segments(RtPlan plan, Vec3? isocenterOverrideLps = null, double nominalEnergyMV = 6)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var list = new List<DeliverySegment>();
        if (plan.Beams.Count == 0)
        {
            throw new ArgumentException("The RT Plan has no beams.");
        }

        foreach (RtBeam beam in plan.Beams)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"beam {beam.Number} ('{beam.Name}')");
            if (beam.TreatmentDeliveryType is not ("TREATMENT" or ""))
            {
                continue;
            }

            double? meterset = plan.MetersetMu(beam.Number);
            if (meterset is not double mu || mu <= 0)
            {
                continue;
            }

            if (beam.RadiationType != "PHOTON")
            {
                throw new ArgumentException($"{id}: radiation type {beam.RadiationType} is not modelled (photons only).");
            }

            if (beam.NominalEnergyMV is double e && Math.Abs(e - nominalEnergyMV) > 0.5)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{id}: nominal energy {e} MV is not modelled; the engine has a {nominalEnergyMV} MV beam model only."));
            }

            if (beam.ControlPoints.Count < 2)
            {
                throw new ArgumentException($"{id}: needs at least two control points, has {beam.ControlPoints.Count}.");
            }

            AddBeam(list, plan, beam, id, mu, isocenterOverrideLps);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("The RT Plan has no treatment beam with monitor units (Beam Meterset in the fraction group).");
        }

        return list;
    }

    /// <summary>
    /// One Monte Carlo beam per run of segments with the same geometry: their rectangles form one aperture weighted by
    /// each segment's share of the MU, with the group's MU times <paramref name="muScale"/> (e.g. the number of
    /// fractions for the plan dose), so every rectangle receives exactly its segment's fluence.
    /// </summary>
    public static IReadOnlyList<(int BeamNumber, BeamSetup Beam)> ToBeamSetups(IReadOnlyList<DeliverySegment> segments, BeamModel model, double muScale = 1)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(model);
        var result = new List<(int, BeamSetup)>();
        int start = 0;
        while (start < segments.Count)
        {
            int end = start + 1;
            while (end < segments.Count && segments[end].BeamNumber == segments[start].BeamNumber && segments[end].SameGeometry(segments[start]))
            {
                end++;
            }

            double groupMu = 0;
            for (int s = start; s < end; s++)
            {
                groupMu += segments[s].Rectangles.Count > 0 ? segments[s].MonitorUnits : 0;
            }

            if (groupMu > 0)
            {
                var rects = new List<ApertureRect>();
                for (int s = start; s < end; s++)
                {
                    double w = segments[s].MonitorUnits / groupMu;
                    foreach (ApertureRect r in segments[s].Rectangles)
                    {
                        rects.Add(r with { Weight = w * r.Weight });
                    }
                }

                DeliverySegment first = segments[start];
                BeamSetup setup = model.CreateBeam(new Aperture(rects), first.IsocenterLps, first.GantryDeg, first.CollimatorDeg, first.CouchDeg, groupMu * muScale);
                if (Math.Abs(setup.Geometry.SadMm - first.SadMm) > 1e-6)
                {
                    setup = setup with { Geometry = new BeamGeometry(first.GantryDeg, first.CollimatorDeg, first.CouchDeg, first.IsocenterLps, first.SadMm) };
                }

                result.Add((first.BeamNumber, setup));
            }

            start = end;
        }

        return result;
    }
}
