using System.Diagnostics.CodeAnalysis;
using MeTAI.Core.IO;

namespace MeTAI.Dicom.Rt;

/// <summary>File input and output for the RT objects: read a dataset, and write one so that no half-written file is left.</summary>
internal static class RtFiles
{
    /// <summary>Reads the dataset of a DICOM file; errors name the file.</summary>
    public static DicomDataset ReadDataset(string path) => ReadFile(path).Dataset;

    /// <summary>Reads a DICOM file; errors name the file.</summary>
    public static DicomFile ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            return OpenFile(path);
        }
        catch (DicomFormatException ex)
        {
            throw ex.WithFile(path);
        }
    }

    /// <summary>
    /// Reads a file when it is DICOM. A file with the DICM prefix (or a .dcm name) that fails to parse is an error;
    /// any other file that fails to parse is not DICOM and gives false.
    /// </summary>
    public static bool TryReadFile(string path, [NotNullWhen(true)] out DicomFile? file)
    {
        try
        {
            file = ReadFile(path);
            return true;
        }
        catch (DicomFormatException) when (!LooksLikeDicom(path))
        {
            file = null;
            return false;
        }
    }

    /// <summary>Writes a dataset as Explicit VR Little Endian to a temporary file next to <paramref name="path"/>, then renames it.</summary>
    public static void WriteDataset(DicomDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, ToBytes(dataset));
    }

    /// <summary>The Part 10 encoding (preamble, file meta, Explicit VR Little Endian dataset) of a dataset.</summary>
    public static byte[] ToBytes(DicomDataset dataset) => new DicomFile(dataset).ToBytes();

    private static DicomFile OpenFile(string path) => DicomFile.Open(path);

    private static bool LooksLikeDicom(string path)
    {
        if (path.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            using FileStream s = File.OpenRead(path);
            Span<byte> head = stackalloc byte[132];
            return s.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
