using System.Text.Json;
using MeTAI.Service.Hosting;
using MeTAI.Service.Jobs;

namespace MeTAI.Service.Uploads;

/// <summary>
/// Uploads whose files arrive one by one rather than as a zip (the DICOM listener: one association, one upload): a
/// staging folder is opened, filled, then checked and stored exactly as a zip's entries are — same grouping, same
/// checks, same limits on count and size — or discarded.
/// </summary>
public sealed partial class UploadIntake
{
    /// <summary>Opens a staging folder for a new upload; the files go into <c>Directory</c> (any layout below it; dot files and dot folders are not read).</summary>
    public (string Id, string Directory) BeginStaged()
    {
        string id = Guid.CreateVersion7().ToString("N");
        string raw = Path.Combine(paths.Incoming, id, "raw");
        Directory.CreateDirectory(raw);
        return (id, raw);
    }

    /// <summary>Checks and stores what upload <paramref name="id"/> received, as <see cref="ReceiveAsync"/> does for a zip; the staging folder is gone afterwards either way.</summary>
    /// <exception cref="UploadRejectedException">The files do not make a case (nothing of them is kept).</exception>
    public UploadSummary CompleteStaged(string id, string? name, bool deidentify)
    {
        string staging = Staging(id);
        string raw = Path.Combine(staging, "raw");
        try
        {
            List<(string Entry, string Path)> files = [.. Directory.EnumerateFiles(raw, "*", SearchOption.AllDirectories)
                .Select(f => (Entry: Path.GetRelativePath(raw, f).Replace('\\', '/'), Path: f))
                .Where(f => !f.Entry.Split('/').Any(part => part.StartsWith('.')))
                .OrderBy(f => f.Entry, StringComparer.Ordinal)];
            ServiceOptions o = options.Value;
            if (files.Count == 0)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Empty upload", "No objects were received; a case needs a CT series and an RTSTRUCT.");
            }

            if (files.Count > o.MaxUploadEntries)
            {
                throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Too many objects",
                    $"{files.Count} objects were received; the limit is {o.MaxUploadEntries} (Service:MaxUploadEntries).");
            }

            long bytes = files.Sum(f => new FileInfo(f.Path).Length);
            if (bytes > o.MaxUploadUncompressedBytes)
            {
                throw new UploadRejectedException(StatusCodes.Status413PayloadTooLarge, "Upload too large",
                    $"{bytes:N0} bytes were received; the limit is {o.MaxUploadUncompressedBytes:N0} bytes (Service:MaxUploadUncompressedBytes).");
            }

            UploadSummary summary = Intake(files, staging, Path.Combine(staging, "case"), id, name, deidentify);
            Directory.Delete(raw, recursive: true);
            Directory.Move(staging, paths.Upload(id));
            store.AddUpload(id, JsonSerializer.Serialize(summary, PlanJobs.Json), summary.CreatedUtc);
            return summary;
        }
        finally
        {
            DiscardStaged(id);
        }
    }

    /// <summary>Removes upload <paramref name="id"/>'s staging folder and whatever it received (nothing when it was stored).</summary>
    public void DiscardStaged(string id)
    {
        string staging = Staging(id);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private string Staging(string id) =>
        Guid.TryParseExact(id, "N", out _) ? Path.Combine(paths.Incoming, id) : throw new ArgumentException($"'{id}' is not an upload id.", nameof(id));
}
