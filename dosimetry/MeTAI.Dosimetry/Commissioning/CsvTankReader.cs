namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// The project's plain CSV for tank data (docs/commissioning.md). Header lines <c># key: value</c> (other <c>#</c> lines
/// are comments), then one column-name row, then comma-separated rows. <c># type:</c> says what the file holds:
/// <list type="bullet">
/// <item><c>pdd</c>, <c>crossline</c>, <c>inline</c>: keys <c>field_mm</c> ("X x Y"), <c>ssd_mm</c>, <c>depth_mm</c>
/// (profiles), optional <c>detector</c>; rows "position_mm,value" (depth for a PDD);</item>
/// <item><c>output-factors</c>: keys <c>ssd_mm</c>, <c>depth_mm</c>; rows "field_x_mm,field_y_mm,output_factor";</item>
/// <item><c>mlc</c>: rows "quantity,value" with <c>transmission_percent</c> and <c>dlg_mm</c>.</item>
/// </list>
/// Errors name the file and line.
/// </summary>
public static class CsvTankReader
{
    /// <summary>Reads one CSV file into a data set holding what it describes.</summary>
    public static BeamDataSet Read(string path)
    {
        string[] lines = TankText.ReadLines(path);
        var keys = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        int i = 0;
        for (; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (!t.StartsWith('#'))
            {
                break;
            }

            int colon = t.IndexOf(':', StringComparison.Ordinal);
            string key = colon > 1 ? t[1..colon].Trim() : "";
            if (key.Length > 0 && key.All(ch => char.IsAsciiLetterLower(ch) || ch == '_' || ch == '-'))
            {
                keys[key] = (t[(colon + 1)..].Trim(), i + 1);
            }
        }

        if (!keys.TryGetValue("type", out var type))
        {
            throw new TankDataException(path, 1, "'# type:' header missing (pdd, crossline, inline, output-factors, mlc)");
        }

        if (i >= lines.Length)
        {
            throw new TankDataException(path, lines.Length, "no column-name row and no data");
        }

        int header = i + 1;
        return type.Value switch
        {
            "pdd" => Curve(path, keys, Rows(path, lines, i + 1), CurveKind.DepthDose, header),
            "crossline" => Curve(path, keys, Rows(path, lines, i + 1), CurveKind.CrosslineProfile, header),
            "inline" => Curve(path, keys, Rows(path, lines, i + 1), CurveKind.InlineProfile, header),
            "output-factors" => Factors(path, keys, Rows(path, lines, i + 1), header),
            "mlc" => Mlc(path, lines, i + 1),
            _ => throw new TankDataException(path, type.Line, $"type '{type.Value}' is not one of pdd, crossline, inline, output-factors, mlc"),
        };
    }

    private static List<(double[] Cols, int Line)> Rows(string path, string[] lines, int from)
    {
        var rows = new List<(double[], int)>();
        for (int i = from; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            string[] c = t.Split(',');
            rows.Add(([.. c.Select((s, k) => TankText.Number(path, i + 1, s, $"column {k + 1}"))], i + 1));
        }

        return rows;
    }

    private static (string Value, int Line) Key(string path, Dictionary<string, (string Value, int Line)> keys, string key) =>
        keys.TryGetValue(key, out var e) ? e : throw new TankDataException(path, 1, $"'# {key}:' header missing");

