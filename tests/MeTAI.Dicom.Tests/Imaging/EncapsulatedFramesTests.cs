using System.Buffers.Binary;
using MeTAI.Dicom.Imaging;
using MeTAI.Dicom.Imaging.Codecs;

namespace MeTAI.Dicom.Tests.Imaging;

/// <summary>
/// Frames of encapsulated pixel data from the Extended Offset Table, the Basic Offset Table, one fragment per frame or
/// codestream start markers (<see cref="EncapsulatedFrames"/>), and the refusals: offsets off a fragment, counts that
/// disagree with Number of Frames, a codestream that does not match the dataset, truncated frames, a missing library.
/// The compressed inputs come from dcmtk.
/// </summary>
public class EncapsulatedFramesTests
{
    private static (DicomFile Compressed, short[][] Frames) Compress(string tool, params string[] options)
    {
        string dir = CodecReference.TempDir("frames");
        string original = NativeImages.Write("ct16", dir);
        string compressed = Path.Combine(dir, "c.dcm");
        CodecReference.Tool(tool, [.. options, original, compressed]);
        DicomPixelData native = DicomPixelData.Create(DicomFile.Open(original));
        short[][] frames = [.. Enumerable.Range(0, native.NumberOfFrames).Select(native.GetFrame<short>)];
        return (DicomFile.Open(compressed), frames);
    }

    private static short[][] Decode(DicomFile file)
    {
        DicomPixelData p = DicomPixelData.Create(file);
        return [.. Enumerable.Range(0, p.NumberOfFrames).Select(p.GetFrame<short>)];
    }

    private static DicomFragmentSequence Fragments(DicomFile file)
    {
        Assert.True(file.Dataset.TryGetElement(DicomTags.PixelData, out DicomElement e));
        return Assert.IsType<DicomFragmentSequence>(e);
    }

