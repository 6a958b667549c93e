namespace MeTAI.Core;

/// <summary>Unit conversions used across the system. Quantities carry their unit in their name (DESIGN.md).</summary>
public static class Units
{
    /// <summary>Millimetres per metre.</summary>
    public const double MmPerM = 1000.0;

    /// <summary>Millimetres per centimetre.</summary>
    public const double MmPerCm = 10.0;

    /// <summary>Degrees → radians.</summary>
    public static double DegToRad(double deg) => deg * (Math.PI / 180.0);

    /// <summary>Radians → degrees.</summary>
    public static double RadToDeg(double rad) => rad * (180.0 / Math.PI);
}
