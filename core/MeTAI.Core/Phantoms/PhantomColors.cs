namespace MeTAI.Core.Phantoms;

/// <summary>Display colours of the library's structures, after common planning-system conventions.</summary>
internal static class PhantomColors
{
    public static readonly RgbColor External = new(0, 200, 0);
    public static readonly RgbColor Ptv = new(255, 0, 0);
    public static readonly RgbColor Ctv = new(255, 128, 0);
    public static readonly RgbColor Gtv = new(255, 0, 255);
    public static readonly RgbColor Core = new(255, 255, 0);
    public static readonly RgbColor Lung = new(100, 150, 255);
    public static readonly RgbColor Bone = new(235, 225, 190);
    public static readonly RgbColor Rectum = new(150, 75, 0);
    public static readonly RgbColor Bladder = new(255, 230, 0);
    public static readonly RgbColor FemoralHeadLeft = new(0, 200, 255);
    public static readonly RgbColor FemoralHeadRight = new(0, 120, 255);
    public static readonly RgbColor Liver = new(170, 85, 60);
    public static readonly RgbColor Vessel = new(220, 20, 60);
    public static readonly RgbColor SuperiorTarget = new(255, 128, 0);
    public static readonly RgbColor InferiorTarget = new(255, 0, 128);
}
