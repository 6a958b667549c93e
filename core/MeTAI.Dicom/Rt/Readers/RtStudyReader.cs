namespace MeTAI.Dicom.Rt.Readers;

/// <summary>
/// Reads a directory holding one CT series and at most one RTSTRUCT, RTPLAN and RTDOSE (as <see cref="Writers.RtStudyWriter"/>
/// writes them, or any layout: files are told apart by SOP Class UID).
/// </summary>
public static class RtStudyReader
{
    /// <summary>Reads the study under <paramref name="directory"/> (searched recursively; non-DICOM files skipped).</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="seriesInstanceUid">The CT series to read when there are several.</param>
    public static RtStudy Read(string directory, string? seriesInstanceUid = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such directory.");
        }

        var ct = new List<(string, DicomFile)>();
        (string Path, DicomFile File)? ss = null, plan = null, dose = null;
        foreach (string path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(path).StartsWith('.') || !RtFiles.TryReadFile(path, out DicomFile? file))
            {
                continue;
            }

            switch (RtRead.String(file.Dataset, DicomTags.SOPClassUID))
            {
                case DicomUid.CTImageStorage:
                    ct.Add((path, file));
                    break;
                case DicomUid.RTStructureSetStorage:
                    ss = Single(ss, (path, file), "RTSTRUCT");
                    break;
                case DicomUid.RTPlanStorage:
                    plan = Single(plan, (path, file), "RTPLAN");
                    break;
                case DicomUid.RTDoseStorage:
                    dose = Single(dose, (path, file), "RTDOSE");
                    break;
                default:
                    break;
            }
        }

        if (ct.Count == 0)
        {
            throw new DicomFormatException($"{directory}: no CT Image Storage slices found");
        }

        return new RtStudy
        {
            Ct = CtSeriesReader.FromFiles(ct, seriesInstanceUid),
            StructureSet = ss is { } s ? RtStructureSetReader.FromDataset(s.File.Dataset, s.Path) : null,
            Plan = plan is { } p ? RtPlanReader.FromDataset(p.File.Dataset, p.Path) : null,
            Dose = dose is { } d ? RtDoseReader.FromFile(d.File, d.Path) : null,
        };
    }

    private static (string Path, DicomFile File) Single((string Path, DicomFile File)? existing, (string Path, DicomFile File) found, string kind) =>
        existing is { } e
            ? throw new DicomFormatException($"{found.Path}: a second {kind} (the first is {e.Path}); keep one per directory")
            : found;
}
