namespace MeTAI.Cli.Commands.Controller;

/// <summary>How the long-running commands (<c>control</c>, <c>bridge udp</c>) wait: until Ctrl+C, or for a set time.</summary>
internal static class UntilStopped
{
    /// <summary>Returns after <paramref name="seconds"/> (0: never) or at the first Ctrl+C, whichever comes first.</summary>
    public static async Task WaitAsync(double seconds)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            await Task.Delay(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
