using System.Globalization;
using MeTAI.Core.Geometry;

namespace MeTAI.Core.Trajectories;

/// <summary>
/// A safety corridor: a tube of <see cref="RadiusMm"/> around a centreline polyline (<see cref="PointsLps"/>, at least
/// two points) from outside the skin to the target, plus the planned skin <see cref="EntryLps"/> and
/// <see cref="TargetLps"/>. The controller's virtual fixture queries it every control cycle (1 ms): every query here is
/// O(segments) and allocation-free. The tube is the union of capsules around the segments (round at the ends).
/// Values are in patient LPS millimetres unless <see cref="Frame"/> names another frame (see <see cref="Transformed"/>).
/// </summary>
public sealed class Corridor
{
    /// <summary>The frame of rehearsal output and of every corridor/trajectory JSON file: DICOM patient LPS, millimetres.</summary>
    public const string PatientLpsMm = "patient LPS mm";

    private readonly Vec3[] _points;
    private readonly Vec3[] _segmentDirections;
    private readonly double[] _segmentLengths;
    private readonly double[] _arcStart;

    /// <summary>Creates a corridor in patient LPS millimetres and validates it.</summary>
    /// <param name="pointsLps">Centreline, ≥ 2 finite points, consecutive points distinct.</param>
    /// <param name="radiusMm">Tube radius, positive and finite.</param>
    /// <param name="entryLps">Planned skin entry point; must lie inside the corridor.</param>
    /// <param name="targetLps">Target point; must lie inside the corridor.</param>
    /// <exception cref="ArgumentException">A rule is broken; the message names the field (<c>points[2]</c>, <c>radiusMm</c> …).</exception>
    public Corridor(IEnumerable<Vec3> pointsLps, double radiusMm, Vec3 entryLps, Vec3 targetLps)
        : this(pointsLps, radiusMm, entryLps, targetLps, PatientLpsMm)
    {
    }

