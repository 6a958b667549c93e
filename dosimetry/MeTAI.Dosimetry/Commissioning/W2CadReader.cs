namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// The W2CAD ASCII format (IBA OmniPro-Accept export): <c>$NUMS n</c> (the number of measurements), then n blocks
/// <c>$STOM</c> … <c>$ENOM</c>, each of <c>%KEY value</c> lines, <c>#</c> comments and points <c>&lt; x y z value &gt;</c>
/// (mm; x crossline, y inline, z depth), and <c>$ENOD</c> at the end. Keywords read: %TYPE (OPD depth dose, OPP
/// profile), %AXIS (Z for OPD; X or Y for OPP), %FSZ (field "X Y" in mm), %SSD, %DPTH (profiles), %DETY; checked:
/// %BMTY (PHO), %WDGL (0), %PNTS (the point count, when given). Other keywords are accepted and ignored. Errors
/// name the file and line.
/// </summary>
public static class W2CadReader
{
    /// <summary>Reads every measurement of a W2CAD file.</summary>
    public static IReadOnlyList<MeasuredCurve> Read(string path)
    {
        string[] lines = TankText.ReadLines(path);
        int i = 0;
        while (i < lines.Length && (lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith('#')))
        {
            i++;
        }

        if (i >= lines.Length || !lines[i].TrimStart().StartsWith("$NUMS", StringComparison.Ordinal))
        {
            throw new TankDataException(path, Math.Min(i + 1, lines.Length), "a W2CAD file begins with $NUMS");
        }

        int numsLine = i + 1;
        double declared = TankText.Number(path, numsLine, lines[i].Trim()["$NUMS".Length..], "$NUMS");
        var scans = new List<MeasuredCurve>();
        bool ended = false;
        for (i++; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            if (ended)
            {
                throw new TankDataException(path, i + 1, $"'{t}' after $ENOD");
            }

            if (t == "$STOM")
            {
                scans.Add(ReadMeasurement(path, lines, ref i));
            }
            else if (t == "$ENOD")
            {
                ended = true;
            }
            else
            {
                throw new TankDataException(path, i + 1, $"expected $STOM or $ENOD, found '{t}'");
            }
        }

        if (!ended)
        {
            throw new TankDataException(path, lines.Length, "$ENOD missing at the end of the file");
        }

        if (scans.Count != (int)declared)
        {
            throw new TankDataException(path, numsLine, $"$NUMS says {declared} measurements, the file has {scans.Count}");
        }

        return scans;
    }

    private static MeasuredCurve ReadMeasurement(string path, string[] lines, ref int i)
    {
        int start = i + 1;
        var keys = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var pts = new List<(double X, double Y, double Z, double V)>();
        for (i++; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            if (t == "$ENOM")
            {
                return Build(path, start, keys, pts);
            }

            if (t.StartsWith('%'))
            {
                int sp = t.IndexOfAny([' ', '\t']);
                keys[sp < 0 ? t : t[..sp]] = (sp < 0 ? "" : t[(sp + 1)..].Trim(), i + 1);
            }
            else if (t.StartsWith('<'))
            {
                pts.Add(Point(path, i + 1, t));
            }
            else
            {
                throw new TankDataException(path, i + 1, $"'{t}' is neither a %KEYWORD, a < x y z value > point nor $ENOM");
            }
        }

        throw new TankDataException(path, lines.Length, $"$ENOM missing (measurement begins on line {start})");
    }

    private static (double X, double Y, double Z, double V) Point(string path, int line, string t)
    {
        if (!t.EndsWith('>'))
        {
            throw new TankDataException(path, line, $"point '{t}' does not end with '>'");
        }

        string[] c = t[1..^1].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (c.Length != 4)
        {
            throw new TankDataException(path, line, $"point '{t}' needs four numbers < x y z value >");
        }

        return (TankText.Number(path, line, c[0], "x"), TankText.Number(path, line, c[1], "y"),
            TankText.Number(path, line, c[2], "z"), TankText.Number(path, line, c[3], "value"));
    }

    private static MeasuredCurve Build(string path, int line, Dictionary<string, (string Value, int Line)> keys, List<(double X, double Y, double Z, double V)> pts)
    {
        (string Value, int Line) Required(string key) => keys.TryGetValue(key, out var e) ? e
            : throw new TankDataException(path, line, $"keyword {key} missing in the measurement beginning here");
        if (keys.TryGetValue("%BMTY", out var bm) && bm.Value != "PHO")
        {
            throw new TankDataException(path, bm.Line, $"%BMTY {bm.Value}: only photon (PHO) beams are commissioned");
        }

        if (keys.TryGetValue("%WDGL", out var wd) && TankText.Number(path, wd.Line, wd.Value, "%WDGL") != 0)
        {
            throw new TankDataException(path, wd.Line, $"%WDGL {wd.Value}: wedged fields are not modelled");
        }

        if (keys.TryGetValue("%PNTS", out var np) && (int)TankText.Number(path, np.Line, np.Value, "%PNTS") != pts.Count)
        {
            throw new TankDataException(path, np.Line, $"%PNTS says {np.Value} points, the measurement has {pts.Count}");
        }

        var type = Required("%TYPE");
        var axis = Required("%AXIS");
        CurveKind kind = (type.Value, axis.Value) switch
        {
            ("OPD", "Z") => CurveKind.DepthDose,
            ("OPP", "X") => CurveKind.CrosslineProfile,
            ("OPP", "Y") => CurveKind.InlineProfile,
            ("OPD" or "OPP", _) => throw new TankDataException(path, axis.Line, $"%AXIS {axis.Value} with %TYPE {type.Value} is not modelled (OPD: Z; OPP: X or Y)"),
            _ => throw new TankDataException(path, type.Line, $"%TYPE {type.Value} is not modelled (OPD, OPP)"),
        };
        var fsz = Required("%FSZ");
        string[] f = fsz.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 2)
        {
            throw new TankDataException(path, fsz.Line, $"%FSZ '{fsz.Value}' needs two sizes in mm (X Y)");
        }

        var ssd = Required("%SSD");
        double? depth = null;
        if (kind != CurveKind.DepthDose)
        {
            var dp = Required("%DPTH");
            depth = TankText.Number(path, dp.Line, dp.Value, "%DPTH");
        }

        Func<(double X, double Y, double Z, double V), double> pos = kind switch
        {
            CurveKind.DepthDose => p => p.Z,
            CurveKind.CrosslineProfile => p => p.X,
            _ => p => p.Y,
        };
        return TankText.Checked(new MeasuredCurve
        {
            Kind = kind,
            FieldXMm = TankText.Number(path, fsz.Line, f[0], "%FSZ"),
            FieldYMm = TankText.Number(path, fsz.Line, f[1], "%FSZ"),
            SsdMm = TankText.Number(path, ssd.Line, ssd.Value, "%SSD"),
            DepthMm = depth,
            PositionMm = [.. pts.Select(pos)],
            Value = [.. pts.Select(p => p.V)],
            Detector = keys.TryGetValue("%DETY", out var d) ? d.Value : "",
            File = path,
            Line = line,
        });
    }
}
