namespace MeTAI.Planner.Evaluation;

/// <summary>Isodose lines on a 2D dose slice by marching squares (segments between linearly interpolated edge crossings).</summary>
public static class IsodoseLines
{
    /// <summary>
    /// Line segments (x0, y0, x1, y1) in cell-centre index units where <paramref name="values"/>[row, col] crosses
    /// <paramref name="level"/>. Saddle cells are split by the cell's mean value.
    /// </summary>
    public static List<(double X0, double Y0, double X1, double Y1)> Segments(double[,] values, double level)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var segs = new List<(double, double, double, double)>();
        Span<(double X, double Y)> pts = stackalloc (double, double)[4];
        for (int r = 0; r + 1 < rows; r++)
        {
            for (int c = 0; c + 1 < cols; c++)
            {
                double v00 = values[r, c], v01 = values[r, c + 1], v11 = values[r + 1, c + 1], v10 = values[r + 1, c];
                int code = (v00 >= level ? 1 : 0) | (v01 >= level ? 2 : 0) | (v11 >= level ? 4 : 0) | (v10 >= level ? 8 : 0);
                if (code is 0 or 15)
                {
                    continue;
                }

                // Crossings on the four edges: top (00–01), right (01–11), bottom (10–11), left (00–10).
                int n = 0;
                if ((v00 >= level) != (v01 >= level))
                {
                    pts[n++] = (c + T(v00, v01, level), r);
                }

                if ((v01 >= level) != (v11 >= level))
                {
                    pts[n++] = (c + 1, r + T(v01, v11, level));
                }

                if ((v10 >= level) != (v11 >= level))
                {
                    pts[n++] = (c + T(v10, v11, level), r + 1);
                }

                if ((v00 >= level) != (v10 >= level))
                {
                    pts[n++] = (c, r + T(v00, v10, level));
                }

                if (n == 2)
                {
                    segs.Add((pts[0].X, pts[0].Y, pts[1].X, pts[1].Y));
                }
                else if (n == 4)
                {
                    // Saddle: connect so that the higher corners stay together when the centre is above the level.
                    bool centreHigh = (v00 + v01 + v11 + v10) / 4 >= level;
                    if (centreHigh == (v00 >= level))
                    {
                        segs.Add((pts[0].X, pts[0].Y, pts[1].X, pts[1].Y));
                        segs.Add((pts[2].X, pts[2].Y, pts[3].X, pts[3].Y));
                    }
                    else
                    {
                        segs.Add((pts[0].X, pts[0].Y, pts[3].X, pts[3].Y));
                        segs.Add((pts[1].X, pts[1].Y, pts[2].X, pts[2].Y));
                    }
                }
            }
        }

        return segs;
    }

    private static double T(double a, double b, double level) => Math.Abs(b - a) < 1e-30 ? 0.5 : (level - a) / (b - a);
}
