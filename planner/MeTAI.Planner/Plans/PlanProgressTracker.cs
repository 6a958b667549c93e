namespace MeTAI.Planner.Plans;

/// <summary>
/// Turns stage fractions into <see cref="PlanStageProgress"/> reports with an overall fraction. The Monte Carlo stages
/// take most of a plan's time and it grows with their histories, so they share 90 % of the bar in proportion to the
/// histories each simulates (a beamlet also costs about 1 000 histories' worth of set-up and extraction); the other
/// stages get fixed small shares. Reports never go back.
/// </summary>
internal sealed class PlanProgressTracker
{
    private const double PreparingShare = 0.02, OptimizationShare = 0.04, SequencingShare = 0.02, EvaluationShare = 0.02;
    private const double MonteCarloShare = 1 - PreparingShare - OptimizationShare - SequencingShare - EvaluationShare;
    private const double BeamletOverheadHistories = 1_000;

    private readonly IProgress<PlanStageProgress>? _progress;
    private double _influenceShare = MonteCarloShare / 2, _finalShare = MonteCarloShare / 2;
    private double _last;

    /// <summary>Reports to <paramref name="progress"/> (nothing when null).</summary>
    public PlanProgressTracker(IProgress<PlanStageProgress>? progress) => _progress = progress;

    /// <summary>Splits the Monte Carlo share once the beamlets are known.</summary>
    public void SetMonteCarloWork(int beamlets, long historiesPerBeamlet, long finalHistories, bool influenceFromCache)
    {
        double influence = influenceFromCache ? 0 : beamlets * (double)(historiesPerBeamlet + BeamletOverheadHistories);
        double total = influence + finalHistories;
        _influenceShare = total > 0 ? MonteCarloShare * influence / total : 0;
        _finalShare = MonteCarloShare - _influenceShare;
    }

    /// <summary>Reports <paramref name="stage"/> at <paramref name="stageFraction"/> (0–1).</summary>
    public void Report(PlanStage stage, double stageFraction, string detail)
    {
        if (_progress is null)
        {
            return;
        }

        stageFraction = Math.Clamp(stageFraction, 0, 1);
        double start = 0;
        foreach (PlanStage s in Enum.GetValues<PlanStage>())
        {
            if (s == stage)
            {
                break;
            }

            start += Share(s);
        }

        _last = Math.Max(_last, Math.Min(1, start + Share(stage) * stageFraction));
        _progress.Report(new PlanStageProgress(stage, stageFraction, _last, detail));
    }

    /// <summary>An <see cref="IProgress{T}"/> of one stage's fraction (reported synchronously), described by <paramref name="detail"/>.</summary>
    public IProgress<double>? Stage(PlanStage stage, Func<double, string> detail) =>
        _progress is null ? null : new StageProgress(this, stage, detail);

    private double Share(PlanStage stage) => stage switch
    {
        PlanStage.Preparing => PreparingShare,
        PlanStage.Influence => _influenceShare,
        PlanStage.Optimization => OptimizationShare,
        PlanStage.Sequencing => SequencingShare,
        PlanStage.FinalDose => _finalShare,
        _ => EvaluationShare,
    };

    // Progress<T> would post to the thread pool and could reorder reports; this one reports on the calling thread.
    private sealed class StageProgress(PlanProgressTracker tracker, PlanStage stage, Func<double, string> detail) : IProgress<double>
    {
        public void Report(double value) => tracker.Report(stage, value, detail(value));
    }
}
