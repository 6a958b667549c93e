using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Training;

/// <summary>
/// A capsule: every point within <paramref name="Radius"/> of the segment from <paramref name="A"/> to
/// <paramref name="B"/> (a sphere when they coincide). The training tasks' vessel to avoid. All three values share one
/// length unit, named by whoever holds the capsule (<see cref="TrainingTask.VesselMm"/> in millimetres relative to the
/// home tip, <see cref="TrainingTask.VesselM"/> in metres in the robot base frame).
/// </summary>
/// <param name="A">One end of the centre segment.</param>
/// <param name="B">The other end of the centre segment.</param>
/// <param name="Radius">Radius around the segment (&gt; 0).</param>
public readonly record struct TrainingCapsule(Vec3 A, Vec3 B, double Radius)
{
    /// <summary>Distance from <paramref name="point"/> to the centre segment.</summary>
    public double DistanceToSegment(Vec3 point)
    {
        Vec3 ab = B - A;
        double lengthSq = ab.LengthSquared;
        double t = lengthSq > 0 ? Math.Clamp(Vec3.Dot(point - A, ab) / lengthSq, 0, 1) : 0;
        return Vec3.Distance(point, A + ab * t);
    }

    /// <summary>
    /// Signed distance from <paramref name="point"/> to the capsule's surface: positive outside, zero on it, negative
    /// inside (minus the depth below the surface).
    /// </summary>
    public double SurfaceDistance(Vec3 point) => DistanceToSegment(point) - Radius;

    /// <summary>The capsule moved by <paramref name="offset"/> and scaled by <paramref name="scale"/> (offset + scale × each value).</summary>
    public TrainingCapsule Placed(Vec3 offset, double scale) => new(offset + A * scale, offset + B * scale, Radius * scale);
}