    private static byte[] UInt64s(IEnumerable<long> values)
    {
        long[] v = [.. values];
        var bytes = new byte[8 * v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), v[i]);
        }

        return bytes;
    }

    [ToolFact("dcmcjpeg")]
    public void Frames_ExtendedOffsetTable_ReplacesTheBasicOne()
    {
        (DicomFile file, short[][] expected) = Compress("dcmcjpeg", "+el", "+sv", "6", "-ot");
        DicomFragmentSequence pixels = Fragments(file);
        Assert.Equal(3, pixels.Fragments.Count);
        var offsets = new List<long>();
        long at = 0;
        foreach (ReadOnlyMemory<byte> f in pixels.Fragments)
        {
            offsets.Add(at);
            at += 8 + f.Length;
        }

        // The Basic Offset Table empty, as PS3.5 A.4 requires when the extended one is present.
        file.Dataset.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, UInt64s(offsets));
        file.Dataset.AddOrUpdate(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, UInt64s(pixels.Fragments.Select(f => (long)f.Length)));
        Assert.Equal(expected, Decode(file));

        file.Dataset.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, UInt64s([0, offsets[1] + 2, offsets[2]]));
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(file));
        Assert.Contains($"Extended Offset Table (7FE0,0001) gives frame 1 offset {offsets[1] + 2}, which is not the start of a fragment", ex.Message, StringComparison.Ordinal);

        file.Dataset.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, UInt64s([0, offsets[1]]));
        ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(file));
        Assert.Contains("Extended Offset Table (7FE0,0001) has 2 entries for 3 frame(s)", ex.Message, StringComparison.Ordinal);
    }

    [ToolFact("dcmcjpeg")]
    public void Frames_SplitFragmentsWithAndWithoutBasicOffsetTable_DecodeAlike()
    {
        (DicomFile withTable, short[][] expected) = Compress("dcmcjpeg", "+e1", "+fs", "1");
        Assert.True(Fragments(withTable).Fragments.Count > 3 && Fragments(withTable).BasicOffsetTable.Length == 12);
        Assert.Equal(expected, Decode(withTable));

        (DicomFile noTable, _) = Compress("dcmcjpeg", "+e1", "+fs", "1", "-ot");
        Assert.True(Fragments(noTable).Fragments.Count > 3 && Fragments(noTable).BasicOffsetTable.Length == 0);
        Assert.Equal(expected, Decode(noTable));
    }

    [ToolFact("dcmcjpeg")]
    public void Frames_BasicOffsetTableThatDisagrees_IsRefused()
    {
        (DicomFile file, _) = Compress("dcmcjpeg", "+e1");
        DicomFragmentSequence pixels = Fragments(file);
        var table = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 8 + (uint)pixels.Fragments[0].Length);
        file.Dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, table, pixels.Fragments));
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(file));
        Assert.Contains("Basic Offset Table has 2 entries for 3 frame(s) (Number of Frames)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_RleFragmentsWithoutTable_CannotBeToldApart()
    {
        DicomDataset ds = DicomPixelDataTestsImage(frames: 2);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [new byte[64], new byte[64], new byte[64]]));
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.RleLossless));
        Assert.Contains("3 fragments for 2 frame(s), no offset table", ex.Message, StringComparison.Ordinal);
    }

    [ToolTheory("dcmcjpeg", "dcmcjpls", "gdcmconv")]
    [InlineData("dcmcjpeg +el +sv 6")]
    [InlineData("dcmcjpls")]
    [InlineData("gdcmconv --j2k")]
    [InlineData("dcmcjpeg +ee")]
    public void Decode_TruncatedFrame_IsRefusedNamingTheFrame(string command)
    {
        string[] words = command.Split(' ');
        (DicomFile file, _) = Compress(words[0], words[1..]);
        DicomFragmentSequence pixels = Fragments(file);
        ReadOnlyMemory<byte> second = pixels.Fragments[1];
        var fragments = new List<ReadOnlyMemory<byte>>(pixels.Fragments) { [1] = second[..(second.Length / 2 & ~1)] };
        file.Dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, fragments));
        DicomPixelData p = DicomPixelData.Create(file);
        p.GetFrame(0);
        var ex = Assert.Throws<DicomFormatException>(() => p.GetFrame(1));
        Assert.Contains($"{file.TransferSyntax.Name} ({file.TransferSyntax.Uid}) frame 1:", ex.Message, StringComparison.Ordinal);
    }

    [ToolTheory("dcmcjpeg", "dcmcjpls", "gdcmconv")]
    [InlineData("dcmcjpeg +el", "JPEG")]
    [InlineData("dcmcjpls", "JPEG-LS")]
    [InlineData("gdcmconv --j2k", "JPEG 2000")]
    public void Decode_CodestreamOfAnotherSize_IsRefused(string command, string codec)
    {
        string[] words = command.Split(' ');
        (DicomFile file, _) = Compress(words[0], words[1..]);
        file.Dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, NativeImages.Columns / 2);
        var ex = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(file).GetFrame(0));
        Assert.Contains($"the {codec} codestream is 64×48 with 1 component(s); the dataset says 32×48 (Columns, Rows)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeLibrary_Missing_ErrorNamesTheLibraryAndTheDebianPackage()
    {
        var library = new NativeCodecLibrary("OpenJPEG", "libopenjp2-7", "libopenjp2-missing.so.7");
        Assert.False(library.IsAvailable);
        var ex = Assert.Throws<DicomFormatException>(() => library.Function("opj_version", DicomTransferSyntax.Jpeg2000Lossless));
        Assert.Contains("cannot decode JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90) pixel data: the OpenJPEG library libopenjp2-missing.so.7 could not be loaded (install the Debian package libopenjp2-7)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeLibraries_TestSh_InstallsThem()
    {
        // test.sh installs libcharls2 and libopenjp2-7; without them these tests would say so rather than skip.
        Assert.True(JpegLsCodec.IsAvailable, "CharLS (libcharls.so.2, Debian libcharls2) does not load");
        Assert.True(Jpeg2000Codec.IsAvailable, "OpenJPEG (libopenjp2.so.7, Debian libopenjp2-7) does not load");
    }

    private static DicomDataset DicomPixelDataTestsImage(int frames)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, 4);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, 4);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, 8);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, 8);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, 0);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        return ds;
    }
}
