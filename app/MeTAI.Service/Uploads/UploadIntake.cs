using System.IO.Compression;
using System.Text.Json;
using MeTAI.Dicom;
using MeTAI.Dicom.Deid;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Service.Hosting;
using MeTAI.Service.Jobs;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Uploads;

/// <summary>
/// Receives a zip of a DICOM CT series and an RTSTRUCT and stores it as a case (<c>uploads/{id}/case/ct/</c> +
/// <c>rtstruct.dcm</c>). Checks, in order: size as sent (<see cref="ServiceOptions.MaxUploadBytes"/>), that it is a zip,
/// entry count, entry names (absolute paths, <c>..</c> and drive letters are refused, and entries are stored under
/// names of our own, never theirs), the bytes actually inflated (<see cref="ServiceOptions.MaxUploadUncompressedBytes"/>,
/// counted while extracting, not taken from the headers, and <see cref="ServiceOptions.MaxUploadEntryBytes"/> per entry:
/// entries are inflated to disk in 64 kB pieces, and none larger than that is ever read into memory), that every entry parses as DICOM with our codec (a malformed
/// one is named with the codec's reason, tag and offset), one CT series and one RTSTRUCT on the same frame of
/// reference, and that the case loads (slice geometry, ROIs with closed contours). With <c>deidentify</c> every
/// dataset goes through <see cref="Deidentifier"/> (PS3.15 basic profile, UIDs remapped consistently) before it is
/// stored. Nothing is kept of a rejected upload.
/// </summary>
public sealed class UploadIntake(ServicePaths paths, JobStore store, IOptions<ServiceOptions> options, TimeProvider time, UploadLimiter limiter)
{
    private static readonly string[] SkippedPrefixes = ["__MACOSX/"];

