using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// The influence matrix (matRad's <c>calcDoseInfluence</c>): one Monte Carlo run per beamlet into the rows' voxels, or
/// the cache file when it was computed from the same inputs (a stale or broken cache is rebuilt and rewritten).
/// </summary>
internal sealed class InfluenceStage : IPlanStage
{
    /// <inheritdoc />
    public PlanStage Stage => PlanStage.Influence;

    /// <inheritdoc />
    public string Starting(PlanContext context) => string.Create(CultureInfo.InvariantCulture, $"beamlet 0/{context.BeamletCount}");

    /// <inheritdoc />
    public void Run(PlanContext context)
    {
        byte[] hash = InputsHash(context);
        int beamletCount = context.BeamletCount;
        IProgress<double>? progress = context.Progress.Stage(PlanStage.Influence,
            f => string.Create(CultureInfo.InvariantCulture, $"beamlet {(int)Math.Round(f * beamletCount)}/{beamletCount}"));
        string? cache = context.Settings.CachePath;
        if (cache is not null && File.Exists(cache))
        {
            try
            {
                context.Influence = InfluenceCache.Load(cache, hash);
                context.InfluenceFromCache = true;
                context.Log?.WriteLine($"  influence: loaded {cache}");
            }
            catch (InfluenceCacheException ex)
            {
                context.Log?.WriteLine($"  influence: cache not used ({ex.Message})");
                context.Influence = Build(context, progress);
                InfluenceCache.Save(cache, context.Influence, hash);
            }
        }
        else
        {
            context.Influence = Build(context, progress);
            if (cache is not null)
            {
                InfluenceCache.Save(cache, context.Influence, hash);
            }
        }

        InfluenceMatrix influence = context.Influence;
        context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  influence: {influence.Rows} × {influence.Columns}, {influence.Matrix.NonZeros / 1e6:0.00} M non-zeros ({influence.Matrix.Bytes / 1048576.0:0} MiB), {context.StageSeconds:0.0} s"));
    }

    /// <inheritdoc />
    public string? Finished(PlanContext context) => context.InfluenceFromCache
        ? "influence matrix from the cache"
        : string.Create(CultureInfo.InvariantCulture, $"beamlet {context.BeamletCount}/{context.BeamletCount}");

    private static InfluenceMatrix Build(PlanContext context, IProgress<double>? progress)
    {
        PlanSettings settings = context.Settings;
        var builder = new InfluenceBuilder(context.Engine, context.Model, new InfluenceSettings
        {
            HistoriesPerBeamlet = settings.HistoriesPerBeamlet,
            ScaleWithGrid = settings.ScaleBeamletHistoriesWithGrid,
            RelativeCutoff = settings.RelativeCutoff,
            Seed = settings.Seed,
            MaxMemoryBytes = settings.MaxInfluenceBytes,
            DepthSmoothingPoints = settings.BeamletDepthSmoothing,
        });
        context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  influence: {context.BeamletCount} beamlets × {EffectiveHistories(context)} histories on {context.Engine.DeviceName}{(settings.ScaleBeamletHistoriesWithGrid ? $" ({settings.HistoriesPerBeamlet} per 5 mm beamlet on 5 mm voxels, scaled with the grid)" : string.Empty)}"));
        return context.Executor.BuildInfluence(builder, context.Phantom, context.Grids, context.VoxelIndices, context.Log, progress, context.CancellationToken);
    }

    /// <summary>Histories per beamlet of the first beam's grid on this case's voxels (what <see cref="InfluenceBuilder"/> runs).</summary>
    private static long EffectiveHistories(PlanContext context)
    {
        PlanSettings s = context.Settings;
        var settings = new InfluenceSettings { HistoriesPerBeamlet = s.HistoriesPerBeamlet, ScaleWithGrid = s.ScaleBeamletHistoriesWithGrid };
        GridGeometry g = context.Case.Geometry;
        BeamletGrid? first = context.Grids.Count > 0 ? context.Grids[0] : null;
        return first is null ? s.HistoriesPerBeamlet : settings.HistoriesFor(first.WidthMm * first.HeightMm, g.SpacingMm.X * g.SpacingMm.Y * g.SpacingMm.Z);
    }

    /// <summary>The SHA-256 of everything the matrix depends on: grid, Monte Carlo settings, beams and beamlets, CT, HU calibration, beam model, row voxels.</summary>
    private static byte[] InputsHash(PlanContext context)
    {
        PlanSettings s = context.Settings;
        var text = new StringBuilder();
        GridGeometry g = context.Case.Geometry;
        text.Append(CultureInfo.InvariantCulture, $"grid {g.SizeX} {g.SizeY} {g.SizeZ} {g.SpacingMm} {g.OriginLps} {g.Direction}\n");
        text.Append(CultureInfo.InvariantCulture, $"histories {s.HistoriesPerBeamlet} effective {EffectiveHistories(context)} cutoff {s.RelativeCutoff:R} seed {s.Seed} depth-smoothing {s.BeamletDepthSmoothing} physics {new PhysicsOptions()}\n");
        foreach (BeamletGrid b in context.Grids)
        {
            PlanBeam pb = b.Beam;
            text.Append(CultureInfo.InvariantCulture, $"beam {pb.GantryDeg:R} {pb.CollimatorDeg:R} {pb.CouchDeg:R} {pb.IsocenterLps} {b.WidthMm:R} {b.HeightMm:R} {string.Join(',', b.Ix)} {string.Join(',', b.Iy)}\n");
        }

        return InfluenceCache.ParametersHash(
        [
            Encoding.UTF8.GetBytes(text.ToString()),
            MemoryMarshal.AsBytes(context.Case.CtHu.Data.AsSpan()).ToArray(),
            File.ReadAllBytes(DosimetryPaths.HuCalibrationFile()),
            File.ReadAllBytes(context.Model.Path),
            MemoryMarshal.AsBytes(context.VoxelIndices.AsSpan()).ToArray(),
        ]);
    }
}
