using System.Text.Json;
using MeTAI.Core.Geometry;

namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// A machine beam model from <c>configs/beams/NAME.json</c>: a point source with an energy spectrum at the
/// source-axis distance, plus the MU calibration (particles per cm² at the isocentre per MU) and its provenance.
/// </summary>
public sealed class BeamModel
{
    /// <summary>The file the model came from.</summary>
    public required string Path { get; init; }

    /// <summary>Model name (file stem).</summary>
    public required string Name { get; init; }

    /// <summary>Photon energy spectrum.</summary>
    public required EnergySpectrum Spectrum { get; init; }

    /// <summary>Source-axis distance in mm.</summary>
    public required double SadMm { get; init; }

    /// <summary>Particles per cm² at the isocentre plane per MU, or null when not yet calibrated.</summary>
    public double? FluencePerMuPerCm2 { get; init; }

    /// <summary>Relative (1σ) uncertainty of the calibration.</summary>
    public double? CalibrationRelativeUncertainty { get; init; }

    /// <summary>Where the spectrum comes from.</summary>
    public required string Source { get; init; }

    /// <summary>Loads a beam model; errors name the file and field.</summary>
    public static BeamModel Load(string path)
    {
        EnergySpectrum spectrum = EnergySpectrum.Load(path);
        using JsonDocument doc = BeamFiles.Open(path);
        JsonElement root = doc.RootElement;
        double sad = BeamFiles.Number(path, root, "sourceAxisDistanceMm");
        double? fluence = null, unc = null;
        if (root.TryGetProperty("calibration", out JsonElement cal) && cal.ValueKind == JsonValueKind.Object)
        {
            fluence = BeamFiles.Number(path, cal, "fluencePerMuPerCm2");
            unc = cal.TryGetProperty("relativeUncertainty", out JsonElement u) && u.ValueKind == JsonValueKind.Number ? u.GetDouble() : null;
        }

        return new BeamModel
        {
            Path = path,
            Name = System.IO.Path.GetFileNameWithoutExtension(path),
            Spectrum = spectrum,
            SadMm = sad,
            FluencePerMuPerCm2 = fluence,
            CalibrationRelativeUncertainty = unc,
            Source = root.TryGetProperty("source", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "(not given)",
        };
    }

    /// <summary>A beam of this model through <paramref name="aperture"/> at the given angles and isocentre.</summary>
    public BeamSetup CreateBeam(Aperture aperture, Vec3 isocenterLps, double gantryDeg = 0, double collimatorDeg = 0, double couchDeg = 0, double monitorUnits = 1) =>
        new()
        {
            Spectrum = Spectrum,
            Aperture = aperture,
            Geometry = new BeamGeometry(gantryDeg, collimatorDeg, couchDeg, isocenterLps, SadMm),
            MonitorUnits = monitorUnits,
            FluencePerMuPerCm2 = FluencePerMuPerCm2,
        };
}
