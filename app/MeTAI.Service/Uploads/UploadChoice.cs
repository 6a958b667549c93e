namespace MeTAI.Service.Uploads;

/// <summary>
/// Which structure set of an upload a plan request means (<c>structureSet</c>, else the one drawn on <c>ctSeries</c>,
/// else the upload's own choice), so that the request's protocol can be checked against its structures before the job
/// runs. The job's case loader makes the same choice and checks it again.
/// </summary>
public static class UploadChoice
{
    /// <summary>The names of the structures the request would plan with; problems go to <paramref name="error"/> (field, message).</summary>
    public static IReadOnlyList<string> Structures(UploadSummary upload, string? ctSeries, string? structureSet, Action<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(error);
        if (upload.StructureSets.Count == 0)
        {
            return [.. upload.Structures.Select(s => s.Name)]; // an upload stored before structure sets were listed
        }

        if (ctSeries is not null && !upload.CtSeries.Any(c => c.SeriesInstanceUid == ctSeries))
        {
            error("ctSeries", $"Upload '{upload.Id}' has no CT series {ctSeries}; it has {string.Join(", ", upload.CtSeries.Select(c => $"{c.SeriesInstanceUid} ({c.Slices} slices)"))}.");
            return [];
        }

        List<UploadStructureSet> candidates = structureSet is not null
            ? [.. upload.StructureSets.Where(s => s.SopInstanceUid == structureSet)]
            : ctSeries is not null ? [.. upload.StructureSets.Where(s => s.ReferencedSeriesUid == ctSeries)]
            : [.. upload.StructureSets.Where(s => s.SopInstanceUid == upload.StructureSetUid)];
        if (candidates.Count == 0 && structureSet is null && ctSeries is not null && upload.StructureSets.Count == 1)
        {
            candidates = [upload.StructureSets[0]];
        }

        if (candidates.Count == 1)
        {
            return [.. candidates[0].Structures.Select(s => s.Name)];
        }

        string sets = string.Join(", ", upload.StructureSets.Select(s => $"{s.SopInstanceUid} ('{s.Label}', drawn on {s.ReferencedSeriesUid ?? "?"})"));
        error(structureSet is not null ? "structureSet" : "ctSeries", structureSet is not null
            ? $"Upload '{upload.Id}' has no structure set {structureSet}; it has {sets}."
            : $"Upload '{upload.Id}' holds several CT series or structure sets; choose with ctSeries and/or structureSet. {upload.Choice ?? "Structure sets: " + sets + "."}");
        return [];
    }
}
