namespace MeTAI.Dosimetry.Beams;

/// <summary>What the source emits.</summary>
public enum ParticleKind
{
    /// <summary>Photons (the clinical case).</summary>
    Photon = 0,

    /// <summary>Electrons (validation beams).</summary>
    Electron = 1,
}
