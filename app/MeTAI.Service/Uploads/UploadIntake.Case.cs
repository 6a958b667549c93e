using MeTAI.Dicom;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Deid;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Service.Uploads;

/// <summary>From extracted zip entries to a stored case: grouping, storing, checking (the case loader's code throughout).</summary>
public sealed partial class UploadIntake
{
    // Groups the entries, stores the CT series and structure sets (de-identified on request), checks the case loads.
    private UploadSummary Intake(List<(string Entry, string Path)> files, string staging, string caseDir, string id, string? name, bool deidentify)
    {
        CaseInventory found = CaseInventory.FromFiles(Path.Combine(staging, "raw"), files.Select(f => (f.Path, f.Entry)));
        RefuseProblems(found);
        if (found.CtSeries.Count == 0)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "No CT series", $"The zip holds no CT Image Storage series; a case needs a CT series and an RTSTRUCT. It holds: {Holds(found)}.");
        }

        if (found.StructureSets.Count == 0)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "No RTSTRUCT", $"The zip holds no RT Structure Set; a case needs a CT series and an RTSTRUCT. It holds: {Holds(found)}.");
        }

        List<CaseInstance> ct = [.. found.CtSeries.SelectMany(s => s.Instances)];
        var kept = new HashSet<CaseInstance>(ct.Concat(found.StructureSets));
        var ignored = new List<string>();
        ignored.AddRange(found.NotDicom.Select(n => $"{n}: not DICOM (skipped)"));
        ignored.AddRange(found.DicomDirectories.Select(d => $"{d}: DICOMDIR (read for the list of files)"));
        ignored.AddRange(found.Ignored.Select(i => $"{i.Name}: {i.Reason}"));
        ignored.AddRange(found.Instances.Where(i => !kept.Contains(i)).Select(i => $"{i.Name}: {(i.Modality.Length > 0 ? i.Modality : "?")} ({i.SopClassName}) is not stored; a case keeps CT series and structure sets"));

        Dictionary<string, string> entryOf = Store(ct, found.StructureSets, caseDir, deidentify);
        UploadSummary summary = Check(caseDir, entryOf, id, name, deidentify);
        return summary with
        {
            Ignored = ignored,
            NotDicom = found.NotDicom.Count,
            DicomDir = found.DicomDirectories.Count > 0,
            Found = [.. found.Series.Select(s => new UploadFoundSeries(s.Modality, string.Join(" + ", s.SopClassUids.Select(u => DicomUidRegistry.NameOf(u) ?? u)), s.Instances.Count, s.Instances.All(kept.Contains)))],
        };
    }

    private static string Holds(CaseInventory found) =>
        found.Series.Count == 0 ? $"no DICOM objects ({found.NotDicom.Count} files not DICOM)" : string.Join("; ", found.Series.Select(s => $"{s.Modality} × {s.Instances.Count}"));

    // A DICOM file that does not parse (or a DICOMDIR that lists what is not there) is named, never skipped.
    private static void RefuseProblems(CaseInventory found)
    {
        if (found.Problems.Count == 0)
        {
            return;
        }

        CaseFileProblem p = found.Problems[0];
        string more = found.Problems.Count > 1 ? $" ({found.Problems.Count - 1} more: {string.Join("; ", found.Problems.Skip(1).Take(5))})" : string.Empty;
        if (p.Error is { } ex)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Malformed DICOM",
                $"Zip entry '{p.Name}' is not valid DICOM: {ex.Reason}" + (ex.Tag is { } t ? $" at tag {t}" : string.Empty) + (ex.Offset >= 0 ? $" (byte offset {ex.Offset})" : string.Empty) + "." + more,
                p.Name, ex)
            {
                Tag = ex.Tag?.ToString(),
                Offset = ex.Offset >= 0 ? ex.Offset : null,
            };
        }

        throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Unusable DICOM", $"Zip entry '{p.Name}': {p.Reason}.{more}", p.Name);
    }

    // ct/CT.0001.dcm … for every CT slice, rtstruct.dcm (or rtstruct-1.dcm, rtstruct-2.dcm … when there are several).
    private static Dictionary<string, string> Store(List<CaseInstance> ct, IReadOnlyList<CaseInstance> structureSets, string caseDir, bool deidentify)
    {
        var deid = deidentify ? new Deidentifier() : null;
        var entryOf = new Dictionary<string, string>(StringComparer.Ordinal);
        string ctDir = Path.Combine(caseDir, RtStudyWriter.CtDirectory);
        Directory.CreateDirectory(ctDir);
        int index = 0;
        foreach (CaseInstance slice in ct)
        {
            string target = Path.Combine(ctDir, $"CT.{++index:D4}.dcm");
            Store(slice.Path, target, deid);
            entryOf[target] = slice.Name;
        }

        for (int n = 0; n < structureSets.Count; n++)
        {
            string target = Path.Combine(caseDir, structureSets.Count == 1 ? RtStudyWriter.StructureSetFile : $"rtstruct-{n + 1}.dcm");
            Store(structureSets[n].Path, target, deid);
            entryOf[target] = structureSets[n].Name;
        }

        return entryOf;
    }

    private static void Store(string source, string target, Deidentifier? deid)
    {
        if (deid is null)
        {
            File.Copy(source, target);
            return;
        }

        deid.Apply(DicomFile.Open(source)).Save(target);
    }

    // Loads the stored case as a plan would (or, when a choice is needed, every CT series and structure set); errors name the zip entry.
    private UploadSummary Check(string caseDir, Dictionary<string, string> entryOf, string id, string? name, bool deidentify)
    {
        string Entries(string text)
        {
            foreach ((string stored, string original) in entryOf)
            {
                text = text.Replace(stored, original, StringComparison.Ordinal);
            }

            return text.Replace(caseDir, "the upload", StringComparison.Ordinal);
        }

        try
        {
            CaseInventory stored = CaseInventory.Scan(caseDir);
            List<UploadStructureSet> sets = [.. stored.StructureSets.Select(StructureSet)];
            var summary = new UploadSummary
            {
                Id = id,
                Name = string.IsNullOrWhiteSpace(name) ? "upload" : name.Trim(),
                CreatedUtc = time.GetUtcNow().UtcDateTime,
                Deidentified = deidentify,
                Slices = 0,
                Size = [],
                SpacingMm = [],
                Structures = [],
                CtSeries = [.. stored.CtSeries.Select(s => new UploadCtSeries(s.SeriesInstanceUid, s.Instances.Count, string.Join("/", s.FramesOfReference), s.Description))],
                StructureSets = sets,
            };
            try
            {
                CaseSelector.Choose(stored, CaseLoadOptions.Default, structureSetRequired: true);
            }
            catch (CaseAmbiguousException ex)
            {
                // The plan request chooses; every CT series must read now (the structure sets were read above).
                CtSeries first = CaseLoader.ReadCt(caseDir, stored.CtSeries[0].SeriesInstanceUid).Ct;
                foreach (CaseSeries other in stored.CtSeries.Skip(1))
                {
                    CaseLoader.ReadCt(caseDir, other.SeriesInstanceUid);
                }

                return summary with { Choice = Entries(ex.Message.Replace("--ct-series", "ctSeries", StringComparison.Ordinal).Replace("--structure-set", "structureSet", StringComparison.Ordinal)), Slices = first.Geometry.SizeZ, Size = Size(first), SpacingMm = Spacing(first) };
            }

            PatientCase c = CaseLoader.FromDirectory(caseDir, new CaseLoadOptions { AllowInconsistent = true, AllowInconsistentOption = "allowInconsistent", LogPatientIdentity = false });
            return summary with
            {
                CtSeriesUid = c.Ct.SeriesInstanceUid,
                StructureSetUid = c.Study!.StructureSet!.SopInstanceUid,
                Slices = c.Ct.Geometry.SizeZ,
                Size = Size(c.Ct),
                SpacingMm = Spacing(c.Ct),
                Structures = [.. c.Rois.Select(r => new UploadStructure(r.Mask.Name, r.InterpretedType))],
                Inconsistencies = [.. c.Warnings.Select(Entries)],
            };
        }
        catch (DicomFormatException ex)
        {
            string? entry = ex.FilePath is { } f ? entryOf.GetValueOrDefault(Path.GetFullPath(f)) ?? entryOf.GetValueOrDefault(f) : null;
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "Case does not load",
                (entry is null ? string.Empty : $"Zip entry '{entry}': ") + Entries(ex.Reason) + (ex.Tag is { } t ? $" at tag {t}" : string.Empty) + ".", entry, ex)
            {
                Tag = ex.Tag?.ToString(),
                Offset = ex.Offset >= 0 ? ex.Offset : null,
            };
        }
        catch (ArgumentException ex) when (ex.Message.Contains("no ROI has closed planar contours", StringComparison.Ordinal))
        {
            string? entry = entryOf.FirstOrDefault(e => ex.Message.StartsWith(e.Key, StringComparison.Ordinal)).Value;
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, "RTSTRUCT has no contours",
                "No ROI of the RTSTRUCT has closed planar contours, so there is nothing to plan on.", entry);
        }
    }

    private static UploadStructureSet StructureSet(CaseInstance s)
    {
        RtStructureSet ss = RtStructureSetReader.Read(s.Path);
        List<UploadStructure> structures = [.. ss.Rois.Where(r => r.ClosedPlanarCount > 0).Select(r => new UploadStructure(r.Name, r.InterpretedType))];
        if (structures.Count == 0)
        {
            throw new ArgumentException($"{s.Path}: no ROI has closed planar contours.");
        }

        return new UploadStructureSet(ss.SopInstanceUid, ss.Label, ss.ReferencedSeriesUid, s.FrameOfReferenceUid, structures);
    }

    private static int[] Size(CtSeries ct) => [ct.Geometry.SizeX, ct.Geometry.SizeY, ct.Geometry.SizeZ];

    private static double[] Spacing(CtSeries ct) => [ct.Geometry.SpacingMm.X, ct.Geometry.SpacingMm.Y, ct.Geometry.SpacingMm.Z];
}
