using System.Text.Json;
using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Tests.IO;

/// <summary>Files we write, checked by outside readers and validators: pydicom, dcmtk's dcmdump, dicom3tools' dciodvfy.</summary>
public sealed class DicomWriterOutsideToolsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metai-dicom-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [ToolFact("pydicom")]
    public void Write_RichDataset_PydicomReadsTheSameValues()
    {
        string path = Path.Combine(_dir, "rich.dcm");
        DicomDataset original = SampleDatasets.Rich();
        new DicomFile(original).Save(path);

        DicomFile ours = DicomFile.Open(path);
        DatasetAssert.WrittenEqual(original, ours.Dataset);

        JsonElement py = Pydicom.JsonLines(Pydicom.Run("pydicom_dump.py", [path])).Single();
        Assert.False(py.TryGetProperty("error", out JsonElement error), error.ToString());
        Assert.False(py.GetProperty("truncated").GetBoolean());
        var diffs = new List<string>();
        PydicomComparer.CompareDataset(py.GetProperty("meta"), ours.FileMetaInformation, "meta:", diffs);
        PydicomComparer.CompareDataset(py.GetProperty("dataset"), ours.Dataset, string.Empty, diffs);
        Assert.True(diffs.Count == 0, string.Join('\n', diffs));

        // Spot checks of decoded text, independent of the comparer's normalisation.
        string pn = py.GetProperty("dataset").EnumerateArray().Single(e => e.GetProperty("tag").GetString() == "00100010").GetProperty("value")[0].GetString()!;
        Assert.Equal("Müller^Jürgen=ミュラー^ユルゲン", pn);
    }

    [ToolFact("pydicom")]
    public void Write_ImplicitAndDeflated_PydicomReadsTheSameValues()
    {
        foreach (DicomTransferSyntax ts in new[] { DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.DeflatedExplicitVRLittleEndian })
        {
            string path = Path.Combine(_dir, $"rich-{ts.Uid}.dcm");
            DicomDataset original = SampleDatasets.Rich();
            original.Remove(new DicomTag(0x0009, 0x1001)); // implicit VR: a private element without dictionary comes back UN
            DicomWriter.Save(new DicomFile(original), path, new DicomWriteOptions { TransferSyntax = ts });
            DicomFile ours = DicomFile.Open(path);
            Assert.Equal(ts.Uid, ours.TransferSyntax.Uid);

            JsonElement py = Pydicom.JsonLines(Pydicom.Run("pydicom_dump.py", [path])).Single();
            Assert.Equal(ts.Uid, py.GetProperty("transfer_syntax").GetString());
            var diffs = new List<string>();
            PydicomComparer.CompareDataset(py.GetProperty("dataset"), ours.Dataset, string.Empty, diffs);
            Assert.True(diffs.Count == 0, ts.Name + ":\n" + string.Join('\n', diffs));
        }
    }

    [ToolFact("dcmdump")]
    public void Write_RichDataset_DcmdumpParsesWithoutWarnings()
    {
        string path = Path.Combine(_dir, "rich.dcm");
        new DicomFile(SampleDatasets.Rich()).Save(path);
        DicomValidators.AssertDcmdumpClean(path);
    }
}
