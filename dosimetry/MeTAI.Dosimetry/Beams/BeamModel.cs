using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Geometry;

namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// A machine beam model from <c>configs/beams/NAME.json</c>: a point source with an energy spectrum at the
/// source-axis distance, the nominal energy it is commissioned for (<c>nominalEnergyMV</c>: an RT Plan beam of another
/// Nominal Beam Energy is refused, not computed with this model), plus the MU calibration (particles per cm² at the
/// isocentre per MU) and its provenance.
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

    /// <summary>
    /// The nominal energy (MV, photons) the model is commissioned for, as an RT Plan's Nominal Beam Energy (300A,0114)
    /// gives it; the spectrum's end point matches it.
    /// </summary>
    public required double NominalEnergyMV { get; init; }

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
        double nominal = NominalEnergy(path, root, spectrum);
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
            NominalEnergyMV = nominal,
            FluencePerMuPerCm2 = fluence,
            CalibrationRelativeUncertainty = unc,
            Source = root.TryGetProperty("source", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "(not given)",
        };
    }

    /// <summary>Every beam model (<c>*.json</c>) in <paramref name="directory"/>, e.g. <c>configs/beams</c>, by name; errors name the file and field.</summary>
    public static IReadOnlyList<BeamModel> LoadAll(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(Load)];
    }

    /// <summary>
    /// True when an RT Plan's Nominal Beam Energy <paramref name="energyMV"/> is this model's (within 0.05 MV: DS text
    /// such as 6.0 or 6.00000).
    /// </summary>
    public bool IsCommissionedFor(double energyMV) => Math.Abs(energyMV - NominalEnergyMV) <= 0.05;

    /// <summary>
    /// A beam of this model through <paramref name="aperture"/> at the given angles and isocentre, on a head-first
    /// supine set-up (water phantoms, calibration); a patient's beams use the overload with their <see cref="BeamGeometry"/>.
    /// </summary>
    public BeamSetup CreateBeam(Aperture aperture, Vec3 isocenterLps, double gantryDeg = 0, double collimatorDeg = 0, double couchDeg = 0, double monitorUnits = 1) =>
        CreateBeam(aperture, new BeamGeometry(gantryDeg, collimatorDeg, couchDeg, isocenterLps, SadMm), monitorUnits);

    /// <summary>A beam of this model through <paramref name="aperture"/> with <paramref name="geometry"/> (angles, isocentre, SAD and patient position).</summary>
    public BeamSetup CreateBeam(Aperture aperture, BeamGeometry geometry, double monitorUnits)
    {
        ArgumentNullException.ThrowIfNull(aperture);
        ArgumentNullException.ThrowIfNull(geometry);
        return new BeamSetup
        {
            Spectrum = Spectrum,
            Aperture = aperture,
            Geometry = geometry,
            MonitorUnits = monitorUnits,
            FluencePerMuPerCm2 = FluencePerMuPerCm2,
        };
    }

    // nominalEnergyMV: required, a photon energy a linac delivers, and the spectrum's end point (a bremsstrahlung
    // spectrum of an N MV beam ends at N MeV) within 10 %, so a model cannot claim an energy its spectrum is not.
    private static double NominalEnergy(string path, JsonElement root, EnergySpectrum spectrum)
    {
        double mv = BeamFiles.Number(path, root, "nominalEnergyMV");
        if (!(mv >= 1 && mv <= 25))
        {
            throw new Materials.MaterialDataException(path, "nominalEnergyMV", $"{mv.ToString(CultureInfo.InvariantCulture)} is not a photon beam energy (1–25 MV)");
        }

        if (Math.Abs(spectrum.MaxEnergyMeV - mv) > 0.1 * mv)
        {
            throw new Materials.MaterialDataException(path, "nominalEnergyMV",
                string.Create(CultureInfo.InvariantCulture, $"{mv} MV does not match the spectrum, which ends at {spectrum.MaxEnergyMeV} MeV"));
        }

        return mv;
    }
}
