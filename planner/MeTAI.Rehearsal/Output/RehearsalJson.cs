using System.Text.Json;
using MeTAI.Core.Json;
using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Search;

namespace MeTAI.Rehearsal.Output;

/// <summary>
/// The JSON files of a rehearsal: <c>trajectories.json</c> (ranked candidates) and <c>summary.json</c> (mesh, speed,
/// the chosen path, the default path's check). Points are [x, y, z] in LPS mm; camelCase names.
/// </summary>
public static class RehearsalJson
{
    /// <summary>Text of <c>trajectories.json</c>.</summary>
    public static string Trajectories(RehearsalPlan plan, PatientAvatar avatar)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(avatar);
        var candidates = new List<object>();
        foreach (RankedCandidate c in plan.Candidates)
        {
            InsertionResult r = c.Result;
            var punctures = new List<object>();
            foreach (PunctureEvent e in r.Punctures)
            {
                punctures.Add(new { tissue = avatar.Tissues[e.Tissue].Name, forceN = Round(e.AxialForceN, 3), timeSeconds = Round(e.TimeSeconds, 4), pointLps = Point(e.PointLps) });
            }

            candidates.Add(new
            {
                rank = c.Rank,
                entryLps = Point(r.EntryLps),
                targetLps = Point(r.TargetLps),
                minClearanceMm = Round(r.MinClearanceMm, 3),
                clearanceByRoiMm = r.ClearanceByRoiMm.ToDictionary(kv => kv.Key, kv => Round(kv.Value, 3)),
                restClearanceMm = Round(c.RestClearanceMm, 3),
                peakForceN = Round(r.PeakForceN, 3),
                targetErrorMm = Round(r.TargetErrorMm, 3),
                pathLengthMm = Round(r.PathLengthMm, 3),
                score = Round(c.Score, 4),
                feasible = c.Feasible,
                defaultEntry = c.IsDefaultEntry,
                blockedByBone = r.BlockedByBone,
                punctures,
            });
        }

        var document = new
        {
            @case = plan.CaseName,
            target = plan.TargetRoi,
            avoid = plan.AvoidRois,
            targetLps = Point(plan.TargetLps),
            minClearanceRequiredMm = plan.Search.MinClearanceMm,
            scoring = "min(clearance,20)/20 - 0.5*peakForce/5N - targetError/5mm - 0.25*pathLength/100mm, -10 when infeasible",
            chosenRank = 1,
            feasible = plan.Feasible,
            candidates,
            skinPoints = new
            {
                examined = plan.Sampling.SkinPoints,
                outsideAllowedRegion = plan.Sampling.OutsideRegion,
                crossesBone = plan.Sampling.CrossesBone,
                allowed = plan.Sampling.Allowed,
                simulated = plan.Candidates.Count,
            },
        };
        return JsonSerializer.Serialize(document, JsonDefaults.Indented) + "\n";
    }

    /// <summary>Text of <c>summary.json</c>.</summary>
    public static string Summary(RehearsalPlan plan, PatientAvatar avatar, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(avatar);
        InsertionResult best = plan.Chosen.Result;
        var document = new
        {
            @case = plan.CaseName,
            target = plan.TargetRoi,
            avoid = plan.AvoidRois,
            patientPosition = plan.Position.Code(),
            gravityLps = Point(plan.Xpbd.GravityLps),
            feasible = plan.Feasible,
            tets = plan.Tets,
            nodes = plan.Nodes,
            fixedNodes = avatar.FixedCounts.Total,
            colours = plan.Colours,
            resolutionMm = plan.CellMm,
            stepSeconds = plan.Xpbd.StepSeconds,
            substeps = plan.Xpbd.Substeps,
            iterations = plan.Xpbd.Iterations,
            simd = plan.Simd,
            searchThreads = plan.Search.Threads,
            stepsPerSecond = Round(plan.StepsPerSecond, 1),
            stepsPerSecondNote = "one simulation, single-threaded, including needle and clearance tracking; candidates run in parallel",
            throughputStepsPerSecond = Round(plan.ThroughputStepsPerSecond, 1),
            totalSteps = plan.TotalSteps,
            searchWallSeconds = Round(plan.WallSeconds, 2),
            candidatesSimulated = plan.Candidates.Count,
            insertionSpeedMmPerS = plan.Insertion.SpeedMmPerS,
            chosen = new
            {
                entryLps = Point(best.EntryLps),
                targetLps = Point(plan.TargetLps),
                minClearanceMm = Round(best.MinClearanceMm, 3),
                peakForceN = Round(best.PeakForceN, 3),
                targetErrorMm = Round(best.TargetErrorMm, 3),
                pathLengthMm = Round(best.PathLengthMm, 3),
                score = Round(plan.Chosen.Score, 4),
                corridorRadiusMm = Round(plan.Corridor.RadiusMm, 3),
            },
            defaultEntryPathCrosses = plan.DefaultPathCrosses.Count > 0 ? plan.DefaultPathCrosses : null,
            mesh = MeshFacts(avatar),
            roiTissues = avatar.Assignment?.Rois.Select(r => new { roi = r.Roi, interpretedType = r.InterpretedType, tissue = r.Tissue, how = r.How }),
            huTissueVoxels = avatar.Assignment?.HuVoxels.ToDictionary(kv => kv.Key, kv => kv.Value),
            bodyTissueVoxels = avatar.Assignment?.BodyTissueVoxels,
            tissues = avatar.Tissues.Select(t => new { name = t.Name, youngsModulusKPa = t.YoungsModulusKPa, poissonRatio = t.PoissonRatio, densityKgM3 = t.DensityKgM3, punctureForceN = t.PunctureForceN }),
            missingStructures = avatar.MissingStructures.Count > 0 ? avatar.MissingStructures : null,
            files,
        };
        return JsonSerializer.Serialize(document, JsonDefaults.Indented) + "\n";
    }

    /// <summary>The mesh's size, quality (with the limits the mesher keeps) and fit to the surfaces.</summary>
    public static object MeshFacts(PatientAvatar avatar)
    {
        ArgumentNullException.ThrowIfNull(avatar);
        MeshQuality q = avatar.Mesh.MeasureQuality();
        MeshConformity c = avatar.Mesh.Conformity;
        return new
        {
            method = c.Snapped ? "lattice + surface snapping + quality repair" : "lattice (staircase, smoothed)",
            tets = q.Tets,
            nodes = avatar.Mesh.NodeCount,
            minDihedralDeg = Round(q.MinDihedralDeg, 2),
            maxDihedralDeg = Round(q.MaxDihedralDeg, 2),
            maxAspectRatio = Round(q.MaxAspectRatio, 3),
            invertedTets = q.InvertedTets,
            minDihedralLimitDeg = MeshQuality.MinDihedralLimitDeg,
            maxAspectRatioLimit = MeshQuality.MaxAspectRatioLimit,
            withinLimits = q.WithinLimits,
            skinNodes = c.SkinNodes,
            skinNodesOnSurface = c.SkinOnSurface,
            interfaceNodes = c.InterfaceNodes,
            interfaceNodesOnSurface = c.InterfaceOnSurface,
            repairedNodes = c.RepairedNodes,
        };
    }

    private static double[] Point(Vec3 p) => [Round(p.X, 3), Round(p.Y, 3), Round(p.Z, 3)];

    private static double Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : value;
}
