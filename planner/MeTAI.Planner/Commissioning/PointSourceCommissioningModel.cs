using System.Globalization;
using System.Text.Json.Nodes;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Commissioning;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The point-source beam model (<c>configs/beams/6MV-mohan.json</c> and files of its schema) as a commissioning model.
/// Its one free parameter is <c>spectrumEnergyScale</c>: every bin edge of the base spectrum multiplied by k (the
/// spectrum's shape kept, its mean and end-point energies scaled; bounds 0.92–1.08, so the end point stays within the
/// 10 % of the nominal energy that <see cref="BeamModel.Load"/> checks). The model has no focal spot, extra-focal or
/// contamination source, so those stages are skipped. Curves come from a water box of cubic voxels, the field at
/// gantry 0 with its surface at y = 0; central-axis values average a small square around the axis (below).
/// </summary>
public sealed class PointSourceCommissioningModel : ICommissioningModel
{
    private readonly BeamModel _base;
    private readonly MonteCarloEngine _engine;
    private readonly double _voxelMm;

    /// <summary>Opens the base model and a Monte Carlo engine on <paramref name="device"/>; <paramref name="voxelMm"/> is the water box's voxel.</summary>
    public PointSourceCommissioningModel(string basePath, double voxelMm = 5, DeviceKind device = DeviceKind.Auto)
    {
        _base = BeamModel.Load(basePath);
        if (!(voxelMm >= 1 && voxelMm <= 10))
        {
            throw new ArgumentException($"--voxel-mm {voxelMm}: the water box's voxels must be 1–10 mm.");
        }

        _voxelMm = voxelMm;
        BasePath = basePath;
        _engine = new MonteCarloEngine(device);
    }

    /// <inheritdoc/>
    public string BasePath { get; }

    /// <inheritdoc/>
    public IReadOnlyList<FitParameter> Parameters { get; } = [new FitParameter("spectrumEnergyScale", FitStage.Spectrum, 0.92, 1.08, 1.0)];

    /// <summary>The base spectrum with every edge multiplied by <paramref name="scale"/>.</summary>
    public EnergySpectrum Scaled(double scale) =>
        new([.. _base.Spectrum.EdgesMeV.Select(e => e * scale)], [.. _base.Spectrum.WeightsPerMeV.Select(w => w / scale)], _base.Name);

    /// <inheritdoc/>
    public FieldCurves Simulate(double[] values, FieldCondition field, long histories, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(field);
        double halfDiag = 0.5 * Math.Max(field.FieldXMm, field.FieldYMm) * (field.SsdMm + field.MaxDepthMm) / _base.SadMm;
        double lateral = Math.Min(600, Math.Ceiling((2 * halfDiag + 80) / (2 * _voxelMm)) * 2 * _voxelMm);
        double depth = Math.Ceiling((field.MaxDepthMm + 20) / _voxelMm) * _voxelMm;
        VoxelPhantom water = VoxelPhantom.Box(new Vec3(lateral, depth, lateral), _voxelMm);
        Vec3 axis = new(0, 1, 0);
        Vec3 iso = BeamGeometry.IsocenterForSsd(new Vec3(0, 0, 0), axis, _base.SadMm, field.SsdMm);
        var model = new BeamModel
        {
            Path = _base.Path, Name = _base.Name, Spectrum = Scaled(values[0]), SadMm = _base.SadMm,
            NominalEnergyMV = _base.NominalEnergyMV, Source = _base.Source,
        };
        BeamSetup beam = model.CreateBeam(Aperture.Field(field.FieldXMm, field.FieldYMm), iso);
        DoseResult r = _engine.Run(new DoseRequest { Phantom = water, Beam = beam, Histories = histories, Seed = seed, Batches = 10 });
        return new GridFieldCurves(r, beam, _voxelMm) { Field = field };
    }

