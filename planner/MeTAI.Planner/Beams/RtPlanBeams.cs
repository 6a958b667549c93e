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
/// <item>The patient position of the beam's patient setup places the beams (IEC 61217 angles → LPS): HFS, HFP, FFS,
/// FFP and the decubitus positions; a missing or other position is refused, and so is a plan whose position differs
/// from the CT's it is recomputed on.</item>
/// </list>
/// Everything else that changes dose is refused with the file, beam, attribute, tag and value named
/// (<c>RtPlanBeams.Checks.cs</c>): radiation types other than photons, energies other than the beam model's, a
/// non-standard fluence (FFF), wedges, compensators, boli, blocks, applicators, other accessories, shielding devices,
/// table-top or gantry pitch, roll and eccentric rotations.
/// </summary>
public static partial class RtPlanBeams
{
    /// <summary>Half-width of a jaw pair that the plan does not give, mm.</summary>
    public const double OpenJawMm = 200;

    /// <summary>
    /// The plan's delivery as segments with their MU per fraction, each placed for the patient position of its beam's
    /// patient setup. <paramref name="isocenterOverrideLps"/> moves every beam's isocentre there (a plan recomputed on a
    /// phantom); beams with no MU are skipped.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="source">Names the plan in errors, e.g. <c>RTPLAN /path/rtplan.dcm</c>.</param>
    /// <param name="nominalEnergyMV">The beam model's nominal energy (<see cref="BeamModel.NominalEnergyMV"/>); beams of another energy are refused.</param>
    /// <param name="ct">The CT the plan is recomputed on — its patient position and where it came from — whose position
    /// every beam's must equal; null when there is none (the plan's own segments).</param>
    /// <param name="isocenterOverrideLps">Moves every beam's isocentre there, or null.</param>
    /// <exception cref="ArgumentException">A beam the engine cannot model, an inconsistent beam, or a patient position that is missing, unsupported or not the CT's.</exception>
    public static IReadOnlyList<DeliverySegment> Segments(RtPlan plan, string source, double nominalEnergyMV, (PatientPosition Position, string Source)? ct, Vec3? isocenterOverrideLps = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        var list = new List<DeliverySegment>();
        if (plan.Beams.Count == 0)
        {
            throw new ArgumentException($"{source}: the RT Plan has no beams (Beam Sequence, 300A,00B0).");
        }

        CheckSetups(plan, source);
        foreach (RtBeam beam in plan.Beams)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"{source}: beam {beam.Number} ('{beam.Name}')");
            if (beam.TreatmentDeliveryType is not ("TREATMENT" or ""))
            {
                continue;
            }

            double? meterset = plan.MetersetMu(beam.Number);
            if (meterset is not double mu || mu <= 0)
            {
                continue;
            }

            CheckModelled(beam, id, [nominalEnergyMV]);
            PatientPosition position = BeamPosition(plan, beam, id);
            if (ct is { } c && c.Position != position)
            {
                throw new ArgumentException(
                    $"{id}: Patient Position (0018,5100) {position.Code()} ({position.Describe()}) of its patient setup differs from the CT's {c.Position.Code()} ({c.Position.Describe()}, {c.Source}); the beams would enter through other anatomy. Recompute on a CT taken in the plan's position.");
            }

            if (beam.ControlPoints.Count < 2)
            {
                throw new ArgumentException($"{id}: needs at least two control points, has {beam.ControlPoints.Count}.");
            }

            AddBeam(list, beam, id, mu, isocenterOverrideLps, position);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException($"{source}: the RT Plan has no treatment beam with monitor units (Beam Meterset in the fraction group).");
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
                result.Add((first.BeamNumber, model.CreateBeam(new Aperture(rects), first.Geometry(), groupMu * muScale)));
            }

            start = end;
        }

        return result;
    }
}
