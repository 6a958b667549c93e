using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>
/// Cases for the network tests: a small phantom (water box at 20 mm: CT slices and an RTSTRUCT) written once per run,
/// and single CT slices compressed from it by dcmtk and GDCM.
/// </summary>
internal static class NetworkTestData
{
    private static readonly Lazy<string> CaseDir = new(() =>
    {
        string dir = TempDir("case");
        RtPhantom.Write(PhantomLibrary.Build("water", 20), dir);
        return dir;
    });

    /// <summary>A written phantom case: <c>ct/</c> and <c>rtstruct.dcm</c>.</summary>
    public static string Case => CaseDir.Value;

    /// <summary>Its CT slices, sorted.</summary>
    public static IReadOnlyList<string> CtSlices => [.. Directory.EnumerateFiles(Path.Combine(Case, "ct"), "*.dcm").Order(StringComparer.Ordinal)];

    /// <summary>Every file of the case.</summary>
    public static IReadOnlyList<string> CaseFiles => [.. CtSlices, Path.Combine(Case, "rtstruct.dcm")];

    public static string TempDir(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-network-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// The first CT slice compressed by dcmtk (<c>dcmcjpeg</c>, <c>dcmcjpls</c>, <c>dcmcrle</c>) or GDCM (<c>gdcmconv</c>:
    /// JPEG-LS near-lossless and JPEG 2000, which dcmtk does not write) with the tool's options.
    /// </summary>
    public static string Compressed(string tool, params string[] options) => CompressedSlice(0, tool, options);

    /// <summary>CT slice <paramref name="slice"/> compressed by <paramref name="tool"/> (same SOP Instance UID as the slice).</summary>
    public static string CompressedSlice(int slice, string tool, params string[] options)
    {
        string output = Path.Combine(TempDir(tool), "CT.compressed.dcm");
        ProcessOutput r = OutsideTools.Run(tool, [.. options, CtSlices[slice], output]);
        Assert.True(r.ExitCode == 0, $"{tool} failed: {r.Output}");
        return output;
    }

    /// <summary>The transfer syntax UID a file's meta names (as dcmtk wrote it).</summary>
    public static string SyntaxOf(string path) => DicomFile.Open(path).TransferSyntax.Uid;
}
