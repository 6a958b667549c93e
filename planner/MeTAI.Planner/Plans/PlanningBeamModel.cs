using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Planner.Plans;

/// <summary>
/// The beam model a plan is optimised and computed with (<see cref="PlanSettings.BeamModel"/>, <c>plan --beam-model</c>).
/// Only models with ideal collimation are planned with: the influence beamlets pass ideal apertures, so for a model
/// whose jaws and MLC attenuate (<see cref="BeamModel.Collimator"/>, e.g. <c>6MV</c>) the optimiser would not see the
/// leakage under closed leaves, the rounded ends' extra opening (DLG) or the tongue and groove that the final dose
/// contains, and the plan is delivered hotter than it was optimised (docs/planning.md, "Beam model"). Such a model is
/// refused, with the reason, instead of planned with.
/// </summary>
public static class PlanningBeamModel
{
    /// <summary>Loads <paramref name="name"/> from configs/beams, refusing unknown names and models with an attenuating head.</summary>
    public static BeamModel Load(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string path = DosimetryPaths.BeamFile(name);
        if (name.IndexOfAny(['/', '\\']) >= 0 || !File.Exists(path))
        {
            string dir = Path.GetDirectoryName(path)!;
            string known = Directory.Exists(dir) ? string.Join(", ", Directory.GetFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)) : "none";
            throw new ArgumentException($"--beam-model '{name}': no such beam model in configs/beams (there: {known}).");
        }

        BeamModel model = BeamModel.Load(path);
        if (model.Collimator is not null)
        {
            throw new ArgumentException(
                $"--beam-model '{name}' ({path}): planning with a model whose jaws and MLC attenuate is refused: the influence beamlets pass ideal apertures, " +
                "so the optimiser does not see the leakage under closed leaves, the rounded leaf ends (DLG) or the tongue and groove that the final dose contains, " +
                "and the delivered plan is hotter than optimised (prostate PTV D5 86.5 Gy against a goal of 83 Gy, docs/planning.md). Plan with 6MV-point.");
        }

        return model;
    }
}
