using MeTAI.Dicom.Imaging;

namespace MeTAI.Dicom.Tests.Imaging;

/// <summary>
/// What dcmtk and GDCM do not write but the lossless JPEG standard allows and other encoders do: restart intervals
/// (RSTn markers, the first line of each interval predicted like the first line of the scan), one scan per colour
/// component, 16-bit samples with differences of 32768 (category 16). The codestreams come from a small encoder in
/// this file that follows T.81 Annex H; our decoder must give back exactly what it was given.
/// </summary>
public class JpegLosslessDecoderTests
{
    [Theory]
    [InlineData(1, 0, 16, 1)]
    [InlineData(7, 2, 16, 1)]
    [InlineData(6, 1, 16, 1)]
    [InlineData(4, 3, 12, 1)]
    [InlineData(5, 2, 8, 3)]
    [InlineData(2, 0, 8, 3)]
    public void Decode_RestartIntervalsAndScansPerComponent_GiveTheSamplesBack(int predictor, int restartLines, int precision, int components)
    {
        const int width = 13, height = 11;
        var rng = new Random((predictor * 100) + (restartLines * 10) + components);
        int max = (1 << precision) - 1;
        var samples = new int[components][];
        for (int c = 0; c < components; c++)
        {
            samples[c] = new int[width * height];
            for (int i = 0; i < samples[c].Length; i++)
            {
                // Jumps across the whole range (differences of ±2^15 at 16 bits) and flat stretches.
                samples[c][i] = i % 7 == 0 ? rng.Next(0, max + 1) : i % 5 == 0 ? max : (i * 37) & max;
            }
        }

        byte[] codestream = LosslessEncoder.Encode(samples, width, height, precision, predictor, restartLines, scanPerComponent: components > 1);
        DicomDataset ds = Image(width, height, components, precision <= 8 ? 8 : 16, precision);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [codestream]));
        byte[] frame = DicomPixelData.Create(ds, DicomTransferSyntax.JpegLossless).GetFrame(0);

        int size = precision <= 8 ? 1 : 2;
        for (int p = 0; p < width * height; p++)
        {
            for (int c = 0; c < components; c++)
            {
                int at = ((p * components) + c) * size;
                int value = size == 1 ? frame[at] : frame[at] | (frame[at + 1] << 8);
                Assert.True(samples[c][p] == value, $"pixel {p} component {c}: {value}, expected {samples[c][p]}");
            }
        }
    }

    [Fact]
    public void Decode_RestartMarkerMissing_IsRefused()
    {
        var samples = new[] { Enumerable.Range(0, 8 * 6).Select(i => i * 5).ToArray() };
        byte[] codestream = LosslessEncoder.Encode(samples, 8, 6, 12, 1, 2, scanPerComponent: false);
        // Turn the first RST0 (FF D0) into a COM marker code: the interval no longer ends where it must.
        int rst = Enumerable.Range(0, codestream.Length - 1).First(i => codestream[i] == 0xFF && codestream[i + 1] == 0xD0);
        codestream[rst + 1] = 0xFE;
        DicomDataset ds = Image(8, 6, 1, 16, 12);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [codestream]));
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.JpegLossless).GetFrame(0));
        Assert.Contains("frame 0: JPEG codestream: its scan has marker FF FE where a restart marker (RSTn) must end the interval before line 2", ex.Message, StringComparison.Ordinal);
    }

    private static DicomDataset Image(int width, int height, int samples, int bitsAllocated, int bitsStored)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, height);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, width);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, samples);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, bitsAllocated);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, bitsStored);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, 0);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, samples == 3 ? "RGB" : "MONOCHROME2");
        return ds;
    }

    /// <summary>
    /// A minimal lossless JPEG encoder (T.81 Annex H) for these tests: one Huffman table giving every difference
    /// category 0–16 a 5-bit code, a DRI segment and RSTn markers every <c>restartLines</c> lines, one interleaved scan
    /// or one scan per component.
    /// </summary>
    private static class LosslessEncoder
    {
        public static byte[] Encode(int[][] planes, int width, int height, int precision, int predictor, int restartLines, bool scanPerComponent)
        {
            var o = new List<byte> { 0xFF, 0xD8 };
            int n = planes.Length;
            Segment(o, 0xC3, [(byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)n, .. Enumerable.Range(0, n).SelectMany(c => new byte[] { (byte)(c + 1), 0x11, 0 })]);
            var counts = new byte[16];
            counts[4] = 17;
            Segment(o, 0xC4, [0x00, .. counts, .. Enumerable.Range(0, 17).Select(v => (byte)v)]);
            if (restartLines > 0)
            {
                Segment(o, 0xDD, [(byte)((restartLines * width) >> 8), (byte)(restartLines * width)]);
            }

            int[][] groups = scanPerComponent ? [.. Enumerable.Range(0, n).Select(c => new[] { c })] : [[.. Enumerable.Range(0, n)]];
            foreach (int[] group in groups)
            {
                Segment(o, 0xDA, [(byte)group.Length, .. group.SelectMany(c => new byte[] { (byte)(c + 1), 0x00 }), (byte)predictor, 0, 0]);
                Scan(o, planes, group, width, height, precision, predictor, restartLines);
            }

            o.AddRange([0xFF, 0xD9]);
            return [.. o];
        }

        private static void Segment(List<byte> o, byte marker, byte[] body)
        {
            o.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            o.AddRange(body);
        }

        private static void Scan(List<byte> o, int[][] planes, int[] group, int width, int height, int precision, int predictor, int restartLines)
        {
            var bits = new BitWriter(o);
            int restart = 0;
            bool first = true;
            for (int y = 0; y < height; y++)
            {
                if (restartLines > 0 && y > 0 && y % restartLines == 0)
                {
                    bits.Flush();
                    o.AddRange([0xFF, (byte)(0xD0 + (restart++ % 8))]);
                    first = true;
                }

                for (int x = 0; x < width; x++)
                {
                    foreach (int c in group)
                    {
                        int[] p = planes[c];
                        int at = (y * width) + x;
                        int prediction = first ? (x == 0 ? 1 << (precision - 1) : p[at - 1])
                            : x == 0 ? p[at - width]
                            : predictor switch
                            {
                                1 => p[at - 1],
                                2 => p[at - width],
                                3 => p[at - width - 1],
                                4 => p[at - 1] + p[at - width] - p[at - width - 1],
                                5 => p[at - 1] + ((p[at - width] - p[at - width - 1]) >> 1),
                                6 => p[at - width] + ((p[at - 1] - p[at - width - 1]) >> 1),
                                _ => (p[at - 1] + p[at - width]) >> 1,
                            };
                        int diff = (p[at] - prediction) & 0xFFFF;
                        diff = diff >= 32768 ? diff - 65536 : diff;
                        int category = diff == -32768 ? 16 : diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                        bits.Write(category, 5);
                        if (category is > 0 and < 16)
                        {
                            bits.Write(diff > 0 ? diff : diff + (1 << category) - 1, category);
                        }
                    }
                }

                first = false;
            }

            bits.Flush();
        }

        private sealed class BitWriter(List<byte> output)
        {
            private int _buffer;
            private int _count;

            public void Write(int value, int length)
            {
                for (int i = length - 1; i >= 0; i--)
                {
                    _buffer = (_buffer << 1) | ((value >> i) & 1);
                    if (++_count == 8)
                    {
                        Emit();
                    }
                }
            }

            public void Flush()
            {
                while (_count != 0)
                {
                    Write(1, 1);
                }
            }

            private void Emit()
            {
                output.Add((byte)_buffer);
                if (_buffer == 0xFF)
                {
                    output.Add(0x00);
                }

                _buffer = 0;
                _count = 0;
            }
        }
    }
}
