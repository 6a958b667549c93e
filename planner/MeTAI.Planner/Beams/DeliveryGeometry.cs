using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

/// <summary>
/// The geometry of one delivered segment, in one place for the two ways segments are made — read from an RT Plan
/// (<see cref="RtPlanBeams"/>) and straight from sequencing (<see cref="Sequencing.SequencedBeam.DeliverySegments"/>) —
/// so both give the same numbers to the bit.
/// </summary>
internal static class DeliveryGeometry
{
    /// <summary>An angle in [0, 360) degrees.</summary>
    public static double NormalizedDeg(double deg) => ((deg % 360) + 360) % 360;

    /// <summary>The mean of two angles along the shorter arc, in [0, 360) degrees.</summary>
    public static double MeanDeg(double a, double b)
    {
        double d = ((b - a) % 360 + 540) % 360 - 180;
        return NormalizedDeg(a + d / 2);
    }

    /// <summary>
    /// The open rectangles of a jaws-and-MLC aperture at the isocentre (mm): leaf pair k spans [boundary k, boundary
    /// k + 1] across the leaf motion and is open from its bank-A to its bank-B position along it (MLCX: leaves move in
    /// X; MLCY: in Y); everything clipped by the jaws [X1, X2] × [Y1, Y2]. Without leaves, the jaw opening.
    /// </summary>
    public static List<ApertureRect> Rectangles(double x1, double x2, double y1, double y2, double[]? bankA, double[]? bankB, double[]? boundaries, bool leavesAlongY)
    {
        var rects = new List<ApertureRect>();
        if (boundaries is null || bankA is null || bankB is null)
        {
            if (x2 > x1 && y2 > y1)
            {
                rects.Add(new ApertureRect(x1, x2, y1, y2));
            }

            return rects;
        }

        for (int k = 0; k < boundaries.Length - 1; k++)
        {
            double lo = bankA[k], hi = bankB[k];
            if (!leavesAlongY)
            {
                double y0 = Math.Max(boundaries[k], y1), yb = Math.Min(boundaries[k + 1], y2);
                double x0 = Math.Max(lo, x1), xb = Math.Min(hi, x2);
                if (yb > y0 && xb > x0)
                {
                    rects.Add(new ApertureRect(x0, xb, y0, yb));
                }
            }
            else
            {
                double x0 = Math.Max(boundaries[k], x1), xb = Math.Min(boundaries[k + 1], x2);
                double y0 = Math.Max(lo, y1), yb = Math.Min(hi, y2);
                if (yb > y0 && xb > x0)
                {
                    rects.Add(new ApertureRect(x0, xb, y0, yb));
                }
            }
        }

        return rects;
    }
}
