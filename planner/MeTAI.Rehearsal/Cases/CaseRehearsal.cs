using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Search;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Cases;

/// <summary>
/// The entry point for "rehearse a case": check the ROI names, build the avatar from the CT and the structure set
/// (<see cref="AvatarBuilder.FromCase"/>), search the needle approaches (<see cref="TrajectorySearch"/>). The CLI's
/// <c>rehearse</c> and the service's rehearsal jobs both call it; writing the files is <c>Output.RehearsalOutput</c>.
/// </summary>
public static class CaseRehearsal
{
    /// <summary>Refuses a target or avoided ROI the case does not have, listing the ROIs it has.</summary>
    /// <exception cref="KeyNotFoundException">An ROI name is not in the case.</exception>
    /// <exception cref="ArgumentException">The target is also to be avoided, or there is no target.</exception>
    public static void CheckRois(RehearsalCase patient, RehearsalRequest request)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Target);
        foreach ((string roi, string role) in request.Avoid.Select(a => (a, "to avoid")).Prepend((request.Target, "target")))
        {
            if (patient.Roi(roi) is null)
            {
                throw new KeyNotFoundException($"Case '{patient.Name}' has no ROI '{roi}' ({role}); its ROIs: {patient.RoiList()}.");
            }
        }

        if (request.Avoid.Any(a => string.Equals(a, request.Target, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"ROI '{request.Target}' cannot be both the target and avoided.", nameof(request));
        }
    }

    /// <summary>Checks the ROI names and builds the avatar (what a viewer needs before any simulation).</summary>
    public static PatientAvatar BuildAvatar(RehearsalCase patient, AvatarConfig config, RehearsalRequest request)
    {
        CheckRois(patient, request);
        ArgumentNullException.ThrowIfNull(config);
        return AvatarBuilder.FromCase(patient.Name, patient.Rois, patient.CtHu, patient.LandmarksLps, config, patient.Position, request.CellMm);
    }

    /// <summary>
    /// Rehearses: builds the avatar and runs the trajectory search. <paramref name="progress"/> gets (candidates done,
    /// candidates) as simulations finish; <paramref name="cancellationToken"/> is checked between candidates.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A target or avoided ROI is not in the case.</exception>
    /// <exception cref="ArgumentException">No ROI or several match the body outline, no skin entry reaches the target, or settings out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static CaseRehearsalResult Run(RehearsalCase patient, AvatarConfig config, RehearsalRequest request,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        PatientAvatar avatar = BuildAvatar(patient, config, request);
        return Search(avatar, request, progress, cancellationToken);
    }

    /// <summary>The search alone, on an avatar already built (<see cref="BuildAvatar"/>); gravity follows the avatar's patient position.</summary>
    public static CaseRehearsalResult Search(PatientAvatar avatar, RehearsalRequest request, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(avatar);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var xpbd = new XpbdSettings { Substeps = request.Substeps, GravityLps = XpbdSettings.GravityFor(avatar.Position) };
        RehearsalPlan plan = TrajectorySearch.Run(avatar, request.Target, request.Avoid, request.Search, xpbd, request.Needle, request.Insertion, progress, cancellationToken);
        return new CaseRehearsalResult(avatar, plan, avatar.Mesh.MeasureQuality());
    }
}
