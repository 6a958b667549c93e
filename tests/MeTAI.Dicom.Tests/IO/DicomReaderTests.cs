using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Tests.IO;

public class DicomReaderTests
{
    private const string ImplicitLE = "1.2.840.10008.1.2";
    private const string ExplicitLE = "1.2.840.10008.1.2.1";
    private const string ExplicitBE = "1.2.840.10008.1.2.2";
    private const string Deflated = "1.2.840.10008.1.2.1.99";

    [Fact]
    public void Read_ExplicitVRLittleEndian_ValuesSliceTheInputWithoutCopy()
    {
        byte[] bytes = new DicomBytes().Preamble(ExplicitLE).Text(0x0010, 0x0010, "PN", "Doe^Jane").US(0x0028, 0x0010, 512).ToArray();
        DicomFile file = DicomReader.Read(bytes);

        Assert.True(file.HadPreamble);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("Doe^Jane", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Equal((ushort)512, file.Dataset.GetSingleValue<ushort>(DicomTags.Rows));
        Assert.True(MemoryMarshal.TryGetArray(file.Dataset.GetElement(DicomTags.PatientName).Value, out ArraySegment<byte> segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void Read_ImplicitVRLittleEndian_TakesVRsFromTheDictionary()
    {
        byte[] bytes = new DicomBytes(explicitVR: false).Preamble(ImplicitLE)
            .Text(0x0010, 0x0010, "PN", "Doe^Jane")
            .US(0x0028, 0x0010, 64)
            .Element(0x0029, 0x0010, "LO", "ACME"u8.ToArray())
            .Element(0x0029, 0x1001, "??", [1, 2, 3, 4])
            .Element(0x7FE0, 0x0010, "OW", new byte[8])
            .ToArray();
        DicomDataset ds = DicomReader.Read(bytes).Dataset;

        Assert.Equal(DicomVR.PN, ds.GetElement(DicomTags.PatientName).VR);
        Assert.Equal(DicomVR.US, ds.GetElement(DicomTags.Rows).VR);
        Assert.Equal(DicomVR.LO, ds.GetElement(new DicomTag(0x0029, 0x0010)).VR); // private creator
        Assert.Equal(DicomVR.UN, ds.GetElement(new DicomTag(0x0029, 0x1001)).VR);
        Assert.Equal(DicomVR.OW, ds.GetElement(DicomTags.PixelData).VR); // "OB or OW" is OW in implicit VR
    }

    [Theory]
    [InlineData(null, "US")]
    [InlineData((ushort)0, "US")]
    [InlineData((ushort)1, "SS")]
    public void Read_ImplicitUSorSS_FollowsPixelRepresentation(ushort? pixelRepresentation, string expected)
    {
        var b = new DicomBytes(explicitVR: false).Preamble(ImplicitLE);
        if (pixelRepresentation is { } pr)
        {
            b.US(0x0028, 0x0103, pr);
        }

        DicomDataset ds = DicomReader.Read(b.US(0x0028, 0x0106, 0xFFF0).ToArray()).Dataset;
        Assert.Equal(expected, ds.GetElement(DicomTags.SmallestImagePixelValue).VR.Code);
        if (expected == "SS")
        {
            Assert.Equal((short)-16, ds.GetSingleValue<short>(DicomTags.SmallestImagePixelValue));
        }
    }

    [Fact]
    public void Read_ImplicitUSorSSInsideAnItem_UsesTheEnclosingPixelRepresentation()
    {
        byte[] bytes = new DicomBytes(explicitVR: false).Preamble(ImplicitLE)
            .US(0x0028, 0x0103, 1)
            .Undefined(0x0028, 0x3010, "SQ").Item().US(0x0028, 0x0106, 1).ItemEnd().SequenceEnd()
            .ToArray();
        DicomDataset item = DicomReader.Read(bytes).Dataset.GetItems(DicomTags.VOILUTSequence)[0];
        Assert.Equal(DicomVR.SS, item.GetElement(DicomTags.SmallestImagePixelValue).VR);
    }

    [Fact]
    public void Read_ExplicitVRBigEndian_SwapsBinaryValuesToLittleEndian()
    {
        var b = new DicomBytes(explicitVR: true, bigEndian: true).Preamble(ExplicitBE);
        b.Text(0x0010, 0x0010, "PN", "Doe^Jane");
        b.US(0x0028, 0x0010, 0x0102);
        b.Element(0x0028, 0x0009, "AT", [0x00, 0x18, 0x10, 0x63]); // (0018,1063) big-endian
        b.Element(0x0018, 0x6020, "SL", [0xFF, 0xFF, 0xFF, 0xFE]); // -2
        b.Element(0x0008, 0x1163, "FD", BitConverter.GetBytes(1.5).Reverse().ToArray());
        b.Element(0x7FE0, 0x0010, "OW", [0x12, 0x34, 0xAB, 0xCD]);
        DicomFile file = DicomReader.Read(b.ToArray());
        DicomDataset ds = file.Dataset;

        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, file.TransferSyntax);
        Assert.Equal("Doe^Jane", ds.GetString(DicomTags.PatientName));
        Assert.Equal((ushort)0x0102, ds.GetSingleValue<ushort>(DicomTags.Rows));
        Assert.Equal(DicomTags.FrameTime, ds.GetSingleValue<DicomTag>(DicomTags.FrameIncrementPointer));
        Assert.Equal(-2, ds.GetSingleValue<int>(DicomTags.ReferencePixelX0));
        Assert.Equal(1.5, ds.GetSingleValue<double>(DicomTags.TimeRange));
        Assert.Equal(new byte[] { 0x34, 0x12, 0xCD, 0xAB }, ds.GetElement(DicomTags.PixelData).Value.ToArray());
    }

    [Fact]
    public void Read_BigEndianPixelDataWith32BitCells_SwapsWholeCells()
    {
        var b = new DicomBytes(explicitVR: true, bigEndian: true).Preamble(ExplicitBE);
        b.US(0x0028, 0x0100, 32);
        b.Element(0x7FE0, 0x0010, "OW", [0x01, 0x02, 0x03, 0x04]);
        DicomDataset ds = DicomReader.Read(b.ToArray()).Dataset;
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(ds.GetElement(DicomTags.PixelData).Value.Span));
    }

    [Fact]
    public void Read_SequencesOfDefinedAndUndefinedLength_GiveTheSameItems()
    {
        byte[] item = new DicomBytes().Text(0x0008, 0x1150, "UI", "1.2.3").Text(0x0008, 0x1155, "UI", "1.2.3.4").ToArray();
        byte[] defined = new DicomBytes().Preamble(ExplicitLE)
            .Element(0x0008, 0x1140, "SQ", [.. new DicomBytes().Item((uint)item.Length).ToArray(), .. item, .. new DicomBytes().Item(0).ToArray()])
            .Text(0x0010, 0x0010, "PN", "After^Sequence").ToArray();
        byte[] undefined = new DicomBytes().Preamble(ExplicitLE)
            .Undefined(0x0008, 0x1140, "SQ").Item().Raw(item).ItemEnd().Item().ItemEnd().SequenceEnd()
            .Text(0x0010, 0x0010, "PN", "After^Sequence").ToArray();

        foreach (byte[] bytes in new[] { defined, undefined })
        {
            DicomDataset ds = DicomReader.Read(bytes).Dataset;
            IReadOnlyList<DicomDataset> items = ds.GetItems(DicomTags.ReferencedImageSequence);
            Assert.Equal(2, items.Count);
            Assert.Equal("1.2.3.4", items[0].GetString(DicomTags.ReferencedSOPInstanceUID));
            Assert.Equal(0, items[1].Count);
            Assert.Same(ds, items[0].Parent);
            Assert.Equal("After^Sequence", ds.GetString(DicomTags.PatientName));
        }
    }

    [Fact]
    public void Read_ImplicitPrivateElementOfUndefinedLength_IsASequence()
    {
        byte[] bytes = new DicomBytes(explicitVR: false).Preamble(ImplicitLE)
            .Undefined(0x0009, 0x1001, "??").Item().Text(0x0010, 0x0020, "LO", "ID1").ItemEnd().SequenceEnd()
            .ToArray();
        DicomSequence seq = Assert.IsType<DicomSequence>(DicomReader.Read(bytes).Dataset.GetElement(new DicomTag(0x0009, 0x1001)));
        Assert.Equal("ID1", seq.Items[0].GetString(DicomTags.PatientID));
    }

    [Fact]
    public void Read_UNOfUndefinedLength_IsAnImplicitLittleEndianSequence()
    {
        // PS3.5 §6.2.2: even inside an explicit big-endian dataset, the items of such a UN are implicit VR LE.
        byte[] items = new DicomBytes(explicitVR: false).Item().Text(0x0010, 0x0020, "LO", "ID1").US(0x0028, 0x0010, 7).ItemEnd().SequenceEnd().ToArray();
        byte[] bytes = new DicomBytes(explicitVR: true, bigEndian: true).Preamble(ExplicitBE).Undefined(0x0009, 0x1001, "UN").Raw(items).ToArray();
        DicomSequence seq = Assert.IsType<DicomSequence>(DicomReader.Read(bytes).Dataset.GetElement(new DicomTag(0x0009, 0x1001)));
        Assert.Equal("ID1", seq.Items[0].GetString(DicomTags.PatientID));
        Assert.Equal((ushort)7, seq.Items[0].GetSingleValue<ushort>(DicomTags.Rows));
    }

    [Fact]
    public void Read_EncapsulatedPixelData_GivesOffsetTableAndFragments()
    {
        byte[] bytes = new DicomBytes().Preamble("1.2.840.10008.1.2.4.50")
            .Undefined(0x7FE0, 0x0010, "OB")
            .Item(4).Raw([0, 0, 0, 0])
            .Item(6).Raw([0xFF, 0xD8, 1, 2, 0xFF, 0xD9])
            .Item(2).Raw([3, 4])
            .SequenceEnd().ToArray();
        DicomFile file = DicomReader.Read(bytes);
        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset.GetElement(DicomTags.PixelData));
        Assert.True(file.TransferSyntax.IsEncapsulated);
        Assert.Equal(4, pixels.BasicOffsetTable.Length);
        Assert.Equal(2, pixels.Fragments.Count);
        Assert.Equal(new byte[] { 3, 4 }, pixels.Fragments[1].ToArray());
    }

    [Theory]
    [InlineData(false, false, "1.2.840.10008.1.2")]
    [InlineData(true, false, "1.2.840.10008.1.2.1")]
    [InlineData(true, true, "1.2.840.10008.1.2.2")]
    public void Read_RawDatasetWithoutHeader_DetectsTheEncoding(bool explicitVR, bool bigEndian, string expected)
    {
        byte[] bytes = new DicomBytes(explicitVR, bigEndian).Text(0x0008, 0x0005, "CS", "ISO_IR 100").Text(0x0010, 0x0010, "PN", "Doe^Jane").US(0x0028, 0x0010, 300).ToArray();
        DicomFile file = DicomReader.Read(bytes);
        Assert.False(file.HadPreamble);
        Assert.Equal(0, file.FileMetaInformation.Count);
        Assert.Equal(expected, file.TransferSyntax.Uid);
        Assert.Equal("Doe^Jane", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Equal((ushort)300, file.Dataset.GetSingleValue<ushort>(DicomTags.Rows));
    }

    [Fact]
    public void Read_MetaWithoutGroupLengthOrTransferSyntax_StillReads()
    {
        var meta = new DicomBytes().Element(0x0002, 0x0001, "OB", [0, 1]).Text(0x0002, 0x0012, "UI", "1.2.3.4");
        byte[] bytes = [.. new byte[128], .. "DICM"u8.ToArray(), .. meta.ToArray(), .. new DicomBytes(explicitVR: false).Text(0x0010, 0x0010, "PN", "Doe^Jane").ToArray()];
        DicomFile file = DicomReader.Read(bytes);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("1.2.3.4", file.FileMetaInformation.GetString(DicomTags.ImplementationClassUID));
        Assert.Equal("Doe^Jane", file.Dataset.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Read_DeflatedExplicitVRLittleEndian_InflatesTheDataset()
    {
        byte[] dataset = new DicomBytes().Text(0x0010, 0x0010, "PN", "Deflated^Patient").US(0x0028, 0x0010, 42).ToArray();
        using var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(dataset);
        }

        byte[] bytes = [.. new DicomBytes().Preamble(Deflated).ToArray(), .. compressed.ToArray()];
        DicomFile file = DicomReader.Read(bytes);
        Assert.True(file.TransferSyntax.IsDeflated);
        Assert.Equal("Deflated^Patient", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Equal((ushort)42, file.Dataset.GetSingleValue<ushort>(DicomTags.Rows));
    }

    [Fact]
    public void Read_ValueLongerThanTheFile_ThrowsWithTagAndOffset()
    {
        byte[] bytes = new DicomBytes().Preamble(ExplicitLE).Text(0x0010, 0x0010, "PN", "Doe^Jane").Element(0x0010, 0x0020, "LO", [(byte)'A', (byte)'B'], length: 40).ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => DicomReader.Read(bytes, "x.dcm"));
        Assert.Equal(DicomTags.PatientID, ex.Tag);
        Assert.Equal(bytes.Length - 10, ex.Offset);
        Assert.Equal("x.dcm", ex.FilePath);
        Assert.Contains("value length 40 exceeds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SequenceWithoutDelimiter_Throws()
    {
        byte[] bytes = new DicomBytes().Preamble(ExplicitLE).Undefined(0x0008, 0x1140, "SQ").Item().Text(0x0008, 0x1150, "UI", "1.2").ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => DicomReader.Read(bytes));
        Assert.Contains("Delimitation", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidVRBytes_Throws()
    {
        byte[] bytes = new DicomBytes().Preamble(ExplicitLE).Text(0x0010, 0x0010, "PN", "Doe^Jane").Tag(0x0010, 0x0020).Raw([0x01, 0x02, 0x02, 0x00, 0x41, 0x42]).ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => DicomReader.Read(bytes));
        Assert.Equal(DicomTags.PatientID, ex.Tag);
    }

    [PydicomFact]
    public void Read_StreamAndFile_GiveTheSameDataset()
    {
        string path = TestFiles.Path1("CT_small.dcm");
        DicomFile fromFile = DicomFile.Open(path);
        using FileStream stream = File.OpenRead(path);
        DicomFile fromStream = DicomFile.Read(stream);
        DatasetAssert.WrittenEqual(fromFile.Dataset, fromStream.Dataset);
        Assert.Equal(fromFile.Dataset.Count, fromStream.Dataset.Count);
    }

    [PydicomFact]
    public void Open_DamagedFile_NamesTheFile()
    {
        string path = TestFiles.Path1("MR_truncated.dcm");
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
    }
}
