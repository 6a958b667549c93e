using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Service.Plans.OpenField;

/// <summary>
/// The <b>pre-planner</b> runner: what the service runs until the planner (issue 4) is merged. It is real, not a fake,
/// but it does not optimise: N coplanar open fields (gantry angles evenly spaced from the protocol's start angle),
/// each with jaws fitted to the prescription target's beam's-eye-view outline plus 5 mm, aimed at the target's
/// centroid; the dose of each field is computed with the Monte Carlo engine (<see cref="MonteCarloEngine"/>) on the
/// case's CT, the fields are weighted equally and the sum is scaled to the protocol's normalisation (else the target's
/// median to the prescription). It writes the planner's file set — <c>ct/</c>, <c>rtstruct.dcm</c>,
/// <c>rtplan.dcm</c>, <c>rtdose.dcm</c>, <c>report.json</c> with <c>goals</c>, <c>metrics</c>, <c>timings</c> and an
/// empty <c>objectiveHistory</c> — so the API and the web interface read its results exactly as they will read the
/// planner's. Replace it with a runner that calls the planner library; nothing else changes.
/// </summary>
public sealed class OpenFieldPlanRunner : IPlanRunner
{
    /// <summary>Default histories (all fields together) when the request gives none.</summary>
    public const long DefaultHistories = 8_000_000;

    /// <summary>Margin around the target's projection, mm.</summary>
    public const double JawMarginMm = 5;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private readonly ProtocolCatalog _protocols;
    private readonly DeviceKind _device;

