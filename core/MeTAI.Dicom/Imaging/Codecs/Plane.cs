namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>One decoded component at its own resolution: 1/<see cref="SubsampleX"/> × 1/<see cref="SubsampleY"/> of the image.</summary>
internal sealed class Plane(int subsampleX, int subsampleY, int width, int height)
{
    /// <summary>Image columns per component sample (1 for full resolution, 2 for 4:2:2 chroma).</summary>
    public int SubsampleX { get; } = subsampleX;

    /// <summary>Image rows per component sample.</summary>
    public int SubsampleY { get; } = subsampleY;

    /// <summary>Samples per line: ⌈image width / SubsampleX⌉ (libjpeg's downsampled width).</summary>
    public int Width { get; } = width;

    /// <summary>Lines: ⌈image height / SubsampleY⌉.</summary>
    public int Height { get; } = height;

    /// <summary>The samples, row-major.</summary>
    public int[] Samples { get; } = new int[width * height];
}
