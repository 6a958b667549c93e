namespace MeTAI.Dicom.Cases;

/// <summary>
/// Picks the CT series and the structure set of a case from an export (<see cref="CaseInventory"/>). A structure set
/// belongs to a CT when its RT Referenced Series is that series (or, when it names none, when it is on the CT's frame
/// of reference). Chosen by UID (<see cref="CaseLoadOptions"/>) or, without a choice: the only CT series; the CT series
/// the chosen structure set was drawn on; the one CT–structure-set pair that belongs together; the only structure set
/// drawn on the CT (or the only one there is, which the consistency check then judges). Anything else is refused with
/// the candidates listed (<see cref="CaseAmbiguousException"/>).
/// </summary>
public static class CaseSelector
{
    /// <summary>Picks the CT series and (when <paramref name="structureSetRequired"/> or one fits) the structure set.</summary>
    /// <param name="inventory">What the export holds.</param>
    /// <param name="options">UIDs chosen by the user, and how to name the options in messages.</param>
    /// <param name="structureSetRequired">Refuse when there is no structure set (planning, rehearsal); else pick one only when it is clear.</param>
    /// <param name="frameOfReferenceHint">A frame of reference the CT should be on (a plan's), to pick among several CT series.</param>
    /// <exception cref="FileNotFoundException">No CT series, or no structure set when one is required.</exception>
    /// <exception cref="ArgumentException">A chosen UID is not in the export (the message lists what is).</exception>
    /// <exception cref="CaseAmbiguousException">Several candidates and no choice.</exception>
    public static CaseChoice Choose(CaseInventory inventory, CaseLoadOptions options, bool structureSetRequired, string? frameOfReferenceHint = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<CaseSeries> cts = inventory.CtSeries;
        IReadOnlyList<CaseInstance> sets = inventory.StructureSets;
        if (cts.Count == 0)
        {
            throw new FileNotFoundException($"{inventory.Root}: no CT Image Storage series found (expected ct/ + rtstruct.dcm, an export folder or a DICOMDIR holding a CT series{(structureSetRequired ? " and an RTSTRUCT" : string.Empty)}). Found: {Found(inventory)}.");
        }

        CaseSeries? ct = options.CtSeriesUid is { } ctUid
            ? cts.FirstOrDefault(s => s.SeriesInstanceUid == ctUid.Trim())
                ?? throw new ArgumentException($"{options.CtSeriesOption} {ctUid}: no such CT series in {inventory.Root}; the CT series are {string.Join("; ", cts.Select(CaseInventory.Candidate))}.")
            : null;
        CaseInstance? ss = options.StructureSetUid is { } ssUid ? FindStructureSet(inventory, ssUid.Trim(), options) : null;
        string reason = (ct, ss) switch
        {
            (not null, not null) => "both chosen",
            (not null, null) => "CT series chosen",
            (null, not null) => "structure set chosen",
            _ => string.Empty,
        };

        if (ct is null)
        {
            (ct, ss, string why) = ChooseCt(inventory, cts, sets, ss, options, structureSetRequired, frameOfReferenceHint);
            reason = reason.Length > 0 ? reason + "; " + why : why;
        }

        if (ss is null && sets.Count > 0)
        {
            List<CaseInstance> drawnOn = [.. sets.Where(s => BelongsTo(s, ct))];
            if (drawnOn.Count == 1)
            {
                ss = drawnOn[0];
                reason += "; the only structure set drawn on it";
            }
            else if (drawnOn.Count > 1 && structureSetRequired)
            {
                throw Ambiguous(inventory, $"{drawnOn.Count} structure sets are drawn on CT series {ct.SeriesInstanceUid}", [ct], drawnOn, options, askCt: false);
            }
            else if (drawnOn.Count == 0 && structureSetRequired)
            {
                ss = sets.Count == 1
                    ? sets[0]
                    : throw Ambiguous(inventory, $"none of the {sets.Count} structure sets is drawn on CT series {ct.SeriesInstanceUid}", [ct], sets, options, askCt: false);
                reason += "; the only structure set (not drawn on this CT series)";
            }
        }

        if (ss is null && structureSetRequired)
        {
            throw new FileNotFoundException($"{inventory.Root}: no RT Structure Set found (a case needs a CT series and an RTSTRUCT: ct/ + rtstruct.dcm, an export folder or a DICOMDIR). Found: {Found(inventory)}.");
        }

        return new CaseChoice(ct, ss, reason.TrimStart(';', ' '));
    }