    /// <inheritdoc/>
    public void WriteBeamFile(double[] values, string outPath, CommissioningProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(provenance);
        JsonNode root = JsonNode.Parse(File.ReadAllText(BasePath))!;
        double k = values[0];
        EnergySpectrum s = Scaled(k);
        root["name"] = Path.GetFileNameWithoutExtension(outPath);
        root["description"] = string.Create(CultureInfo.InvariantCulture,
            $"{root["description"]?.GetValue<string>()} Commissioned by metai commission: spectrum energy scale {k:0.####} against {provenance.BeamDataDirectory}.");
        root["lowestEdgeMeV"] = s.EdgesMeV[0];
        root["binUpperEdgesMeV"] = new JsonArray([.. s.EdgesMeV.Skip(1).Select(e => (JsonNode?)JsonValue.Create(Math.Round(e, 6)))]);
        root["weightsPerMeV"] = new JsonArray([.. s.WeightsPerMeV.Select(w => (JsonNode?)JsonValue.Create(Math.Round(w, 8)))]);
        root.AsObject().Remove("calibration");
        if (provenance.ReferenceDosePerFluence is double d)
        {
            root["calibration"] = new JsonObject
            {
                ["fluencePerMuPerCm2"] = 0.01 / d,
                ["relativeUncertainty"] = provenance.ReferenceRelativeUncertainty,
                ["definition"] = "1 MU = 0.01 Gy at dmax on the central axis, 10 x 10 cm2 at SSD 100 cm, from the commissioning's final run (water box, voxels as in the report), dose to water",
                ["histories"] = provenance.Histories,
                ["date"] = provenance.DateUtc,
                ["command"] = "metai commission",
            };
        }

        root["commissioning"] = JsonNode.Parse(JsonDefaults.Serialize(provenance));
        AtomicFile.WriteAllText(outPath, root.ToJsonString(JsonDefaults.Indented) + "\n");
    }

    /// <inheritdoc/>
    public void Dispose() => _engine.Dispose();

    // Central-axis values average the dose over a square of half-width a = 15 % of the smaller field side (at least half
    // a voxel, at most 25 mm) around the axis; a profile averages across the same band. With 5 mm voxels and 10⁶–10⁷
    // histories a single voxel column is 3–10 % noisy (σ²N ≈ 1.5·10⁴, docs/benchmarks.md); over the band it is 6–36
    // times fewer, and a point-source field is flat there to well under 1 %.
    private sealed class GridFieldCurves(DoseResult result, BeamSetup beam, double voxelMm) : FieldCurves
    {
        private readonly double _area = beam.EffectiveAreaCm2();
        private readonly double[] _offsets = Offsets(voxelMm, Math.Clamp(0.15 * 2 * Math.Min(beam.Aperture.Rectangles[0].X1Mm, beam.Aperture.Rectangles[0].Y1Mm), voxelMm / 2, 25));

        public override SampledCurve DepthDose
        {
            get
            {
                int n = (int)Math.Floor(Field.MaxDepthMm / (voxelMm / 2));
                double[] x = [.. Enumerable.Range(0, n).Select(i => (i + 1) * voxelMm / 2)];
                return new SampledCurve(x, [.. x.Select(DosePerMuAt)]);
            }
        }

        public override SampledCurve Profile(CurveKind kind, double depthMm)
        {
            Vec3 along = kind == CurveKind.CrosslineProfile ? beam.Geometry.BldXLps : beam.Geometry.BldYLps;
            Vec3 across = kind == CurveKind.CrosslineProfile ? beam.Geometry.BldYLps : beam.Geometry.BldXLps;
            double half = 0.5 * result.Dose.Geometry.SizeX * voxelMm - voxelMm;
            int n = (int)Math.Floor(half / (voxelMm / 2));
            double[] x = [.. Enumerable.Range(-n, 2 * n + 1).Select(i => i * voxelMm / 2)];
            double[] v = [.. x.Select(p => _offsets.Average(o => Sample(new Vec3(0, depthMm, 0) + along * p + across * o)) * _area)];
            return new SampledCurve(x, v);
        }

        public override double DosePerMuAt(double depthMm)
        {
            Vec3 a = beam.Geometry.BldXLps, b = beam.Geometry.BldYLps, p = new(0, depthMm, 0);
            return _offsets.Average(i => _offsets.Average(j => Sample(p + a * i + b * j))) * _area;
        }

        public override double RelativeUncertaintyAt(double depthMm) =>
            MeTAI.Core.Voxels.GridSampling.TrilinearClamped(result.Dose.Geometry, result.RelativeUncertainty.Data, new Vec3(0, depthMm, 0)) / _offsets.Length;

        // Offsets every voxel from −a to a (voxel centres of a box centred on the axis sit at ± half a voxel).
        private static double[] Offsets(double voxelMm, double a)
        {
            int n = Math.Max(1, (int)Math.Round(a / voxelMm));
            return [.. Enumerable.Range(0, 2 * n).Select(i => (i - n + 0.5) * voxelMm)];
        }

        private double Sample(Vec3 p) => MeTAI.Core.Voxels.GridSampling.TrilinearClamped(result.Dose.Geometry, result.Dose.Data, p);
    }
}
