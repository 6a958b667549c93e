namespace MeTAI.Dicom.Tests;

/// <summary>Where the outside test data lives: pydicom's test files, installed by test.sh (python3-pydicom).</summary>
internal static class TestFiles
{
    public const string PydicomData = "/usr/lib/python3/dist-packages/pydicom/data";

    public static string TestFilesDir => Path.Combine(PydicomData, "test_files");

    public static string CharsetDir => Path.Combine(PydicomData, "charset_files");

    public static string Path1(string name) => Path.Combine(TestFilesDir, name);

    /// <summary>The full path of a name given as <c>test_files/x.dcm</c> or <c>charset_files/x.dcm</c>.</summary>
    public static string Resolve(string relative) => Path.Combine(PydicomData, relative);

    /// <summary>Every .dcm file of pydicom's test_files and charset_files as relative names (test display names).</summary>
    public static IReadOnlyList<string> AllRelative()
    {
        var names = new List<string>();
        foreach (string f in AllDicom())
        {
            names.Add(Path.GetRelativePath(PydicomData, f));
        }

        return names;
    }

    /// <summary>Every .dcm file of pydicom's test_files and charset_files, sorted.</summary>
    public static IReadOnlyList<string> AllDicom()
    {
        var files = new List<string>();
        foreach (string dir in new[] { TestFilesDir, CharsetDir })
        {
            if (Directory.Exists(dir))
            {
                files.AddRange(Directory.EnumerateFiles(dir, "*.dcm"));
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
