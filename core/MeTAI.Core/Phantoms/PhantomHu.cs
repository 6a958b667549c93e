namespace MeTAI.Core.Phantoms;

/// <summary>
/// CT numbers (HU) that the built-in phantoms use, one per material. Under the project's default HU → density
/// calibration (piecewise linear through −1000 → 0.00121, 0 → 1.0 and 1000 → 1.85 g/cm³) they give the densities
/// noted on each value.
/// </summary>
public static class PhantomHu
{
    /// <summary>Air, −1000 HU (0.0012 g/cm³).</summary>
    public const short Air = -1000;

    /// <summary>Inflated lung, −740 HU (≈ 0.26 g/cm³).</summary>
    public const short Lung = -740;

    /// <summary>Adipose tissue, −100 HU (≈ 0.90 g/cm³).</summary>
    public const short Adipose = -100;

    /// <summary>Water, 0 HU (1.00 g/cm³); also water-equivalent phantom material and urine.</summary>
    public const short Water = 0;

    /// <summary>Generic soft tissue, 40 HU (≈ 1.03 g/cm³); also used for a hypodense liver tumour.</summary>
    public const short SoftTissue = 40;

    /// <summary>Muscle, 50 HU (≈ 1.04 g/cm³).</summary>
    public const short Muscle = 50;

    /// <summary>Liver parenchyma, 60 HU (≈ 1.05 g/cm³).</summary>
    public const short Liver = 60;

    /// <summary>Blood vessel with contrast agent, 180 HU (≈ 1.15 g/cm³).</summary>
    public const short VesselContrast = 180;

    /// <summary>Bone, +1000 HU (≈ 1.85 g/cm³).</summary>
    public const short Bone = 1000;

    /// <summary>Titanium (implants, instruments), 3071 HU: the top of the 12-bit CT range.</summary>
    public const short Titanium = 3071;
}