    /// <summary>True when <paramref name="structureSet"/> was drawn on <paramref name="ct"/> (its referenced series, else its frame of reference).</summary>
    public static bool BelongsTo(CaseInstance structureSet, CaseSeries ct)
    {
        ArgumentNullException.ThrowIfNull(structureSet);
        ArgumentNullException.ThrowIfNull(ct);
        return structureSet.ReferencedSeriesUid is { Length: > 0 } series
            ? series == ct.SeriesInstanceUid
            : structureSet.FrameOfReferenceUid.Length > 0 && ct.FramesOfReference.Contains(structureSet.FrameOfReferenceUid);
    }

    private static (CaseSeries Ct, CaseInstance? StructureSet, string Why) ChooseCt(CaseInventory inventory, IReadOnlyList<CaseSeries> cts, IReadOnlyList<CaseInstance> sets,
        CaseInstance? ss, CaseLoadOptions options, bool structureSetRequired, string? frameHint)
    {
        if (ss is not null)
        {
            List<CaseSeries> under = [.. cts.Where(c => BelongsTo(ss, c))];
            return under.Count == 1 ? (under[0], ss, "the CT series the structure set is drawn on")
                : cts.Count == 1 ? (cts[0], ss, "the only CT series")
                : throw Ambiguous(inventory, $"the structure set is drawn on {(under.Count == 0 ? "none" : under.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} of the {cts.Count} CT series", under.Count > 0 ? under : cts, [], options, askCt: true);
        }

        if (cts.Count == 1)
        {
            return (cts[0], null, "the only CT series");
        }

        if (structureSetRequired && sets.Count > 0)
        {
            var pairs = (from c in cts from s in sets where BelongsTo(s, c) select (c, s)).ToList();
            if (pairs.Count == 1)
            {
                return (pairs[0].c, pairs[0].s, "the one CT series with a structure set drawn on it");
            }

            throw Ambiguous(inventory, $"{cts.Count} CT series and {sets.Count} structure sets ({pairs.Count} pairs that belong together)", cts, sets, options, askCt: true);
        }

        if (frameHint is { Length: > 0 })
        {
            List<CaseSeries> onFrame = [.. cts.Where(c => c.FramesOfReference.Contains(frameHint))];
            if (onFrame.Count == 1)
            {
                return (onFrame[0], null, "the only CT series on the plan's frame of reference");
            }
        }

        throw Ambiguous(inventory, $"{cts.Count} CT series", cts, [], options, askCt: true);
    }

    private static CaseInstance FindStructureSet(CaseInventory inventory, string uid, CaseLoadOptions options)
    {
        IReadOnlyList<CaseInstance> sets = inventory.StructureSets;
        CaseInstance? byInstance = sets.FirstOrDefault(s => s.SopInstanceUid == uid);
        if (byInstance is not null)
        {
            return byInstance;
        }

        List<CaseInstance> bySeries = [.. sets.Where(s => s.SeriesInstanceUid == uid)];
        return bySeries.Count == 1
            ? bySeries[0]
            : throw new ArgumentException($"{options.StructureSetOption} {uid}: {(bySeries.Count > 1 ? $"series {uid} holds {bySeries.Count} structure sets; give the SOP Instance UID of one" : $"no such structure set in {inventory.Root}")}; "
                + $"the structure sets are {(sets.Count == 0 ? "none" : string.Join("; ", sets.Select(CaseInventory.Object)))}.");
    }

    private static CaseAmbiguousException Ambiguous(CaseInventory inventory, string what, IReadOnlyList<CaseSeries> cts, IReadOnlyList<CaseInstance> sets, CaseLoadOptions options, bool askCt)
    {
        string ctList = askCt ? $" CT series: {string.Join("; ", cts.Select(CaseInventory.Candidate))}." : string.Empty;
        string ssList = sets.Count > 0 ? $" Structure sets: {string.Join("; ", sets.Select(CaseInventory.Object))}." : string.Empty;
        string choose = (askCt, sets.Count > 0) switch
        {
            (true, true) => $"{options.CtSeriesOption} UID and/or {options.StructureSetOption} UID",
            (true, false) => $"{options.CtSeriesOption} UID",
            _ => $"{options.StructureSetOption} UID",
        };
        return new CaseAmbiguousException($"{inventory.Root} holds {what}; choose with {choose}.{ctList}{ssList}",
            [.. cts.Select(c => c.SeriesInstanceUid)], [.. sets.Select(s => s.SopInstanceUid)]);
    }

    private static string Found(CaseInventory inventory) =>
        inventory.Series.Count == 0
            ? $"no DICOM objects ({inventory.NotDicom.Count} files not DICOM{(inventory.Problems.Count > 0 ? ", problems: " + string.Join("; ", inventory.Problems) : string.Empty)})"
            : string.Join("; ", inventory.Series.Select(s => s.ToString()));
}
