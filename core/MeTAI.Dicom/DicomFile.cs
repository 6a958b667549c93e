using MeTAI.Dicom.IO;

namespace MeTAI.Dicom;

/// <summary>
/// A DICOM Part 10 file: File Meta Information (group 0002, always Explicit VR Little Endian) and the dataset,
/// with the transfer syntax the dataset was (or will be) encoded in.
/// </summary>
public sealed class DicomFile
{
    /// <summary>A file from its parts.</summary>
    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(fileMetaInformation);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        FileMetaInformation = fileMetaInformation;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
    }

    /// <summary>A file for a dataset to be written as Explicit VR Little Endian (meta built on save).</summary>
    public DicomFile(DicomDataset dataset)
        : this(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian)
    {
    }

    /// <summary>Group 0002 elements (empty for a raw dataset read without a Part 10 header).</summary>
    public DicomDataset FileMetaInformation { get; }

    /// <summary>The dataset.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of the dataset.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>True when the file had a 128-byte preamble and "DICM" prefix.</summary>
    public bool HadPreamble { get; init; }

    /// <summary>Reads a Part 10 file (or a raw dataset without a header) from disk.</summary>
    /// <exception cref="DicomFormatException">When the file is not a readable DICOM file; names the file.</exception>
    public static DicomFile Open(string path) => DicomReader.Open(path);

    /// <summary>Reads a Part 10 file (or a raw dataset) held in memory; values may share <paramref name="data"/>.</summary>
    /// <exception cref="DicomFormatException">When the bytes are not a readable DICOM file.</exception>
    public static DicomFile Read(ReadOnlyMemory<byte> data) => DicomReader.Read(data);

    /// <summary>Reads a Part 10 file (or a raw dataset) from a stream, to its end.</summary>
    /// <exception cref="DicomFormatException">When the bytes are not a readable DICOM file.</exception>
    public static DicomFile Read(Stream stream) => DicomReader.Read(stream);

    /// <summary>
    /// Writes the file to <paramref name="path"/> atomically (temporary file in the same directory, then rename), in
    /// Explicit VR Little Endian — or the file's encapsulated syntax when its pixel data is fragments (see
    /// <see cref="DicomWriter"/>; other syntaxes through <see cref="DicomWriter.Save"/> with options).
    /// </summary>
    /// <exception cref="DicomFormatException">When the dataset cannot be encoded (e.g. an invalid UID; the tag is named).</exception>
    public void Save(string path) => DicomWriter.Save(this, path);

    /// <summary>The Part 10 bytes of this file (see <see cref="Save"/>).</summary>
    /// <exception cref="DicomFormatException">When the dataset cannot be encoded.</exception>
    public byte[] ToBytes() => DicomWriter.Write(this);
}
