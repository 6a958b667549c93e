using System.Globalization;
using MeTAI.Core.Geometry;

namespace MeTAI.Planner.Beams;

/// <summary>
/// Beam angle sets (matRad's <c>pln.propStf.gantryAngles</c>): equi-spaced coplanar fields or an explicit list, for a
/// patient lying in a given position. The angles are IEC 61217 machine angles; the position decides which anatomy each
/// enters through (<see cref="PatientPositions"/>), so every beam carries it.
/// </summary>
public static class BeamArrangement
{
    /// <summary>
    /// <paramref name="count"/> coplanar beams at gantry start + k·360°/count (collimator and couch 0), all on
    /// <paramref name="isocenterLps"/>. Seven beams give TG-119's 0, 51.4, 102.9, … arrangement.
    /// </summary>
    public static IReadOnlyList<PlanBeam> Coplanar(int count, Vec3 isocenterLps, PatientPosition position, double startDeg = 0)
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

        return FromGantryAngles(gantry, isocenterLps, position);
    }

    /// <summary>Coplanar beams at the given gantry angles (degrees).</summary>
    public static IReadOnlyList<PlanBeam> FromGantryAngles(IReadOnlyList<double> gantryDeg, Vec3 isocenterLps, PatientPosition position, double collimatorDeg = 0, double couchDeg = 0)
    {
        ArgumentNullException.ThrowIfNull(gantryDeg);
        var beams = new PlanBeam[gantryDeg.Count];
        for (int k = 0; k < beams.Length; k++)
        {
            double g = Normalize(gantryDeg[k]);
            beams[k] = new PlanBeam(k + 1, string.Create(CultureInfo.InvariantCulture, $"G{g:000}"), g, collimatorDeg, couchDeg, isocenterLps, position);
        }

        return beams;
    }

    /// <summary>
    /// The gantry angle whose source lies on the <paramref name="side"/> of a patient in <paramref name="position"/>
    /// (couch 0): e.g. a left lateral (<c>'L'</c>) is 90° for HFS and 270° for HFP; an anterior field (<c>'A'</c>) is 0° for
    /// supine and 180° for prone. <paramref name="side"/> is one of L, R, A, P.
    /// </summary>
    /// <exception cref="ArgumentException">A side no coplanar beam can enter from in that position (e.g. anterior for decubitus is 90° or 270°; superior never).</exception>
    public static double GantryForSide(PatientPosition position, char side)
    {
        Vec3 want = side switch
        {
            'L' => new Vec3(1, 0, 0),
            'R' => new Vec3(-1, 0, 0),
            'P' => new Vec3(0, 1, 0),
            'A' => new Vec3(0, -1, 0),
            _ => throw new ArgumentException($"Side '{side}' is not L, R, A or P.", nameof(side)),
        };
        Mat3 support = position.SupportToLps();
        for (int g = 0; g < 360; g += 90)
        {
            double rad = g * Math.PI / 180;
            Vec3 source = support * new Vec3(Math.Sin(rad), 0, Math.Cos(rad));
            if (Vec3.Dot(source, want) > 0.99)
            {
                return g;
            }
        }

        throw new ArgumentException($"No coplanar gantry angle enters from side '{side}' for {position.Code()}.", nameof(side));
    }

    private static double Normalize(double deg)
    {
        double d = deg % 360.0;
        return d < 0 ? d + 360.0 : d;
    }
}
