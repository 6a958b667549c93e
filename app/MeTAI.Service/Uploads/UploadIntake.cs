using System.IO.Compression;
using System.Text.Json;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Deid;
using MeTAI.Service.Hosting;
using MeTAI.Service.Jobs;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Uploads;

/// <summary>
/// Receives a zip of DICOM files — a planning system's or PACS's export (any names and folders), or DICOM media with a
/// DICOMDIR — and stores its CT series and structure sets as a case (<c>uploads/{id}/case/ct/</c> + <c>rtstruct.dcm</c>,
/// or <c>rtstruct-N.dcm</c> when there are several). Checks, in order: size as sent
/// (<see cref="ServiceOptions.MaxUploadBytes"/>), that it is a zip, entry count, entry names (absolute paths, <c>..</c>
/// and drive letters are refused, and entries are stored under names of our own, never theirs), the bytes actually
/// inflated (<see cref="ServiceOptions.MaxUploadUncompressedBytes"/>, counted while extracting, not taken from the
/// headers, and <see cref="ServiceOptions.MaxUploadEntryBytes"/> per entry: entries are inflated to disk in 64 kB pieces,
/// and none larger than that is ever read into memory); then the files are grouped by the case loader's own code (<see cref="CaseInventory"/>: files that are
/// not DICOM are skipped and counted, a DICOM file that does not parse is named with the codec's reason, tag and
/// offset, a DICOMDIR is followed); there must be a CT series and an RTSTRUCT; and the case must load as a plan would
/// load it (<see cref="CaseLoader"/>: slice geometry, ROIs with closed contours) — or, when the upload holds several CT
/// series or structure sets, every one of them must read, and the plan request chooses. What was found, what was
/// chosen and any mismatch between CT and RTSTRUCT (<see cref="CaseConsistency"/>; a plan refuses it unless asked to
/// accept it) are in the summary. With <c>deidentify</c> every stored dataset goes through <see cref="Deidentifier"/>
/// (PS3.15 basic profile, UIDs remapped consistently) first, so the UIDs in the summary are the stored ones. Nothing is
/// kept of a rejected upload.
/// </summary>
public sealed partial class UploadIntake(ServicePaths paths, JobStore store, IOptions<ServiceOptions> options, TimeProvider time, UploadLimiter limiter)
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
            UploadSummary summary = Intake(files, staging, caseDir, id, name, deidentify);
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

}
