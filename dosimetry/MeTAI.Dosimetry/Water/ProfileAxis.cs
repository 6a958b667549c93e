namespace MeTAI.Dosimetry.Water;

/// <summary>Direction of a water-tank profile scan (gantry 0, collimator 0).</summary>
public enum ProfileAxis
{
    /// <summary>Crossline: along the X jaws / leaf travel (IEC X; LPS x in the tank).</summary>
    Crossline = 0,

    /// <summary>Inline: along the Y jaws, across the leaves (IEC Y, toward the gantry; LPS z in the tank).</summary>
    Inline = 1,
}
