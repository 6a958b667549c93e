using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom info DIR --json</c> for a folder or DICOMDIR: counts, patients → studies → series with their RT
/// objects, what was skipped or cannot be used, and the CT series and structure set a case would use (or why it cannot
/// tell). A folder that is one CT series also gets that series' summary fields (as for a single slice).
/// </summary>
internal static class DicomFolderInfo
{
    public static Dictionary<string, object?> Describe(CaseInventory inventory)
    {
        var info = new Dictionary<string, object?>();
        if (inventory.Series.Count == 1 && inventory.Series[0].IsCt && inventory.Problems.Count == 0)
        {
            (CtSeries ct, _) = CaseLoader.ReadCt(inventory.Root);
            info = DicomInfoCommand.Ct(ct, inventory.Root);
        }

        info["path"] = inventory.Root;
        info["dicomdir"] = inventory.DicomDirectories;
        info["files"] = inventory.FileCount;
        info["objects"] = inventory.Instances.Count;
        info["notDicom"] = inventory.NotDicom.Count;
        info["ignored"] = inventory.Ignored.Select(i => new Dictionary<string, object?> { ["file"] = i.Name, ["reason"] = i.Reason }).ToList();
        info["problems"] = inventory.Problems.Select(p => new Dictionary<string, object?> { ["file"] = p.Name, ["reason"] = p.Reason }).ToList();
        info["patients"] = inventory.Series.GroupBy(s => s.PatientId).Select(p => new Dictionary<string, object?>
        {
            ["patientId"] = p.Key,
            ["patientName"] = p.First().PatientName,
            ["studies"] = p.GroupBy(s => s.StudyInstanceUid).Select(st => new Dictionary<string, object?>
            {
                ["studyInstanceUid"] = st.Key,
                ["studyDate"] = st.First().First.StudyDate,
                ["description"] = st.First().First.StudyDescription,
                ["series"] = st.Select(Series).ToList(),
            }).ToList(),
        }).ToList();
        info["case"] = Choice(inventory);
        return info;
    }

    /// <summary>The one-CT-series fields of <see cref="Describe"/> (empty for other folders), for the text printout.</summary>
    public static Dictionary<string, object?> SeriesSummary(Dictionary<string, object?> info) =>
        info.ContainsKey("slices")
            ? new(info.Where(kv => kv.Key is not ("patients" or "path" or "dicomdir" or "files" or "objects" or "notDicom" or "ignored" or "problems" or "case")))
            : [];

    /// <summary>"case: CT series …, structure set … (why)" or "case: refused: …".</summary>
    public static string ChoiceText(Dictionary<string, object?> info)
    {
        var c = (Dictionary<string, object?>)info["case"]!;
        return c.TryGetValue("refused", out object? why)
            ? $"case: {why}"
            : $"case: CT series {c["ctSeriesUid"]}{(c["structureSetUid"] is string ss ? $" and structure set {ss}" : string.Empty)} ({c["reason"]})";
    }

    private static Dictionary<string, object?> Series(CaseSeries s) => new()
    {
        ["seriesInstanceUid"] = s.SeriesInstanceUid,
        ["seriesNumber"] = s.SeriesNumber,
        ["modality"] = s.Modality,
        ["sopClasses"] = s.SopClassUids.Select(u => MeTAI.Dicom.DicomUidRegistry.NameOf(u) ?? u).ToList(),
        ["sopClassUids"] = s.SopClassUids,
        ["instances"] = s.Instances.Count,
        ["framesOfReference"] = s.FramesOfReference,
        ["description"] = s.Description,
        ["objects"] = s.Instances.Where(i => i.IsStructureSet || i.IsPlan || i.IsDose).Select(Rt).ToList(),
    };

    private static Dictionary<string, object?> Rt(CaseInstance i) => new()
    {
        ["sopInstanceUid"] = i.SopInstanceUid,
        ["modality"] = i.Modality,
        ["file"] = i.Name,
        ["label"] = i.Label,
        ["frameOfReferenceUid"] = i.FrameOfReferenceUid,
        ["referencedSeriesUid"] = i.ReferencedSeriesUid,
        ["referencedStructureSetUid"] = i.ReferencedStructureSetUid,
        ["referencedPlanUid"] = i.ReferencedPlanUid,
    };

    // What plan/rehearse would pick, or why they cannot (the refusal they would print).
    private static Dictionary<string, object?> Choice(CaseInventory inventory)
    {
        try
        {
            CaseChoice c = CaseSelector.Choose(inventory, CaseLoadOptions.Default, structureSetRequired: inventory.StructureSets.Count > 0);
            return new Dictionary<string, object?>
            {
                ["ctSeriesUid"] = c.Ct.SeriesInstanceUid,
                ["structureSetUid"] = c.StructureSet?.SopInstanceUid,
                ["reason"] = c.Reason,
            };
        }
        catch (Exception ex) when (ex is FileNotFoundException or CaseAmbiguousException or ArgumentException)
        {
            return new Dictionary<string, object?> { ["refused"] = ex.Message };
        }
    }
}
