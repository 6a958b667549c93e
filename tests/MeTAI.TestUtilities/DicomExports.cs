namespace MeTAI.TestUtilities;

/// <summary>
/// DICOM exports as other systems leave them, made by outside tools: pydicom re-writes files into a planning system's
/// flat folder (CT.*, RS.*, RP.*, RD.*) or a PS3.10 file-set with its own DICOMDIR, and edits attributes to make
/// mismatched inputs; dcmtk's <c>dcmmkdir</c> builds a DICOMDIR over media-named files. The script is
/// <c>Tools/dicom_export.py</c> (copied next to the test binaries).
/// </summary>
public static class DicomExports
{
    // General-purpose profile (takes RT objects), icon images on image records, invent missing keys, scan DICOM/.
    private static readonly string[] DcmmkdirArguments = ["-Pgp", "+X", "+I", "+r", "+id", ".", "DICOM"];

    /// <summary>Skip reason when pydicom is missing, else null.</summary>
    public static string? PydicomMissing => OutsideTools.Missing("pydicom");

    /// <summary>Skip reason when dcmmkdir or pydicom is missing, else null.</summary>
    public static string? DcmmkdirMissing => OutsideTools.Missing("dcmmkdir") ?? PydicomMissing;

    /// <summary>Every DICOM file under <paramref name="sources"/> into <paramref name="outDir"/> as CT.&lt;uid&gt;.dcm, RS.…, RP.…, RD.… plus README.txt and export.xml; with <paramref name="subdirs"/>, images/ and rt/&lt;modality&gt;/.</summary>
    public static IReadOnlyList<(string Modality, string Path)> Flat(string outDir, bool subdirs, params string[] sources) =>
        Run(subdirs ? ["flat", outDir, "--subdirs", .. sources] : ["flat", outDir, .. sources]);

    /// <summary>A file-set written by pydicom's FileSet (DICOMDIR and its own file names) under <paramref name="outDir"/>.</summary>
    public static IReadOnlyList<(string Modality, string Path)> FileSet(string outDir, params string[] sources) =>
        Run(["fileset", outDir, .. sources]);

    /// <summary>
    /// The files copied to <paramref name="outDir"/>/DICOM/ under 8-character names and a DICOMDIR made by dcmtk's
    /// <c>dcmmkdir</c> (general-purpose profile, which takes RT objects, with icon images on the image records).
    /// </summary>
    public static IReadOnlyList<(string Modality, string Path)> DcmtkMedia(string outDir, params string[] sources)
    {
        IReadOnlyList<(string Modality, string Path)> files = Run(["media", outDir, .. sources]);
        var start = new System.Diagnostics.ProcessStartInfo("dcmmkdir") { WorkingDirectory = outDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in DcmmkdirArguments)
        {
            start.ArgumentList.Add(a);
        }

        using System.Diagnostics.Process p = System.Diagnostics.Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(Path.Combine(outDir, "DICOMDIR")))
        {
            throw new InvalidOperationException($"dcmmkdir failed ({p.ExitCode}): {output}");
        }

        return files;
    }

    /// <summary>Edits <paramref name="file"/> in place with pydicom (see the script for the names it takes besides keywords).</summary>
    public static void Set(string file, params string[] assignments) => Run(["set", file, .. assignments]);

    /// <summary>The one file of <paramref name="modality"/> in a list the other methods returned.</summary>
    public static string Single(IReadOnlyList<(string Modality, string Path)> files, string modality) =>
        files.Single(f => f.Modality == modality).Path;

    private static List<(string, string)> Run(string[] arguments)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Tools", "dicom_export.py");
        ProcessOutput r = OutsideTools.Run(OutsideTools.Python, [script, .. arguments], TimeSpan.FromMinutes(3));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"dicom_export.py {string.Join(' ', arguments)} failed ({r.ExitCode}): {r.Stderr}");
        }

        return [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (l[..l.IndexOf(' ', StringComparison.Ordinal)], l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]))];
    }
}
