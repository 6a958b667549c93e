using MeTAI.Dicom.Imaging;

namespace MeTAI.Dicom.Tests.Imaging;

public class DicomPixelDataTests
{
    private static DicomDataset Image(int rows, int cols, int samples, int bits, int planar = 0, int frames = 1)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, rows);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, cols);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, samples);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, bits);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, bits);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, planar);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, samples == 3 ? "RGB" : "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        return ds;
    }

    [Fact]
    public void GetFrame_NativeMultiFrame16Bit_GivesTypedFrames()
    {
        DicomDataset ds = Image(2, 2, 1, 16, frames: 2);
        short[] all = [1, -2, 3, -4, 5, -6, 7, -8];
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, System.Runtime.InteropServices.MemoryMarshal.AsBytes(all.AsSpan()).ToArray());
        DicomPixelData p = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(2, p.NumberOfFrames);
        Assert.Equal(8, p.FrameLength);
        Assert.Equal(new short[] { 5, -6, 7, -8 }, p.GetFrame<short>(1));
        Assert.Throws<ArgumentException>(() => p.GetFrame<int>(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.GetFrame(2));
    }

    [Fact]
    public void GetFrame_PlanarConfigurationOne_IsInterleaved()
    {
        DicomDataset ds = Image(1, 2, 3, 8, planar: 1);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2, 10, 20, 100, 200 }); // RR GG BB
        byte[] frame = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).GetFrame(0);
        Assert.Equal(new byte[] { 1, 10, 100, 2, 20, 200 }, frame);
    }

    [Fact]
    public void Create_ShortPixelData_Throws()
    {
        DicomDataset ds = Image(4, 4, 1, 16);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[30]);
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(DicomTags.PixelData, ex.Tag);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)")]
    [InlineData("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression")]
    [InlineData("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level")]
    [InlineData("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)")]
    [InlineData("1.2.3.4.5", "unknown transfer syntax")]
    public void Create_SyntaxWithoutDecoder_ThrowsUnsupportedTransferSyntax(string uid, string name)
    {
        DicomDataset ds = Image(4, 4, 1, 8);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [new byte[] { 0xFF, 0xD8 }]));
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.Lookup(uid)));
        Assert.Contains($"unsupported transfer syntax {uid} ({name})", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(1, 16)]
    [InlineData(3, 8)]
    [InlineData(3, 16)]
    [InlineData(1, 32)]
    [InlineData(3, 32)]
    public void GetFrame_RleLossless_DecodesEveryBytePlane(int samples, int bits)
    {
        const int rows = 7, cols = 9;
        int bytesPerSample = bits / 8, pixels = rows * cols;
        var expected = new byte[pixels * samples * bytesPerSample];
        var rng = new Random(bits * 10 + samples);
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)(i % 11 < 6 ? 7 : rng.Next(256)); // runs and literals
        }

        // Encode per PS3.5 Annex G: one segment per byte plane per sample, most significant plane first.
        var segments = new List<byte[]>();
        for (int s = 0; s < samples; s++)
        {
            for (int plane = 0; plane < bytesPerSample; plane++)
            {
                var raw = new byte[pixels];
                for (int p = 0; p < pixels; p++)
                {
                    raw[p] = expected[(((p * samples) + s) * bytesPerSample) + (bytesPerSample - 1 - plane)];
                }

                segments.Add(RleTestEncoder.PackBits(raw));
            }
        }

        byte[] frame = RleTestEncoder.Frame(segments);
        DicomDataset ds = Image(rows, cols, samples, bits);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [frame]));
        DicomPixelData data = DicomPixelData.Create(ds, DicomTransferSyntax.RleLossless);
        Assert.Equal(expected, data.GetFrame(0));
    }

    [Fact]
    public void GetFrame_RleWithWrongSegmentCount_Throws()
    {
        byte[] frame = RleTestEncoder.Frame([RleTestEncoder.PackBits(new byte[4])]);
        DicomDataset ds = Image(2, 2, 1, 16);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [frame]));
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.RleLossless).GetFrame(0));
        Assert.Contains("segments", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GetFrame_RleFrameTooSmallForTheImage_RefusesBeforeAllocating()
    {
        byte[] frame = RleTestEncoder.Frame([[0x81, 0]]); // one run of 128 zeros
        DicomDataset ds = Image(4000, 4000, 1, 8);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [frame]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.RleLossless).GetFrame(0));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }
}

/// <summary>A plain PackBits encoder (literal runs and replicate runs), to make RLE test data.</summary>
internal static class RleTestEncoder
{
    public static byte[] PackBits(byte[] data)
    {
        var output = new List<byte>();
        int i = 0;
        while (i < data.Length)
        {
            int run = 1;
            while (i + run < data.Length && run < 128 && data[i + run] == data[i])
            {
                run++;
            }

            if (run >= 2)
            {
                output.Add((byte)(sbyte)(1 - run));
                output.Add(data[i]);
                i += run;
                continue;
            }

            int start = i, length = 0;
            while (i < data.Length && length < 128 && (i + 1 >= data.Length || data[i + 1] != data[i]))
            {
                i++;
                length++;
            }

            if (length == 0)
            {
                i++;
                length = 1;
            }

            output.Add((byte)(length - 1));
            output.AddRange(data.AsSpan(start, length));
        }

        if (output.Count % 2 == 1)
        {
            output.Add(0x80); // no-op padding to even length
        }

        return [.. output];
    }

    public static byte[] Frame(IReadOnlyList<byte[]> segments)
    {
        var header = new byte[64];
        BitConverter.GetBytes((uint)segments.Count).CopyTo(header, 0);
        int offset = 64;
        for (int s = 0; s < segments.Count; s++)
        {
            BitConverter.GetBytes((uint)offset).CopyTo(header, 4 + (4 * s));
            offset += segments[s].Length;
        }

        return [.. header, .. segments.SelectMany(s => s)];
    }
}
