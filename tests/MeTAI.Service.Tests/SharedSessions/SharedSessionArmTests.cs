using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;
using MeTAI.Service.Controller;
using MeTAI.Service.Users;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MeTAI.Service.Tests.SharedSessions;

/// <summary>
/// An observer of a shared session sees the arm move (issue 20, part 5): the simulated rig's controller moves the arm
/// and a physician — who has no controller permission — follows its tool through the session's own stream. The lag
/// from the controller's telemetry stamp to the observer's read is recorded, not asserted (no timing in tests).
/// </summary>
public sealed class SharedSessionArmTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Observer_SeesTheArmsToolFollowAMove()
    {
        using var service = new ServiceFactory(null, settings: new Dictionary<string, string?> { ["Controller:Mode"] = "sim" });
        HttpClient surgeon = service.UserClient("sam", Role.Surgeon);
        HttpClient observer = service.UserClient("phil", Role.Physician);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync("/api/controller/state")).StatusCode);

        HttpResponseMessage opened = await surgeon.PostAsJsonAsync("/api/shared-sessions", new { title = "arm", @as = "surgeon" });
        string id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await observer.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "observer" })).StatusCode);
        using SessionEvents events = await SessionEvents.OpenAsync(observer, id);
        await events.NextAsync("snapshot");

        // The rig's arm reaches Ready (the service brings it up), then moves its shoulder by 0.3 rad.
        var rig = service.Services.GetRequiredService<ControllerMonitor>().Rig!;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (rig.Controller.State != SafetyState.Ready && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        Assert.Equal(SafetyState.Ready, rig.Controller.State);
        double[] start = await ToolAsync(events);
        double[] target = rig.Robot.HomeRad.ToArray();
        target[1] += 0.3; // the shoulder: the tool swings ~3 cm (the base joint turns a tool 23 mm off its axis)
        rig.Controller.Command(ControllerCommandKind.MoveJoints, jointRad: target);

        // The observer's view of the tool follows until it stops moving where the controller says the tool is.
        var lags = new List<double>();
        double[] last = start;
        double travelled = 0;
        sw.Restart();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            (JsonElement t, DateTime read) = await events.NextWithTimeAsync("telemetry");
            DateTime stamped = DateTime.Parse(t.GetProperty("utc").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            lags.Add((read - stamped).TotalMilliseconds);
            double[] tool = [.. t.GetProperty("toolM").EnumerateArray().Select(v => v.GetDouble())];
            travelled += Distance(tool, last);
            last = tool;
            if (travelled > 0.01 && t.GetProperty("state").GetString() == "Ready")
            {
                break;
            }
        }

        Assert.True(travelled > 0.01, $"the observer saw the tool move {travelled * 1000:F1} mm");
        ControllerSnapshot now = rig.Controller.Outputs.Read(new double[rig.Robot.JointCount], new double[rig.Robot.JointCount]);
        double[] actual = [now.ToolM.X, now.ToolM.Y, now.ToolM.Z];
        Assert.True(Distance(last, actual) < 0.002, $"the observer's last tool position is {Distance(last, actual) * 1000:F2} mm from the controller's");
        lags.Sort();
        output.WriteLine($"telemetry → observer lag over {lags.Count} events: p50 {lags[lags.Count / 2]:F1} ms, max {lags[^1]:F1} ms");
    }

    private static async Task<double[]> ToolAsync(SessionEvents events)
    {
        JsonElement t = await events.NextAsync("telemetry");
        return [.. t.GetProperty("toolM").EnumerateArray().Select(v => v.GetDouble())];
    }

    private static double Distance(double[] a, double[] b) =>
        Math.Sqrt(((a[0] - b[0]) * (a[0] - b[0])) + ((a[1] - b[1]) * (a[1] - b[1])) + ((a[2] - b[2]) * (a[2] - b[2])));
}
