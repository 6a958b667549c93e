namespace MeTAI.Dicom.Media;

/// <summary>
/// A DICOMDIR (PS3.10 media storage directory, PS3.3 Annex F): the records of the Directory Record Sequence
/// (0004,1220) as a tree — the root entity from Offset of the First Directory Record of the Root Directory Entity
/// (0004,1200), siblings through Offset of the Next Directory Record (0004,1400), children through Offset of Referenced
/// Lower-Level Directory Entity (0004,1420) — with inactive records (Record In-use Flag (0004,1410) = 0) left out, as
/// PS3.10 asks. Files are found from <see cref="DicomDirectoryRecord.FileId"/> relative to the DICOMDIR's folder
/// (<see cref="MediaFileIndex"/> resolves them case-insensitively, as media file systems need). Offsets that point at
/// no record, cycles, and a DICOMDIR not in Explicit VR Little Endian are refused naming the record and attribute.
/// </summary>
public sealed class DicomDirectory
{
    /// <summary>Media Storage Directory Storage, the SOP class of a DICOMDIR.</summary>
    public const string MediaStorageDirectoryStorage = "1.2.840.10008.1.3.10";

    /// <summary>The file name of a DICOMDIR on media (PS3.10 §8.6), matched ignoring case.</summary>
    public const string FileName = "DICOMDIR";

    private DicomDirectory(string path, string fileSetId, IReadOnlyList<DicomDirectoryRecord> roots, int recordCount, int inactiveCount)
    {
        Path = path;
        FileSetId = fileSetId;
        Roots = roots;
        RecordCount = recordCount;
        InactiveCount = inactiveCount;
    }

    /// <summary>The DICOMDIR file.</summary>
    public string Path { get; }

    /// <summary>File-set ID (0004,1130), or empty.</summary>
    public string FileSetId { get; }

    /// <summary>The active records of the root directory entity (usually PATIENT records).</summary>
    public IReadOnlyList<DicomDirectoryRecord> Roots { get; }

    /// <summary>Items of the Directory Record Sequence, active or not, reached from the root or not.</summary>
    public int RecordCount { get; }

    /// <summary>Records left out because their Record In-use Flag is 0 (the records below one go with it).</summary>
    public int InactiveCount { get; }

