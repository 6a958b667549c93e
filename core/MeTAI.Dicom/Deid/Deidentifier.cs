using MeTAI.Core.IO;
using MeTAI.Dicom.Rt;

namespace MeTAI.Dicom.Deid;

/// <summary>
/// De-identifies datasets with the Basic Application Level Confidentiality Profile of DICOM PS3.15 Annex E
/// (<see cref="ConfidentialityProfile"/>), optionally with the Retain UIDs and Retain Longitudinal Temporal
/// Information with Full Dates options. Rules, applied at every level (sequence items included):
/// <list type="bullet">
/// <item>Table actions: X removes; Z empties; D puts a dummy of the VR; K keeps; U maps the UID with a keyed hash, the
/// same way in every file of a run, so RTSTRUCT → CT, RTPLAN → RTSTRUCT, RTDOSE → RTPLAN and frame-of-reference
/// links keep resolving. Where the table allows alternatives the one that keeps the attribute present is taken
/// (X/Z, Z/D, X/Z/D → Z; X/D → D; X/Z/U* → keep the sequence and treat its UIDs), so Type 2 attributes stay present.</item>
/// <item>An X on an attribute that is Type 2 in the RT IODs we write (Treatment Machine Name, Type 2 in the RT Beams
/// module) is applied as Z: a zero-length value discloses no more than removal and keeps the plan valid.</item>
/// <item>Private attributes (odd groups) are removed, as are curves (50xx,xxxx) and overlay data and comments
/// (60xx,3000), (60xx,4000), as the table lists.</item>
/// <item>Dates and times the table does not list (e.g. Instance Creation Date, Structure Set Date) are emptied, as
/// PS3.15 E.1.1 note 4 recommends (handle all DA, DT and TM values), unless dates are retained.</item>
/// <item>Patient Identity Removed (0012,0062) is set to YES, De-identification Method (0012,0063) and its code
/// sequence (0012,0064) name the profile and options, Longitudinal Temporal Information Modified (0028,0303) says
/// whether dates were kept.</item>
/// <item>Pixel data is kept as it is: a file in an encapsulated transfer syntax (RLE, JPEG, JPEG-LS, JPEG 2000, or one we
/// cannot decode) is written in the same syntax with its fragments byte for byte — never decoded or re-encoded.</item>
/// </list>
/// Every file is written to a temporary file and renamed; a folder run names each file it could not handle and
/// finishes the rest (<see cref="DeidentifyFolder"/>).
/// </summary>
public sealed class Deidentifier
{
    // X attributes that are Type 2 in an IOD we write: emptied instead of removed (see the class remarks).
    private static readonly HashSet<DicomTag> EmptyInsteadOfRemove = [DicomTags.TreatmentMachineName];

    private readonly DeidentificationOptions _options;
    private readonly Dictionary<string, string> _uidMap = new(StringComparer.Ordinal);

    /// <summary>A de-identifier with <paramref name="options"/> (default: basic profile, random key).</summary>
    public Deidentifier(DeidentificationOptions? options = null)
    {
        _options = options ?? new DeidentificationOptions();
        if (string.IsNullOrEmpty(_options.Key))
        {
            throw new ArgumentException("The UID mapping key must not be empty.", nameof(options));
        }
    }

    /// <summary>The options in use.</summary>
    public DeidentificationOptions Options => _options;

    /// <summary>The UID that <paramref name="uid"/> becomes (itself when UIDs are retained).</summary>
    public string MapUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        if (_options.RetainUids || uid.Length == 0)
        {
            return uid;
        }

        if (!_uidMap.TryGetValue(uid, out string? mapped))
        {
            mapped = DicomUid.FromName(_options.Key + "|" + uid);
            _uidMap[uid] = mapped;
        }

