using MeTAI.Dosimetry.Commissioning;
using MeTAI.TestUtilities;

namespace MeTAI.Dosimetry.Tests.Commissioning;

/// <summary>
/// The tank-data readers on files written from the published format descriptions (TankData/: PTW mcc, W2CAD, the
/// project's CSV; docs/commissioning.md says what each follows), and on malformed copies of them: every error names
/// the file and the line.
/// </summary>
public class TankDataReaderTests
{
    internal static string Data(string name) => Path.Combine(RepositoryPaths.Root(), "tests", "MeTAI.Dosimetry.Tests", "Commissioning", "TankData", name);

    [Fact]
    public void Mcc_PddAndNegativeDirectionProfile_ReadWithTheirConditions()
    {
        IReadOnlyList<MeasuredCurve> scans = MccReader.Read(Data("synthetic-6mv.mcc"));
        Assert.Equal(2, scans.Count);
        MeasuredCurve pdd = scans[0];
        Assert.Equal(CurveKind.DepthDose, pdd.Kind);
        Assert.Equal((100.0, 100.0, 1000.0), (pdd.FieldXMm, pdd.FieldYMm, pdd.SsdMm));
        Assert.Null(pdd.DepthMm);
        Assert.Equal(61, pdd.PositionMm.Length);
        Assert.Equal(0, pdd.PositionMm[0]);
        Assert.Equal(300, pdd.PositionMm[^1]);
        Assert.Equal("31010_SEMIFLEX_0.125CC", pdd.Detector);
        Assert.Equal(5, pdd.Line);
        MeasuredCurve prof = scans[1];
        Assert.Equal(CurveKind.CrosslineProfile, prof.Kind);
        Assert.Equal(100, prof.DepthMm);
        Assert.Equal(-80, prof.PositionMm[0]); // scanned from +80 to −80, returned ascending
        Assert.True(prof.Value[^1] < 1 && prof.Value[20] > 99);
        Assert.Equal("crossline-10x10-ssd100-d100mm", prof.Label);
    }

    [Fact]
    public void W2Cad_DepthDoseAndInlineProfile_ReadFromPoints()
    {
        IReadOnlyList<MeasuredCurve> scans = W2CadReader.Read(Data("synthetic-6mv.asc"));
        Assert.Equal(2, scans.Count);
        Assert.Equal(CurveKind.DepthDose, scans[0].Kind);
        Assert.Equal(900, scans[0].SsdMm);
        Assert.Equal(61, scans[0].PositionMm.Length);
        Assert.Equal(CurveKind.InlineProfile, scans[1].Kind);
        Assert.Equal(50, scans[1].DepthMm);
        Assert.Equal(41, scans[1].PositionMm.Length);
        Assert.Equal("CHA", scans[1].Detector);
    }

    [Fact]
    public void Csv_ProfileOutputFactorsAndMlc_Read()
    {
        BeamDataSet prof = CsvTankReader.Read(Data("synthetic-crossline-d200.csv"));
        Assert.Equal(CurveKind.CrosslineProfile, Assert.Single(prof.Curves).Kind);
        Assert.Equal(200, prof.Curves[0].DepthMm);
        OutputFactorTable of = Assert.Single(CsvTankReader.Read(Data("synthetic-output-factors.csv")).OutputFactors);
        Assert.Equal(5, of.Factors.Count);
        Assert.Equal((100.0, 1000.0), (of.DepthMm, of.SsdMm));
        Assert.Equal(0.80, of.Factors[0].Factor);
        MlcMeasurement mlc = CsvTankReader.Read(Data("synthetic-mlc.csv")).Mlc!;
        Assert.Equal(0.015, mlc.TransmissionFraction, 12);
        Assert.Equal(1.6, mlc.DlgMm);
    }

    [Fact]
    public void Load_FolderOfAllFormats_MergesEverything()
    {
        BeamDataSet set = BeamDataSet.Load(Path.GetDirectoryName(Data("x"))!);
        Assert.Equal(5, set.Curves.Count);
        Assert.Single(set.OutputFactors);
        Assert.NotNull(set.Mlc);
        Assert.Equal(5, set.Files.Count);
    }

