using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

/// <summary>
/// Turns a DICOM RT Plan into what the Monte Carlo engine simulates — the one mapping used both for the second check
/// (<c>metai dose --plan</c>) and for a plan's final dose on its sequenced apertures:
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
public static class RtPlanBeams
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

    private static void AddBeam(List<DeliverySegment> list, RtPlan plan, RtBeam beam, string id, double meterset, Vec3? isoOverride)
    {
        IReadOnlyList<RtControlPoint> cps = beam.ControlPoints;
        double final = beam.FinalCumulativeMetersetWeight ?? cps[^1].CumulativeMetersetWeight ?? 1.0;
        if (!(final > 0))
        {
            throw new ArgumentException($"{id}: Final Cumulative Meterset Weight must be positive.");
        }

        RtBeamLimitingDevice? mlcDevice = beam.BeamLimitingDevices.FirstOrDefault(d => d.IsMlc);
        double[]? boundaries = mlcDevice is null ? null : [.. mlcDevice.LeafBoundariesMm];
        if (mlcDevice is not null && boundaries!.Length != mlcDevice.NumberOfPairs + 1)
        {
            throw new ArgumentException($"{id}: {mlcDevice.Type} has {mlcDevice.NumberOfPairs} leaf pairs but {boundaries.Length} leaf boundaries.");
        }

        var state = new CpState();
        state.Apply(cps[0], id, mlcDevice);
        if (state.Gantry is null || state.Iso is null && isoOverride is null)
        {
            throw new ArgumentException($"{id}: the first control point needs a gantry angle and an isocentre position.");
        }

        double sad = beam.SourceAxisDistanceMm ?? 1000;
        for (int k = 0; k + 1 < cps.Count; k++)
        {
            var next = state.Clone();
            next.Apply(cps[k + 1], id, mlcDevice);
            double w0 = cps[k].CumulativeMetersetWeight ?? throw new ArgumentException($"{id}: control point {k} has no Cumulative Meterset Weight.");
            double w1 = cps[k + 1].CumulativeMetersetWeight ?? throw new ArgumentException($"{id}: control point {k + 1} has no Cumulative Meterset Weight.");
            double mu = (w1 - w0) / final * meterset;
            if (mu < -1e-9)
            {
                throw new ArgumentException($"{id}: Cumulative Meterset Weight decreases at control point {k + 1}.");
            }

            if (mu > 1e-12)
            {
                double gantry = MeanAngle(state.Gantry!.Value, next.Gantry!.Value);
                List<ApertureRect> rects = Rectangles(state, next, boundaries, mlcDevice?.Type);
                list.Add(new DeliverySegment(beam.Number, beam.Name, gantry, state.Collimator, state.Couch,
                    isoOverride ?? state.Iso!.Value, sad, rects, mu));
            }

            state = next;
        }
    }

    private static List<ApertureRect> Rectangles(CpState a, CpState b, double[]? boundaries, string? mlcType)
    {
        double x1 = 0.5 * (a.X1 + b.X1), x2 = 0.5 * (a.X2 + b.X2), y1 = 0.5 * (a.Y1 + b.Y1), y2 = 0.5 * (a.Y2 + b.Y2);
        var rects = new List<ApertureRect>();
        if (boundaries is null || a.Leaves is null)
        {
            if (x2 > x1 && y2 > y1)
            {
                rects.Add(new ApertureRect(x1, x2, y1, y2));
            }

            return rects;
        }

        int n = boundaries.Length - 1;
        double[] la = a.Leaves, lb = b.Leaves ?? a.Leaves;
        bool mlcy = mlcType == "MLCY";
        for (int k = 0; k < n; k++)
        {
            double lo = 0.5 * (la[k] + lb[k]), hi = 0.5 * (la[n + k] + lb[n + k]);
            if (!mlcy)
            {
                double y0 = Math.Max(boundaries[k], y1), yb = Math.Min(boundaries[k + 1], y2);
                double x0 = Math.Max(lo, x1), xb = Math.Min(hi, x2);
                if (yb > y0 && xb > x0)
                {
                    rects.Add(new ApertureRect(x0, xb, y0, yb));
                }
            }
            else
            {
                double x0 = Math.Max(boundaries[k], x1), xb = Math.Min(boundaries[k + 1], x2);
                double y0 = Math.Max(lo, y1), yb = Math.Min(hi, y2);
                if (yb > y0 && xb > x0)
                {
                    rects.Add(new ApertureRect(x0, xb, y0, yb));
                }
            }
        }

        return rects;
    }

    private static double MeanAngle(double a, double b)
    {
        double d = ((b - a) % 360 + 540) % 360 - 180;
        double m = a + d / 2;
        return ((m % 360) + 360) % 360;
    }

    /// <summary>Machine state carried from control point to control point (DICOM omits unchanged values).</summary>
    private sealed class CpState
    {
        public double? Gantry;
        public double Collimator;
        public double Couch;
        public Vec3? Iso;
        public double X1 = -OpenJawMm, X2 = OpenJawMm, Y1 = -OpenJawMm, Y2 = OpenJawMm;
        public double[]? Leaves;

        public CpState Clone() => (CpState)MemberwiseClone();

        public void Apply(RtControlPoint cp, string id, RtBeamLimitingDevice? mlc)
        {
            Gantry = cp.GantryDeg ?? Gantry;
            Collimator = cp.CollimatorDeg ?? Collimator;
            Couch = cp.CouchDeg ?? Couch;
            Iso = cp.IsocenterLps ?? Iso;
            foreach (RtDevicePosition p in cp.DevicePositions)
            {
                IReadOnlyList<double> v = p.PositionsMm;
                switch (p.Type)
                {
                    case "X" or "ASYMX":
                        Need(v, 2, id, p.Type);
                        (X1, X2) = (v[0], v[1]);
                        break;
                    case "Y" or "ASYMY":
                        Need(v, 2, id, p.Type);
                        (Y1, Y2) = (v[0], v[1]);
                        break;
                    case "MLCX" or "MLCY":
                        if (mlc is null || mlc.Type != p.Type)
                        {
                            throw new ArgumentException($"{id}: control point {cp.Index} positions {p.Type}, which the beam does not declare.");
                        }

                        Need(v, 2 * mlc.NumberOfPairs, id, p.Type);
                        Leaves = [.. v];
                        break;
                    default:
                        throw new ArgumentException($"{id}: beam limiting device type {p.Type} is not supported (X, Y, ASYMX, ASYMY, MLCX, MLCY).");
                }
            }
        }

        private static void Need(IReadOnlyList<double> v, int n, string id, string type)
        {
            if (v.Count != n)
            {
                throw new ArgumentException($"{id}: {type} has {v.Count} positions, expected {n}.");
            }
        }
    }
}
