using System.Globalization;
using MeTAI.Core.Geometry;

namespace MeTAI.Planner.Beams;

/// <summary>Beam angle sets (matRad's <c>pln.propStf.gantryAngles</c>): equi-spaced coplanar fields or an explicit list.</summary>
public static class BeamArrangement
{
    /// <summary>
    /// <paramref name="count"/> coplanar beams at gantry start + k·360°/count (collimator and couch 0), all on
    /// <paramref name="isocenterLps"/>. Seven beams give TG-119's 0, 51.4, 102.9, … arrangement.
    /// </summary>
    public static IReadOnlyList<PlanBeam> Coplanar(int count, Vec3 isocenterLps, double startDeg = 0)
    {
        if (count < 1 || count > 99)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Use 1–99 beams.");
        }

        var gantry = new double[count];
        for (int k = 0; k < count; k++)
        {
            gantry[k] = Math.Round(Normalize(startDeg + k * 360.0 / count), 1);
        }

        return FromGantryAngles(gantry, isocenterLps);
    }

    /// <summary>Coplanar beams at the given gantry angles (degrees).</summary>
    public static IReadOnlyList<PlanBeam> FromGantryAngles(IReadOnlyList<double> gantryDeg, Vec3 isocenterLps, double collimatorDeg = 0, double couchDeg = 0)
    {
        ArgumentNullException.ThrowIfNull(gantryDeg);
        var beams = new PlanBeam[gantryDeg.Count];
        for (int k = 0; k < beams.Length; k++)
        {
            double g = Normalize(gantryDeg[k]);
            beams[k] = new PlanBeam(k + 1, string.Create(CultureInfo.InvariantCulture, $"G{g:000}"), g, collimatorDeg, couchDeg, isocenterLps);
        }

        return beams;
    }

    private static double Normalize(double deg)
    {
        double d = deg % 360.0;
        return d < 0 ? d + 360.0 : d;
    }
}
