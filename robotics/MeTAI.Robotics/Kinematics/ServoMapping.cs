namespace MeTAI.Robotics.Kinematics;

/// <summary>Joint angle ↔ servo counts: <c>counts = centre + direction·(q − offset)·countsPerRev/2π</c>.</summary>
public sealed class ServoMapping
{
    /// <summary>Creates a mapping; XM430 defaults (4096 counts per revolution, centre 2048).</summary>
    public ServoMapping(int countsPerRevolution = 4096, int centerCount = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(countsPerRevolution, 2);
        CountsPerRevolution = countsPerRevolution;
        CenterCount = centerCount;
        CountsPerRad = countsPerRevolution / (2 * Math.PI);
    }

    /// <summary>Encoder counts per revolution.</summary>
    public int CountsPerRevolution { get; }

    /// <summary>Counts at the joint's offset angle.</summary>
    public int CenterCount { get; }

    /// <summary>Counts per radian.</summary>
    public double CountsPerRad { get; }

    /// <summary>Joint angle → counts (rounded to nearest).</summary>
    public int ToCounts(double jointRad, JointSpec joint) =>
        CenterCount + (int)Math.Round(joint.Direction * (jointRad - joint.OffsetRad) * CountsPerRad);

    /// <summary>Counts → joint angle.</summary>
    public double ToRad(int counts, JointSpec joint) =>
        joint.OffsetRad + joint.Direction * (counts - CenterCount) / CountsPerRad;
}