    /// <summary>
    /// Reads, checks and stores an upload, within the <see cref="UploadLimiter"/>'s bounds (a slot among
    /// <see cref="ServiceOptions.MaxConcurrentUploads"/>, and parsing memory from <see cref="ServiceOptions.MaxUploadMemoryBytes"/>).
    /// </summary>
    /// <exception cref="UploadRejectedException">The upload is refused (status, title and detail for the problem).</exception>
    public async Task<UploadSummary> ReceiveAsync(Stream body, long? contentLength, string? name, bool deidentify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ServiceOptions o = options.Value;
        if (contentLength > o.MaxUploadBytes)
        {
            throw TooLarge(o.MaxUploadBytes);
        }

        using IDisposable slot = limiter.Enter();

        string id = Guid.CreateVersion7().ToString("N");
        string staging = Path.Combine(paths.Incoming, id);
        Directory.CreateDirectory(staging);
        try
        {
            string zipPath = Path.Combine(staging, "upload.zip");
            await CopyLimitedAsync(body, zipPath, o.MaxUploadBytes, cancellationToken).ConfigureAwait(false);
            List<(string Entry, string Path)> files = Extract(zipPath, Path.Combine(staging, "raw"), o);
            File.Delete(zipPath);
            using IDisposable memory = await limiter.ReserveMemoryAsync(files.Sum(f => new FileInfo(f.Path).Length), cancellationToken).ConfigureAwait(false);
            string caseDir = Path.Combine(staging, "case");
            (List<string> ignored, Dictionary<string, string> entryOf) = Arrange(files, caseDir, deidentify);
            UploadSummary summary = Check(caseDir, entryOf, id, name, deidentify, ignored);
            Directory.Delete(Path.Combine(staging, "raw"), recursive: true);
            Directory.Move(staging, paths.Upload(id));
            store.AddUpload(id, JsonSerializer.Serialize(summary, PlanJobs.Json), summary.CreatedUtc);
            return summary;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static UploadRejectedException TooLarge(long max) =>
        new(StatusCodes.Status413PayloadTooLarge, "Upload too large", $"The upload is larger than the limit of {max:N0} bytes (Service:MaxUploadBytes).");

    private static async Task CopyLimitedAsync(Stream body, string path, long max, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > max)
            {
                throw TooLarge(max);
            }

            await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }

        if (total == 0)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Empty upload", "The request body is empty; send a zip of a CT series and an RTSTRUCT (Content-Type: application/zip).");
        }
    }

    private static List<(string Entry, string Path)> Extract(string zipPath, string rawDir, ServiceOptions o)
    {
        Directory.CreateDirectory(rawDir);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException ex)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Not a zip file", $"The upload is not a readable zip archive ({ex.Message}).", innerException: ex);
        }

        using (zip)
        {
            if (zip.Entries.Count > o.MaxUploadEntries)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Too many entries",
                    $"The zip has {zip.Entries.Count} entries; the limit is {o.MaxUploadEntries} (Service:MaxUploadEntries).");
            }

            var files = new List<(string, string)>();
            long total = 0;
            var buffer = new byte[1 << 16];
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                string entryName = entry.FullName;
                CheckName(entryName);
                if (entryName.EndsWith('/') || entryName.EndsWith('\\'))
                {
                    continue; // directory
                }

                if (SkippedPrefixes.Any(p => entryName.StartsWith(p, StringComparison.Ordinal)) || Path.GetFileName(entryName).StartsWith('.'))
                {
                    continue; // macOS resource forks, .DS_Store and other dot files
                }

                string target = Path.Combine(rawDir, files.Count.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + ".dcm");
                try
                {
                    using Stream input = entry.Open();
                    using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
                    int n;
                    long entryBytes = 0;
                    while ((n = input.Read(buffer)) > 0)
                    {
                        total += n;
                        entryBytes += n;
                        if (entryBytes > o.MaxUploadEntryBytes)
                        {
                            throw new UploadRejectedException(StatusCodes.Status413PayloadTooLarge, "Zip entry too large",
                                $"Zip entry '{entryName}' inflates to more than {o.MaxUploadEntryBytes:N0} bytes (Service:MaxUploadEntryBytes); no DICOM file we read is that large.", entryName);
                        }

                        if (total > o.MaxUploadUncompressedBytes)
                        {
                            throw new UploadRejectedException(StatusCodes.Status413PayloadTooLarge, "Upload expands too far",
                                $"The zip inflates to more than {o.MaxUploadUncompressedBytes:N0} bytes (Service:MaxUploadUncompressedBytes); stopped at entry '{entryName}'.", entryName);
                        }

                        output.Write(buffer, 0, n);
                    }
                }
                catch (InvalidDataException ex)
                {
                    throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Corrupt zip entry", $"Zip entry '{entryName}' cannot be inflated ({ex.Message}).", entryName, ex);
                }

                files.Add((entryName, target));
            }

            if (files.Count == 0)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Empty zip", "The zip holds no files.");
            }

            return files;
        }
    }

    private static void CheckName(string entryName)
    {
        string n = entryName.Replace('\\', '/');
        bool bad = n.StartsWith('/') || n.Contains('\0', StringComparison.Ordinal) || (n.Length >= 2 && n[1] == ':')
            || n.Split('/').Any(segment => segment == "..");
        if (bad)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Unsafe zip entry name",
                $"Zip entry '{entryName}' has an absolute path or '..' segment; such archives are refused.", entryName);
        }
    }

    // Parses every entry, keeps the CT slices and the RTSTRUCT (de-identified on request) in the case layout.
    private static (List<string> Ignored, Dictionary<string, string> EntryOf) Arrange(List<(string Entry, string Path)> files, string caseDir, bool deidentify)
    {
        var ct = new List<(string Entry, DicomFile File, string Path)>();
        (string Entry, DicomFile File, string Path)? rtstruct = null;
        var ignored = new List<string>();
        foreach ((string entry, string path) in files)
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (DicomFormatException ex)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Malformed DICOM",
                    $"Zip entry '{entry}' is not valid DICOM: {ex.Reason}" + (ex.Tag is { } t ? $" at tag {t}" : string.Empty) + (ex.Offset >= 0 ? $" (byte offset {ex.Offset})" : string.Empty) + ".",
                    entry, ex)
                {
                    Tag = ex.Tag?.ToString(),
                    Offset = ex.Offset >= 0 ? ex.Offset : null,
                };
            }

            string sopClass = file.Dataset.GetString(DicomTags.SOPClassUID) ?? string.Empty;
            switch (sopClass)
            {
                case DicomUid.CTImageStorage:
                    ct.Add((entry, file, path));
                    break;
                case DicomUid.RTStructureSetStorage when rtstruct is null:
                    rtstruct = (entry, file, path);
                    break;
                case DicomUid.RTStructureSetStorage:
                    throw new UploadRejectedException(StatusCodes.Status400BadRequest, "More than one RTSTRUCT",
                        $"Zip entries '{rtstruct!.Value.Entry}' and '{entry}' are both RT Structure Sets; send one.", entry);
                default:
                    ignored.Add($"{entry}: SOP class {(sopClass.Length > 0 ? sopClass : "(none)")} is neither CT Image nor RT Structure Set");
                    break;
            }
        }

        if (ct.Count == 0)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "No CT series", "The zip holds no CT Image Storage files; a case needs a CT series and an RTSTRUCT.");
        }

        if (rtstruct is null)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "No RTSTRUCT", "The zip holds no RT Structure Set; a case needs a CT series and an RTSTRUCT.");
        }

        var series = ct.Select(c => c.File.Dataset.GetString(DicomTags.SeriesInstanceUID) ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        if (series.Count > 1)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "More than one CT series",
                $"The zip holds {series.Count} CT series; send one series per upload.");
        }

        string ssFor = rtstruct.Value.File.Dataset.GetString(DicomTags.FrameOfReferenceUID) ?? ReferencedFrame(rtstruct.Value.File.Dataset);
        string ctFor = ct[0].File.Dataset.GetString(DicomTags.FrameOfReferenceUID) ?? string.Empty;
        if (ssFor.Length > 0 && ctFor.Length > 0 && ssFor != ctFor)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "RTSTRUCT does not match the CT",
                $"The RTSTRUCT ('{rtstruct.Value.Entry}') is on frame of reference {ssFor}, the CT series on {ctFor}.", rtstruct.Value.Entry);
        }

        var deid = deidentify ? new Deidentifier() : null;
        var entryOf = new Dictionary<string, string>(StringComparer.Ordinal);
        string ctDir = Path.Combine(caseDir, RtStudyWriter.CtDirectory);
        Directory.CreateDirectory(ctDir);
        int index = 0;
        foreach ((string entry, DicomFile file, string path) in ct)
        {
            string target = Path.Combine(ctDir, $"CT.{++index:D4}.dcm");
            Store(file, path, target, deid);
            entryOf[target] = entry;
        }

        string ssPath = Path.Combine(caseDir, RtStudyWriter.StructureSetFile);
        Store(rtstruct.Value.File, rtstruct.Value.Path, ssPath, deid);
        entryOf[ssPath] = rtstruct.Value.Entry;
        return (ignored, entryOf);
    }

    private static string ReferencedFrame(DicomDataset ss)
    {
        foreach (DicomDataset item in ss.GetItems(DicomTags.ReferencedFrameOfReferenceSequence))
        {
            if (item.GetString(DicomTags.FrameOfReferenceUID) is { Length: > 0 } uid)
            {
                return uid;
            }
        }

        return string.Empty;
    }

    private static void Store(DicomFile file, string source, string target, Deidentifier? deid)
    {
        if (deid is null)
        {
            File.Copy(source, target);
            return;
        }

        new DicomFile(deid.Apply(file.Dataset)).Save(target);
    }

    // Loads the arranged case as a plan would; errors name the zip entry.
    private UploadSummary Check(string caseDir, Dictionary<string, string> entryOf, string id, string? name, bool deidentify, List<string> ignored)
    {
        LoadedCaseInfo info;
        try
        {
            RtStudy study = RtStudyReader.Read(caseDir);
            RtStructureSet ss = study.StructureSet!;
            var structures = ss.Rois.Where(r => r.ClosedPlanarCount > 0).Select(r => new UploadStructure(r.Name, r.InterpretedType)).ToList();
            if (structures.Count == 0)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "RTSTRUCT has no contours",
                    "No ROI of the RTSTRUCT has closed planar contours, so there is nothing to plan on.", entryOf.GetValueOrDefault(Path.Combine(caseDir, RtStudyWriter.StructureSetFile)));
            }

            info = new LoadedCaseInfo(study.Ct.Geometry.SizeX, study.Ct.Geometry.SizeY, study.Ct.Geometry.SizeZ,
                [study.Ct.Geometry.SpacingMm.X, study.Ct.Geometry.SpacingMm.Y, study.Ct.Geometry.SpacingMm.Z], structures);
        }
        catch (DicomFormatException ex)
        {
            string? entry = ex.FilePath is { } f ? entryOf.GetValueOrDefault(Path.GetFullPath(f)) ?? entryOf.GetValueOrDefault(f) : null;
            string message = ex.Reason;
            foreach ((string stored, string original) in entryOf)
            {
                message = message.Replace(stored, original, StringComparison.Ordinal);
            }

            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Case does not load",
                (entry is null ? string.Empty : $"Zip entry '{entry}': ") + message + (ex.Tag is { } t ? $" at tag {t}" : string.Empty) + ".", entry, ex)
            {
                Tag = ex.Tag?.ToString(),
                Offset = ex.Offset >= 0 ? ex.Offset : null,
            };
        }

        return new UploadSummary
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(name) ? "upload" : name.Trim(),
            CreatedUtc = time.GetUtcNow().UtcDateTime,
            Deidentified = deidentify,
            Slices = info.SizeZ,
            Size = [info.SizeX, info.SizeY, info.SizeZ],
            SpacingMm = info.SpacingMm,
            Structures = info.Structures,
            Ignored = ignored,
        };
    }

    private sealed record LoadedCaseInfo(int SizeX, int SizeY, int SizeZ, double[] SpacingMm, IReadOnlyList<UploadStructure> Structures);
}
