using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Geometry;

namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// A machine beam model from <c>configs/beams/NAME.json</c> (schema: docs/beam-model.md): the focal spectrum at the
/// source-axis distance, the virtual sources (focal spot, off-axis horns and softening, extra-focal head scatter,
/// electron contamination; a bare point source when the file has no <c>virtualSource</c>), the jaws and MLC that
/// attenuate (<c>collimator</c>; none: ideal apertures), the nominal energy it is commissioned for
/// (<c>nominalEnergyMV</c>: an RT Plan beam of another Nominal Beam Energy is refused, not computed with this model),
/// plus the MU calibration (focal particles per cm² at the isocentre per MU) under its reference condition.
/// </summary>
public sealed record BeamModel
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

    /// <summary>What the model is (the file's <c>description</c>; says whether it is commissioned).</summary>
    public string Description { get; init; } = "";

    /// <summary>The virtual sources (the point source when the file has none).</summary>
    public VirtualSourceModel VirtualSource { get; init; } = VirtualSourceModel.Point;

    /// <summary>The jaws and MLC, or null (apertures are ideal).</summary>
    public CollimatorGeometry? Collimator { get; init; }

    /// <summary>The reference condition of the MU calibration.</summary>
    public ReferenceCondition Reference { get; init; } = ReferenceCondition.Default;

    /// <summary>Loads a beam model; errors name the file and field.</summary>
    public static BeamModel Load(string path)
    {
        using JsonDocument doc = BeamFiles.Open(path);
        return FromJson(path, doc.RootElement, System.IO.Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>
    /// A beam model from its file's text <paramref name="json"/> (e.g. shipped to another machine with a job), named
    /// <paramref name="name"/>; errors name <paramref name="source"/> (default: the name) and the field. Same text, same
    /// model as <see cref="Load"/> gives; <see cref="Path"/> is the source.
    /// </summary>
    public static BeamModel Parse(string json, string name, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        source ??= name;
        using JsonDocument doc = BeamFiles.Parse(source, json);
        return FromJson(source, doc.RootElement, name);
    }

    private static BeamModel FromJson(string path, JsonElement root, string name)
    {
        EnergySpectrum spectrum = EnergySpectrum.FromJson(path, root, name);
        double sad = BeamFiles.Number(path, root, "sourceAxisDistanceMm");
        double nominal = NominalEnergy(path, root, spectrum);
        if (!(sad >= 500 && sad <= 1500))
        {
            throw new Materials.MaterialDataException(path, "sourceAxisDistanceMm", $"{sad.ToString(CultureInfo.InvariantCulture)} is outside 500–1500 mm");
        }

        CollimatorGeometry? collimator = BeamModelSections.Collimator(path, root, sad);
        VirtualSourceModel sources = BeamModelSections.VirtualSource(path, root, nominal, collimator?.SamplingPlaneMm ?? sad);
        double? fluence = null, unc = null;
        ReferenceCondition reference = ReferenceCondition.Default;
        if (root.TryGetProperty("calibration", out JsonElement cal) && cal.ValueKind == JsonValueKind.Object)
        {
            fluence = BeamFiles.Number(path, cal, "fluencePerMuPerCm2");
            if (!(fluence > 0))
            {
                throw new Materials.MaterialDataException(path, "calibration.fluencePerMuPerCm2", "must be positive");
            }

            unc = cal.TryGetProperty("relativeUncertainty", out JsonElement u) && u.ValueKind == JsonValueKind.Number ? u.GetDouble() : null;
            reference = BeamModelSections.Reference(path, cal);
        }

        return new BeamModel
        {
            Path = path,
            Name = name,
            Spectrum = spectrum,
            SadMm = sad,
            NominalEnergyMV = nominal,
            FluencePerMuPerCm2 = fluence,
            CalibrationRelativeUncertainty = unc,
            Source = root.TryGetProperty("source", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "(not given)",
            Description = root.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "",
            VirtualSource = sources,
            Collimator = collimator,
            Reference = reference,
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

    /// <summary>
    /// A beam of this model through <paramref name="aperture"/> with <paramref name="geometry"/> (angles, isocentre,
    /// SAD and patient position). The aperture's rectangles are ideal (open inside, opaque outside, at the MLC plane
    /// of a model with a head): beamlets of an influence matrix. For jaws and leaves that attenuate use the overload
    /// with <see cref="CollimatorSettings"/>.
    /// </summary>
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
            Sources = VirtualSource,
            Collimator = Collimator,
        };
    }

    /// <summary>
    /// A beam of this model with its jaws and leaves at <paramref name="settings"/>: with a head in the model they
    /// attenuate (transmission, interleaf leakage, tongue and groove, rounded ends); without one the open area is an
    /// ideal aperture.
    /// </summary>
    public BeamSetup CreateBeam(CollimatorSettings settings, BeamGeometry geometry, double monitorUnits)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(Collimator?.Mlc);
        Aperture open = settings.BankAMm is null || Collimator?.Mlc is not MlcGeometry mlc
            ? Aperture.Jaws(settings.X1Mm, settings.X2Mm, settings.Y1Mm, settings.Y2Mm)
            : OpenOrClosed(mlc, settings);
        BeamSetup beam = CreateBeam(open, geometry, monitorUnits);
        return Collimator is null ? beam : beam with { Collimation = settings };
    }

    // The MLC opening; a fully closed MLC still has an (empty) aperture: its dose is all transmission.
    private static Aperture OpenOrClosed(MlcGeometry mlc, CollimatorSettings s)
    {
        try
        {
            return Aperture.Mlc([.. mlc.LeafBoundariesMm], [.. s.BankAMm!], [.. s.BankBMm!], s.X1Mm, s.X2Mm, s.Y1Mm, s.Y2Mm);
        }
        catch (ArgumentException)
        {
            return Aperture.Jaws(s.X1Mm, s.X2Mm, s.Y1Mm, s.Y2Mm);
        }
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
