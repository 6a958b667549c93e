namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// PTW's mcc text format (MEPHYSTO / BEAMSCAN export): <c>BEGIN_SCAN_DATA</c> … <c>END_SCAN_DATA</c> around numbered
/// <c>BEGIN_SCAN n</c> … <c>END_SCAN n</c> blocks of <c>KEY=VALUE</c> lines and one <c>BEGIN_DATA</c> … <c>END_DATA</c>
/// block of rows "position value [reference]" (mm; the first two columns are read). Keywords read: SCAN_CURVETYPE
/// (PDD, CROSSPLANE_PROFILE, INPLANE_PROFILE), FIELD_CROSSPLANE, FIELD_INPLANE, SSD, SCAN_DEPTH (profiles), DETECTOR;
/// checked: MODALITY (X), MEAS_MEDIUM (WATER), WEDGE_ANGLE (0), FIELD_TYPE (RECTANGULAR), SCAN_OFFAXIS_INPLANE/
/// CROSSPLANE (0). Every other keyword is accepted and ignored. Errors name the file and line.
/// </summary>
public static class MccReader
{
    /// <summary>Reads every scan of an mcc file.</summary>
    public static IReadOnlyList<MeasuredCurve> Read(string path)
    {
        string[] lines = TankText.ReadLines(path);
        var scans = new List<MeasuredCurve>();
        bool inFile = false, ended = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (ended)
            {
                throw new TankDataException(path, i + 1, $"'{t}' after END_SCAN_DATA");
            }

            if (t == "BEGIN_SCAN_DATA")
            {
                inFile = true;
            }
            else if (!inFile)
            {
                throw new TankDataException(path, i + 1, $"expected BEGIN_SCAN_DATA, found '{t}'");
            }
            else if (t == "END_SCAN_DATA")
            {
                ended = true;
            }
            else if (t.StartsWith("BEGIN_SCAN", StringComparison.Ordinal) && t != "BEGIN_SCAN_DATA")
            {
                scans.Add(ReadScan(path, lines, ref i));
            }
            else if (!t.Contains('=', StringComparison.Ordinal))
            {
                throw new TankDataException(path, i + 1, $"'{t}' is neither KEY=VALUE nor BEGIN_SCAN");
            }
        }

        if (!ended)
        {
            throw new TankDataException(path, lines.Length, "END_SCAN_DATA missing at the end of the file");
        }

        if (scans.Count == 0)
        {
            throw new TankDataException(path, 0, "no BEGIN_SCAN block");
        }

        return scans;
    }

    // From the BEGIN_SCAN line to its END_SCAN; i is left on the END_SCAN line.
    private static MeasuredCurve ReadScan(string path, string[] lines, ref int i)
    {
        int start = i + 1;
        string number = lines[i].Trim()["BEGIN_SCAN".Length..].Trim();
        var keys = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var x = new List<double>();
        var v = new List<double>();
        bool sawData = false;
        for (i++; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (t.StartsWith("END_SCAN", StringComparison.Ordinal) && t != "END_SCAN_DATA")
            {
                string endNumber = t["END_SCAN".Length..].Trim();
                if (endNumber != number)
                {
                    throw new TankDataException(path, i + 1, $"END_SCAN {endNumber} closes BEGIN_SCAN {number} (line {start})");
                }

                if (!sawData)
                {
                    throw new TankDataException(path, start, $"scan {number} has no BEGIN_DATA block");
                }

                return Build(path, start, keys, x, v);
            }

            if (t == "BEGIN_DATA")
            {
                if (sawData)
                {
                    throw new TankDataException(path, i + 1, $"a second BEGIN_DATA in scan {number}");
                }

                sawData = true;
                ReadData(path, lines, ref i, x, v);
                continue;
            }

            int eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new TankDataException(path, i + 1, $"'{t}' is not KEY=VALUE inside scan {number}");
            }

            keys[t[..eq].Trim()] = (t[(eq + 1)..].Trim(), i + 1);
        }

        throw new TankDataException(path, lines.Length, $"END_SCAN {number} missing (scan begins on line {start})");
    }

    private static void ReadData(string path, string[] lines, ref int i, List<double> x, List<double> v)
    {
        int begin = i + 1;
        for (i++; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (t == "END_DATA")
            {
                return;
            }

            string[] cols = t.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 2)
            {
                throw new TankDataException(path, i + 1, $"data row '{t}' needs a position and a value");
            }

            x.Add(TankText.Number(path, i + 1, cols[0], "position"));
            v.Add(TankText.Number(path, i + 1, cols[1], "value"));
        }

        throw new TankDataException(path, lines.Length, $"END_DATA missing (BEGIN_DATA on line {begin})");
    }

    private static MeasuredCurve Build(string path, int line, Dictionary<string, (string Value, int Line)> keys, List<double> x, List<double> v)
    {
        string Required(string key) => keys.TryGetValue(key, out var e) ? e.Value
            : throw new TankDataException(path, line, $"keyword {key} missing in the scan beginning here");
        double Num(string key) => TankText.Number(path, keys.TryGetValue(key, out var e) ? e.Line : line, Required(key), key);
        void Expect(string key, Func<string, bool> ok, string what)
        {
            if (keys.TryGetValue(key, out var e) && !ok(e.Value))
            {
                throw new TankDataException(path, e.Line, $"{key}={e.Value}: {what}");
            }
        }

        Expect("MODALITY", s => s == "X", "only photon (X) beams are commissioned");
        Expect("MEAS_MEDIUM", s => s == "WATER", "only measurements in water are modelled");
        Expect("FIELD_TYPE", s => s == "RECTANGULAR", "only rectangular jaw fields are modelled");
        Expect("WEDGE_ANGLE", s => double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out double w) && w == 0, "wedged fields are not modelled");
        Expect("SCAN_OFFAXIS_INPLANE", s => double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out double w) && w == 0, "off-axis scans are not modelled");
        Expect("SCAN_OFFAXIS_CROSSPLANE", s => double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out double w) && w == 0, "off-axis scans are not modelled");
        string type = Required("SCAN_CURVETYPE");
        CurveKind kind = type switch
        {
            "PDD" => CurveKind.DepthDose,
            "CROSSPLANE_PROFILE" => CurveKind.CrosslineProfile,
            "INPLANE_PROFILE" => CurveKind.InlineProfile,
            _ => throw new TankDataException(path, keys["SCAN_CURVETYPE"].Line, $"SCAN_CURVETYPE={type} is not modelled (PDD, CROSSPLANE_PROFILE, INPLANE_PROFILE)"),
        };
        return TankText.Checked(new MeasuredCurve
        {
            Kind = kind,
            FieldXMm = Num("FIELD_CROSSPLANE"),
            FieldYMm = Num("FIELD_INPLANE"),
            SsdMm = Num("SSD"),
            DepthMm = kind == CurveKind.DepthDose ? null : Num("SCAN_DEPTH"),
            PositionMm = [.. x],
            Value = [.. v],
            Detector = keys.TryGetValue("DETECTOR", out var d) ? d.Value : "",
            File = path,
            Line = line,
        });
    }
}
