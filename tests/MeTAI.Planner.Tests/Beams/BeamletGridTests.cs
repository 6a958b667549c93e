using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Tests.Beams;

public class BeamletGridTests
{
    [Fact]
    public void Cover_SphereAtIsocentre_GivesASymmetricDiscOfBeamlets()
    {
        var g = GridGeometry.Centered(new Vec3(200, 200, 200), 5, Vec3.Zero);
        var mask = new VoxelMask("PTV", g);
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    mask[i, j, k] = g.IndexToLps(i, j, k).Length <= 20;
                }
            }
        }

        foreach (double gantry in new[] { 0.0, 51.4, 90.0 })
        {
            var beam = new PlanBeam(1, "B", gantry, 0, 0, Vec3.Zero, PatientPosition.HeadFirstSupine);
            BeamletGrid grid = BeamletGrid.Cover(beam, 1000, mask, 5, 5);
            // A 40 mm sphere plus 5 mm margin, magnified slightly by divergence: about π·25² / 25 ≈ 80 cells.
            Assert.InRange(grid.Count, 60, 140);
            Assert.Equal(grid.Ix.Min(), -grid.Ix.Max() - 1);
            Assert.Equal(grid.Iy.Min(), -grid.Iy.Max() - 1);
        }
    }

    [Fact]
    public void Project_PointOnTheAxis_LandsAtTheOrigin()
    {
        var beam = new PlanBeam(1, "B", 30, 0, 0, new Vec3(10, 20, 30), PatientPosition.HeadFirstSupine);
        var geo = beam.Geometry(1000);
        (double x, double y) = BeamletGrid.Project(geo, beam.IsocenterLps + geo.BeamAxisLps * 50);
        Assert.Equal(0, x, 9);
        Assert.Equal(0, y, 9);
        // A point 10 mm along BLD-X at 100 mm beyond the isocentre projects to 10 × 1000/1100.
        (x, _) = BeamletGrid.Project(geo, beam.IsocenterLps + geo.BeamAxisLps * 100 + geo.BldXLps * 10);
        Assert.Equal(10 * 1000.0 / 1100, x, 9);
    }
}
