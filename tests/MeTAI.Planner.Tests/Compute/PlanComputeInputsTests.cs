using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Compute;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests.Compute;

/// <summary>A plan's Monte Carlo inputs as bytes for another machine (docs/cluster.md, §5): same inputs back, same hash, bad bytes named.</summary>
public class PlanComputeInputsTests
{
    private static PlanComputeInputs Inputs()
    {
        Phantom water = PhantomLibrary.Build("water", 10);
        var phantom = VoxelPhantom.FromCt(water.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        string path = DosimetryPaths.BeamFile("6MV-point");
        var beam = new PlanBeam(1, "G000", 0, 0, 0, new Vec3(0, -50, 0), PatientPosition.HeadFirstSupine);
        var side = new PlanBeam(2, "G270", 270, 10, 0, new Vec3(1, -50, 2), PatientPosition.FeetFirstProne);
        var segment = new DeliverySegment(1, "G000", 0, 0, 0, new Vec3(0, -50, 0), 1000, [new ApertureRect(-20, 20, -10, 15, 0.5)], 12.5, PatientPosition.HeadFirstSupine)
        {
            Collimation = new CollimatorSettings { X1Mm = -25, X2Mm = 25, Y1Mm = -15, Y2Mm = 20, BankAMm = [-20, -5], BankBMm = [20, 5] },
            LeafBoundariesMm = [-15, 0, 20],
        };
        return new PlanComputeInputs
        {
            Phantom = phantom,
            BeamModelName = "6MV-point",
            BeamModelJson = File.ReadAllText(path),
            VoxelIndices = [3, 17, 400, phantom.Geometry.VoxelCount - 1],
            Grids = [BeamletGrid.FromCells(beam, 10, 10, [(0, 0), (-1, 0)]), BeamletGrid.FromCells(side, 5, 7.5, [(2, -3)])],
            Segments = [segment, segment with { BeamNumber = 2, MonitorUnits = 3, Collimation = null, LeafBoundariesMm = null }],
            Influence = new InfluenceSettings { HistoriesPerBeamlet = 1234, ScaleWithGrid = true, RelativeCutoff = 2e-3, Seed = 77, DepthSmoothingPoints = 7 },
        };
    }

    [Fact]
    public void EncodeDecode_RoundTrip_SameInputsAndSameHash()
    {
        PlanComputeInputs a = Inputs();
        byte[] bytes = a.Encode();
        PlanComputeInputs b = PlanComputeInputs.Decode(bytes);
        Assert.Equal(bytes, b.Encode());
        Assert.Equal(a.Hash(), b.Hash());
        Assert.Equal(a.Phantom.Geometry, b.Phantom.Geometry);
        Assert.Equal(a.Phantom.Materials, b.Phantom.Materials);
        Assert.Equal(a.Phantom.DensitiesGPerCm3, b.Phantom.DensitiesGPerCm3);
        Assert.Equal(a.Phantom.MaterialNames, b.Phantom.MaterialNames);
        Assert.Equal(a.VoxelIndices, b.VoxelIndices);
        Assert.Equal(a.Influence, b.Influence);
        Assert.Equal(a.Physics, b.Physics);
        Assert.Equal(a.Grids.Select(g => (g.Beam, g.WidthMm, g.HeightMm)), b.Grids.Select(g => (g.Beam, g.WidthMm, g.HeightMm)));
        Assert.Equal(a.Grids[0].Ix, b.Grids[0].Ix);
        Assert.Equal(a.Grids[1].Iy, b.Grids[1].Iy);
        Assert.Equal(a.Segments[0].Rectangles, b.Segments[0].Rectangles);
        Assert.Equal(a.Segments[0].Collimation!.BankAMm, b.Segments[0].Collimation!.BankAMm);
        Assert.Equal(a.Segments[0].LeafBoundariesMm, b.Segments[0].LeafBoundariesMm);
        Assert.Null(b.Segments[1].Collimation);
        Assert.Equal(PatientPosition.FeetFirstProne, b.Grids[1].Beam.Position);

        // Any change is another hash.
        var other = new PlanComputeInputs
        {
            Phantom = a.Phantom, BeamModelName = a.BeamModelName, BeamModelJson = a.BeamModelJson, VoxelIndices = a.VoxelIndices, Grids = a.Grids,
            Segments = a.Segments, Influence = a.Influence with { Seed = 78 },
        };
        Assert.NotEqual(a.Hash(), other.Hash());
    }

    [Fact]
    public void Model_ParsedFromTheShippedText_RunsTheSameDoseAsTheLoadedFile()
    {
        PlanComputeInputs inputs = Inputs();
        BeamModel loaded = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        BeamModel parsed = PlanComputeInputs.Decode(inputs.Encode()).Model();
        Assert.Equal(loaded.Name, parsed.Name);
        Assert.Equal(loaded.FluencePerMuPerCm2, parsed.FluencePerMuPerCm2);
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        using DoseSession session = engine.OpenSession(inputs.Phantom);
        var d1 = new float[inputs.Phantom.Geometry.VoxelCount];
        var d2 = new float[d1.Length];
        session.RunDose(loaded.CreateBeam(Aperture.Field(20, 20), new Vec3(0, -50, 0)), 5_000, 3, d1);
        session.RunDose(parsed.CreateBeam(Aperture.Field(20, 20), new Vec3(0, -50, 0)), 5_000, 3, d2);
        Assert.Equal(d1, d2);
    }

    [Fact]
    public void Decode_BadBytes_RefusedNamingTheOffsetAndThePart()
    {
        byte[] bytes = Inputs().Encode();
        var truncated = Assert.Throws<InvalidDataException>(() => PlanComputeInputs.Decode(bytes[..(bytes.Length - 20)]));
        Assert.Contains("byte ", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        var magic = Assert.Throws<InvalidDataException>(() => PlanComputeInputs.Decode([.. "NOTINPUT"u8, .. bytes[8..]]));
        Assert.Contains("magic", magic.Message, StringComparison.Ordinal);
        var trailing = Assert.Throws<InvalidDataException>(() => PlanComputeInputs.Decode([.. bytes, 0]));
        Assert.Contains("after the last part", trailing.Message, StringComparison.Ordinal);
        Assert.Throws<MaterialDataException>(() => BeamModel.Parse("{ not json", "broken"));
    }
}
