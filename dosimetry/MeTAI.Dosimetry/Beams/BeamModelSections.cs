using System.Text.Json;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Beams;

/// <summary>Reads and validates the virtual-source, collimator and reference sections of a beam file (docs/beam-model.md).</summary>
internal static class BeamModelSections
{
    public static VirtualSourceModel VirtualSource(string path, JsonElement root, double nominalMV, double topPlaneMm)
    {
        if (BeamFiles.OptionalObject(path, root, "virtualSource", "virtualSource") is not JsonElement vs)
        {
            return VirtualSourceModel.Point;
        }

        const string p = "virtualSource.primary";
        JsonElement pr = BeamFiles.OptionalObject(path, vs, "primary", p) ?? throw new MaterialDataException(path, p, "missing (the focal source)");
        double[] radii = pr.TryGetProperty("offAxisRadiiMm", out _) ? BeamFiles.ArrayAt(path, pr, p, "offAxisRadiiMm") : [0];
        double[] rel = pr.TryGetProperty("offAxisRelativeFluence", out _) ? BeamFiles.ArrayAt(path, pr, p, "offAxisRelativeFluence") : [1];
        CheckOffAxisTable(path, p, radii, rel);
        var primary = new PrimarySource
        {
            SpotFwhmXMm = BeamFiles.Ranged(path, pr, p, "spotFwhmXMm", 0, 5, "mm"),
            SpotFwhmYMm = BeamFiles.Ranged(path, pr, p, "spotFwhmYMm", 0, 5, "mm"),
            OffAxisSofteningPerCm = BeamFiles.RangedOr(path, pr, p, "offAxisSofteningPerCm", 0, 0.05, "per cm", 0),
            OffAxisRadiiMm = radii,
            OffAxisRelativeFluence = rel,
        };
        var model = new VirtualSourceModel { Primary = primary };
        if (BeamFiles.OptionalObject(path, vs, "extraFocal", "virtualSource.extraFocal") is JsonElement ef)
        {
            const string q = "virtualSource.extraFocal";
            model = model with
            {
                ExtraFocal = new ExtraFocalSource
                {
                    Weight = BeamFiles.Ranged(path, ef, q, "weight", 0, 0.3, "(fraction of the primary fluence)"),
                    DistanceFromTargetMm = BeamFiles.Ranged(path, ef, q, "distanceFromTargetMm", 10, topPlaneMm - 20, "mm (above the topmost collimator)"),
                    FwhmMm = BeamFiles.Ranged(path, ef, q, "fwhmMm", 0, 100, "mm"),
                    EnergyScale = BeamFiles.Ranged(path, ef, q, "energyScale", 0.2, 1, "(fraction of the primary energies)"),
                },
            };
        }

        if (BeamFiles.OptionalObject(path, vs, "electronContamination", "virtualSource.electronContamination") is JsonElement ec)
        {
            const string q = "virtualSource.electronContamination";
            double mean = BeamFiles.Ranged(path, ec, q, "meanEnergyMeV", 0.1, nominalMV, "MeV");
            model = model with
            {
                Electrons = new ElectronContaminationSource
                {
                    Weight = BeamFiles.Ranged(path, ec, q, "weight", 0, 0.1, "(fraction of the primary fluence)"),
                    DistanceFromTargetMm = BeamFiles.Ranged(path, ec, q, "distanceFromTargetMm", 10, topPlaneMm - 20, "mm (above the topmost collimator)"),
                    FwhmMm = BeamFiles.Ranged(path, ec, q, "fwhmMm", 0, 300, "mm"),
                    MeanEnergyMeV = mean,
                    MaxEnergyMeV = BeamFiles.Ranged(path, ec, q, "maxEnergyMeV", mean, 1.1 * nominalMV, "MeV (from the mean energy to the nominal energy + 10 %)"),
                    FieldSizeExponent = BeamFiles.RangedOr(path, ec, q, "fieldSizeExponent", -3, 3, "", 0),
                },
            };
        }

        return model;
    }

    public static CollimatorGeometry? Collimator(string path, JsonElement root, double sadMm)
    {
        if (BeamFiles.OptionalObject(path, root, "collimator", "collimator") is not JsonElement c)
        {
            return null;
        }

        const string j = "collimator.jaws";
        JsonElement jaws = BeamFiles.OptionalObject(path, c, "jaws", j) ?? throw new MaterialDataException(path, j, "missing");
        double maxPlane = sadMm - 200;
        var jawGeometry = new JawGeometry
        {
            YPlaneDistanceMm = BeamFiles.Ranged(path, jaws, j, "yPlaneDistanceMm", 100, maxPlane, "mm below the target"),
            XPlaneDistanceMm = BeamFiles.Ranged(path, jaws, j, "xPlaneDistanceMm", 100, maxPlane, "mm below the target"),
            Transmission = BeamFiles.Ranged(path, jaws, j, "transmission", 0, 0.05, ""),
            TransmissionBandMm = BeamFiles.RangedOr(path, jaws, j, "transmissionBandMm", 0, 100, "mm", 30),
        };
        MlcGeometry? mlc = BeamFiles.OptionalObject(path, c, "mlc", "collimator.mlc") is JsonElement m ? Mlc(path, m, maxPlane) : null;
        return new CollimatorGeometry { Jaws = jawGeometry, Mlc = mlc };
    }

