using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Cli.Commands;

/// <summary>
/// The phantom mode of <c>metai dose</c>: one open field on a built-in phantom at a given SSD, gantry 0 (beam from
/// anterior), written as a consistent DICOM RT set (ct/, rtstruct.dcm, rtplan.dcm, rtdose.dcm) plus the central-axis
/// depth dose, the lateral profile at 10 cm depth, a dose picture and a JSON summary.
/// </summary>
internal static class DosePhantomRun
{
    /// <summary>What the command line asked for.</summary>
    public sealed record Options(string Phantom, double FieldXCm, double FieldYCm, double SsdCm, string Beam, long Histories,
        double VoxelMm, DeviceKind Device, ulong Seed, double MonitorUnits, bool DoseToWater, string OutDir);

    /// <summary>Runs the calculation and writes the outputs; returns the result.</summary>
    public static DoseResult Run(Options o, TextWriter stdout, IProgress<double>? progress = null)
    {
        if (o.Phantom is not ("water" or "slab-lung" or "slab-bone"))
        {
            throw new ArgumentException($"--phantom '{o.Phantom}' is not a dose phantom; use water, slab-lung or slab-bone.");
        }

        Phantom phantom = PhantomLibrary.Build(o.Phantom, o.VoxelMm);
        VoxelPhantom voxels = VoxelPhantom.FromCt(phantom.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile(BeamFileName(o.Beam)));

        // Gantry 0: the beam enters through the anterior surface (−y) on the phantom's central axis.
        Vec3 axis = new(0, 1, 0);
        Vec3 surface = EntrancePoint(phantom.CtHu, axis);
        Vec3 isocenter = BeamGeometry.IsocenterForSsd(surface, axis, model.SadMm, o.SsdCm * 10);
        BeamSetup beam = model.CreateBeam(Aperture.Field(o.FieldXCm * 10, o.FieldYCm * 10), isocenter, monitorUnits: o.MonitorUnits);
        var request = new DoseRequest
        {
            Phantom = voxels,
            Beam = beam,
            Histories = o.Histories,
            Seed = o.Seed,
            DoseToWater = o.DoseToWater,
        };
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dose: {o.Phantom} ({phantom.CtHu.Geometry.SizeX}×{phantom.CtHu.Geometry.SizeY}×{phantom.CtHu.Geometry.SizeZ} voxels of {o.VoxelMm} mm), {model.Name} {o.FieldXCm}×{o.FieldYCm} cm² at SSD {o.SsdCm} cm, {o.Histories:N0} histories, {o.MonitorUnits} MU"));
        DoseResult result = DoseCalculation.Run(request, progress, o.Device);
        Write(o, phantom, beam, model, result);
        return result;
    }

    private static string BeamFileName(string beam) => beam.Trim().ToUpperInvariant() switch
    {
        "6MV" or "6MV-MOHAN" => "6MV-mohan",
        _ => throw new ArgumentException($"--beam '{beam}': the available beam model is 6MV (configs/beams/6MV-mohan.json)."),
    };

    /// <summary>The first point along <paramref name="axisLps"/> through the grid centre whose HU is above −500.</summary>
    private static Vec3 EntrancePoint(VoxelGrid<short> ct, Vec3 axisLps)
    {
        GridGeometry g = ct.Geometry;
        Vec3 center = g.IndexToLps((g.SizeX - 1) / 2.0, (g.SizeY - 1) / 2.0, (g.SizeZ - 1) / 2.0);
        double half = g.ExtentMm.Length;
        for (double t = -half; t <= half; t += 0.25)
        {
            Vec3 p = center + axisLps * t;
            if (g.TryNearestVoxel(p, out int i, out int j, out int k) && ct[i, j, k] > -500)
            {
                // Step back to the voxel's entrance face.
                return center + axisLps * (t - 0.125);
            }
        }

        throw new InvalidOperationException("The beam axis does not cross the phantom.");
    }

