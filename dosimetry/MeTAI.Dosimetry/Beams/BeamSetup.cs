namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// One beam to simulate: the source (spectrum, particle, point or parallel, and the beam model's virtual sources),
/// what collimates it (ideal open rectangles in <see cref="Aperture"/>, or jaws and leaves that attenuate:
/// <see cref="Collimator"/> with <see cref="Collimation"/>), the IEC 61217 geometry, and the monitor units with the
/// calibration that turns histories into MU.
/// </summary>
public sealed record BeamSetup
{
    /// <summary>Energy spectrum of the focal source's particles (on the axis).</summary>
    public required EnergySpectrum Spectrum { get; init; }

    /// <summary>
    /// Open rectangles (jaws, MLC, fluence map) in the isocentre plane. With <see cref="Collimation"/> set they only
    /// say where the beam is open (the jaws and leaves decide what passes).
    /// </summary>
    public required Aperture Aperture { get; init; }

    /// <summary>Gantry/collimator/couch, isocentre and SAD.</summary>
    public required BeamGeometry Geometry { get; init; }

    /// <summary>Photons or electrons.</summary>
    public ParticleKind Particle { get; init; } = ParticleKind.Photon;

    /// <summary>Parallel beam along the central axis instead of a point source (validation beams).</summary>
    public bool Parallel { get; init; }

    /// <summary>The virtual sources (focal spot, extra-focal, electron contamination); the point source by default.</summary>
    public VirtualSourceModel Sources { get; init; } = VirtualSourceModel.Point;

    /// <summary>The head's jaws and MLC, or null (the aperture's rectangles are ideal: open inside, opaque outside).</summary>
    public CollimatorGeometry? Collimator { get; init; }

    /// <summary>Jaw and leaf positions; with a <see cref="Collimator"/> the jaws and leaves attenuate what they cover.</summary>
    public CollimatorSettings? Collimation { get; init; }

    /// <summary>Monitor units delivered (scales the dose when <see cref="FluencePerMuPerCm2"/> is known).</summary>
    public double MonitorUnits { get; init; } = 1.0;

    /// <summary>
    /// The beam model's calibration: focal-source particles per cm² of the isocentre plane (on the axis, weight 1) per
    /// MU, or null when the beam has none (the dose is then reported in Gy per history).
    /// </summary>
    public double? FluencePerMuPerCm2 { get; init; }

    /// <summary>True when the jaws and leaves attenuate (a collimator and its settings are both given).</summary>
    public bool HasAttenuatingCollimation => Collimator is not null && Collimation is not null && !Parallel;

    /// <summary>
    /// The plane (mm below the target) where the kernel samples each ray's crossing: the topmost device when the jaws
    /// and leaves attenuate; the lowest device (the MLC) for ideal rectangles of a model with a head; the isocentre
    /// plane for a model without one.
    /// </summary>
    public double SamplingPlaneMm => Collimator is null || Parallel ? Geometry.SadMm
        : HasAttenuatingCollimation ? Collimator.SamplingPlaneMm
        : Collimator.Mlc?.PlaneDistanceMm ?? Math.Max(Collimator.Jaws.XPlaneDistanceMm, Collimator.Jaws.YPlaneDistanceMm);

    /// <summary>
    /// Sampling density of the area the jaws or leaves cover (the jaws' transmission band, closed leaves) relative to
    /// the open area, when the collimation attenuates; the histories there carry the weight that makes up for it.
    /// </summary>
    public const double CoveredImportance = 0.1;

    /// <summary>
    /// The region whose rays the beam's histories stand for (isocentre-plane projection of the sampling plane, mm):
    /// the jaw opening widened by the jaws' transmission band when the collimation attenuates, else the aperture's
    /// rectangles (with their fluence weights).
    /// </summary>
    public IReadOnlyList<ApertureRect> NormalisationRectangles()
    {
        if (!HasAttenuatingCollimation)
        {
            return Aperture.Rectangles;
        }

        CollimatorSettings c = Collimation!;
        double band = Collimator!.Jaws.Transmission > 0 ? Collimator.Jaws.TransmissionBandMm : 0;
        return [new ApertureRect(c.X1Mm - band, c.X2Mm + band, c.Y1Mm - band, c.Y2Mm + band)];
    }

    /// <summary>
    /// The rectangles the kernel picks rays from (alias over area × weight): the normalisation region at weight
    /// <see cref="CoveredImportance"/> plus the open area (jaws ∩ leaf openings) at weight 1 when the collimation
    /// attenuates, else the aperture's rectangles.
    /// </summary>
    public IReadOnlyList<ApertureRect> SamplingRectangles()
    {
        if (!HasAttenuatingCollimation)
        {
            return Aperture.Rectangles;
        }

        var list = new List<ApertureRect> { NormalisationRectangles()[0] with { Weight = CoveredImportance } };
        list.AddRange(OpenRectangles());
        return list;
    }

