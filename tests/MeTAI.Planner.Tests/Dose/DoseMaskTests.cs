using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>A plan dose is kept inside the body and in matter; its maximum and uncertainty are those of what is kept.</summary>
public class DoseMaskTests
{
    private static readonly GridGeometry Grid = new(10, 1, 1, new Vec3(5, 5, 5), Vec3.Zero);

    // Voxels 0–1 outside the body (2 is air noise there), 2–7 inside (4 is an air cavity), 8–9 outside again.
    private static (VoxelGrid<float> Dose, VoxelGrid<float> Unc, float[] Rho, VoxelMask Body) Case()
    {
        var dose = new VoxelGrid<float>(Grid, [3, 900, 1.0f, 1.1f, 400, 1.2f, 1.1f, 1.0f, 50, 2]);
        var unc = new VoxelGrid<float>(Grid, [0.5f, 0.9f, 0.02f, 0.02f, 0.8f, 0.02f, 0.02f, 0.02f, 0.5f, 0.5f]);
        float[] rho = [0.0012f, 0.0012f, 1, 1, 0.0012f, 1, 1, 1, 1.1f, 0.0012f];
        var body = new VoxelMask("External", Grid);
        for (int i = 2; i <= 7; i++)
        {
            body[i, 0, 0] = true;
        }

        return (dose, unc, rho, body);
    }

    [Fact]
    public void Finish_NoiseOutsideTheBodyAndInAir_IsZeroAndNotTheMaximum()
    {
        (VoxelGrid<float> dose, VoxelGrid<float> unc, float[] rho, VoxelMask body) = Case();

        PlanDose d = PlanDoseCalculator.Finish(dose, unc, rho, body, false, 1000, 1, "test", []);

        Assert.Equal([0, 0, 1.0f, 1.1f, 0, 1.2f, 1.1f, 1.0f, 0, 0], d.DoseGy.Data);
        Assert.Equal([0, 0, 0.02f, 0.02f, 0, 0.02f, 0.02f, 0.02f, 0, 0], d.RelativeUncertainty.Data);
        Assert.Equal(d.DoseGy.Data, d.RawDoseGy.Data);
        Assert.Equal(1.2, d.MaxDoseGy, 6);
        Assert.Equal(0.02, d.MeanRelUncertaintyAbove50, 6);
        Assert.Equal("External", d.Body);
    }

    [Fact]
    public void Finish_Denoised_StaysInsideTheMask()
    {
        (VoxelGrid<float> dose, VoxelGrid<float> unc, float[] rho, VoxelMask body) = Case();

        PlanDose d = PlanDoseCalculator.Finish(dose, unc, rho, body, true, 1000, 1, "test", []);

        foreach (int outside in new[] { 0, 1, 4, 8, 9 })
        {
            Assert.Equal(0, d.DoseGy.Data[outside]);
            Assert.Equal(0, d.RelativeUncertainty.Data[outside]);
        }

        Assert.Equal(d.DoseGy.Data.Max(), d.MaxDoseGy, 6);
    }

    [Fact]
    public void Kept_BodyOnAnotherGrid_Refused()
    {
        (_, _, float[] rho, _) = Case();
        var other = new VoxelMask("External", new GridGeometry(5, 1, 1, new Vec3(5, 5, 5), Vec3.Zero));

        Assert.Throws<ArgumentException>(() => DoseMask.Kept(other, rho));
    }
}