    /// <summary>Creates a corridor in a named frame and validates it (the rules of the LPS constructor).</summary>
    public Corridor(IEnumerable<Vec3> pointsLps, double radiusMm, Vec3 entryLps, Vec3 targetLps, string frame)
    {
        ArgumentNullException.ThrowIfNull(pointsLps);
        ArgumentException.ThrowIfNullOrWhiteSpace(frame);
        Vec3[] points = [.. pointsLps];
        if (points.Length < 2)
        {
            throw new ArgumentException($"points: a corridor needs at least 2 points, got {points.Length}.", nameof(pointsLps));
        }

        for (int n = 0; n < points.Length; n++)
        {
            if (!points[n].IsFinite)
            {
                throw new ArgumentException($"points[{n}] must be finite, got {points[n]}.", nameof(pointsLps));
            }
        }

        if (!(radiusMm > 0) || !double.IsFinite(radiusMm))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"radiusMm must be positive and finite, got {radiusMm}."), nameof(radiusMm));
        }

        if (!entryLps.IsFinite)
        {
            throw new ArgumentException($"entryLps must be finite, got {entryLps}.", nameof(entryLps));
        }

        if (!targetLps.IsFinite)
        {
            throw new ArgumentException($"targetLps must be finite, got {targetLps}.", nameof(targetLps));
        }

        _points = points;
        _segmentDirections = new Vec3[points.Length - 1];
        _segmentLengths = new double[points.Length - 1];
        _arcStart = new double[points.Length - 1];
        double arc = 0;
        for (int s = 0; s < _segmentLengths.Length; s++)
        {
            Vec3 d = points[s + 1] - points[s];
            double length = d.Length;
            if (!(length > 1e-9 * Math.Max(1, radiusMm)))
            {
                throw new ArgumentException($"points[{s}] and points[{s + 1}] coincide; consecutive centreline points must differ.", nameof(pointsLps));
            }

            _segmentDirections[s] = d / length;
            _segmentLengths[s] = length;
            _arcStart[s] = arc;
            arc += length;
        }

        LengthMm = arc;
        RadiusMm = radiusMm;
        EntryLps = entryLps;
        TargetLps = targetLps;
        Frame = frame;

        // Loose tolerance: a corridor transformed into metres keeps the same relative geometry.
        double tolerance = radiusMm * (1 + 1e-6);
        if (Query(entryLps).Distance > tolerance)
        {
            throw new ArgumentException($"entryLps {entryLps} lies outside the corridor (radius {radiusMm}).", nameof(entryLps));
        }

        if (Query(targetLps).Distance > tolerance)
        {
            throw new ArgumentException($"targetLps {targetLps} lies outside the corridor (radius {radiusMm}).", nameof(targetLps));
        }
    }

    /// <summary>Centreline points (in <see cref="Frame"/>; patient LPS mm by default).</summary>
    public ReadOnlySpan<Vec3> PointsLps => _points;

    /// <summary>Tube radius (mm in patient LPS).</summary>
    public double RadiusMm { get; }

    /// <summary>Planned skin entry point.</summary>
    public Vec3 EntryLps { get; }

    /// <summary>Target point.</summary>
    public Vec3 TargetLps { get; }

    /// <summary>Total centreline length.</summary>
    public double LengthMm { get; }

    /// <summary>Frame and unit of the values: <see cref="PatientLpsMm"/> unless this is a <see cref="Transformed"/> copy.</summary>
    public string Frame { get; }

    /// <summary>True when the values are in patient LPS millimetres (the only frame JSON files hold).</summary>
    public bool IsPatientLps => Frame == PatientLpsMm;

    /// <summary>Everything the virtual fixture needs about <paramref name="point"/>, in one pass. Does not allocate.</summary>
    public CorridorQuery Query(Vec3 point)
    {
        double bestSq = double.PositiveInfinity;
        Vec3 bestPoint = _points[0];
        int bestSegment = 0;
        double bestArc = 0;
        for (int s = 0; s < _segmentLengths.Length; s++)
        {
            Vec3 a = _points[s];
            double t = Vec3.Dot(point - a, _segmentDirections[s]);
            t = t < 0 ? 0 : (t > _segmentLengths[s] ? _segmentLengths[s] : t);
            Vec3 c = a + _segmentDirections[s] * t;
            double dSq = (point - c).LengthSquared;

            // Strictly less: at a shared vertex the earlier segment keeps the point, so queries are deterministic.
            if (dSq < bestSq)
            {
                bestSq = dSq;
                bestPoint = c;
                bestSegment = s;
                bestArc = _arcStart[s] + t;
            }
        }

        double distance = Math.Sqrt(bestSq);
        return new CorridorQuery(bestPoint, distance, distance - RadiusMm, _segmentDirections[bestSegment], bestSegment, bestArc);
    }

    /// <summary>Closest point on the centreline.</summary>
    public Vec3 ClosestPoint(Vec3 point) => Query(point).ClosestPoint;

    /// <summary>Distance from <paramref name="point"/> to the centreline.</summary>
    public double DistanceToCenterline(Vec3 point) => Query(point).Distance;

    /// <summary>Signed depth beyond the wall (distance − radius): positive outside, negative inside.</summary>
    public double PenetrationDepth(Vec3 point) => Query(point).Penetration;

    /// <summary>Unit centreline tangent (towards the target) at the point closest to <paramref name="point"/>.</summary>
    public Vec3 TangentAt(Vec3 point) => Query(point).Tangent;

    /// <summary>True when <paramref name="point"/> lies inside the tube or on its wall.</summary>
    public bool Contains(Vec3 point) => Query(point).IsInside;

    /// <summary>
    /// A copy in another frame, e.g. the robot base after the patient → robot registration. Points go through
    /// <paramref name="transform"/>; the radius scales with its uniform scale. The transform must be rigid, or rigid
    /// times a uniform scale: the robot works in metres, so a registration whose linear part is <c>R·0.001</c>
    /// carries the mm → m change and the copy's lengths (radius included) are then in metres. Name the frame
    /// accordingly (e.g. <c>"robot base m"</c>); only <see cref="PatientLpsMm"/> corridors are written to JSON.
    /// </summary>
    /// <exception cref="ArgumentException">The linear part is not a rotation times a positive uniform scale.</exception>
    public Corridor Transformed(Transform transform, string frame)
    {
        double scale = UniformScaleOf(transform);
        var points = new Vec3[_points.Length];
        for (int n = 0; n < points.Length; n++)
        {
            points[n] = transform.Apply(_points[n]);
        }

        return new Corridor(points, RadiusMm * scale, transform.Apply(EntryLps), transform.Apply(TargetLps), frame);
    }

    /// <summary>The uniform scale s of a transform whose linear part is s·R (R a rotation); throws otherwise.</summary>
    internal static double UniformScaleOf(Transform transform)
    {
        Mat3 l = transform.Linear;
        double det = l.Determinant;
        if (!double.IsFinite(det) || !(det > 0))
        {
            throw new ArgumentException("The transform must be a rotation times a positive uniform scale (determinant > 0).", nameof(transform));
        }

        double scale = Math.Cbrt(det);
        Mat3 r = new(
            l.M00 / scale, l.M01 / scale, l.M02 / scale,
            l.M10 / scale, l.M11 / scale, l.M12 / scale,
            l.M20 / scale, l.M21 / scale, l.M22 / scale);
        if (!r.IsRotation(1e-6) || !transform.Translation.IsFinite)
        {
            throw new ArgumentException("The transform must be a rotation times a uniform scale (no shear, no mirroring).", nameof(transform));
        }

        return scale;
    }
}
