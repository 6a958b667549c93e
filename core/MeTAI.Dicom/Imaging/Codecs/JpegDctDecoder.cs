using System.Runtime.CompilerServices;
using JpegLibrary;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// JPEG baseline and extended sequential DCT, Huffman-coded (processes 1, 2 and 4; SOF0 and SOF1, 8 and 12 bits)
/// through JpegLibrary (NuGet). JpegLibrary gives each component's samples after the inverse DCT; here they are
/// range-limited to 0…2^P−1 and subsampled chroma is upsampled as libjpeg (dcmtk, GDCM) does by default — "fancy"
/// triangle interpolation for 2:1 horizontal (4:2:2) and 2:1 both ways (4:2:0), replication otherwise — so that only
/// the inverse DCT's rounding differs from dcmtk's. No colour conversion: YCbCr stays YCbCr (the frames of a
/// YBR_FULL_422 image are YBR_FULL).
/// </summary>
internal static class JpegDctDecoder
{
    /// <summary>Decodes one SOF0/SOF1 codestream into the frame.</summary>
    /// <exception cref="FormatException">Malformed codestream (the caller names the frame).</exception>
    public static void Decode(ReadOnlyMemory<byte> data, FrameFormat format, Span<byte> destination, int frameIndex)
    {
        var decoder = new JpegDecoder();
        decoder.SetInput(data);
        try
        {
            decoder.Identify();
            int width = decoder.Width, height = decoder.Height, count = decoder.NumberOfComponents, precision = decoder.Precision;
            format.Check(frameIndex, "JPEG", width, height, count, precision);
            int maxH = decoder.GetMaximumHorizontalSampling(), maxV = decoder.GetMaximumVerticalSampling();
            var planes = new Plane[count];
            for (int c = 0; c < count; c++)
            {
                int h = decoder.GetHorizontalSampling(c), v = decoder.GetVerticalSampling(c);
                if (h < 1 || v < 1 || maxH % h != 0 || maxV % v != 0)
                {
                    throw new FormatException($"component {c} has sampling factors {h}×{v} that do not divide the largest ({maxH}×{maxV})");
                }

                planes[c] = new Plane(maxH / h, maxV / v, ((width * h) + maxH - 1) / maxH, ((height * v) + maxV - 1) / maxV);
            }

            decoder.SetOutputWriter(new PlaneWriter(planes, (1 << precision) - 1));
            decoder.Decode();
            var sink = new FrameSink(destination, format, precision, codestreamSigned: false);
            for (int c = 0; c < count; c++)
            {
                int[] full = JpegUpsampler.Upsample(planes[c], width, height);
                for (int p = 0; p < full.Length; p++)
                {
                    sink.Set(p, c, full[p]);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
        catch (IndexOutOfRangeException ex)
        {
            throw new FormatException("its codestream is inconsistent: " + ex.Message, ex);
        }
    }

    /// <summary>Collects the 8×8 blocks JpegLibrary writes (already expanded by replication) back into each component's own grid.</summary>
    private sealed class PlaneWriter(Plane[] planes, int maxValue) : JpegBlockOutputWriter
    {
        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            Plane plane = planes[componentIndex];
            for (int i = 0; i < 8; i++)
            {
                int py = (y + i) / plane.SubsampleY;
                if (py >= plane.Height)
                {
                    break;
                }

                for (int j = 0; j < 8; j++)
                {
                    int px = (x + j) / plane.SubsampleX;
                    if (px >= plane.Width)
                    {
                        break;
                    }

                    plane.Samples[(py * plane.Width) + px] = Math.Clamp((int)Unsafe.Add(ref blockRef, (i * 8) + j), 0, maxValue);
                }
            }
        }
    }
}
