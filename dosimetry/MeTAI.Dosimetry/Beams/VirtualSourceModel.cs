namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// The sub-sources of a photon beam model (Fippel 2003-style virtual source model, docs/beam-model.md): the focal
/// source, the extra-focal (head-scatter) source and the electron contamination. <see cref="Point"/> is the
/// point-source model (focal point only, no horns, no softening).
/// </summary>
public sealed record VirtualSourceModel
{
    /// <summary>The focal source.</summary>
    public required PrimarySource Primary { get; init; }

    /// <summary>The extra-focal photon source (weight 0: none).</summary>
    public ExtraFocalSource ExtraFocal { get; init; } = new();

    /// <summary>The electron contamination (weight 0: none).</summary>
    public ElectronContaminationSource Electrons { get; init; } = new();

    /// <summary>The point-source model.</summary>
    public static VirtualSourceModel Point { get; } = new() { Primary = PrimarySource.Point };

    /// <summary>True when this is a bare point source (no spot, horns, softening, extra-focal or electron source).</summary>
    public bool IsPoint => Primary.SpotFwhmXMm == 0 && Primary.SpotFwhmYMm == 0 && Primary.OffAxisSofteningPerCm == 0
        && Primary.OffAxisRelativeFluence.All(f => f == 1) && ExtraFocal.Weight == 0 && Electrons.Weight == 0;
}
