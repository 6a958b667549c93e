using System.Buffers.Binary;
using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Tests.IO;

public sealed class DicomWriterTests : IDisposable
{
    private static readonly byte[] UndefinedLength = [0xFF, 0xFF, 0xFF, 0xFF];

    private readonly string _dir = Directory.CreateTempSubdirectory("metai-dicom-writer-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DicomDataset Minimal()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.CTImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4.5");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Doe^Jane");
        return ds;
    }

    [Fact]
    public void Write_FileMeta_HasExactGroupLengthAndRequiredElements()
    {
        byte[] bytes = new DicomFile(Minimal()).ToBytes();
        Assert.True(bytes.AsSpan(0, 128).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);

        // (0002,0000) UL 4 <n>: exactly n bytes of group 0002 follow, then the dataset starts.
        Assert.Equal(new byte[] { 0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0 }, bytes[132..140]);
        uint groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        int datasetStart = 144 + (int)groupLength;
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(datasetStart)));
        Assert.Equal(0x0002, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(datasetStart - 8 - 10))); // last meta element header

        DicomDataset meta = DicomFile.Read(bytes).FileMetaInformation;
        Assert.Equal(new byte[] { 0, 1 }, meta.GetElement(DicomTags.FileMetaInformationVersion).Value.ToArray());
        Assert.Equal(DicomUid.CTImageStorage, meta.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal("1.2.3.4.5", meta.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, meta.GetString(DicomTags.TransferSyntaxUID));
        Assert.Equal(DicomUid.ImplementationClassUid, meta.GetString(DicomTags.ImplementationClassUID));
        Assert.Equal(DicomUid.ImplementationVersionName, meta.GetString(DicomTags.ImplementationVersionName));
    }

    [Fact]
    public void Write_InvalidUid_ThrowsNamingTheTag()
    {
        DicomDataset ds = Minimal();
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.03.4");
        var ex = Assert.Throws<DicomFormatException>(() => new DicomFile(ds).ToBytes());
        Assert.Equal(DicomTags.StudyInstanceUID, ex.Tag);
        Assert.Contains("StudyInstanceUID", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1.2.03.4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_InvalidUidInsideAnItem_IsAlsoCaught()
    {
        DicomDataset ds = Minimal();
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.x");
        ds.AddSequence(DicomTags.ReferencedImageSequence, [item]);
        var ex = Assert.Throws<DicomFormatException>(() => new DicomFile(ds).ToBytes());
        Assert.Equal(DicomTags.ReferencedSOPInstanceUID, ex.Tag);
    }

    [Fact]
    public void Write_MissingSopInstance_Throws()
    {
        DicomDataset ds = Minimal();
        ds.Remove(DicomTags.SOPInstanceUID);
        var ex = Assert.Throws<DicomFormatException>(() => new DicomFile(ds).ToBytes());
        Assert.Equal(DicomTags.SOPInstanceUID, ex.Tag);
    }

    [Fact]
    public void Write_OddValues_ArePaddedWithTheVRsPaddingByte()
    {
        DicomDataset ds = Minimal();
        ds.Add(new DicomElement(DicomTags.PatientID, DicomVR.LO, "abc"u8.ToArray()));
        ds.Add(new DicomElement(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.345"u8.ToArray()));
        ds.Add(new DicomElement(DicomTags.EncapsulatedDocument, DicomVR.OB, new byte[] { 9, 9, 9 }));
        DicomDataset back = DicomFile.Read(new DicomFile(ds).ToBytes()).Dataset;
        Assert.Equal("abc "u8.ToArray(), back.GetElement(DicomTags.PatientID).Value.ToArray());
        Assert.Equal("1.2.345\0"u8.ToArray(), back.GetElement(DicomTags.StudyInstanceUID).Value.ToArray());
        Assert.Equal(new byte[] { 9, 9, 9, 0 }, back.GetElement(DicomTags.EncapsulatedDocument).Value.ToArray());
    }

    [Fact]
    public void Write_Sequences_UseDefinedLengthsAndNoDatasetGroupLengths()
    {
        DicomDataset ds = Minimal();
        ds.Add(new DicomElement(new DicomTag(0x0010, 0x0000), DicomVR.UL, new byte[4]));
        var inner = new DicomDataset();
        inner.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "X");
        var item = new DicomDataset();
        item.AddSequence(DicomTags.AnatomicRegionSequence, [inner]);
        ds.AddSequence(DicomTags.ReferencedImageSequence, [item, new DicomDataset()]);
        byte[] bytes = new DicomFile(ds).ToBytes();

        Assert.True(bytes.AsSpan().IndexOf(UndefinedLength) < 0, "no undefined lengths");
        DicomDataset back = DicomFile.Read(bytes).Dataset;
        Assert.False(back.Contains(new DicomTag(0x0010, 0x0000)));
        Assert.Equal("X", back.GetItems(DicomTags.ReferencedImageSequence)[0].GetItems(DicomTags.AnatomicRegionSequence)[0].GetString(DicomTags.CodeValue));
        Assert.Equal(0, back.GetItems(DicomTags.ReferencedImageSequence)[1].Count);
    }

    [Fact]
    public void Write_ValueTooLongForA16BitLength_ThrowsNamingTheTag()
    {
        DicomDataset ds = Minimal();
        ds.Add(new DicomElement(DicomTags.PatientComments, DicomVR.LT, new byte[70_000]));
        var ex = Assert.Throws<DicomFormatException>(() => new DicomFile(ds).ToBytes());
        Assert.Equal(DicomTags.PatientComments, ex.Tag);

        // The same value is fine in implicit VR (32-bit lengths everywhere).
        byte[] ok = DicomWriter.Write(new DicomFile(ds), new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ImplicitVRLittleEndian });
        Assert.Equal(70_000, DicomFile.Read(ok).Dataset.GetElement(DicomTags.PatientComments).Length);
    }

    [Fact]
    public void Write_ImplicitVR_RoundTrips()
    {
        DicomDataset ds = SampleDatasets.Rich();
        ds.Remove(new DicomTag(0x0009, 0x1001));
        byte[] bytes = DicomWriter.Write(new DicomFile(ds), new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ImplicitVRLittleEndian });
        DicomFile back = DicomFile.Read(bytes);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, back.TransferSyntax);
        Assert.Equal("Müller^Jürgen=ミュラー^ユルゲン", back.Dataset.GetString(DicomTags.PatientName));
        Assert.Equal(ds.Select(e => e.Tag), back.Dataset.Select(e => e.Tag));
    }

    [PydicomFact]
    public void Write_BigEndianFile_IsReencodedAsExplicitLittleEndian()
    {
        DicomFile original = DicomFile.Open(TestFiles.Path1("MR_small_bigendian.dcm"));
        DicomFile back = DicomFile.Read(original.ToBytes());
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, back.TransferSyntax);
        DatasetAssert.WrittenEqual(original.Dataset, back.Dataset);
        Assert.Throws<DicomFormatException>(() => DicomWriter.Write(original, new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ExplicitVRBigEndian }));
    }

    [PydicomTheory]
    [InlineData("MR_small_implicit.dcm", "1.2.840.10008.1.2.1")]
    [InlineData("image_dfl.dcm", "1.2.840.10008.1.2.1")]
    [InlineData("MR_small_RLE.dcm", "1.2.840.10008.1.2.5")]
    [InlineData("JPEG2000.dcm", "1.2.840.10008.1.2.4.91")]
    public void Write_Default_IsExplicitLittleEndianUnlessFragmentsKeepTheirSyntax(string file, string expected)
    {
        DicomFile original = DicomFile.Open(TestFiles.Path1(file));
        DicomFile back = DicomFile.Read(DicomWriter.Write(original, new DicomWriteOptions { ValidateUids = false }));
        Assert.Equal(expected, back.TransferSyntax.Uid);
        Assert.Equal(expected, back.FileMetaInformation.GetString(DicomTags.TransferSyntaxUID));
    }

    [Fact]
    public void Write_NativePixelsAsEncapsulatedSyntax_Throws()
    {
        DicomDataset ds = Minimal();
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[8]);
        var ex = Assert.Throws<DicomFormatException>(() => DicomWriter.Write(new DicomFile(ds), new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.RleLossless }));
        Assert.Equal(DicomTags.PixelData, ex.Tag);
    }

    [Fact]
    public void Save_ReplacesTheTargetAtomicallyAndLeavesNoTemporaryFiles()
    {
        string path = Path.Combine(_dir, "a.dcm");
        File.WriteAllText(path, "old content");
        new DicomFile(Minimal()).Save(path);
        Assert.Equal("Doe^Jane", DicomFile.Open(path).Dataset.GetString(DicomTags.PatientName));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Save_InvalidDataset_LeavesTheExistingFileUntouched()
    {
        string path = Path.Combine(_dir, "b.dcm");
        new DicomFile(Minimal()).Save(path);
        byte[] before = File.ReadAllBytes(path);
        DicomDataset bad = Minimal();
        bad.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "not.a.uid");
        Assert.Throws<DicomFormatException>(() => new DicomFile(bad).Save(path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }
}
