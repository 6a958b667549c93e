using System.Globalization;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

/// <summary>
/// The Monte Carlo beam of one delivery segment. A beam model with a head (jaws, MLC) attenuates with the segment's
/// jaw and leaf positions — leaf transmission, interleaf leakage, tongue and groove, rounded ends — so closed leaves
/// give their leakage dose; a model without one (the point model) uses the segment's ideal open rectangles.
/// </summary>
public static class SegmentBeams
{
    /// <summary>
    /// The beam of <paramref name="segment"/> with <paramref name="monitorUnits"/>. Refused: a segment whose MLC is not
    /// the model's (other Leaf Position Boundaries (300A,00BE), or an MLCY) when the model has an MLC — its leakage
    /// would be computed through leaves that are not there.
    /// </summary>
    public static BeamSetup Create(BeamModel model, DeliverySegment segment, double monitorUnits, string source = "the plan")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(segment);
        if (model.Collimator is null)
        {
            return model.CreateBeam(new Aperture(segment.Rectangles), segment.Geometry(), monitorUnits);
        }

        MlcGeometry? mlc = model.Collimator.Mlc;
        CollimatorSettings? c = segment.Collimation;
        if (c is null)
        {
            throw new ArgumentException($"{source}: beam {segment.BeamNumber} has an MLC whose leaves travel along Y (MLCY); beam model '{model.Name}' models an MLCX head only.");
        }

        if (c.BankAMm is not null && (mlc is null || !SameBoundaries(mlc.LeafBoundariesMm, segment.LeafBoundariesMm)))
        {
            string theirs = segment.LeafBoundariesMm is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b.Count - 1} pairs from {b[0]} to {b[^1]} mm") : "none";
            string ours = mlc is null ? "no MLC" : string.Create(CultureInfo.InvariantCulture, $"{mlc.Pairs} pairs from {mlc.LeafBoundariesMm[0]} to {mlc.LeafBoundariesMm[^1]} mm");
            throw new ArgumentException($"{source}: beam {segment.BeamNumber}: Leaf Position Boundaries (300A,00BE) ({theirs}) are not those of beam model '{model.Name}' ({ours}); its leaf leakage cannot be modelled.");
        }

        if (segment.Rectangles.Count == 0 && c.BankAMm is null)
        {
            throw new ArgumentException($"{source}: beam {segment.BeamNumber} has a segment whose jaws are closed.");
        }

        return model.CreateBeam(c, segment.Geometry(), monitorUnits);
    }

    private static bool SameBoundaries(IReadOnlyList<double> model, IReadOnlyList<double>? plan)
    {
        if (plan is null || plan.Count != model.Count)
        {
            return false;
        }

        for (int i = 0; i < model.Count; i++)
        {
            if (Math.Abs(model[i] - plan[i]) > 0.01)
            {
                return false;
            }
        }

        return true;
    }
}
