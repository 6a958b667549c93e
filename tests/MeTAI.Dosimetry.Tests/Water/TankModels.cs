using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Dosimetry.Tests.Water;

/// <summary>Variants of the shipped 6MV model with one sub-source switched on or off, for tests that isolate an effect.</summary>
internal static class TankModels
{
    public static BeamModel Full() => BeamModel.Load(DosimetryPaths.BeamFile("6MV"));

    /// <summary>The 6MV head and spectrum with only a focal source of the given spot FWHM (no horns, softening, extra-focal, electrons).</summary>
    public static BeamModel FocalOnly(double spotFwhmMm = 0)
    {
        BeamModel m = Full();
        return m with
        {
            VirtualSource = new VirtualSourceModel { Primary = new PrimarySource { SpotFwhmXMm = spotFwhmMm, SpotFwhmYMm = spotFwhmMm } },
        };
    }

    public static BeamModel WithExtraFocal(double weight)
    {
        BeamModel m = FocalOnly();
        return m with { VirtualSource = m.VirtualSource with { ExtraFocal = Full().VirtualSource.ExtraFocal with { Weight = weight } } };
    }

    public static BeamModel WithElectrons(double weight)
    {
        BeamModel m = FocalOnly();
        return m with { VirtualSource = m.VirtualSource with { Electrons = Full().VirtualSource.Electrons with { Weight = weight } } };
    }
}
