namespace MeTAI.Service.Uploads;

/// <summary>An uploaded case as the API describes it (no patient identity is shown).</summary>
public sealed record UploadSummary
{
    /// <summary>Upload id.</summary>
    public required string Id { get; init; }

    /// <summary>Label (the <c>name</c> query parameter, else "upload").</summary>
    public required string Name { get; init; }

    /// <summary>When it was received (UTC).</summary>
    public required DateTime CreatedUtc { get; init; }

    /// <summary>True when the files were de-identified (PS3.15 basic profile) before they were stored.</summary>
    public required bool Deidentified { get; init; }

    /// <summary>Number of CT slices.</summary>
    public required int Slices { get; init; }

    /// <summary>CT grid size (columns, rows, slices).</summary>
    public required int[] Size { get; init; }

    /// <summary>CT voxel spacing, mm.</summary>
    public required double[] SpacingMm { get; init; }

    /// <summary>ROIs with closed planar contours (name and RT ROI Interpreted Type).</summary>
    public required IReadOnlyList<UploadStructure> Structures { get; init; }

    /// <summary>Zip entries that were DICOM but neither CT nor RTSTRUCT, or skipped system files, with the reason.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
}

/// <summary>A structure of an uploaded case.</summary>
/// <param name="Name">ROI name.</param>
/// <param name="Type">RT ROI Interpreted Type.</param>
public sealed record UploadStructure(string Name, string Type);
