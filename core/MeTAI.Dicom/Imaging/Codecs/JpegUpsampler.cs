namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// Upsamples a subsampled JPEG component to the image grid as libjpeg does by default (do_fancy_upsampling): for 2:1
/// horizontal, each output sample is ¾ of the nearer input and ¼ of the farther (T.81 leaves it open; libjpeg's
/// "triangle filter", rounding alternately up and down); for 2:1 both ways the same in two dimensions, the lines above
/// the first and below the last taken as copies of them; a component two or fewer samples wide, or any other ratio, is
/// replicated. dcmtk and GDCM decode with libjpeg, so this keeps our colour JPEG frames within the inverse DCT's rounding
/// of theirs.
/// </summary>
internal static class JpegUpsampler
{
    /// <summary>The component on the full <paramref name="width"/> × <paramref name="height"/> grid.</summary>
    public static int[] Upsample(Plane plane, int width, int height)
    {
        if (plane.SubsampleX == 1 && plane.SubsampleY == 1)
        {
            return plane.Samples;
        }

        var full = new int[width * height];
        bool fancy = plane.Width > 2 && plane.SubsampleX == 2;
        if (fancy && plane.SubsampleY == 1)
        {
            var line = new int[2 * plane.Width];
            for (int y = 0; y < height; y++)
            {
                HorizontalLine(plane.Samples.AsSpan(y * plane.Width, plane.Width), line);
                line.AsSpan(0, width).CopyTo(full.AsSpan(y * width));
            }

            return full;
        }

        if (fancy && plane.SubsampleY == 2)
        {
            var line = new int[2 * plane.Width];
            for (int y = 0; y < height; y++)
            {
                int row = y / 2;
                // Output line 2r leans on input line r−1, line 2r+1 on r+1 (edges repeat the first and last lines).
                int neighbour = Math.Clamp(y % 2 == 0 ? row - 1 : row + 1, 0, plane.Height - 1);
                BothLine(plane.Samples.AsSpan(row * plane.Width, plane.Width), plane.Samples.AsSpan(neighbour * plane.Width, plane.Width), line);
                line.AsSpan(0, width).CopyTo(full.AsSpan(y * width));
            }

            return full;
        }

        for (int y = 0; y < height; y++)
        {
            int row = Math.Min(y / plane.SubsampleY, plane.Height - 1) * plane.Width;
            for (int x = 0; x < width; x++)
            {
                full[(y * width) + x] = plane.Samples[row + Math.Min(x / plane.SubsampleX, plane.Width - 1)];
            }
        }

        return full;
    }

    /// <summary>libjpeg's h2v1 fancy upsampling of one line (input at least 3 samples).</summary>
    private static void HorizontalLine(ReadOnlySpan<int> input, Span<int> output)
    {
        int n = input.Length;
        output[0] = input[0];
        output[1] = ((input[0] * 3) + input[1] + 2) >> 2;
        for (int i = 1; i < n - 1; i++)
        {
            int v = input[i] * 3;
            output[2 * i] = (v + input[i - 1] + 1) >> 2;
            output[(2 * i) + 1] = (v + input[i + 1] + 2) >> 2;
        }

        output[(2 * n) - 2] = ((input[n - 1] * 3) + input[n - 2] + 1) >> 2;
        output[(2 * n) - 1] = input[n - 1];
    }

    /// <summary>libjpeg's h2v2 fancy upsampling of one output line from its input line and the nearer neighbouring line.</summary>
    private static void BothLine(ReadOnlySpan<int> near, ReadOnlySpan<int> far, Span<int> output)
    {
        int n = near.Length;
        int thisSum = (near[0] * 3) + far[0];
        int nextSum = (near[1] * 3) + far[1];
        output[0] = ((thisSum * 4) + 8) >> 4;
        output[1] = ((thisSum * 3) + nextSum + 7) >> 4;
        int lastSum = thisSum;
        thisSum = nextSum;
        for (int i = 1; i < n - 1; i++)
        {
            nextSum = (near[i + 1] * 3) + far[i + 1];
            output[2 * i] = ((thisSum * 3) + lastSum + 8) >> 4;
            output[(2 * i) + 1] = ((thisSum * 3) + nextSum + 7) >> 4;
            lastSum = thisSum;
            thisSum = nextSum;
        }

        output[(2 * n) - 2] = ((thisSum * 3) + lastSum + 8) >> 4;
        output[(2 * n) - 1] = ((thisSum * 4) + 7) >> 4;
    }
}
