using System.Diagnostics;
using System.Text.Json;
using MeTAI.Cli.Tests.Commands.DicomFiles.Network;
using MeTAI.TestUtilities;
using Xunit.Abstractions;

namespace MeTAI.Cli.Tests.Commands.Controller;

/// <summary>
/// The process kill test of issue 19, as <c>metai hil kill</c> runs it: <c>metai control</c> as its own OS process at the
/// shipped defaults, killed with SIGKILL mid-motion; the watchdog power relay board twin must drop servo power within
/// the stated T_relay of the last feed, and nothing may move after.
/// </summary>
public sealed class ControllerKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HilKill_SigkillMidMotion_RelayDropsServoPowerWithinTRelayAndNothingMovesAfter()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { CliProcess.CliDll(), "hil", "kill", "--json" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["METAI_HOME"] = RepositoryPaths.Root();
        using Process p = Process.Start(start)!;
        try
        {
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            string stdout = await p.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await p.WaitForExitAsync(timeout.Token);
            output.WriteLine(await stderr);
            output.WriteLine(stdout);
            using JsonDocument doc = JsonDocument.Parse(stdout);
            Assert.True(doc.RootElement.GetProperty("kills").GetInt32() == 1, "the arm never reached motion (load on a shared machine?): " + doc.RootElement.GetProperty("couldNotStart"));
            JsonElement kill = doc.RootElement.GetProperty("results")[0];

            // The controller died of the signal (128 + SIGKILL), mid-motion: goals were streaming and the arm was moving.
            Assert.Equal(137, kill.GetProperty("exitCode").GetInt32());
            Assert.True(kill.GetProperty("goalWritesInLast100MsBeforeKill").GetInt32() > 0, "no goal reached the servos in the 100 ms before the kill");
            Assert.True(kill.GetProperty("jointSpeedAtKillRadS").GetDouble() > 1e-3, "the arm was not moving at the kill");

            // The safety bound of the issue: power off within T_relay of the last feed, as the relay twin measured it. The
            // slack between the board's 45 ms watchdog and the stated 50 ms is the contact release time (PowerRelayOptions).
            Assert.Equal("FeedTimeout", kill.GetProperty("tripCause").GetString());
            Assert.Equal(50, doc.RootElement.GetProperty("statedRelayOffMs").GetDouble());
            Assert.True(kill.GetProperty("lastFeedToPowerOffMs").GetDouble() <= 50, "servo power went off later than T_relay after the last feed");

            // Nothing after: no feed, no goal, no torque, no motion.
            Assert.Equal(0, kill.GetProperty("feedsAfterPowerOff").GetInt64());
            Assert.Equal(0, kill.GetProperty("goalWritesAfterPowerOff").GetInt32());
            Assert.Equal(0, kill.GetProperty("torqueOnAfter").GetInt32());
            Assert.Equal(0, kill.GetProperty("maxMoveAfterPowerOffCounts").GetDouble());
            Assert.Equal(0, kill.GetProperty("problems").GetArrayLength());
            Assert.Equal(0, p.ExitCode);
        }
        finally
        {
            if (!p.HasExited)
            {
                // Its own kill reaps its controller child in a finally; this one has hung: take it and its children down.
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
    }

    [Theory]
    [InlineData("0", "--runs 0: give 1 to 100.")]
    [InlineData("101", "--runs 101: give 1 to 100.")]
    public void HilKill_BadRuns_ExitsOneWithTheReason(string runs, string reason)
    {
        (int code, _, string stderr) = CliRunner.Run("hil", "kill", "--runs", runs);
        Assert.Equal(1, code);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }
}