    // (file, text replaced, replacement, expected line, expected words)
    public static TheoryData<string, string, string, int, string> Malformed => new()
    {
        { "synthetic-6mv.mcc", "\t\tSCAN_CURVETYPE=PDD", "\t\tSCAN_CURVETYPE=FANLINE_PROFILE", 47, "SCAN_CURVETYPE=FANLINE_PROFILE is not modelled" },
        { "synthetic-6mv.mcc", "\t\tFIELD_INPLANE=100.00\n\t\tFIELD_CROSSPLANE=100.00\n\t\tFIELD_TYPE=RECTANGULAR\n\t\tGANTRY", "\t\tFIELD_INPLANE=100.00\n\t\tFIELD_TYPE=RECTANGULAR\n\t\tGANTRY", 5, "FIELD_CROSSPLANE missing" },
        { "synthetic-6mv.mcc", "\t\tMEAS_MEDIUM=WATER\n\t\tMEAS_PRESET", "\t\tMEAS_MEDIUM=AIR\n\t\tMEAS_PRESET", 53, "only measurements in water" },
        { "synthetic-6mv.mcc", "\t\t\t10.00\t", "\t\t\t10.0O\t", 66, "'10.0O' is not a number" },
        { "synthetic-6mv.mcc", "\tEND_SCAN  1", "\tEND_SCAN  3", 126, "END_SCAN 3 closes BEGIN_SCAN 1" },
        { "synthetic-6mv.mcc", "\t\tWEDGE_ANGLE=0.00\n\t\tFIELD_INPLANE=100.00\n\t\tFIELD_CROSSPLANE=100.00\n\t\tFIELD_TYPE=RECTANGULAR\n\t\tDETECTOR", "\t\tWEDGE_ANGLE=60.00\n\t\tFIELD_INPLANE=100.00\n\t\tFIELD_CROSSPLANE=100.00\n\t\tFIELD_TYPE=RECTANGULAR\n\t\tDETECTOR", 132, "wedged fields are not modelled" },
        { "synthetic-6mv.mcc", "END_SCAN_DATA\n", "", 186, "END_SCAN_DATA missing" },
        { "synthetic-6mv.mcc", "\t\tSSD=1000.00\n\t\tSCD", "\t\tSSD=100.00\n\t\tSCD", 5, "SSD 100 mm is outside 500–1500 mm" },
        { "synthetic-6mv.asc", "$NUMS 002", "$NUMS 003", 1, "$NUMS says 3 measurements, the file has 2" },
        { "synthetic-6mv.asc", "%AXIS Y", "%AXIS D", 85, "%AXIS D with %TYPE OPP is not modelled" },
        { "synthetic-6mv.asc", "%BMTY PHO\n%FSZ 100 100\n%TYPE OPD", "%BMTY ELE\n%FSZ 100 100\n%TYPE OPD", 7, "only photon (PHO) beams" },
        { "synthetic-6mv.asc", "< +000.0 +000.0 +010.0", "< +000.0 +000.0 +010.0 +1.0 +2.0", 19, "needs four numbers" },
        { "synthetic-6mv.asc", "%PNTS 41", "%PNTS 40", 86, "%PNTS says 40 points, the measurement has 41" },
        { "synthetic-6mv.asc", "%DPTH 50\n", "", 79, "%DPTH missing" },
        { "synthetic-6mv.asc", "$ENOD\n", "", 131, "$ENOD missing" },
        { "synthetic-crossline-d200.csv", "# depth_mm: 200\n", "", 1, "'# depth_mm:' header missing" },
        { "synthetic-crossline-d200.csv", "-75,0.000", "-75,0.000,1", 9, "needs two numbers" },
        { "synthetic-crossline-d200.csv", "-70,", "-75,", 7, "position -75 mm appears twice" },
        { "synthetic-crossline-d200.csv", "# type: crossline", "# type: diagonal", 2, "type 'diagonal' is not one of" },
        { "synthetic-output-factors.csv", "100,100,1.000", "100,100,1.010", 4, "needs the row 100,100,1" },
        { "synthetic-output-factors.csv", "400,400,1.12", "400,400,-1.12", 9, "out of range" },
        { "synthetic-mlc.csv", "dlg_mm,1.6", "leakage,1.6", 4, "quantity 'leakage' is not" },
        { "synthetic-mlc.csv", "transmission_percent,1.5", "transmission_percent,15", 3, "out of range" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_MalformedFile_ErrorNamesFileAndLine(string name, string find, string replace, int line, string words)
    {
        string text = File.ReadAllText(Data(name));
        Assert.Contains(find, text, StringComparison.Ordinal);
        string dir = RepositoryPaths.TempDir("tankdata");
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        var ex = Assert.Throws<TankDataException>(() => BeamDataSet.Load(dir));
        Assert.Equal(path, ex.File);
        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"{path}:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(words, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownExtensionOrNoPdd_Refused()
    {
        string dir = RepositoryPaths.TempDir("tankdata");
        File.WriteAllText(Path.Combine(dir, "scan.xlsx"), "x");
        var ex = Assert.Throws<TankDataException>(() => BeamDataSet.Load(dir));
        Assert.Contains("'.xlsx' is not a tank-data file", ex.Message, StringComparison.Ordinal);
        File.Delete(Path.Combine(dir, "scan.xlsx"));
        File.Copy(Data("synthetic-mlc.csv"), Path.Combine(dir, "mlc.csv"));
        Assert.Contains("no depth-dose curve", Assert.Throws<TankDataException>(() => BeamDataSet.Load(dir)).Message, StringComparison.Ordinal);
        File.Copy(Data("synthetic-mlc.csv"), Path.Combine(dir, "mlc2.csv"));
        Assert.Contains("a second MLC file", Assert.Throws<TankDataException>(() => BeamDataSet.Load(dir)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameScanTwice_RefusedNamingBoth()
    {
        string dir = RepositoryPaths.TempDir("tankdata");
        File.Copy(Data("synthetic-6mv.mcc"), Path.Combine(dir, "a.mcc"));
        File.Copy(Data("synthetic-6mv.mcc"), Path.Combine(dir, "b.mcc"));
        var ex = Assert.Throws<TankDataException>(() => BeamDataSet.Load(dir));
        Assert.Contains("a second pdd-10x10-ssd100 scan (the first is " + Path.Combine(dir, "a.mcc") + ":5)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BundledGenericDataset_ReadsItsCitedPointsOnly()
    {
        BeamDataSet set = BeamDataSet.Load(RepositoryPaths.Config("beam-data", "6MV-generic"));
        MeasuredCurve pdd = Assert.Single(set.Curves);
        Assert.Equal([15.0, 50, 100, 200], pdd.PositionMm);
        Assert.Equal([100.0, 86, 67, 39.5], pdd.Value); // REFERENCE.md's typical 6 MV 10 x 10 data
        Assert.Null(set.Mlc);
        Assert.Empty(set.OutputFactors);
        Assert.Contains("source:", File.ReadAllText(pdd.File), StringComparison.Ordinal);
    }
}