    private static void Write(Options o, Phantom phantom, BeamSetup beam, BeamModel model, DoseResult result)
    {
        string dir = Path.GetFullPath(o.OutDir);
        Directory.CreateDirectory(dir);
        RtPlan plan = OneFieldPlan(o, beam, model);
        var dose = new RtDose { Dose = result.Dose, Comment = $"MeTAI Monte Carlo, {result.Histories} histories, {(result.IsDoseToWater ? "dose to water" : "dose to medium")}" };
        RtPhantom.Write(phantom, dir, plan, dose);

        if (result.CentralAxis is { } pdd)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, "pdd.csv"), pdd.ToCsv());
        }

        if (result.LateralProfile is { } profile)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, "profile.csv"), profile.ToCsv());
        }

        DosePlot.CentralPlane(Path.Combine(dir, "dose.png"), phantom.CtHu, result.Dose, beam.Geometry,
            $"{o.Phantom}: {model.Name} {o.FieldXCm}×{o.FieldYCm} cm², SSD {o.SsdCm} cm");
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), CliJson.Serialize(Summary(o, result)));
    }

    /// <summary>The JSON summary (field names are a contract: histories, seconds, historiesPerSecond, …).</summary>
    public static object Summary(Options o, DoseResult r) => new
    {
        phantom = o.Phantom,
        fieldCm = new[] { o.FieldXCm, o.FieldYCm },
        ssdCm = o.SsdCm,
        beam = o.Beam,
        monitorUnits = o.MonitorUnits,
        doseUnit = r.DoseUnit,
        doseToWater = r.IsDoseToWater,
        histories = r.Histories,
        seconds = r.Seconds,
        historiesPerSecond = r.HistoriesPerSecond,
        meanRelUncertaintyAbove50 = r.MeanRelUncertaintyAbove50,
        efficiency = r.Efficiency,
        device = r.DeviceName,
        maxDose = r.MaxDose,
        dmaxMm = r.DmaxMm,
        pdd = r.CentralAxis is { } c ? PddPoints(c) : [],
    };

    private static object[] PddPoints(MeTAI.Dosimetry.Analysis.DepthDoseCurve c)
    {
        var points = new object[c.DepthMm.Length];
        for (int n = 0; n < points.Length; n++)
        {
            points[n] = new { depthMm = c.DepthMm[n], percent = 100 * c.Dose[n] / c.MaxDose };
        }

        return points;
    }

    private static RtPlan OneFieldPlan(Options o, BeamSetup beam, BeamModel model)
    {
        double x = o.FieldXCm * 5, y = o.FieldYCm * 5;
        var jaws = new[]
        {
            new RtDevicePosition { Type = "ASYMX", PositionsMm = [-x, x] },
            new RtDevicePosition { Type = "ASYMY", PositionsMm = [-y, y] },
        };
        RtControlPoint cp0 = new()
        {
            Index = 0,
            CumulativeMetersetWeight = 0,
            NominalBeamEnergyMV = 6,
            GantryDeg = 0,
            GantryRotationDirection = "NONE",
            CollimatorDeg = 0,
            CollimatorRotationDirection = "NONE",
            CouchDeg = 0,
            CouchRotationDirection = "NONE",
            IsocenterLps = beam.Geometry.IsocenterLps,
            SourceToSurfaceDistanceMm = o.SsdCm * 10,
            DevicePositions = jaws,
        };
        RtControlPoint cp1 = new() { Index = 1, CumulativeMetersetWeight = 1 };
        return new RtPlan
        {
            Label = "OPEN FIELD",
            Name = $"{o.FieldXCm}x{o.FieldYCm} SSD{o.SsdCm}",
            Intent = "VERIFICATION",
            Beams =
            [
                new RtBeam
                {
                    Number = 1,
                    Name = "AP",
                    TreatmentMachineName = model.Name,
                    SourceAxisDistanceMm = model.SadMm,
                    BeamLimitingDevices = [new RtBeamLimitingDevice { Type = "ASYMX" }, new RtBeamLimitingDevice { Type = "ASYMY" }],
                    ControlPoints = [cp0, cp1],
                    ReferencedPatientSetupNumber = 1,
                },
            ],
            FractionGroups = [new RtFractionGroup { FractionsPlanned = 1, ReferencedBeams = [new RtReferencedBeam { BeamNumber = 1, MetersetMu = o.MonitorUnits }] }],
            PatientSetups = [new RtPatientSetup()],
        };
    }
}