    public static ReferenceCondition Reference(string path, JsonElement calibration)
    {
        const string r = "calibration.reference";
        if (BeamFiles.OptionalObject(path, calibration, "reference", r) is not JsonElement e)
        {
            return ReferenceCondition.Default;
        }

        string setup = e.TryGetProperty("setup", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
        if (setup is not ("SSD" or "SAD"))
        {
            throw new MaterialDataException(path, r + ".setup", $"'{setup}' is not SSD or SAD");
        }

        double? depth = null;
        if (e.TryGetProperty("depthMm", out JsonElement d) && d.ValueKind != JsonValueKind.Null)
        {
            depth = BeamFiles.Ranged(path, e, r, "depthMm", 5, 300, "mm (null for dmax)");
        }

        return new ReferenceCondition
        {
            IsSad = setup == "SAD",
            DepthMm = depth,
            FieldSizeMm = BeamFiles.RangedOr(path, e, r, "fieldSizeMm", 10, 400, "mm", 100),
            CGyPerMu = BeamFiles.RangedOr(path, e, r, "cGyPerMu", 0.1, 10, "cGy/MU", 1),
        };
    }

    private static MlcGeometry Mlc(string path, JsonElement m, double maxPlane)
    {
        const string p = "collimator.mlc";
        double[] boundaries = Boundaries(path, m);
        double t = BeamFiles.Ranged(path, m, p, "transmission", 0.001, 0.1, "");
        return new MlcGeometry
        {
            LeafBoundariesMm = boundaries,
            PlaneDistanceMm = BeamFiles.Ranged(path, m, p, "planeDistanceMm", 100, maxPlane, "mm below the target"),
            LeafHeightMm = BeamFiles.Ranged(path, m, p, "leafHeightMm", 10, 150, "mm"),
            Transmission = t,
            InterleafTransmission = BeamFiles.Ranged(path, m, p, "interleafTransmission", t, 0.2, "(from the leaf transmission to 0.2)"),
            TongueAndGrooveWidthMm = BeamFiles.Ranged(path, m, p, "tongueAndGrooveWidthMm", 0, 5, "mm"),
            LeafEndRadiusMm = BeamFiles.Ranged(path, m, p, "leafEndRadiusMm", 10, 2000, "mm"),
        };
    }

    // Either a named layout ("millennium120", or "uniform" with leafWidthMm and leafPairs) or explicit leafBoundariesMm.
    private static double[] Boundaries(string path, JsonElement m)
    {
        const string p = "collimator.mlc";
        string? layout = m.TryGetProperty("layout", out JsonElement l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        bool hasList = m.TryGetProperty("leafBoundariesMm", out _);
        if ((layout is null) == !hasList)
        {
            throw new MaterialDataException(path, p + ".layout", "give either a layout (millennium120, uniform) or leafBoundariesMm, not both or neither");
        }

        double[] b = layout switch
        {
            null => BeamFiles.ArrayAt(path, m, p, "leafBoundariesMm"),
            "millennium120" => MlcGeometry.Millennium120Boundaries(),
            "uniform" => MlcGeometry.UniformBoundaries(BeamFiles.Ranged(path, m, p, "leafWidthMm", 1, 20, "mm"), (int)BeamFiles.Ranged(path, m, p, "leafPairs", 1, 120, "pairs")),
            _ => throw new MaterialDataException(path, p + ".layout", $"'{layout}' is not a known layout (millennium120, uniform)"),
        };
        if (b.Length < 2)
        {
            throw new MaterialDataException(path, p + ".leafBoundariesMm", "needs at least two boundaries (one leaf pair)");
        }

        for (int i = 1; i < b.Length; i++)
        {
            if (!(b[i] > b[i - 1]))
            {
                throw new MaterialDataException(path, $"{p}.leafBoundariesMm[{i}]", "boundaries must increase");
            }
        }

        return b;
    }

    private static void CheckOffAxisTable(string path, string p, double[] radii, double[] rel)
    {
        if (radii.Length != rel.Length || radii.Length == 0)
        {
            throw new MaterialDataException(path, p + ".offAxisRelativeFluence", $"has {rel.Length} values but offAxisRadiiMm has {radii.Length}");
        }

        if (radii[0] != 0 || rel[0] != 1)
        {
            throw new MaterialDataException(path, p + ".offAxisRadiiMm", "must start at radius 0 with relative fluence 1");
        }

        for (int i = 1; i < radii.Length; i++)
        {
            if (!(radii[i] > radii[i - 1]) || radii[i] > 400)
            {
                throw new MaterialDataException(path, $"{p}.offAxisRadiiMm[{i}]", "radii must increase and stay within 400 mm");
            }

            if (!(rel[i] >= 0.5 && rel[i] <= 1.5))
            {
                throw new MaterialDataException(path, $"{p}.offAxisRelativeFluence[{i}]", "outside 0.5–1.5");
            }
        }
    }
}
