namespace MeTAI.Dosimetry.Commissioning;

/// <summary>What a measured scan is (IEC 61217 beam-limiting-device axes: crossline = X, inline = Y, gun–target).</summary>
public enum CurveKind
{
    /// <summary>Percentage depth dose along the central axis; positions are depths in mm.</summary>
    DepthDose,

    /// <summary>Lateral profile along X (crossline, crossplane); positions are off-axis distances in mm.</summary>
    CrosslineProfile,

    /// <summary>Lateral profile along Y (inline, inplane, gun–target); positions are off-axis distances in mm.</summary>
    InlineProfile,
}