    /// <summary>The open area of attenuating collimation: the jaw opening, or per leaf pair the leaf gap inside the jaws (mm, isocentre plane).</summary>
    public IReadOnlyList<ApertureRect> OpenRectangles()
    {
        CollimatorSettings c = Collimation ?? throw new InvalidOperationException("The beam has no jaw/leaf settings.");
        MlcGeometry? mlc = Collimator?.Mlc;
        if (mlc is null || c.BankAMm is null || c.BankBMm is null)
        {
            return [new ApertureRect(c.X1Mm, c.X2Mm, c.Y1Mm, c.Y2Mm)];
        }

        var list = new List<ApertureRect>();
        for (int k = 0; k < mlc.Pairs; k++)
        {
            double y0 = Math.Max(mlc.LeafBoundariesMm[k], c.Y1Mm), y1 = Math.Min(mlc.LeafBoundariesMm[k + 1], c.Y2Mm);
            double x0 = Math.Max(c.BankAMm[k], c.X1Mm), x1 = Math.Min(c.BankBMm[k], c.X2Mm);
            if (y1 > y0 && x1 > x0)
            {
                list.Add(new ApertureRect(x0, x1, y0, y1));
            }
        }

        return list;
    }

    /// <summary>
    /// History weights for rays sampled in the open and in the covered area (focal source with the horns; the other
    /// sources flat): w = (k F_region + F_open) / (F_region (k + [open])), F the ∫ h cos³θ dA of each area, so the mean
    /// weight over the region is 1 and the estimate is unbiased. (1, 1) when the collimation is ideal.
    /// </summary>
    public (double Open, double Covered) SourceWeights(bool withHorns)
    {
        if (!HasAttenuatingCollimation)
        {
            return (1, 1);
        }

        double region = Integrate(NormalisationRectangles(), withHorns), open = Integrate(OpenRectangles(), withHorns);
        double g = CoveredImportance * region + open;
        return (g / (region * (CoveredImportance + 1)), g / (region * CoveredImportance));
    }

    /// <summary>Equivalent square of the field (the jaws, or the aperture's bounding box), mm.</summary>
    public double EquivalentSquareMm()
    {
        if (Collimation is not null)
        {
            return Collimation.EquivalentSquareMm;
        }

        IReadOnlyList<ApertureRect> r = Aperture.Rectangles;
        double x = r.Max(a => a.X1Mm) - r.Min(a => a.X0Mm), y = r.Max(a => a.Y1Mm) - r.Min(a => a.Y0Mm);
        return 2 * x * y / (x + y);
    }

    /// <summary>
    /// Focal-source particles through the sampling region per unit focal fluence on the axis, in cm²:
    /// Σ weight · ∫ h(r) cos³θ dA (h the off-axis relative fluence; particles per unit area fall off as cos³θ), or
    /// Σ weight · area for a parallel beam.
    /// </summary>
    public double EffectiveAreaCm2() => Integrate(NormalisationRectangles(), true);

    /// <summary>
    /// The shares of the histories: focal, extra-focal, electron contamination (sum 1). A sub-source of on-axis relative
    /// fluence w in a plane z below the target sends w·[(SAD − z)·z_c / (SAD·(z_c − z))]² as many particles through the
    /// sampling plane z_c per unit area as the focal source does (docs/beam-model.md "Normalisation").
    /// </summary>
    public (double Primary, double ExtraFocal, double Electrons) SourceShares()
    {
        if (Parallel || Particle != ParticleKind.Photon)
        {
            return (1, 0, 0);
        }

        double p = Integrate(NormalisationRectangles(), true), flat = Integrate(NormalisationRectangles(), false);
        double s = Sources.ExtraFocal.Weight * Geometric(Sources.ExtraFocal.DistanceFromTargetMm) * flat;
        double e = Sources.Electrons.WeightFor(EquivalentSquareMm()) * Geometric(Sources.Electrons.DistanceFromTargetMm) * flat;
        double total = p + s + e;
        return (p / total, s / total, e / total);
    }

    /// <summary>Histories (all sources) that deliver one MU, or null without a calibration.</summary>
    public double? HistoriesPerMu => FluencePerMuPerCm2 is double f ? f * EffectiveAreaCm2() / SourceShares().Primary : null;

    private double Geometric(double zMm)
    {
        double sad = Geometry.SadMm, zc = SamplingPlaneMm;
        if (zMm >= zc)
        {
            return 0;
        }

        double g = (sad - zMm) * zc / (sad * (zc - zMm));
        return g * g;
    }

    private double Integrate(IReadOnlyList<ApertureRect> rects, bool withHorns)
    {
        double sum = 0;
        double sad = Geometry.SadMm;
        foreach (ApertureRect r in rects)
        {
            if (Parallel)
            {
                sum += r.Weight * r.AreaMm2 / 100.0;
                continue;
            }

            const int n = 24;
            double dx = (r.X1Mm - r.X0Mm) / n, dy = (r.Y1Mm - r.Y0Mm) / n, acc = 0;
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    double x = r.X0Mm + (i + 0.5) * dx, y = r.Y0Mm + (j + 0.5) * dy;
                    double c = sad / Math.Sqrt(sad * sad + x * x + y * y);
                    double h = withHorns ? Sources.Primary.RelativeFluenceAt(Math.Sqrt(x * x + y * y)) : 1;
                    acc += h * c * c * c;
                }
            }

            sum += r.Weight * acc * dx * dy / 100.0;
        }

        return sum;
    }
}
