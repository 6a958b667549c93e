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
}
