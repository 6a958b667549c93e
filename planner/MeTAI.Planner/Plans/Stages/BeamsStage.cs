using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Optimization.Objectives;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// Beams and beamlets (matRad's <c>generateStf</c>): the protocol's rings, the isocentre at the target's centroid, the
/// beams (the protocol's gantry angles, or equi-spaced), beamlet grids covering every optimised target, the voxels that
/// get influence-matrix rows, and the CT as a Monte Carlo phantom with its engine.
/// </summary>
internal sealed class BeamsStage : IPlanStage
{
    /// <inheritdoc />
    public PlanStage Stage => PlanStage.Preparing;

    /// <inheritdoc />
    public string Starting(PlanContext context) => "rings, beams and beamlets";

    /// <inheritdoc />
    public void Run(PlanContext context)
    {
        PlanSettings settings = context.Settings;
        Protocol protocol = context.Protocol;
        ProtocolLoader.CheckStructures(protocol, context.Case);
        context.Body = context.Case.BodyMask();
        foreach (RingSpec ring in protocol.Rings)
        {
            context.Case = context.Case.WithStructure(new PlanStructure(ring.Build(context.Case.Structure(ring.Around).Mask, context.Body), "CONTROL", new RgbColor(170, 170, 170)));
        }

        PlanCase plan = context.Case;
        Prescription rx = context.Rx;
        context.RxMask = plan.Structure(rx.Target).Mask;
        context.IsocenterLps = context.RxMask.CentroidLps();
        context.Model = BeamModel.Load(DosimetryPaths.BeamFile(settings.BeamModel));
        IReadOnlyList<PlanBeam> beams = protocol.GantryDeg.Count > 0 && settings.BeamCount is null
            ? BeamArrangement.FromGantryAngles(protocol.GantryDeg, context.IsocenterLps, plan.Position)
            : BeamArrangement.Coplanar(settings.BeamCount ?? protocol.BeamCount, context.IsocenterLps, plan.Position, protocol.StartGantryDeg);
        VoxelMask coverage = Coverage(context);
        context.Grids = [.. beams.Select(b => BeamletGrid.Cover(b, context.Model.SadMm, coverage, protocol.BeamletMm, protocol.BeamletMarginMm))];
        context.VoxelIndices = RowVoxels(plan, protocol, coverage, context.Body, settings.RowMarginMm);
        context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plan: case {plan.Name}, protocol {protocol.Name}: {rx.DoseGy} Gy to {rx.Target} in {rx.Fractions} fractions; patient position {plan.Position.Code()} ({plan.Position.Describe()}, from {plan.PositionOrigin}); isocentre ({context.IsocenterLps.X:0.0}, {context.IsocenterLps.Y:0.0}, {context.IsocenterLps.Z:0.0}) mm; " +
            $"{beams.Count} beams ({string.Join(", ", beams.Select(b => b.GantryDeg.ToString("0.#", CultureInfo.InvariantCulture)))}°), {context.BeamletCount} beamlets of {protocol.BeamletMm} mm, {context.VoxelIndices.Length} voxels"));

        context.Phantom = VoxelPhantom.FromCt(plan.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        context.Engine = new MonteCarloEngine(settings.Device);
        context.Progress.SetMonteCarloWork(context.BeamletCount, settings.HistoriesPerBeamlet, settings.FinalHistories, settings.CachePath is string c && File.Exists(c));
    }

    /// <inheritdoc />
    public string? Finished(PlanContext context) => "phantom ready";

    /// <summary>Beamlets cover every target the protocol optimises.</summary>
    private static VoxelMask Coverage(PlanContext context)
    {
        VoxelMask coverage = context.RxMask;
        foreach (ObjectiveSpec o in context.Protocol.Objectives)
        {
            PlanStructure s = context.Case.Structure(o.Structure);
            if (s.IsTarget)
            {
                coverage = coverage.Union(s.Mask);
            }
        }

        return coverage;
    }

    private static int[] RowVoxels(PlanCase plan, Protocol protocol, VoxelMask coverage, VoxelMask body, double marginMm)
    {
        VoxelMask rows = coverage.Expand(marginMm).Intersect(body);
        foreach (string name in protocol.ReferencedStructures().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            rows = rows.Union(plan.Structure(name).Mask);
        }

        var list = new List<int>();
        byte[] v = rows.Voxels;
        for (int n = 0; n < v.Length; n++)
        {
            if (v[n] != 0)
            {
                list.Add(n);
            }
        }

        return [.. list];
    }
}
