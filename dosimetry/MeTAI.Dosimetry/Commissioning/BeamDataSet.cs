namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// Everything measured for one beam: scans (depth doses, profiles), output-factor tables and MLC values, read from a
/// folder of tank-data files (<see cref="Load"/>).
/// </summary>
public sealed record BeamDataSet
{
    /// <summary>Depth doses and profiles.</summary>
    public IReadOnlyList<MeasuredCurve> Curves { get; init; } = [];

    /// <summary>Output-factor tables.</summary>
    public IReadOnlyList<OutputFactorTable> OutputFactors { get; init; } = [];

    /// <summary>MLC transmission and DLG, when measured.</summary>
    public MlcMeasurement? Mlc { get; init; }

    /// <summary>The files read.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>
    /// Reads every file of <paramref name="directory"/> (not its subfolders), by extension: <c>.mcc</c> (PTW),
    /// <c>.asc</c> (W2CAD), <c>.csv</c> (the project's CSV). <c>.md</c> and <c>.txt</c> files are documentation and
    /// skipped; any other file is refused, as are two MLC files, two scans of the same kind, field, SSD and depth, and
    /// a folder with no depth dose.
    /// </summary>
    public static BeamDataSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new TankDataException(directory, 0, "beam-data folder not found");
        }

        var set = new BeamDataSet();
        foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            string ext = Path.GetExtension(file).ToLowerInvariant();
            BeamDataSet part = ext switch
            {
                ".mcc" => new BeamDataSet { Curves = MccReader.Read(file) },
                ".asc" => new BeamDataSet { Curves = W2CadReader.Read(file) },
                ".csv" => CsvTankReader.Read(file),
                ".md" or ".txt" => new BeamDataSet(),
                _ => throw new TankDataException(file, 0, $"'{ext}' is not a tank-data file (.mcc PTW, .asc W2CAD, .csv; .md/.txt are skipped)"),
            };
            set = set.Merge(part with { Files = ext is ".md" or ".txt" ? [] : [file] });
        }

        if (!set.Curves.Any(c => c.Kind == CurveKind.DepthDose))
        {
            throw new TankDataException(directory, 0, "the folder holds no depth-dose curve; commissioning needs at least one PDD");
        }

        return set;
    }

    /// <summary>This set plus <paramref name="other"/>; refuses duplicate scans and a second MLC file.</summary>
    public BeamDataSet Merge(BeamDataSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (MeasuredCurve c in other.Curves)
        {
            MeasuredCurve? same = Curves.Concat(other.Curves.TakeWhile(x => !ReferenceEquals(x, c))).FirstOrDefault(x => x.Label == c.Label);
            if (same is not null)
            {
                throw new TankDataException(c.File, c.Line, $"a second {c.Label} scan (the first is {same.File}:{same.Line})");
            }
        }

        if (Mlc is not null && other.Mlc is not null)
        {
            throw new TankDataException(other.Mlc.File, 0, $"a second MLC file (the first is {Mlc.File})");
        }

        return new BeamDataSet
        {
            Curves = [.. Curves, .. other.Curves],
            OutputFactors = [.. OutputFactors, .. other.OutputFactors],
            Mlc = Mlc ?? other.Mlc,
            Files = [.. Files, .. other.Files],
        };
    }
}
