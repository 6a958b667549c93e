using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Dose;

/// <summary>
/// One open field on a built-in dose phantom at a given SSD, gantry 0 (beam from anterior), by Monte Carlo
/// (<c>metai dose --phantom</c>), written by <see cref="OpenFieldOutput"/> as a consistent DICOM RT set plus the
/// central-axis depth dose, the lateral profile at 10 cm depth, a dose picture and a JSON summary. The dose is 0
/// outside the phantom's body (<see cref="DoseMask"/>), and the result's maximum is the written dose's.
/// </summary>
public static class OpenFieldRun
{
    /// <summary>Runs the calculation and writes the outputs; returns the result.</summary>
    /// <param name="request">What to calculate.</param>
    /// <param name="log">A line saying what runs, before it runs (null: none).</param>
    /// <param name="progress">Fraction of the histories done (null: none).</param>
    /// <exception cref="ArgumentException">Not a dose phantom, or an unknown beam model.</exception>
    public static DoseResult Run(OpenFieldRequest request, TextWriter? log = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        OpenFieldRequest o = request;
        if (o.Phantom is not ("water" or "slab-lung" or "slab-bone"))
        {
            throw new ArgumentException($"--phantom '{o.Phantom}' is not a dose phantom; use water, slab-lung or slab-bone.");
        }

        PatientCase patient = CaseLoader.FromPhantom(PhantomLibrary.Build(o.Phantom, o.VoxelMm));
        VoxelPhantom voxels = VoxelPhantom.FromCt(patient.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile(BeamFileName(o.Beam)));

        // Gantry 0: the beam enters through the anterior surface (−y) on the phantom's central axis.
        Vec3 axis = new(0, 1, 0);
        Vec3 surface = BodySurface.Entrance(patient.CtHu, axis) ?? throw new InvalidOperationException("The beam axis does not cross the phantom.");
        Vec3 isocenter = BeamGeometry.IsocenterForSsd(surface, axis, model.SadMm, o.SsdCm * 10);
        // Jaws that attenuate (and the virtual sources) when the model has a head; ideal jaws for the point model.
        BeamSetup beam = model.CreateBeam(CollimatorSettings.JawField(o.FieldXCm * 10, o.FieldYCm * 10), new BeamGeometry(0, 0, 0, isocenter, model.SadMm), o.MonitorUnits);
        PlanCase planCase = PlanCase.From(patient);
        var doseRequest = new DoseRequest
        {
            Phantom = voxels,
            Beam = beam,
            Histories = o.Histories,
            Seed = o.Seed,
            DoseToWater = o.DoseToWater,
            Uncertainty = Target(o),
            UncertaintyRoi = o.UncertaintyRoi is string roi ? planCase.Structure(roi).Mask.Voxels : null,
        };
        GridGeometry g = patient.CtHu.Geometry;
        string amount = o.UncertaintyPercent is double pct
            ? string.Create(CultureInfo.InvariantCulture, $"to σ ≤ {pct} % over {o.UncertaintyRoi ?? "D > 50 % Dmax"} (cap {o.MaxHistories:N0} histories)")
            : string.Create(CultureInfo.InvariantCulture, $"{o.Histories:N0} histories");
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dose: {o.Phantom} ({g.SizeX}×{g.SizeY}×{g.SizeZ} voxels of {o.VoxelMm} mm), {model.Name} {o.FieldXCm}×{o.FieldYCm} cm² at SSD {o.SsdCm} cm, {amount}, {o.MonitorUnits} MU"));
        DoseResult raw = DoseCalculation.Run(doseRequest, progress, o.Device);

        // The phantom's body (its EXTERNAL ROI): the dose in the air around it is not written or reported.
        VoxelMask body = planCase.BodyMask();
        DoseResult result = DoseMask.Apply(raw, DoseMask.Kept(body, voxels.DensitiesGPerCm3));
        OpenFieldOutput.Write(o, patient, beam, model, result, body.Name);
        return result;
    }

    /// <summary>The run's target uncertainty (null: a fixed history count); the pilot is 1 M histories or a tenth of the cap.</summary>
    public static UncertaintyTarget? Target(OpenFieldRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.UncertaintyPercent is not double pct)
        {
            if (request.UncertaintyRoi is not null)
            {
                throw new ArgumentException("--uncertainty-roi needs --uncertainty PCT.");
            }

            return null;
        }

        if (!(pct > 0 && pct < 100))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--uncertainty {pct}: give a percentage in (0, 100)."));
        }

        if (request.MaxHistories < 10_000)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--max-histories {request.MaxHistories}: use at least 10 000."));
        }

        return new UncertaintyTarget { RelativeUncertainty = pct / 100, MaxHistories = request.MaxHistories, PilotHistories = Math.Min(1_000_000, request.MaxHistories / 10) };
    }

    private static string BeamFileName(string beam) => beam.Trim().ToUpperInvariant() switch
    {
        "6MV" => "6MV",
        "6MV-POINT" => "6MV-point",
        _ => throw new ArgumentException($"--beam '{beam}': the available beam models are 6MV (configs/beams/6MV.json, the virtual source model) and 6MV-point (configs/beams/6MV-point.json, the point source)."),
    };
}