    /// <summary>True when <paramref name="path"/>'s file name is DICOMDIR (any case).</summary>
    public static bool IsDicomDirectoryName(string path) =>
        string.Equals(System.IO.Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every active record with a Referenced File ID, depth first, with the records above it (root first).</summary>
    public IEnumerable<(DicomDirectoryRecord Record, IReadOnlyList<DicomDirectoryRecord> Ancestors)> FileRecords()
    {
        var stack = new List<DicomDirectoryRecord>();
        return Walk(Roots, stack);
    }

    private static IEnumerable<(DicomDirectoryRecord, IReadOnlyList<DicomDirectoryRecord>)> Walk(IReadOnlyList<DicomDirectoryRecord> records, List<DicomDirectoryRecord> above)
    {
        foreach (DicomDirectoryRecord r in records)
        {
            if (r.FileId.Count > 0)
            {
                yield return (r, above.ToArray());
            }

            above.Add(r);
            foreach ((DicomDirectoryRecord, IReadOnlyList<DicomDirectoryRecord>) child in Walk(r.Children, above))
            {
                yield return child;
            }

            above.RemoveAt(above.Count - 1);
        }
    }

    /// <summary>Reads a DICOMDIR.</summary>
    /// <exception cref="DicomFormatException">Not readable, not Explicit VR Little Endian, or its record offsets are broken; names the file.</exception>
    public static DicomDirectory Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes, path);
        }
        catch (DicomFormatException ex)
        {
            throw ex.WithFile(path);
        }
    }

    private static DicomDirectory Parse(byte[] bytes, string path)
    {
        DicomFile file = DicomFile.Read(bytes);
        string? sopClass = file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID);
        if (sopClass is { Length: > 0 } && sopClass != MediaStorageDirectoryStorage)
        {
            throw new DicomFormatException($"Media Storage SOP Class UID is {sopClass}, not Media Storage Directory Storage ({MediaStorageDirectoryStorage}): not a DICOMDIR", -1, DicomTags.MediaStorageSOPClassUID);
        }

        if (file.TransferSyntax.Uid != DicomTransferSyntax.ExplicitVRLittleEndian.Uid)
        {
            throw new DicomFormatException($"a DICOMDIR must be Explicit VR Little Endian (PS3.10 §8.6), this one is {file.TransferSyntax}", -1, DicomTags.TransferSyntaxUID);
        }

        IReadOnlyList<DicomDataset> items = file.Dataset.GetItems(DicomTags.DirectoryRecordSequence);
        List<long> offsets = DicomDirectoryOffsets.RecordOffsets(bytes);
        if (offsets.Count != items.Count)
        {
            throw new DicomFormatException($"Directory Record Sequence: {items.Count} records read but {offsets.Count} item offsets found", -1, DicomTags.DirectoryRecordSequence);
        }

        var byOffset = new Dictionary<long, DicomDataset>();
        for (int n = 0; n < items.Count; n++)
        {
            byOffset[offsets[n]] = items[n];
        }

        var builder = new TreeBuilder(byOffset);
        long first = Offset(file.Dataset, DicomTags.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity);
        if (first == 0 && items.Count > 0)
        {
            throw new DicomFormatException($"Offset of the First Directory Record of the Root Directory Entity is 0 but the DICOMDIR holds {items.Count} records", -1, DicomTags.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity);
        }

        IReadOnlyList<DicomDirectoryRecord> roots = builder.Chain(first, DicomTags.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, "the root", 0);
        return new DicomDirectory(path, file.Dataset.GetString(DicomTags.FileSetID) ?? string.Empty, roots, items.Count, builder.Inactive);
    }

    private static long Offset(DicomDataset ds, DicomTag tag) =>
        ds.TryGetElement(tag, out DicomElement e) && e.Value.Length >= 4 ? ds.GetValues<uint>(tag)[0] : 0;

    /// <summary>Follows the offset links from one record to the next, and down to each record's children.</summary>
    private sealed class TreeBuilder(Dictionary<long, DicomDataset> byOffset)
    {
        private const int MaxDepth = 32;
        private readonly HashSet<long> _visited = [];

        public int Inactive { get; private set; }

        public List<DicomDirectoryRecord> Chain(long first, DicomTag via, string from, int depth)
        {
            var records = new List<DicomDirectoryRecord>();
            long offset = first;
            DicomTag tag = via;
            string source = from;
            while (offset != 0)
            {
                if (!byOffset.TryGetValue(offset, out DicomDataset? item))
                {
                    throw new DicomFormatException($"{Keyword(tag)} of {source} is {offset}, which is the offset of no directory record", -1, tag);
                }

                if (!_visited.Add(offset) || depth > MaxDepth)
                {
                    throw new DicomFormatException($"{Keyword(tag)} of {source} leads back to the record at byte {offset} (the records form a cycle)", -1, tag);
                }

                string type = item.GetString(DicomTags.DirectoryRecordType) ?? string.Empty;
                if (type.Length == 0)
                {
                    throw new DicomFormatException($"the directory record at byte {offset} has no Directory Record Type", -1, DicomTags.DirectoryRecordType);
                }

                long lower = Offset(item, DicomTags.OffsetOfReferencedLowerLevelDirectoryEntity);
                bool active = !item.TryGetElement(DicomTags.RecordInUseFlag, out DicomElement flag) || flag.Value.Length < 2 || item.GetValues<ushort>(DicomTags.RecordInUseFlag)[0] != 0;
                string self = $"the {type} record at byte {offset}";
                IReadOnlyList<DicomDirectoryRecord> children = Chain(lower, DicomTags.OffsetOfReferencedLowerLevelDirectoryEntity, self, depth + 1);
                if (active)
                {
                    records.Add(new DicomDirectoryRecord(type, offset, item, children));
                }
                else
                {
                    Inactive++;
                }

                offset = Offset(item, DicomTags.OffsetOfTheNextDirectoryRecord);
                tag = DicomTags.OffsetOfTheNextDirectoryRecord;
                source = self;
            }

            return records;
        }

        private static string Keyword(DicomTag tag) => DicomDictionary.NameOf(tag);
    }
}
