namespace MeTAI.TestUtilities;

/// <summary>The outside DICOM checkers as assertions: dcmtk's dcmdump and dicom3tools' dciodvfy.</summary>
public static class DicomValidators
{
    /// <summary>dcmdump parses <paramref name="path"/> with exit 0 and no warning (W:) or error (E:) line; returns the dump.</summary>
    public static string AssertDcmdumpClean(string path)
    {
        // -dc: no colour. Any W:/E: line is a finding.
        (int code, string output) = OutsideTools.Run("dcmdump", "-dc", path);
        Assert.True(code == 0, output);
        string[] findings = output.Split('\n').Where(l => l.StartsWith("W:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal)).ToArray();
        Assert.True(findings.Length == 0, string.Join('\n', findings));
        return output;
    }

    /// <summary>dciodvfy finds no error (lines starting "Error") in <paramref name="path"/>; returns its report.</summary>
    public static string AssertDciodvfyClean(string path)
    {
        (_, string output) = OutsideTools.Run("dciodvfy", path);
        string[] errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 0, output);
        return output;
    }
}
