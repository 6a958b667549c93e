using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Dosimetry.Water;

/// <summary>
/// Computes what a water tank would measure for a beam model (docs/beam-model.md "Water tank"): depth doses,
/// crossline/inline profiles and output factors of jaw or MLC fields at any SSD, by Monte Carlo in a water box. The
/// commissioning fit calls it with trial models. Tank frame: LPS with the surface at y = 0 and the beam along +y
/// (gantry 0, head-first supine), crossline = x, inline = z.
/// </summary>
public sealed class WaterTankSimulator
{
    /// <summary>A simulator for <paramref name="model"/> on <paramref name="engine"/> (the caller owns and disposes the engine).</summary>
    public WaterTankSimulator(BeamModel model, MonteCarloEngine engine, WaterTankOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(engine);
        Model = model;
        Engine = engine;
        Options = options ?? new WaterTankOptions();
        Options.Validate();
    }

    /// <summary>The beam model.</summary>
    public BeamModel Model { get; }

    /// <summary>The engine.</summary>
    public MonteCarloEngine Engine { get; }

    /// <summary>The tank.</summary>
    public WaterTankOptions Options { get; }

    /// <summary>The water box for <paramref name="field"/>: surface at y = 0, wide enough for the divergent field at the bottom.</summary>
    public VoxelPhantom Tank(WaterTankField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        CollimatorSettings c = field.Collimation;
        double spread = (field.SsdMm + Options.TankDepthMm) / Model.SadMm;
        double halfX = Math.Max(Math.Abs(c.X1Mm), Math.Abs(c.X2Mm)) * spread + Options.LateralMarginMm;
        double halfZ = Math.Max(Math.Abs(c.Y1Mm), Math.Abs(c.Y2Mm)) * spread + Options.LateralMarginMm;
        int nx = 2 * (int)Math.Ceiling(halfX / Options.CrosslineVoxelMm) + 1;
        int nz = 2 * (int)Math.Ceiling(halfZ / Options.InlineVoxelMm) + 1;
        int ny = (int)Math.Ceiling(Options.TankDepthMm / Options.DepthVoxelMm);
        var spacing = new Vec3(Options.CrosslineVoxelMm, Options.DepthVoxelMm, Options.InlineVoxelMm);
        var origin = new Vec3(-(nx - 1) / 2 * spacing.X, spacing.Y / 2, -(nz - 1) / 2 * spacing.Z);
        var g = new GridGeometry(nx, ny, nz, spacing, origin);
        var m = new byte[g.VoxelCount];
        var d = new float[g.VoxelCount];
        Array.Fill(d, 1f);
        return new VoxelPhantom(g, ["water"], m, d);
    }

    /// <summary>The beam for <paramref name="field"/>: 1 MU, isocentre SAD − SSD below the surface on the axis.</summary>
    public BeamSetup Beam(WaterTankField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var iso = new Vec3(0, Model.SadMm - field.SsdMm, 0);
        BeamSetup beam = Model.CreateBeam(field.Collimation, new BeamGeometry(0, 0, 0, iso, Model.SadMm), 1.0);
        return beam with { FluencePerMuPerCm2 = Model.FluencePerMuPerCm2 ?? 1.0 };
    }

    /// <summary>Simulates <paramref name="histories"/> histories of <paramref name="field"/> in the tank.</summary>
    public WaterTankScan Simulate(WaterTankField field, long histories, ulong seed = 1, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        VoxelPhantom tank = Tank(field);
        var request = new DoseRequest
        {
            Phantom = tank,
            Beam = Beam(field),
            Histories = histories,
            Batches = Options.Batches,
            Seed = seed,
            Physics = Options.Physics,
        };
        DoseResult r = Engine.Run(request, progress, cancellationToken);
        return new WaterTankScan(field, r, Model.FluencePerMuPerCm2 is not null);
    }
}
