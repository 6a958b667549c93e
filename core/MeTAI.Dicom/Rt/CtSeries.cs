using MeTAI.Core.Voxels;

namespace MeTAI.Dicom.Rt;

/// <summary>
/// A CT image series as a volume: CT numbers in HU on a <see cref="GridGeometry"/> (LPS mm), slice k of the grid being
/// the k-th image along the slice normal, plus the identifiers RT objects need to reference it (study, series and
/// frame of reference UIDs, and the SOP Instance UID of every slice, which RTSTRUCT contours point at).
/// </summary>
public sealed class CtSeries
{
    /// <summary>A series from a volume and its identifiers; one SOP Instance UID per slice.</summary>
    public CtSeries(VoxelGrid<short> hu, RtPatientStudy patientStudy, string seriesInstanceUid, string frameOfReferenceUid, IReadOnlyList<string> sopInstanceUids)
    {
        ArgumentNullException.ThrowIfNull(hu);
        ArgumentNullException.ThrowIfNull(patientStudy);
        ArgumentException.ThrowIfNullOrWhiteSpace(seriesInstanceUid);
        ArgumentException.ThrowIfNullOrWhiteSpace(frameOfReferenceUid);
        ArgumentNullException.ThrowIfNull(sopInstanceUids);
        if (sopInstanceUids.Count != hu.Geometry.SizeZ)
        {
            throw new ArgumentException($"A series of {hu.Geometry.SizeZ} slices needs {hu.Geometry.SizeZ} SOP Instance UIDs, got {sopInstanceUids.Count}.", nameof(sopInstanceUids));
        }

        Hu = hu;
        PatientStudy = patientStudy;
        SeriesInstanceUid = seriesInstanceUid;
        FrameOfReferenceUid = frameOfReferenceUid;
        SopInstanceUids = sopInstanceUids;
    }

    /// <summary>CT numbers in HU; voxel (i, j, k) is column i, row j of slice k.</summary>
    public VoxelGrid<short> Hu { get; }

    /// <summary>The grid of the volume.</summary>
    public GridGeometry Geometry => Hu.Geometry;

    /// <summary>Patient and study.</summary>
    public RtPatientStudy PatientStudy { get; }

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string SeriesInstanceUid { get; }

    /// <summary>Frame of Reference UID (0020,0052) shared with the RT objects drawn on this CT.</summary>
    public string FrameOfReferenceUid { get; }

    /// <summary>SOP Instance UID of slice k, in grid order.</summary>
    public IReadOnlyList<string> SopInstanceUids { get; }

    /// <summary>Series Number (0020,0011).</summary>
    public int SeriesNumber { get; init; } = 1;

    /// <summary>Series Description (0008,103E), or empty.</summary>
    public string SeriesDescription { get; init; } = string.Empty;

    /// <summary>Patient Position (0018,5100), e.g. HFS (head first supine).</summary>
    public string PatientPosition { get; init; } = "HFS";

    /// <summary>Peak kilovoltage (0018,0060) recorded in the images, or null.</summary>
    public double? KvP { get; init; } = 120;

    /// <summary>The file each slice was read from (empty for series built in memory).</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>
    /// The same volume as a new series: a fresh Series Instance UID and SOP Instance UID per slice; patient, study,
    /// frame of reference (the same space) and every other attribute kept; no source files. What
    /// <see cref="Writers.RtStudyWriter"/> writes, so that slices we write never share a UID with the slices they were
    /// read from.
    /// </summary>
    public CtSeries WithNewIdentity()
    {
        var uids = new string[SopInstanceUids.Count];
        for (int k = 0; k < uids.Length; k++)
        {
            uids[k] = DicomUid.Generate();
        }

        // Every init property but SourceFiles: a new property belongs here too.
        return new CtSeries(Hu, PatientStudy, DicomUid.Generate(), FrameOfReferenceUid, uids)
        {
            SeriesNumber = SeriesNumber,
            SeriesDescription = SeriesDescription,
            PatientPosition = PatientPosition,
            KvP = KvP,
        };
    }

    /// <summary>A new series for a volume: fresh series, frame of reference and per-slice UIDs.</summary>
    public static CtSeries Create(VoxelGrid<short> hu, RtPatientStudy? patientStudy = null, string seriesDescription = "")
    {
        ArgumentNullException.ThrowIfNull(hu);
        var uids = new string[hu.Geometry.SizeZ];
        for (int k = 0; k < uids.Length; k++)
        {
            uids[k] = DicomUid.Generate();
        }

        return new CtSeries(hu, patientStudy ?? RtPatientStudy.Create("Phantom^MeTAI", "METAI-PHANTOM"), DicomUid.Generate(), DicomUid.Generate(), uids)
        {
            SeriesDescription = seriesDescription,
        };
    }
}
