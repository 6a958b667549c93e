using MeTAI.Core.Phantoms;
using MeTAI.Dicom;
using MeTAI.Dicom.IO;
using MeTAI.Dicom.Rt;

namespace MeTAI.Cli.Tests.Commands.DicomFiles.Network;

/// <summary>
/// A small case for the network verbs (water box at 20 mm: 15 CT slices and an RTSTRUCT), written once per run, and
/// the comparisons the tests make: objects identified by SOP Instance UID, data sets equal element by element.
/// </summary>
internal static class NetworkCase
{
    private static readonly Lazy<string> Written = new(() =>
    {
        string dir = CliRunner.TempDir("network-case");
        RtPhantom.Write(PhantomLibrary.Build("water", 20), dir);
        return dir;
    });

    /// <summary>The case folder: <c>ct/</c> and <c>rtstruct.dcm</c>.</summary>
    public static string Folder => Written.Value;

    /// <summary>Every file of the case.</summary>
    public static IReadOnlyList<string> Files =>
        [.. Directory.EnumerateFiles(Path.Combine(Folder, "ct"), "*.dcm").Order(StringComparer.Ordinal), Path.Combine(Folder, "rtstruct.dcm")];

    /// <summary>The case's Patient ID.</summary>
    public static string PatientId => Dataset(Files[0]).GetString(DicomTags.PatientID)!;

    /// <summary>The case's Study Instance UID.</summary>
    public static string StudyUid => Dataset(Files[0]).GetString(DicomTags.StudyInstanceUID)!;

    public static DicomDataset Dataset(string path) => DicomFile.Open(path).Dataset;

    public static string SopInstance(string path) => Dataset(path).GetString(DicomTags.SOPInstanceUID)!;

    /// <summary>The DICOM files below <paramref name="dir"/> (not in dot folders such as a spool).</summary>
    public static IReadOnlyList<string> DicomFilesIn(string dir) =>
        [.. Directory.EnumerateFiles(dir, "*.dcm", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(dir, f).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))];

    /// <summary>
    /// <paramref name="received"/> are the objects of <paramref name="sent"/>, one each, with equal data sets (every element's
    /// tag, VR and value, written out the same way) in the syntax they were sent in.
    /// </summary>
    public static void AssertSameObjects(IReadOnlyList<string> sent, IReadOnlyList<string> received)
    {
        Dictionary<string, string> back = received.ToDictionary(SopInstance, StringComparer.Ordinal);
        Assert.Equal(sent.Select(SopInstance).Order(StringComparer.Ordinal), back.Keys.Order(StringComparer.Ordinal));
        foreach (string path in sent)
        {
            DicomFile original = DicomFile.Open(path), copy = DicomFile.Open(back[SopInstance(path)]);
            Assert.Equal(original.TransferSyntax.Uid, copy.TransferSyntax.Uid);
            Assert.True(DicomWriter.Encode(original.Dataset, explicitVR: true).AsSpan().SequenceEqual(DicomWriter.Encode(copy.Dataset, explicitVR: true)),
                $"{back[SopInstance(path)]} differs from {path}");
        }
    }
}
