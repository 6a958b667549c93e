using MeTAI.Dosimetry.Beams;

namespace MeTAI.Dosimetry.Water;

/// <summary>
/// One water-tank measurement set-up: gantry 0, collimator 0, the jaws (and leaves) at <see cref="Collimation"/>
/// (mm at the isocentre plane), the water surface at <see cref="SsdMm"/> from the source.
/// </summary>
public sealed record WaterTankField
{
    /// <summary>Jaws and, optionally, leaves.</summary>
    public required CollimatorSettings Collimation { get; init; }

    /// <summary>Source–surface distance, mm (the SAD for an SSD set-up; SAD − depth for an isocentric one).</summary>
    public double SsdMm { get; init; } = 1000;

    /// <summary>A jaw field of <paramref name="xMm"/> × <paramref name="yMm"/> (leaves retracted) at SSD <paramref name="ssdMm"/>.</summary>
    public static WaterTankField Jaws(double xMm, double yMm, double ssdMm = 1000) => new() { Collimation = CollimatorSettings.JawField(xMm, yMm), SsdMm = ssdMm };

    /// <summary>A square jaw field of side <paramref name="sideMm"/> at SSD <paramref name="ssdMm"/>.</summary>
    public static WaterTankField Square(double sideMm, double ssdMm = 1000) => Jaws(sideMm, sideMm, ssdMm);
}
