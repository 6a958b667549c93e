using System.Globalization;
using System.Text.Json.Nodes;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Commissioning;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Water;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The virtual source model (<c>configs/beams/6MV.json</c> and files of its schema, docs/beam-model.md) as a
/// commissioning model. Parameters, one per stage: <c>spectrumEnergyScale</c> (every bin edge of the primary spectrum
/// times k, 0.92–1.08), <c>virtualSource.primary.spotFwhmMm</c> (both axes alike, 0–4 mm),
/// <c>virtualSource.extraFocal.weight</c> (0–0.2) and <c>virtualSource.electronContamination.weight</c> (0–0.05); every
/// other source parameter keeps the base file's value. The MLC stage solves the leaf geometry for the measured
/// closed-leaf transmission and DLG without Monte Carlo (<see cref="MlcFit"/>). Curves come from
/// <see cref="WaterTankSimulator"/> runs of the trial model without its MU calibration (dose per unit focal fluence,
/// proportional to dose per MU, so output factors are ratios of runs); central-axis values average a small square
/// around the axis and profiles the same band across (<see cref="TankFieldCurves"/>).
/// </summary>
public sealed class VirtualSourceCommissioningModel : ICommissioningModel
{
    private readonly BeamModel _base;
    private readonly MonteCarloEngine _engine;
    private readonly double _voxelMm;
    private MlcFitResult? _mlc;

    /// <summary>Opens the base model and a Monte Carlo engine on <paramref name="device"/>; <paramref name="voxelMm"/> is the tank's lateral voxel (depth voxels at most 2.5 mm).</summary>
    public VirtualSourceCommissioningModel(string basePath, double voxelMm = 5, DeviceKind device = DeviceKind.Auto)
    {
        _base = BeamModel.Load(basePath);
        if (_base.VirtualSource.IsPoint && _base.Collimator is null)
        {
            throw new ArgumentException($"--base {basePath}: field 'virtualSource': the file has no virtual source block; a point-source file is commissioned by the point-source model.");
        }

        if (!(voxelMm >= 1 && voxelMm <= 10))
        {
            throw new ArgumentException($"--voxel-mm {voxelMm}: the water box's voxels must be 1–10 mm.");
        }

        _voxelMm = voxelMm;
        BasePath = basePath;
        PrimarySource p = _base.VirtualSource.Primary;
        Parameters =
        [
            new FitParameter("spectrumEnergyScale", FitStage.Spectrum, 0.92, 1.08, 1.0),
            new FitParameter("virtualSource.primary.spotFwhmMm", FitStage.Spot, 0, 4, Math.Clamp(0.5 * (p.SpotFwhmXMm + p.SpotFwhmYMm), 0, 4)),
            new FitParameter("virtualSource.extraFocal.weight", FitStage.ExtraFocal, 0, 0.2, Math.Clamp(_base.VirtualSource.ExtraFocal.Weight, 0, 0.2)),
            new FitParameter("virtualSource.electronContamination.weight", FitStage.Contamination, 0, 0.05, Math.Clamp(_base.VirtualSource.Electrons.Weight, 0, 0.05)),
        ];
        _engine = new MonteCarloEngine(device);
    }

    /// <inheritdoc/>
    public string BasePath { get; }

    /// <inheritdoc/>
    public IReadOnlyList<FitParameter> Parameters { get; }

    /// <summary>The base model with the parameter values <paramref name="values"/> (and the MLC fit, once made), without MU calibration.</summary>
    public BeamModel Trial(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        EnergySpectrum s = _base.Spectrum;
        VirtualSourceModel vs = _base.VirtualSource;
        CollimatorGeometry? c = _base.Collimator;
        if (_mlc is { } m && c?.Mlc is { } mlc)
        {
            c = c with { Mlc = mlc with { Transmission = m.LeafTransmission, InterleafTransmission = m.InterleafTransmission, LeafEndRadiusMm = m.LeafEndRadiusMm } };
        }

        return _base with
        {
            Spectrum = new EnergySpectrum([.. s.EdgesMeV.Select(e => e * values[0])], [.. s.WeightsPerMeV.Select(w => w / values[0])], _base.Name),
            VirtualSource = vs with
            {
                Primary = vs.Primary with { SpotFwhmXMm = values[1], SpotFwhmYMm = values[1] },
                ExtraFocal = vs.ExtraFocal with { Weight = values[2] },
                Electrons = vs.Electrons with { Weight = values[3] },
            },
            Collimator = c,
            FluencePerMuPerCm2 = null,
            CalibrationRelativeUncertainty = null,
        };
    }