    /// <summary>Creates the runner.</summary>
    public OpenFieldPlanRunner(ProtocolCatalog protocols, DeviceKind device = DeviceKind.Auto)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        _protocols = protocols;
        _device = device;
    }

    /// <inheritdoc />
    public string Name => "open-field (pre-planner)";

    /// <inheritdoc />
    public Task<PlanOutcome> RunAsync(PlanJobRequest request, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        // The Monte Carlo engine is synchronous and CPU-bound: keep it off the request threads.
        return Task.Factory.StartNew(() => Run(request, outputDirectory, progress, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private PlanOutcome Run(PlanJobRequest request, string outputDirectory, IProgress<PlanProgress> progress, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        progress.Report(new PlanProgress(0.01, "loading case"));
        ProtocolInfo protocol = ProtocolCatalog.Parse(File.ReadAllText(request.ProtocolPath), request.Protocol, request.ProtocolPath);
        LoadedCase patient = PlanCaseLoader.Load(request);
        RtRoiMask target = patient.Find(protocol.Target)
            ?? throw new KeyNotFoundException($"Protocol '{protocol.Name}' prescribes to '{protocol.Target}', which case '{patient.Name}' does not have. Structures: {string.Join(", ", patient.Rois.Select(r => r.Mask.Name))}.");
        ct.ThrowIfCancellationRequested();

        Vec3 iso = target.Mask.CentroidLps();
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-mohan"));
        VoxelPhantom phantom = VoxelPhantom.FromCt(patient.Ct.Hu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        IReadOnlyList<double> gantry = GantryAngles(protocol, request.Beams);
        long histories = request.Histories ?? DefaultHistories;
        long perBeam = Math.Max(10_000, histories / gantry.Count);
        double loadSeconds = total.Elapsed.TotalSeconds;

        // One Monte Carlo run per field at 100 MU each, summed.
        var mcWatch = Stopwatch.StartNew();
        progress.Report(new PlanProgress(0.04, "starting the Monte Carlo engine"));
        var sum = new float[patient.Ct.Geometry.VoxelCount];
        var beams = new List<(BeamSetup Setup, ApertureRect Jaws)>();
        string device;
        bool absolute = true;
        using (var engine = new MonteCarloEngine(_device))
        {
            device = engine.DeviceName;
            for (int b = 0; b < gantry.Count; b++)
            {
                ct.ThrowIfCancellationRequested();
                var geometry = new BeamGeometry(gantry[b], 0, 0, iso, model.SadMm);
                ApertureRect jaws = FitJaws(target.Mask, geometry);
                BeamSetup setup = model.CreateBeam(Aperture.Jaws(jaws.X0Mm, jaws.X1Mm, jaws.Y0Mm, jaws.Y1Mm), iso, gantryDeg: gantry[b], monitorUnits: 100);
                beams.Add((setup, jaws));
                int beamIndex = b;
                string phase = string.Create(CultureInfo.InvariantCulture, $"Monte Carlo field {beamIndex + 1}/{gantry.Count} (gantry {gantry[beamIndex]:0.#}°)");
                var beamProgress = new InlineProgress(f => progress.Report(new PlanProgress(0.05 + 0.85 * (beamIndex + Math.Clamp(f, 0, 1)) / gantry.Count, phase)));
                DoseResult r = engine.Run(new DoseRequest { Phantom = phantom, Beam = setup, Histories = perBeam, Seed = request.Seed + (ulong)b }, beamProgress, ct);
                absolute &= r.DoseUnit == "Gy";
                float[] d = r.Dose.Data;
                for (int n = 0; n < sum.Length; n++)
                {
                    sum[n] += d[n];
                }
            }
        }

        double mcSeconds = mcWatch.Elapsed.TotalSeconds;
        ct.ThrowIfCancellationRequested();
        progress.Report(new PlanProgress(0.92, "normalising and evaluating goals"));

        // Scale to the protocol's normalisation (else the target's median to the prescription).
        (string normStructure, string normMetric, double normPercent) = protocol.Normalization ?? (protocol.Target, "D50", 100.0);
        RtRoiMask normRoi = patient.Find(normStructure) ?? target;
        double reference = GoalEvaluation.Evaluate(new ProtocolGoal(normRoi.Mask.Name, normMetric, ">=", 0, "Gy", 1), new StructureDose(normRoi.Mask, sum), protocol.DoseGy).Achieved;
        if (!(reference > 0))
        {
            throw new InvalidOperationException($"The fields deliver no dose to {normRoi.Mask.Name}; cannot normalise.");
        }

        float scale = (float)(normPercent / 100 * protocol.DoseGy / reference);
        for (int n = 0; n < sum.Length; n++)
        {
            sum[n] *= scale;
        }

        var doses = patient.Rois.ToDictionary(r => r.Mask.Name, r => new StructureDose(r.Mask, sum), StringComparer.OrdinalIgnoreCase);
        var goals = new List<GoalOutcome>();
        foreach (ProtocolGoal g in protocol.Goals)
        {
            if (doses.TryGetValue(g.Structure, out StructureDose? sd))
            {
                goals.Add(GoalEvaluation.Evaluate(g, sd, protocol.DoseGy));
            }
        }

        // DICOM RT set + report.
        progress.Report(new PlanProgress(0.95, "writing DICOM and report.json"));
        var writeWatch = Stopwatch.StartNew();
        double muPerBeamPerFraction = 100 * scale / protocol.Fractions;
        RtPlan plan = BuildPlan(protocol, model, beams, muPerBeamPerFraction);
        var rtDose = new RtDose
        {
            Dose = new VoxelGrid<float>(patient.Ct.Geometry, sum),
            // PLAN summation: the whole course; (300C,0020) Referenced Fraction Group is only for FRACTION/BEAM doses.
            DoseSummationType = "PLAN",
            TissueHeterogeneityCorrection = ["IMAGE"],
            Comment = "MeTAI pre-planner open fields, Monte Carlo", // LO: at most 64 characters
        };
        RtStudyWriter.Write(outputDirectory, patient.Ct, patient.Rois, plan, rtDose);
        string[] files = ["ct/", RtStudyWriter.StructureSetFile, RtStudyWriter.PlanFile, RtStudyWriter.DoseFile, "report.json"];
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{gantry.Count} open fields (not optimised), Monte Carlo {perBeam * gantry.Count:N0} histories on {device}, {normMetric}({normRoi.Mask.Name}) = {normPercent}% of {protocol.DoseGy} Gy");
        var report = new
        {
            runner = Name,
            @case = patient.Name,
            protocol = protocol.Name,
            prescription = new { target = protocol.Target, doseGy = protocol.DoseGy, fractions = protocol.Fractions },
            isocenterLps = new[] { iso.X, iso.Y, iso.Z },
            beams = beams.Select((b, i) => new
            {
                number = i + 1,
                gantryDeg = gantry[i],
                jawsMm = new[] { b.Jaws.X0Mm, b.Jaws.X1Mm, b.Jaws.Y0Mm, b.Jaws.Y1Mm },
                monitorUnitsPerFraction = Math.Round(muPerBeamPerFraction, 2),
            }),
            finalDose = new { histories = perBeam * gantry.Count, device, absoluteCalibration = absolute, maxDoseGy = sum.Max() },
            summary,
            allGoalsPassed = goals.All(g => g.Passed),
            goals,
            metrics = doses.Values.ToDictionary(d => d.Name, d => new
            {
                volumeCc = Math.Round(d.VolumeCc, 3),
                minGy = Math.Round(d.MinGy, 4),
                meanGy = Math.Round(d.MeanGy, 4),
                maxGy = Math.Round(d.MaxGy, 4),
                d2Gy = Math.Round(d.DoseAtVolumePercent(2), 4),
                d5Gy = Math.Round(d.DoseAtVolumePercent(5), 4),
                d50Gy = Math.Round(d.DoseAtVolumePercent(50), 4),
                d95Gy = Math.Round(d.DoseAtVolumePercent(95), 4),
                d98Gy = Math.Round(d.DoseAtVolumePercent(98), 4),
            }),
            timings = new
            {
                loadSeconds,
                monteCarloSeconds = mcSeconds,
                writeSeconds = writeWatch.Elapsed.TotalSeconds,
                totalSeconds = total.Elapsed.TotalSeconds,
            },
            objectiveHistory = Array.Empty<double>(),
            files,
        };
        File.WriteAllText(Path.Combine(outputDirectory, "report.json"), JsonSerializer.Serialize(report, Json));
        progress.Report(new PlanProgress(1, "done"));
        return new PlanOutcome
        {
            Files = files,
            Goals = goals,
            PrescriptionGy = protocol.DoseGy,
            Target = protocol.Target,
            Beams = gantry.Count,
            Summary = summary,
        };
    }

    /// <summary>Gantry angles: <paramref name="beams"/> evenly spaced from the protocol's start, or the protocol's own.</summary>
    public static IReadOnlyList<double> GantryAngles(ProtocolInfo protocol, int? beams)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (beams is null && protocol.GantryDeg.Count > 0)
        {
            return protocol.GantryDeg;
        }

        int n = beams ?? protocol.BeamCount;
        return [.. Enumerable.Range(0, n).Select(i => (protocol.StartGantryDeg + i * 360.0 / n) % 360)];
    }

    /// <summary>Jaws (isocentre plane, mm) enclosing the target's divergent projection plus <see cref="JawMarginMm"/>.</summary>
    public static ApertureRect FitJaws(VoxelMask target, BeamGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(geometry);
        GridGeometry g = target.Geometry;
        double x1 = double.MaxValue, x2 = double.MinValue, y1 = double.MaxValue, y2 = double.MinValue;
        double half = 0.5 * Math.Max(g.SpacingMm.X, Math.Max(g.SpacingMm.Y, g.SpacingMm.Z));
        byte[] m = target.Voxels;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (m[g.Index(i, j, k)] == 0)
                    {
                        continue;
                    }

                    Vec3 d = g.IndexToLps(i, j, k) - geometry.SourceLps;
                    double along = Vec3.Dot(d, geometry.BeamAxisLps);
                    double s = geometry.SadMm / along;
                    double x = Vec3.Dot(d, geometry.BldXLps) * s, y = Vec3.Dot(d, geometry.BldYLps) * s;
                    x1 = Math.Min(x1, x);
                    x2 = Math.Max(x2, x);
                    y1 = Math.Min(y1, y);
                    y2 = Math.Max(y2, y);
                }
            }
        }

        if (x1 > x2)
        {
            throw new ArgumentException($"Target '{target.Name}' is empty.", nameof(target));
        }

        double pad = JawMarginMm + half;
        return new ApertureRect(x1 - pad, x2 + pad, y1 - pad, y2 + pad);
    }

    private static RtPlan BuildPlan(ProtocolInfo protocol, BeamModel model, List<(BeamSetup Setup, ApertureRect Jaws)> beams, double muPerFraction)
    {
        var rtBeams = new List<RtBeam>();
        var refs = new List<RtReferencedBeam>();
        for (int b = 0; b < beams.Count; b++)
        {
            (BeamSetup setup, ApertureRect jaws) = beams[b];
            RtControlPoint cp0 = new()
            {
                Index = 0,
                CumulativeMetersetWeight = 0,
                NominalBeamEnergyMV = 6,
                GantryDeg = setup.Geometry.GantryDeg,
                GantryRotationDirection = "NONE",
                CollimatorDeg = 0,
                CollimatorRotationDirection = "NONE",
                CouchDeg = 0,
                CouchRotationDirection = "NONE",
                IsocenterLps = setup.Geometry.IsocenterLps,
                DevicePositions =
                [
                    new RtDevicePosition { Type = "ASYMX", PositionsMm = [jaws.X0Mm, jaws.X1Mm] },
                    new RtDevicePosition { Type = "ASYMY", PositionsMm = [jaws.Y0Mm, jaws.Y1Mm] },
                ],
            };
            rtBeams.Add(new RtBeam
            {
                Number = b + 1,
                Name = string.Create(CultureInfo.InvariantCulture, $"G{setup.Geometry.GantryDeg:0}"),
                TreatmentMachineName = model.Name,
                SourceAxisDistanceMm = model.SadMm,
                BeamLimitingDevices = [new RtBeamLimitingDevice { Type = "ASYMX" }, new RtBeamLimitingDevice { Type = "ASYMY" }],
                ControlPoints = [cp0, new RtControlPoint { Index = 1, CumulativeMetersetWeight = 1 }],
                ReferencedPatientSetupNumber = 1,
            });
            refs.Add(new RtReferencedBeam { BeamNumber = b + 1, MetersetMu = Math.Round(muPerFraction, 3) });
        }

        return new RtPlan
        {
            Label = "OPEN FIELDS",
            Name = protocol.Name,
            Description = "MeTAI pre-planner: open conformal fields, not optimised",
            Intent = "RESEARCH",
            Beams = rtBeams,
            FractionGroups = [new RtFractionGroup { FractionsPlanned = protocol.Fractions, ReferencedBeams = refs }],
            PatientSetups = [new RtPatientSetup()],
        };
    }

    // Progress<T> posts to the thread pool and may reorder reports; this forwards them on the calling thread.
    private sealed class InlineProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
