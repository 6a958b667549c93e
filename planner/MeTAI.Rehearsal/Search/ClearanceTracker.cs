using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Search;

/// <summary>
/// Follows one ROI to avoid (its boundary points embedded in the mesh) and measures, each step, the distance from the
/// needle shaft's surface to the nearest deformed boundary point. A needle that starts outside the ROI can only enter it
/// through its boundary, so the minimum over an insertion is a clearance (≈ 0 when it crossed, within the point spacing).
/// </summary>
public sealed class ClearanceTracker
{
    private readonly EmbeddedPoints _points;
    private readonly int[] _tets;

    /// <summary>Tracks <paramref name="points"/> (boundary points of ROI <paramref name="name"/>).</summary>
    public ClearanceTracker(string name, EmbeddedPoints points, TetMesh mesh)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(mesh);
        Name = name;
        _points = points;
        _tets = mesh.Tets;
        MinClearanceMm = double.PositiveInfinity;
    }

    /// <summary>ROI name.</summary>
    public string Name { get; }

    /// <summary>Smallest clearance since <see cref="Reset"/>, mm (shaft surface to ROI boundary).</summary>
    public double MinClearanceMm { get; private set; }

    /// <summary>Where the smallest clearance occurred: the ROI point, LPS mm.</summary>
    public Vec3 ClosestPointLps { get; private set; }

    /// <summary>Forgets the minimum.</summary>
    public void Reset()
    {
        MinClearanceMm = double.PositiveInfinity;
        ClosestPointLps = default;
    }

    /// <summary>Updates the minimum with the shaft from <paramref name="tipLps"/> back to <paramref name="hubLps"/>.</summary>
    /// <returns>This step's clearance, mm.</returns>
    public double Update(SoftBodyState state, Vec3 tipLps, Vec3 hubLps, double needleRadiusMm)
    {
        ArgumentNullException.ThrowIfNull(state);
        float[] p = state.Positions;
        SoftBodyModel model = state.Model;

        // In solver coordinates (m) to avoid converting every point.
        model.ToSolver(tipLps, out float ax, out float ay, out float az);
        model.ToSolver(hubLps, out float bx, out float by, out float bz);
        float abx = bx - ax, aby = by - ay, abz = bz - az;
        float abLen2 = abx * abx + aby * aby + abz * abz;
        float inv = abLen2 > 0 ? 1f / abLen2 : 0f;
        float best = float.PositiveInfinity;
        float qx = 0, qy = 0, qz = 0;
        float[] w = _points.Weights;
        int[] tet = _points.Tet;
        for (int i = 0; i < _points.Count; i++)
        {
            int t = 4 * tet[i];
            int n0 = _tets[t] << 2, n1 = _tets[t + 1] << 2, n2 = _tets[t + 2] << 2, n3 = _tets[t + 3] << 2;
            float w0 = w[4 * i], w1 = w[4 * i + 1], w2 = w[4 * i + 2], w3 = w[4 * i + 3];
            float x = w0 * p[n0] + w1 * p[n1] + w2 * p[n2] + w3 * p[n3];
            float y = w0 * p[n0 + 1] + w1 * p[n1 + 1] + w2 * p[n2 + 1] + w3 * p[n3 + 1];
            float z = w0 * p[n0 + 2] + w1 * p[n1 + 2] + w2 * p[n2 + 2] + w3 * p[n3 + 2];
            float u = Math.Clamp(((x - ax) * abx + (y - ay) * aby + (z - az) * abz) * inv, 0f, 1f);
            float dx = x - (ax + u * abx), dy = y - (ay + u * aby), dz = z - (az + u * abz);
            float d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < best)
            {
                best = d2;
                qx = x;
                qy = y;
                qz = z;
            }
        }

        double clearance = Math.Sqrt(best) * 1000.0 - needleRadiusMm;
        if (clearance < MinClearanceMm)
        {
            MinClearanceMm = clearance;
            ClosestPointLps = model.ToLps(qx, qy, qz);
        }

        return clearance;
    }
}
