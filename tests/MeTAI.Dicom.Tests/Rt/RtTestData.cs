using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;

namespace MeTAI.Dicom.Tests.Rt;

/// <summary>A small synthetic patient: an elliptic water cylinder with a lung-like slab, a spherical target and a ring-shaped organ (a mask with a hole).</summary>
internal static class RtTestData
{
    public static readonly DateTime Created = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Local);

    public static GridGeometry Grid(double voxelMm = 4) => GridGeometry.Centered(new Vec3(160, 120, 60), voxelMm, new Vec3(10, -20, 35));

    public static CtSeries Ct(double voxelMm = 4)
    {
        GridGeometry g = Grid(voxelMm);
        var hu = new VoxelGrid<short>(g);
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    Vec3 p = g.IndexToLps(i, j, k) - new Vec3(10, -20, 35);
                    bool body = p.X * p.X / (70.0 * 70) + p.Y * p.Y / (50.0 * 50) <= 1;
                    hu[i, j, k] = !body ? (short)-1000 : p.X > 30 ? (short)-750 : (short)(i % 7 == 0 ? 40 : 0);
                }
            }
        }

        return CtSeries.Create(hu, RtPatientStudy.Create("Test^Patient", "T-001", Created) with { PatientBirthDate = "19700101", PatientSex = "F" }, "test CT");
    }

    public static IReadOnlyList<RtRoiMask> Masks(GridGeometry g)
    {
        Vec3 c = new(10, -20, 35);
        var body = new VoxelMask("BODY", g);
        var ptv = new VoxelMask("PTV", g);
        var ring = new VoxelMask("Ring OAR", g);
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    Vec3 p = g.IndexToLps(i, j, k) - c;
                    body[i, j, k] = p.X * p.X / (70.0 * 70) + p.Y * p.Y / (50.0 * 50) <= 1;
                    ptv[i, j, k] = (p - new Vec3(-10, 5, 0)).Length <= 18;
                    double r = Math.Sqrt((p.X - 35) * (p.X - 35) + p.Y * p.Y);
                    ring[i, j, k] = r is >= 6 and <= 16 && Math.Abs(p.Z) <= 14;
                }
            }
        }

        return
        [
            new RtRoiMask(body, "EXTERNAL", new RgbColor(0, 255, 0)),
            new RtRoiMask(ptv, "PTV", new RgbColor(255, 0, 0)),
            new RtRoiMask(ring, "ORGAN", new RgbColor(0, 128, 255)),
        ];
    }

    /// <summary>A two-beam plan: a static open 6 MV field at 0° and a 10 MV field with an MLC at 90°/collimator 15°/couch 350°.</summary>
    public static RtPlan Plan()
    {
        Vec3 iso = new(0, -15, 35);
        double[] boundaries = [.. Enumerable.Range(0, 11).Select(n => -50.0 + 10 * n)];
        double[] leaves = [.. Enumerable.Repeat(-30.0, 10), .. Enumerable.Repeat(30.0, 10)];
        RtBeam Open(int number, string name, double energy, double gantry, double collimator, double couch, bool mlc) => new()
        {
            Number = number,
            Name = name,
            TreatmentMachineName = "METAI_LINAC",
            SourceAxisDistanceMm = 1000,
            BeamLimitingDevices = mlc
                ? [new RtBeamLimitingDevice { Type = "ASYMX" }, new RtBeamLimitingDevice { Type = "ASYMY" }, new RtBeamLimitingDevice { Type = "MLCX", NumberOfPairs = 10, LeafBoundariesMm = boundaries }]
                : [new RtBeamLimitingDevice { Type = "X" }, new RtBeamLimitingDevice { Type = "Y" }],
            ReferencedPatientSetupNumber = 1,
            ControlPoints =
            [
                new RtControlPoint
                {
                    Index = 0,
                    CumulativeMetersetWeight = 0,
                    NominalBeamEnergyMV = energy,
                    DoseRateMuPerMin = 600,
                    GantryDeg = gantry,
                    GantryRotationDirection = "NONE",
                    CollimatorDeg = collimator,
                    CollimatorRotationDirection = "NONE",
                    CouchDeg = couch,
                    CouchRotationDirection = "NONE",
                    IsocenterLps = iso,
                    SourceToSurfaceDistanceMm = 925.5,
                    DevicePositions = mlc
                        ? [new RtDevicePosition { Type = "ASYMX", PositionsMm = [-40, 40] }, new RtDevicePosition { Type = "ASYMY", PositionsMm = [-45, 45] }, new RtDevicePosition { Type = "MLCX", PositionsMm = leaves }]
                        : [new RtDevicePosition { Type = "X", PositionsMm = [-50, 50] }, new RtDevicePosition { Type = "Y", PositionsMm = [-50, 50] }],
                },
                new RtControlPoint { Index = 1, CumulativeMetersetWeight = 1 },
            ],
        };

        return new RtPlan
        {
            Label = "TEST PLAN",
            Name = "Two fields",
            Intent = "CURATIVE",
            DoseReferences = [new RtDoseReference { Number = 1, StructureType = "SITE", Description = "PTV", Type = "TARGET", TargetPrescriptionDoseGy = 60, DeliveryMaximumDoseGy = 66 }],
            FractionGroups = [new RtFractionGroup { Number = 1, FractionsPlanned = 30, ReferencedBeams = [new RtReferencedBeam { BeamNumber = 1, MetersetMu = 101.25, DoseGy = 1.1 }, new RtReferencedBeam { BeamNumber = 2, MetersetMu = 98.5, DoseGy = 0.9 }] }],
            Beams = [Open(1, "AP", 6, 0, 0, 0, mlc: false), Open(2, "LAT", 10, 90, 15, 350, mlc: true)],
            PatientSetups = [new RtPatientSetup { Number = 1, PatientPosition = "HFS" }],
            ReferencedStructureSetUid = DicomUid.Generate(),
        };
    }

    /// <summary>A dose on the CT grid: 2 Gy everywhere plus a smooth bump, so values vary.</summary>
    public static RtDose Dose(GridGeometry g, float uniformGy = 2f, bool bump = true)
    {
        var dose = new VoxelGrid<float>(g);
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    double r2 = (g.IndexToLps(i, j, k) - new Vec3(0, -15, 35)).LengthSquared;
                    dose[i, j, k] = uniformGy + (bump ? (float)(60 * Math.Exp(-r2 / 800)) : 0f);
                }
            }
        }

        return new RtDose { Dose = dose, ReferencedPlanUid = DicomUid.Generate() };
    }

    public static string TempDir(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-rt-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
