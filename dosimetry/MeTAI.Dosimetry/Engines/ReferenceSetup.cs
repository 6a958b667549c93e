using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Dosimetry.Engines;

/// <summary>
/// The project's reference setup for the 6 MV beam (docs/validation.md, docs/benchmarks.md): a 30 cm water cube of
/// 5 mm voxels, the Mohan point source, a 10 × 10 cm² field at SSD 100 cm with the isocentre on the surface, 10 batches.
/// The water validation checks its depth dose and profiles; <c>bench dose</c> times it.
/// </summary>
public static class ReferenceSetup
{
    /// <summary>The reference request for <paramref name="histories"/> histories.</summary>
    public static DoseRequest Water6Mv10x10(long histories, ulong seed = 12345)
    {
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(300, 300, 300), 5.0);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        BeamSetup beam = model.CreateBeam(Aperture.Field(100, 100), new Vec3(0, 0, 0));
        return new DoseRequest { Phantom = phantom, Beam = beam, Histories = histories, Batches = 10, Seed = seed };
    }

    /// <summary>
    /// The same set-up with the full 6MV model (virtual sources, jaws that attenuate; leaves retracted): what
    /// <c>bench dose</c> compares with the point model's cost per history.
    /// </summary>
    public static DoseRequest Water6Mv10x10FullModel(long histories, ulong seed = 12345)
    {
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(300, 300, 300), 5.0);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV"));
        BeamSetup beam = model.CreateBeam(CollimatorSettings.JawField(100, 100), new BeamGeometry(0, 0, 0, new Vec3(0, 0, 0), model.SadMm), 1.0);
        return new DoseRequest { Phantom = phantom, Beam = beam, Histories = histories, Batches = 10, Seed = seed };
    }
}
