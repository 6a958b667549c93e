using MeTAI.Hil.Runner;

namespace MeTAI.Hil.Campaigns;

/// <summary>
/// One place a campaign runs its runs: a rig kept between runs (reset by each), started by the first run and replaced
/// after an error or when spent (<see cref="CampaignUnitRunner.RunOneAsync"/>). A campaign worker holds one; disposing
/// it stops its rig.
/// </summary>
public sealed class CampaignRigSlot : IAsyncDisposable
{
    /// <summary>The rig (null until a run starts one, and after one was given up).</summary>
    public HilRig? Rig { get; internal set; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        HilRig? rig = Rig;
        Rig = null;
        if (rig is not null)
        {
            await rig.DisposeAsync().ConfigureAwait(false);
        }
    }
}
