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

    /// <summary>Number of CT slices (of the chosen CT series, or of the first when a choice is needed).</summary>
    public required int Slices { get; init; }

    /// <summary>CT grid size (columns, rows, slices).</summary>
    public required int[] Size { get; init; }

    /// <summary>CT voxel spacing, mm.</summary>
    public required double[] SpacingMm { get; init; }

    /// <summary>ROIs with closed planar contours (name and RT ROI Interpreted Type) of the chosen structure set; empty when a choice is needed.</summary>
    public required IReadOnlyList<UploadStructure> Structures { get; init; }

    /// <summary>Zip entries that were skipped, with the reason: not DICOM, DICOM but neither CT nor RTSTRUCT, not listed in the DICOMDIR, copies.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>Zip entries that are not DICOM (skipped; each is also under <see cref="Ignored"/>).</summary>
    public int NotDicom { get; init; }

    /// <summary>True when the files were found through a DICOMDIR in the zip.</summary>
    public bool DicomDir { get; init; }

    /// <summary>Every series the zip held, grouped by the case loader (modality, SOP class, count, whether it was stored).</summary>
    public IReadOnlyList<UploadFoundSeries> Found { get; init; } = [];

    /// <summary>The CT series stored.</summary>
    public IReadOnlyList<UploadCtSeries> CtSeries { get; init; } = [];

    /// <summary>The structure sets stored, with their structures.</summary>
    public IReadOnlyList<UploadStructureSet> StructureSets { get; init; } = [];

    /// <summary>The CT series a plan uses when the request names none; null when the upload holds several and none is clear.</summary>
    public string? CtSeriesUid { get; init; }

    /// <summary>The structure set a plan uses when the request names none; null when a choice is needed.</summary>
    public string? StructureSetUid { get; init; }

    /// <summary>Why a plan request must choose (<c>ctSeries</c>, <c>structureSet</c>), listing the candidates; null when it need not.</summary>
    public string? Choice { get; init; }

    /// <summary>How the chosen CT and structure set disagree (patient, study, frame of reference, references); a plan refuses them unless the request sets <c>allowInconsistent</c>.</summary>
    public IReadOnlyList<string> Inconsistencies { get; init; } = [];
}

/// <summary>A structure of an uploaded case.</summary>
/// <param name="Name">ROI name.</param>
/// <param name="Type">RT ROI Interpreted Type.</param>
public sealed record UploadStructure(string Name, string Type);