    private static BeamDataSet Curve(string path, Dictionary<string, (string Value, int Line)> keys, List<(double[] Cols, int Line)> rows, CurveKind kind, int header)
    {
        var field = Key(path, keys, "field_mm");
        string[] f = field.Value.Split('x', StringSplitOptions.TrimEntries);
        if (f.Length != 2)
        {
            throw new TankDataException(path, field.Line, $"field_mm '{field.Value}' must read 'X x Y' (mm)");
        }

        var ssd = Key(path, keys, "ssd_mm");
        double? depth = null;
        if (kind != CurveKind.DepthDose)
        {
            var d = Key(path, keys, "depth_mm");
            depth = TankText.Number(path, d.Line, d.Value, "depth_mm");
        }

        foreach ((double[] cols, int line) in rows)
        {
            if (cols.Length != 2)
            {
                throw new TankDataException(path, line, $"a {kind} row needs two numbers: position_mm,value");
            }
        }

        MeasuredCurve c = TankText.Checked(new MeasuredCurve
        {
            Kind = kind,
            FieldXMm = TankText.Number(path, field.Line, f[0], "field_mm X"),
            FieldYMm = TankText.Number(path, field.Line, f[1], "field_mm Y"),
            SsdMm = TankText.Number(path, ssd.Line, ssd.Value, "ssd_mm"),
            DepthMm = depth,
            PositionMm = [.. rows.Select(r => r.Cols[0])],
            Value = [.. rows.Select(r => r.Cols[1])],
            Detector = keys.TryGetValue("detector", out var det) ? det.Value : "",
            File = path,
            Line = header,
        });
        return new BeamDataSet { Curves = [c] };
    }

    private static BeamDataSet Factors(string path, Dictionary<string, (string Value, int Line)> keys, List<(double[] Cols, int Line)> rows, int header)
    {
        var ssd = Key(path, keys, "ssd_mm");
        var depth = Key(path, keys, "depth_mm");
        var list = new List<OutputFactor>();
        foreach ((double[] c, int line) in rows)
        {
            if (c.Length != 3)
            {
                throw new TankDataException(path, line, "an output-factor row needs three numbers: field_x_mm,field_y_mm,output_factor");
            }

            if (!(c[0] >= 1 && c[0] <= 400 && c[1] >= 1 && c[1] <= 400 && c[2] > 0 && c[2] < 2))
            {
                throw new TankDataException(path, line, TankText.Inv($"field {c[0]} x {c[1]} mm with factor {c[2]} is out of range (1–400 mm, 0–2)"));
            }

            list.Add(new OutputFactor(c[0], c[1], c[2], line));
        }

        if (!list.Any(o => o.FieldXMm == 100 && o.FieldYMm == 100 && Math.Abs(o.Factor - 1) < 1e-6))
        {
            throw new TankDataException(path, header, "output factors are relative to 10 x 10 cm²: the table needs the row 100,100,1");
        }

        return new BeamDataSet
        {
            OutputFactors =
            [
                new OutputFactorTable
                {
                    SsdMm = TankText.Number(path, ssd.Line, ssd.Value, "ssd_mm"),
                    DepthMm = TankText.Number(path, depth.Line, depth.Value, "depth_mm"),
                    Factors = list,
                    File = path,
                },
            ],
        };
    }

    private static BeamDataSet Mlc(string path, string[] lines, int from)
    {
        double? transmission = null, dlg = null;
        for (int i = from; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            string[] c = t.Split(',', StringSplitOptions.TrimEntries);
            if (c.Length != 2)
            {
                throw new TankDataException(path, i + 1, "an mlc row reads quantity,value");
            }

            double v = TankText.Number(path, i + 1, c[1], c[0]);
            switch (c[0])
            {
                case "transmission_percent" when v > 0 && v < 10:
                    transmission = v / 100;
                    break;
                case "dlg_mm" when v >= 0 && v < 5:
                    dlg = v;
                    break;
                case "transmission_percent" or "dlg_mm":
                    throw new TankDataException(path, i + 1, TankText.Inv($"{c[0]} {v} is out of range (transmission 0–10 %, DLG 0–5 mm)"));
                default:
                    throw new TankDataException(path, i + 1, $"quantity '{c[0]}' is not transmission_percent or dlg_mm");
            }
        }

        if (transmission is null || dlg is null)
        {
            throw new TankDataException(path, 0, "an mlc file needs both transmission_percent and dlg_mm");
        }

        return new BeamDataSet { Mlc = new MlcMeasurement { TransmissionFraction = transmission.Value, DlgMm = dlg.Value, File = path } };
    }
}
