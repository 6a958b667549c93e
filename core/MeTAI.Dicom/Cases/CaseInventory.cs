using MeTAI.Dicom.Media;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Dicom.Cases;

/// <summary>
/// What a folder of DICOM files holds, as an export from a planning system or PACS leaves it: every file under the
/// folder (any names, sub-folders too), or the files a DICOMDIR lists (PS3.10 media; a folder with a DICOMDIR is read
/// through it, Referenced File IDs resolved relative to it by <see cref="MediaFileIndex"/>). Objects are grouped by
/// patient → study → series (<see cref="Series"/>). Files that are not DICOM are skipped and counted; DICOM files that
/// do not read, files a DICOMDIR lists but that are missing or hold another object, and two different files with one
/// SOP Instance UID are <see cref="Problems"/>, named. Only the identifying attributes are kept (pixel data is read
/// again when a series is loaded).
/// </summary>
public sealed partial class CaseInventory
{
    private CaseInventory(string root, int fileCount, List<CaseInstance> instances, List<string> notDicom, List<(string, string)> ignored, List<CaseFileProblem> problems, List<string> dicomDirectories)
    {
        Root = root;
        FileCount = fileCount;
        Instances = instances;
        NotDicom = notDicom;
        Ignored = ignored;
        Problems = problems;
        DicomDirectories = dicomDirectories;
        Series = [.. instances
            .GroupBy(i => (i.PatientId, i.StudyInstanceUid, i.SeriesInstanceUid))
            .Select(g => new CaseSeries([.. g.OrderBy(i => i.Name, StringComparer.Ordinal)]))
            .OrderBy(s => s.PatientId, StringComparer.Ordinal)
            .ThenBy(s => s.First.StudyDate, StringComparer.Ordinal)
            .ThenBy(s => s.StudyInstanceUid, StringComparer.Ordinal)
            .ThenBy(s => s.SeriesNumber ?? int.MaxValue)
            .ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal)];
    }

    /// <summary>The folder scanned (for a DICOMDIR file, its folder).</summary>
    public string Root { get; }

    /// <summary>Files looked at (DICOMDIRs included).</summary>
    public int FileCount { get; }

    /// <summary>Every DICOM object found, in file-name order.</summary>
    public IReadOnlyList<CaseInstance> Instances { get; }

    /// <summary>The objects grouped by patient, study and series, in that order (series by number).</summary>
    public IReadOnlyList<CaseSeries> Series { get; }

    /// <summary>Files that are not DICOM (skipped).</summary>
    public IReadOnlyList<string> NotDicom { get; }

    /// <summary>DICOM files left out, with why: not listed in the DICOMDIR that governs their folder, a second copy of an object, another DICOMDIR.</summary>
    public IReadOnlyList<(string Name, string Reason)> Ignored { get; }

    /// <summary>Files that should be usable and are not (unreadable, missing, not what the DICOMDIR says); loading refuses while any is left.</summary>
    public IReadOnlyList<CaseFileProblem> Problems { get; }

    /// <summary>The DICOMDIRs the files were found through (names relative to <see cref="Root"/>).</summary>
    public IReadOnlyList<string> DicomDirectories { get; }

    /// <summary>The CT Image Storage series.</summary>
    public IReadOnlyList<CaseSeries> CtSeries => [.. Series.Where(s => s.IsCt)];

    /// <summary>The RT Structure Set objects.</summary>
    public IReadOnlyList<CaseInstance> StructureSets => [.. Instances.Where(i => i.IsStructureSet)];

    /// <summary>The RT Plan objects.</summary>
    public IReadOnlyList<CaseInstance> Plans => [.. Instances.Where(i => i.IsPlan)];

    /// <summary>The RT Dose objects.</summary>
    public IReadOnlyList<CaseInstance> Doses => [.. Instances.Where(i => i.IsDose)];

    /// <summary>
    /// Scans a folder (recursively; names starting with '.' are skipped), a DICOMDIR file (its folder, through it) or a
    /// single DICOM file.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static CaseInventory Scan(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return FromFiles(full, FilesUnder(full));
        }

        if (!File.Exists(full))
        {
            throw new DirectoryNotFoundException($"{full} does not exist.");
        }

        string folder = System.IO.Path.GetDirectoryName(full)!;
        return DicomDirectory.IsDicomDirectoryName(full)
            ? FromFiles(folder, FilesUnder(folder))
            : FromFiles(folder, [(full, System.IO.Path.GetFileName(full))]);
    }

    /// <summary>
    /// Groups files already on disk, each with the name listings and errors give it ('/'-separated, relative to the
    /// export's top, e.g. a zip entry); a file named DICOMDIR governs the files under its folder.
    /// </summary>
    public static CaseInventory FromFiles(string root, IEnumerable<(string Path, string Name)> files)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(files);
        List<(string Path, string Name)> all = [.. files.Select(f => (f.Path, f.Name.Replace('\\', '/')))];
        var scan = new Scanner();
        List<(string Path, string Name)> direct = scan.ReadMedia(all);
        foreach ((string p, string name) in direct)
        {
            scan.Read(p, name, record: null);
        }

        return new CaseInventory(root, all.Count, scan.Instances, scan.NotDicom, scan.Ignored, scan.Problems, scan.DicomDirectories);
    }

    private static List<(string Path, string Name)> FilesUnder(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 };
        return [.. Directory.EnumerateFiles(folder, "*", options)
            .Select(p => (Path: p, Name: System.IO.Path.GetRelativePath(folder, p).Replace('\\', '/')))
            .Where(f => !f.Name.Split('/').Any(c => c.StartsWith('.')))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>Reads files into instances, sorting out what is not DICOM, what is ignored and what is a problem.</summary>
    private sealed class Scanner
    {
        private readonly Dictionary<string, CaseInstance> _bySopInstance = new(StringComparer.Ordinal);

        public List<CaseInstance> Instances { get; } = [];

        public List<string> NotDicom { get; } = [];

        public List<(string, string)> Ignored { get; } = [];

        public List<CaseFileProblem> Problems { get; } = [];

        public List<string> DicomDirectories { get; } = [];

        /// <summary>Reads every DICOMDIR (the outermost governs its folder); returns the files no DICOMDIR governs.</summary>
        public List<(string Path, string Name)> ReadMedia(List<(string Path, string Name)> all)
        {
            var governed = new List<string>();
            foreach ((string path, string name) in all.Where(f => DicomDirectory.IsDicomDirectoryName(f.Name)).OrderBy(f => f.Name.Count(c => c == '/')))
            {
                string prefix = name.Contains('/', StringComparison.Ordinal) ? name[..(name.LastIndexOf('/') + 1)] : string.Empty;
                if (governed.Any(g => prefix.StartsWith(g, StringComparison.Ordinal)))
                {
                    Ignored.Add((name, "a DICOMDIR inside a folder another DICOMDIR governs"));
                    continue;
                }

                DicomDirectory dir;
                try
                {
                    dir = DicomDirectory.Read(path);
                }
                catch (DicomFormatException ex)
                {
                    Problems.Add(new CaseFileProblem(name, ex.Reason + (ex.Tag is { } t ? $" at tag {t}" : string.Empty), ex));
                    continue; // its folder is scanned file by file so that listings still show it
                }

                governed.Add(prefix);
                DicomDirectories.Add(name);
                ReadThrough(dir, name, prefix, all);
            }

            return [.. all.Where(f => !DicomDirectory.IsDicomDirectoryName(f.Name) && !governed.Any(g => f.Name.StartsWith(g, StringComparison.Ordinal)))];
        }

        private void ReadThrough(DicomDirectory dir, string dirName, string prefix, List<(string Path, string Name)> all)
        {
            var under = all.Where(f => f.Name.StartsWith(prefix, StringComparison.Ordinal) && f.Name != dirName).ToList();
            var index = new MediaFileIndex(under.Select(f => (f.Name[prefix.Length..], f.Path)));
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach ((DicomDirectoryRecord record, IReadOnlyList<DicomDirectoryRecord> above) in dir.FileRecords())
            {
                (string Relative, string Path)? file;
                try
                {
                    file = index.Resolve(record.FileId);
                }
                catch (DicomFormatException ex)
                {
                    Problems.Add(new CaseFileProblem(dirName, $"{record}: {ex.Reason}", ex));
                    continue;
                }

                if (file is not { } f)
                {
                    Problems.Add(new CaseFileProblem(prefix + record.FileIdText, $"listed in {dirName} ({record}, Referenced File ID '{string.Join('\\', record.FileId)}') but not found"));
                    continue;
                }

                if (used.Add(f.Relative))
                {
                    Read(f.Path, prefix + f.Relative, (record, above, dirName));
                }
            }

            foreach ((string _, string name) in under.Where(u => !used.Contains(u.Name[prefix.Length..])))
            {
                Ignored.Add((name, $"not listed in {dirName}"));
            }
        }

        /// <summary>Reads one file; <paramref name="record"/> is the DICOMDIR record it was found through, if any.</summary>
        public void Read(string path, string name, (DicomDirectoryRecord Record, IReadOnlyList<DicomDirectoryRecord> Above, string Dir)? record)
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (DicomFormatException ex)
            {
                if (record is null && !LooksLikeDicom(path, name))
                {
                    NotDicom.Add(name);
                }
                else
                {
                    Problems.Add(new CaseFileProblem(name, ex.Reason + (ex.Tag is { } t ? $" at tag {t}" : string.Empty) + (ex.Offset >= 0 ? $" (byte offset {ex.Offset})" : string.Empty), ex));
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Problems.Add(new CaseFileProblem(name, "cannot be read: " + ex.Message));
                return;
            }

            DicomDataset ds = file.Dataset;
            string sopClass = RtRead.String(ds, DicomTags.SOPClassUID) ?? file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID) ?? string.Empty;
            if (sopClass == DicomDirectory.MediaStorageDirectoryStorage)
            {
                Ignored.Add((name, "a DICOMDIR under another name"));
                return;
            }

            string sopInstance = RtRead.String(ds, DicomTags.SOPInstanceUID) ?? string.Empty;
            if (sopClass.Length == 0 || sopInstance.Length == 0)
            {
                if (record is null && !LooksLikeDicom(path, name))
                {
                    NotDicom.Add(name);
                }
                else
                {
                    Problems.Add(new CaseFileProblem(name, $"has no {(sopClass.Length == 0 ? "SOP Class UID (0008,0016)" : "SOP Instance UID (0008,0018)")}"));
                }

                return;
            }

            CaseInstance instance = CaseInstances.From(ds, path, name, sopClass, sopInstance);
            if (record is { } r && CaseInstances.RecordMismatch(instance, r.Record, r.Above) is { } mismatch)
            {
                Problems.Add(new CaseFileProblem(name, $"{r.Dir} ({r.Record}) {mismatch}"));
                return;
            }

            if (_bySopInstance.TryGetValue(sopInstance, out CaseInstance? other))
            {
                if (File.ReadAllBytes(other.Path).AsSpan().SequenceEqual(File.ReadAllBytes(path)))
                {
                    Ignored.Add((name, $"a copy of {other.Name}"));
                }
                else
                {
                    Problems.Add(new CaseFileProblem(name, $"SOP Instance UID (0008,0018) {sopInstance} is also that of {other.Name}, a different file (two objects cannot share one UID)"));
                }

                return;
            }

            _bySopInstance[sopInstance] = instance;
            Instances.Add(instance);
        }

        // A parse failure of a file that claims to be DICOM is a problem; of any other file, it is not DICOM.
        private static bool LooksLikeDicom(string path, string name)
        {
            if (name.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".dicom", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            try
            {
                using FileStream s = File.OpenRead(path);
                Span<byte> head = stackalloc byte[132];
                int n = s.ReadAtLeast(head, 132, throwOnEndOfStream: false);
                // A Part 10 header, or a raw dataset starting with a group 0002 or 0008 element (old exports).
                return (n == 132 && head[128..].SequenceEqual("DICM"u8)) || (n >= 8 && head[1] == 0 && head[0] is 0x02 or 0x08 && head[3] == 0);
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