        return mapped;
    }

    /// <summary>A de-identified copy of <paramref name="dataset"/> (the input is not changed).</summary>
    public DicomDataset Apply(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        DicomDataset copy = dataset.Clone();
        Clean(copy);
        Mark(copy);
        return copy;
    }

    /// <summary>
    /// A de-identified copy of a file in its own transfer syntax: encapsulated pixel data keeps its syntax and its
    /// fragments as they are (native data is written as Explicit VR Little Endian). The file meta is rebuilt from the
    /// clean dataset; optional meta elements (Source AE Title …) are dropped.
    /// </summary>
    public DicomFile Apply(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new DicomFile(new DicomDataset(), Apply(file.Dataset), file.TransferSyntax);
    }

    /// <summary>De-identifies one file into <paramref name="outputPath"/> (written to a temporary file, then renamed).</summary>
    /// <exception cref="DicomFormatException">When the file cannot be read or its clean copy cannot be written (the message names the input).</exception>
    public void DeidentifyFile(string inputPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        DicomFile file = RtFiles.ReadFile(inputPath);
        byte[] bytes;
        try
        {
            bytes = Apply(file).ToBytes();
        }
        catch (DicomFormatException ex)
        {
            throw ex.WithFile(inputPath);
        }

        AtomicFile.WriteAllBytes(outputPath, bytes);
    }

    /// <summary>
    /// De-identifies every DICOM file under <paramref name="inputDirectory"/> into the same relative paths under
    /// <paramref name="outputDirectory"/>, file by file: a file that cannot be read or written is named in
    /// <see cref="DeidentificationReport.Failed"/> with the reason and nothing is written for it, while the rest are
    /// finished; files that are not DICOM (no "DICM" at byte 128 and no .dcm name) are listed as skipped.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">When the input directory does not exist.</exception>
    /// <exception cref="ArgumentException">When the output directory is the input or inside it.</exception>
    public DeidentificationReport DeidentifyFolder(string inputDirectory, string outputDirectory)
    {
        (string inFull, string outFull) = CheckFolders(inputDirectory, outputDirectory);
        var written = new List<string>();
        var failed = new List<DeidentificationFailure>();
        var skipped = new List<DeidentificationFailure>();
        foreach (string path in Directory.EnumerateFiles(inFull, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string target = Path.Combine(outFull, Path.GetRelativePath(inFull, path));
            try
            {
                if (!RtFiles.TryReadFile(path, out DicomFile? file))
                {
                    skipped.Add(new DeidentificationFailure(path, "not a DICOM file"));
                    continue;
                }

                byte[] bytes = Apply(file).ToBytes();
                AtomicFile.WriteAllBytes(target, bytes);
                written.Add(target);
            }
            catch (DicomFormatException ex)
            {
                failed.Add(new DeidentificationFailure(path, new DicomFormatException(ex.Reason, ex.Offset, ex.Tag).Message));
            }
            catch (IOException ex)
            {
                failed.Add(new DeidentificationFailure(path, ex.Message));
            }
            catch (UnauthorizedAccessException ex)
            {
                failed.Add(new DeidentificationFailure(path, ex.Message));
            }
        }

        return new DeidentificationReport(written, failed, skipped);
    }

    /// <summary>
    /// <see cref="DeidentifyFolder"/>, then a <see cref="DicomFormatException"/> naming every file that failed (the
    /// others are written). Returns the output files.
    /// </summary>
    public IReadOnlyList<string> DeidentifyDirectory(string inputDirectory, string outputDirectory)
    {
        DeidentificationReport report = DeidentifyFolder(inputDirectory, outputDirectory);
        if (!report.Succeeded)
        {
            throw new DicomFormatException($"{report.Failed.Count} file(s) could not be de-identified: {string.Join("; ", report.Failed)}", -1);
        }

        return report.Written;
    }

    private static (string In, string Out) CheckFolders(string inputDirectory, string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if (!Directory.Exists(inputDirectory))
        {
            throw new DirectoryNotFoundException($"{inputDirectory}: no such directory.");
        }

        string inFull = Path.GetFullPath(inputDirectory), outFull = Path.GetFullPath(outputDirectory);
        if (outFull.StartsWith(inFull.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || outFull == inFull)
        {
            throw new ArgumentException($"The output directory {outputDirectory} must not be inside the input directory {inputDirectory}.");
        }

        return (inFull, outFull);
    }

    private void Clean(DicomDataset ds)
    {
        var remove = new List<DicomTag>();
        var replace = new List<DicomElement>();
        foreach (DicomElement e in ds)
        {
            DicomTag tag = e.Tag;
            if (tag.IsPrivate)
            {
                remove.Add(tag);
                continue;
            }

            string action = Action(tag, e.VR);
            switch (action)
            {
                case "X":
                    remove.Add(tag);
                    break;
                case "Z":
                    replace.Add(e is DicomSequence ? new DicomSequence(tag) : new DicomElement(tag, e.VR, ReadOnlyMemory<byte>.Empty));
                    break;
                case "D":
                    if (e is DicomSequence ds0)
                    {
                        ds0.Items.ForEach(Clean);
                    }
                    else
                    {
                        replace.Add(Dummy(ds, e));
                    }

                    break;
                case "U":
                    if (e is DicomSequence du)
                    {
                        du.Items.ForEach(Clean);
                    }
                    else if (e.VR == DicomVR.UI)
                    {
                        string[] uids = ds.GetStrings(tag);
                        replace.Add(new DicomElement(tag, DicomVR.UI, Encode(ds, DicomVR.UI, string.Join('\\', uids.Select(MapUid)))));
                    }

                    break;
                default:
                    if (e is DicomSequence dk)
                    {
                        dk.Items.ForEach(Clean);
                    }

                    break;
            }
        }

        foreach (DicomTag tag in remove)
        {
            ds.Remove(tag);
        }

        foreach (DicomElement e in replace)
        {
            ds.AddOrUpdate(e);
        }

        if (_options.PatientName.Length > 0 && ds.Contains(DicomTags.PatientName))
        {
            ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, _options.PatientName);
        }

        if (_options.PatientId.Length > 0 && ds.Contains(DicomTags.PatientID))
        {
            ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, _options.PatientId);
        }
    }

    /// <summary>The single action (X, Z, D, U or K) for an element.</summary>
    private string Action(DicomTag tag, DicomVR vr)
    {
        ProfileRule? rule = ConfidentialityProfile.Lookup(tag);
        if (rule is null)
        {
            bool temporal = vr == DicomVR.DA || vr == DicomVR.DT || vr == DicomVR.TM;
            return temporal && !_options.RetainDates ? "Z" : "K";
        }

        string action = rule.Basic;
        if (_options.RetainUids && rule.RetainUids is { } u)
        {
            action = u;
        }

        if (_options.RetainDates && rule.RetainFullDates is { } d)
        {
            action = d;
        }

        // Alternatives: keep the attribute present where the table allows it (Type 2 attributes stay conformant).
        if (action.Contains('U', StringComparison.Ordinal))
        {
            return "U";
        }

        if (action.Contains('Z', StringComparison.Ordinal))
        {
            return "Z";
        }

        if (action.Contains('D', StringComparison.Ordinal))
        {
            return "D";
        }

        // C (clean) appears only in options we do not offer; K keeps.
        if (!action.Contains('X', StringComparison.Ordinal))
        {
            return "K";
        }

        return EmptyInsteadOfRemove.Contains(tag) ? "Z" : "X";
    }

    private static DicomElement Dummy(DicomDataset owner, DicomElement e)
    {
        DicomVR vr = e.VR;
        string? text = vr.Code switch
        {
            "DA" => "19000101",
            "TM" => "000000",
            "DT" => "19000101000000",
            "AS" => "000Y",
            "DS" or "IS" => "0",
            "UI" => null,
            "PN" or "LO" or "SH" or "LT" or "ST" or "UT" or "UC" or "CS" or "AE" => "ANONYMIZED",
            _ => null,
        };
        if (text is not null)
        {
            return new DicomElement(e.Tag, vr, Encode(owner, vr, text));
        }

        // Binary values: zeros of the same length keep the value count.
        return new DicomElement(e.Tag, vr, new byte[e.Length]);
    }

    private static byte[] Encode(DicomDataset owner, DicomVR vr, string text)
    {
        byte[] bytes = owner.CharacterSet.Encode(text, vr);
        if (bytes.Length % 2 == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = vr.PaddingByte;
        return padded;
    }

    private void Mark(DicomDataset ds)
    {
        ds.AddOrUpdate(DicomTags.PatientIdentityRemoved, DicomVR.CS, "YES");
        // De-identification Method is LO (≤ 64 characters a value), VM 1-n: one value per profile and option.
        var methods = new List<string> { "DICOM PS3.15 Basic Application Confidentiality Profile" };
        var codes = new List<(string Code, string Meaning)> { ("113100", "Basic Application Confidentiality Profile") };
        if (_options.RetainDates)
        {
            methods.Add("Retain Longitudinal Temporal Information Full Dates Option");
            codes.Add(("113106", "Retain Longitudinal Temporal Information Full Dates Option"));
        }

        if (_options.RetainUids)
        {
            methods.Add("Retain UIDs Option");
            codes.Add(("113110", "Retain UIDs Option"));
        }

        ds.AddOrUpdate(DicomTags.DeidentificationMethod, DicomVR.LO, [.. methods]);
        ds.AddSequence(DicomTags.DeidentificationMethodCodeSequence, codes.Select(c =>
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, c.Code);
            item.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, "DCM");
            item.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, c.Meaning);
            return item;
        }));
        ds.AddOrUpdate(DicomTags.LongitudinalTemporalInformationModified, DicomVR.CS, _options.RetainDates ? "UNMODIFIED" : "REMOVED");
    }
}
