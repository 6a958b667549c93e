using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

// Control point by control point: the machine state DICOM carries forward, and the segment between two control points.
public static partial class RtPlanBeams
{
    private static void AddBeam(List<DeliverySegment> list, RtBeam beam, string id, double meterset, Vec3? isoOverride, PatientPosition position)
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
                double gantry = DeliveryGeometry.MeanDeg(state.Gantry!.Value, next.Gantry!.Value);
                List<ApertureRect> rects = Rectangles(state, next, boundaries, mlcDevice?.Type);
                list.Add(new DeliverySegment(beam.Number, beam.Name, gantry, state.Collimator, state.Couch,
                    isoOverride ?? state.Iso!.Value, sad, rects, mu, position));
            }

            state = next;
        }
    }

    // The aperture between control points k and k + 1: jaws and leaves that move in between (dynamic MLC) are averaged.
    private static List<ApertureRect> Rectangles(CpState a, CpState b, double[]? boundaries, string? mlcType)
    {
        double x1 = 0.5 * (a.X1 + b.X1), x2 = 0.5 * (a.X2 + b.X2), y1 = 0.5 * (a.Y1 + b.Y1), y2 = 0.5 * (a.Y2 + b.Y2);
        if (boundaries is null || a.Leaves is null)
        {
            return DeliveryGeometry.Rectangles(x1, x2, y1, y2, null, null, null, false);
        }

        int n = boundaries.Length - 1;
        double[] la = a.Leaves, lb = b.Leaves ?? a.Leaves;
        var bankA = new double[n];
        var bankB = new double[n];
        for (int k = 0; k < n; k++)
        {
            bankA[k] = 0.5 * (la[k] + lb[k]);
            bankB[k] = 0.5 * (la[n + k] + lb[n + k]);
        }

        return DeliveryGeometry.Rectangles(x1, x2, y1, y2, bankA, bankB, boundaries, mlcType == "MLCY");
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
