namespace MeTAI.Planner.Commissioning;

/// <summary>The successive fits of the commissioning, in the order they run (docs/commissioning.md).</summary>
public enum FitStage
{
    /// <summary>Spectrum (energy scaling) from the depth doses beyond dmax.</summary>
    Spectrum,

    /// <summary>Focal-spot size from the 80–20 % penumbrae.</summary>
    Spot,

    /// <summary>Extra-focal (head-scatter) source weight and width from the output factors.</summary>
    ExtraFocal,

    /// <summary>Electron contamination from the build-up region of the depth doses.</summary>
    Contamination,
}
