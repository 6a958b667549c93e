using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Search;

/// <summary>Entry points chosen for simulation, and how many skin points were ruled out and why.</summary>
public sealed record EntryCandidates
{
    /// <summary>Entries to simulate, in order (the default entry first when there is one).</summary>
    public required IReadOnlyList<Vec3> EntriesLps { get; init; }

    /// <summary>Rest clearance (undeformed straight path to avoided ROIs, shaft surface) of each entry, mm.</summary>
    public required IReadOnlyList<double> RestClearanceMm { get; init; }

    /// <summary>Index of the default entry in <see cref="EntriesLps"/>, or −1.</summary>
    public required int DefaultEntryIndex { get; init; }

    /// <summary>Skin points examined.</summary>
    public required int SkinPoints { get; init; }

    /// <summary>Skin points outside the allowed region (too far, couch side, craniocaudal offset).</summary>
    public required int OutsideRegion { get; init; }

    /// <summary>Skin points whose straight path meets bone.</summary>
    public required int CrossesBone { get; init; }

    /// <summary>Skin points left after the two filters.</summary>
    public required int Allowed { get; init; }

    /// <summary>
    /// Picks entries: skin voxels (boundary of the body) inside the allowed region whose straight path to the target
    /// keeps <see cref="SearchSettings.BoneMarginMm"/> from bone; then the default entry (if any) plus farthest-point
    /// samples of those with enough rest clearance (seeded start), so the candidates spread over the region.
    /// <paramref name="downLps"/> is the unit direction of gravity, toward the couch (entries from there are out of reach).
    /// </summary>
    public static EntryCandidates Select(
        VoxelMask body, Vec3 targetLps, VoxelMask? boneDilated, IReadOnlyList<Vec3[]> avoidPointsLps, Vec3? defaultEntryLps,
        double needleRadiusMm, SearchSettings settings, Vec3 downLps)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(avoidPointsLps);
        ArgumentNullException.ThrowIfNull(settings);
        GridGeometry g = body.Geometry;
        var good = new List<(Vec3 P, double RestMm)>();
        var poor = new List<(Vec3 P, double RestMm)>();
        int skin = 0, outside = 0, bone = 0;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (!body[i, j, k] || !OnSurface(body, i, j, k))
                    {
                        continue;
                    }

                    skin++;
                    Vec3 p = g.IndexToLps(i, j, k);
                    if (!InRegion(p, targetLps, settings, downLps))
                    {
                        outside++;
                        continue;
                    }

                    if (boneDilated is not null && RestGeometry.Crosses(boneDilated, p, targetLps))
                    {
                        bone++;
                        continue;
                    }

                    double rest = RestClearance(avoidPointsLps, p, targetLps, needleRadiusMm);
                    (rest >= settings.RestClearanceFloorMm ? good : poor).Add((p, rest));
                }
            }
        }

        var entries = new List<Vec3>();
        var restClearances = new List<double>();
        int defaultIndex = -1;
        if (defaultEntryLps is Vec3 d)
        {
            defaultIndex = 0;
            entries.Add(d);
            restClearances.Add(RestClearance(avoidPointsLps, d, targetLps, needleRadiusMm));
        }

        var random = new Random(settings.Seed);
        foreach (List<(Vec3 P, double RestMm)> pool in new[] { good, poor })
        {
            FarthestPoints(pool, entries, restClearances, settings.Candidates, random);
        }

        return new EntryCandidates
        {
            EntriesLps = entries,
            RestClearanceMm = restClearances,
            DefaultEntryIndex = defaultIndex,
            SkinPoints = skin,
            OutsideRegion = outside,
            CrossesBone = bone,
            Allowed = good.Count + poor.Count,
        };
    }

    /// <summary>
    /// True when an entry is reachable: path not too long, not from the couch side (the side <paramref name="downLps"/>,
    /// the unit direction of gravity, points to), limited craniocaudal offset.
    /// </summary>
    public static bool InRegion(Vec3 entryLps, Vec3 targetLps, SearchSettings settings, Vec3 downLps)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Vec3 d = entryLps - targetLps;
        double length = d.Length;
        return length > 0 && length <= settings.MaxPathMm
            && Math.Abs(d.Z) <= settings.MaxCraniocaudalOffsetMm
            && Vec3.Dot(d, downLps) / length <= settings.MaxCouchSideCosine;
    }

    /// <summary>Rest clearance of the straight path (shaft surface to the nearest avoided boundary point), mm.</summary>
    public static double RestClearance(IReadOnlyList<Vec3[]> avoidPointsLps, Vec3 entryLps, Vec3 targetLps, double needleRadiusMm)
    {
        ArgumentNullException.ThrowIfNull(avoidPointsLps);
        double best = double.PositiveInfinity;
        foreach (Vec3[] points in avoidPointsLps)
        {
            best = Math.Min(best, RestGeometry.Distance(points, entryLps, targetLps) - needleRadiusMm);
        }

        return best;
    }

    private static void FarthestPoints(List<(Vec3 P, double RestMm)> pool, List<Vec3> chosen, List<double> rest, int wanted, Random random)
    {
        if (pool.Count == 0 || chosen.Count >= wanted)
        {
            return;
        }

        // Distance of every pool point to the nearest chosen entry; start from a seeded random point if none is chosen.
        var nearest = new double[pool.Count];
        Array.Fill(nearest, double.PositiveInfinity);
        foreach (Vec3 c in chosen)
        {
            Relax(pool, nearest, c);
        }

        int next = chosen.Count == 0 ? random.Next(pool.Count) : ArgMax(nearest);
        while (chosen.Count < wanted && next >= 0 && nearest[next] > 1e-9)
        {
            chosen.Add(pool[next].P);
            rest.Add(pool[next].RestMm);
            Relax(pool, nearest, pool[next].P);
            next = ArgMax(nearest);
        }
    }

    private static void Relax(List<(Vec3 P, double RestMm)> pool, double[] nearest, Vec3 c)
    {
        for (int n = 0; n < pool.Count; n++)
        {
            nearest[n] = Math.Min(nearest[n], Vec3.Distance(pool[n].P, c));
        }
    }

    private static int ArgMax(double[] values)
    {
        int best = -1;
        for (int n = 0; n < values.Length; n++)
        {
            if (best < 0 || values[n] > values[best])
            {
                best = n;
            }
        }

        return best;
    }

    private static bool OnSurface(VoxelMask mask, int i, int j, int k)
    {
        GridGeometry g = mask.Geometry;
        return !In(mask, g, i - 1, j, k) || !In(mask, g, i + 1, j, k) || !In(mask, g, i, j - 1, k)
            || !In(mask, g, i, j + 1, k) || !In(mask, g, i, j, k - 1) || !In(mask, g, i, j, k + 1);
    }

    private static bool In(VoxelMask mask, GridGeometry g, int i, int j, int k) => g.Contains(i, j, k) && mask[i, j, k];
}
