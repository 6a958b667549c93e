namespace MeTAI.Dosimetry.Analysis;

/// <summary>Why a run to a target uncertainty stopped, or that it goes on.</summary>
public enum StopReason
{
    /// <summary>Not stopped: run another batch.</summary>
    Continue,

    /// <summary>The upper confidence bound of σ reached the target.</summary>
    TargetReached,

    /// <summary>The history cap was spent before the target was reached.</summary>
    HistoryCap,
}
