using ILGPU.Runtime;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    // FWHM of a Gaussian = 2 √(2 ln 2) σ.
    private const double FwhmPerSigma = 2.3548200450309493;

    /// <summary>The virtual sources for the kernel (cm): shares, spot, horns, softening, extra-focal and electron sources.</summary>
    private KernelVirtualSource BuildVirtualSource(BeamSetup beam, List<MemoryBuffer> owned)
    {
        VirtualSourceModel m = beam.Sources;
        (double focal, double extra, _) = beam.SourceShares();
        PrimarySource p = m.Primary;
        double max = p.OffAxisRelativeFluence.Max();
        float[] radius = [.. p.OffAxisRadiiMm.Select(r => (float)(r / 10))];
        float[] relative = [.. p.OffAxisRelativeFluence.Select(f => (float)(f / max))];
        ElectronContaminationSource e = m.Electrons;
        double sad = beam.Geometry.SadMm, plane = beam.SamplingPlaneMm;
        return new KernelVirtualSource
        {
            SamplingPlane = (float)(plane / 10),
            Sad = (float)(sad / 10),
            PlaneScale = (float)(plane / sad),
            PFocal = (float)focal,
            PFocalOrExtra = (float)(focal + extra),
            SpotSigmaX = (float)(p.SpotFwhmXMm / FwhmPerSigma / 10),
            SpotSigmaY = (float)(p.SpotFwhmYMm / FwhmPerSigma / 10),
            SofteningPerCm = (float)p.OffAxisSofteningPerCm,
            HornRadius = Upload(owned, radius),
            HornRelative = Upload(owned, relative),
            HornCount = radius.Length,
            ExtraZ = (float)(m.ExtraFocal.DistanceFromTargetMm / 10),
            ExtraSigma = (float)(m.ExtraFocal.FwhmMm / FwhmPerSigma / 10),
            ExtraScale = (float)m.ExtraFocal.EnergyScale,
            ElectronZ = (float)(e.DistanceFromTargetMm / 10),
            ElectronSigma = (float)(e.FwhmMm / FwhmPerSigma / 10),
            ElectronMean = (float)e.MeanEnergyMeV,
            ElectronNorm = (float)(1 - Math.Exp(-e.MaxEnergyMeV / e.MeanEnergyMeV)),
        };
    }

    /// <summary>The jaws and leaves for the kernel (cm at the isocentre plane), inactive for ideal apertures.</summary>
    internal KernelCollimator BuildCollimator(BeamSetup beam, List<MemoryBuffer> owned)
    {
        if (!beam.HasAttenuatingCollimation)
        {
            float[] none = [0f];
            return new KernelCollimator { Active = 0, Boundaries = Upload(owned, none), BankA = Upload(owned, none), BankB = Upload(owned, none) };
        }

        CollimatorGeometry head = beam.Collimator!;
        CollimatorSettings s = beam.Collimation!;
        s.Validate(head.Mlc);
        double sad = beam.Geometry.SadMm;
        (double openFocal, double coveredFocal) = beam.SourceWeights(true);
        (double openFlat, double coveredFlat) = beam.SourceWeights(false);
        var c = new KernelCollimator
        {
            Active = 1,
            WeightOpenFocal = (float)openFocal,
            WeightCoveredFocal = (float)coveredFocal,
            WeightOpenFlat = (float)openFlat,
            WeightCoveredFlat = (float)coveredFlat,
            Sad = (float)(sad / 10),
            JawZx = (float)(head.Jaws.XPlaneDistanceMm / 10),
            JawZy = (float)(head.Jaws.YPlaneDistanceMm / 10),
            X1 = (float)(s.X1Mm / 10),
            X2 = (float)(s.X2Mm / 10),
            Y1 = (float)(s.Y1Mm / 10),
            Y2 = (float)(s.Y2Mm / 10),
            JawT = (float)head.Jaws.Transmission,
        };
        MlcGeometry? mlc = head.Mlc;
        if (mlc is null || s.BankAMm is null || s.BankBMm is null)
        {
            float[] none = [0f];
            return c with { Pairs = 0, Boundaries = Upload(owned, none), BankA = Upload(owned, none), BankB = Upload(owned, none) };
        }

        return c with
        {
            Pairs = mlc.Pairs,
            MlcZ = (float)(mlc.PlaneDistanceMm / 10),
            ToLeaf = (float)(mlc.PlaneDistanceMm / sad),
            Boundaries = Upload(owned, [.. mlc.LeafBoundariesMm.Select(b => (float)(b / 10))]),
            BankA = Upload(owned, [.. s.BankAMm.Select(b => (float)(b / 10))]),
            BankB = Upload(owned, [.. s.BankBMm.Select(b => (float)(b / 10))]),
            Mu = (float)(mlc.AttenuationPerMm * 10),
            Height = (float)(mlc.LeafHeightMm / 10),
            EndRadius = (float)(mlc.LeafEndRadiusMm / 10),
            HalfBand = (float)(mlc.TongueAndGrooveWidthMm / 20),
            BandScale = (float)mlc.InterleafScale,
        };
    }
}