    /// <inheritdoc/>
    public FieldCurves Simulate(double[] values, FieldCondition field, long histories, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(field);
        var options = new WaterTankOptions
        {
            CrosslineVoxelMm = _voxelMm, InlineVoxelMm = _voxelMm, DepthVoxelMm = Math.Min(_voxelMm, 2.5),
            TankDepthMm = field.MaxDepthMm + 20, LateralMarginMm = 40,
        };
        var tank = new WaterTankSimulator(Trial(values), _engine, options);
        WaterTankScan scan = tank.Simulate(WaterTankField.Jaws(field.FieldXMm, field.FieldYMm, field.SsdMm), histories, seed);
        return new TankFieldCurves(scan, _voxelMm) { Field = field };
    }

    /// <inheritdoc/>
    public MlcFitResult? FitMlc(MlcMeasurement measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        if (_base.Collimator?.Mlc is not { } mlc)
        {
            return null;
        }

        _mlc = MlcFit.Fit(mlc, measured, _base.SadMm);
        return _mlc;
    }

    /// <inheritdoc/>
    public void WriteBeamFile(double[] values, string outPath, CommissioningProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(provenance);
        JsonNode root = JsonNode.Parse(File.ReadAllText(BasePath))!;
        BeamModel t = Trial(values);
        root["name"] = Path.GetFileNameWithoutExtension(outPath);
        root["description"] = string.Create(CultureInfo.InvariantCulture,
            $"{root["description"]?.GetValue<string>()} Commissioned by metai commission against {provenance.BeamDataDirectory}: {string.Join(", ", provenance.Stages)}.");
        root["lowestEdgeMeV"] = t.Spectrum.EdgesMeV[0];
        root["binUpperEdgesMeV"] = new JsonArray([.. t.Spectrum.EdgesMeV.Skip(1).Select(e => (JsonNode?)JsonValue.Create(Math.Round(e, 6)))]);
        root["weightsPerMeV"] = new JsonArray([.. t.Spectrum.WeightsPerMeV.Select(w => (JsonNode?)JsonValue.Create(Math.Round(w, 8)))]);
        JsonNode vs = root["virtualSource"]!;
        vs["primary"]!["spotFwhmXMm"] = Math.Round(values[1], 4);
        vs["primary"]!["spotFwhmYMm"] = Math.Round(values[1], 4);
        vs["extraFocal"]!["weight"] = Math.Round(values[2], 5);
        vs["electronContamination"]!["weight"] = Math.Round(values[3], 6);
        if (_mlc is { } m && root["collimator"]?["mlc"] is JsonNode mlc)
        {
            mlc["transmission"] = Math.Round(m.LeafTransmission, 6);
            mlc["interleafTransmission"] = Math.Round(m.InterleafTransmission, 6);
            mlc["leafEndRadiusMm"] = Math.Round(m.LeafEndRadiusMm, 2);
        }

        root.AsObject().Remove("calibration");
        if (provenance.ReferenceDosePerFluence is double d)
        {
            root["calibration"] = new JsonObject
            {
                ["fluencePerMuPerCm2"] = 0.01 / d,
                ["relativeUncertainty"] = provenance.ReferenceRelativeUncertainty,
                ["reference"] = new JsonObject { ["setup"] = "SSD", ["depthMm"] = null, ["fieldSizeMm"] = 100, ["cGyPerMu"] = 1 },
                ["definition"] = "1 MU = 0.01 Gy at dmax on the central axis, 10 x 10 cm2 at SSD 100 cm, from the commissioning's final run (water tank, voxels as in the report), dose to water",
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
}
