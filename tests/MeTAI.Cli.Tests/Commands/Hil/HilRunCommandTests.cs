using MeTAI.TestUtilities;
using System.Xml.Linq;

namespace MeTAI.Cli.Tests.Commands.Hil;

[Collection(HilTestGroup.Name)]
public class HilRunCommandTests
{
    private static string Bundled(string name) => Path.Combine(CliRunner.RepositoryRoot(), "configs", "hil", name + ".yaml");

    private static string Robot() => Path.Combine(CliRunner.RepositoryRoot(), "configs", "robots", "metai-arm6.json");

    [Fact]
    public void HilRun_TwoBundledScenarios_PassWithJUnitAndASummaryFirstReport()
    {
        // Real timing on a shared machine: a run that fails only on a functional assertion (a spurious trip under load)
        // is repeated up to twice, as the bundled-scenario tests do; a broken safety assertion fails at once.
        string dir = "", stdout = "";
        int code = -1;
        for (int attempt = 1; attempt <= 3 && code != 0; attempt++)
        {
            dir = CliRunner.TempDir("hil-run");
            (code, stdout, string stderr) = CliRunner.Run("hil", "run", Bundled("heartbeat-loss"), Bundled("servo-timeout"),
                "--junit", Path.Combine(dir, "ci", "junit.xml"), "--report", dir);
            Assert.True(code is 0 or 1, stderr);
            Assert.Contains(", 0 safety violation(s); report", stdout, StringComparison.Ordinal);
        }

        Assert.True(code == 0, stdout);
        Assert.Contains("[1/2] heartbeat-loss:", stdout, StringComparison.Ordinal);
        Assert.Contains("[2/2] PASS servo-timeout:", stdout, StringComparison.Ordinal);

        XElement suites = XDocument.Load(Path.Combine(dir, "ci", "junit.xml")).Root!;
        Assert.Equal("testsuites", suites.Name.LocalName);
        var suite = suites.Elements("testsuite").ToList();
        Assert.Equal(["hil.heartbeat-loss", "hil.servo-timeout"], suite.Select(s => (string)s.Attribute("name")!));
        Assert.Equal([4, 4], suite.Select(s => s.Elements("testcase").Count()));
        Assert.Equal(8, (int)suites.Attribute("tests")!);
        Assert.Equal(0, (int)suites.Attribute("failures")!);
        Assert.Equal(0, (int)suites.Attribute("errors")!);
        Assert.Empty(suites.Descendants("failure"));

        string[] report = File.ReadAllLines(Path.Combine(dir, "report.md"));
        int summary = Array.IndexOf(report, "## Summary");
        Assert.True(summary > 0, "report.md has a summary section");
        Assert.Equal(summary, Array.FindIndex(report, l => l.StartsWith("## ", StringComparison.Ordinal)));
        Assert.Equal(summary, Array.FindIndex(report, l => l.StartsWith('|')) - 2);
        Assert.StartsWith("| Scenario | Result |", report[summary + 2], StringComparison.Ordinal);
        Assert.StartsWith("| [heartbeat-loss](#heartbeat-loss) | PASS |", report[summary + 4], StringComparison.Ordinal);
        Assert.StartsWith("| [servo-timeout](#servo-timeout) | PASS |", report[summary + 5], StringComparison.Ordinal);
        foreach (string png in new[] { "joints.png", "states.png", "latency.png" })
        {
            Assert.Contains($"![{Path.GetFileNameWithoutExtension(png)}](servo-timeout/{png})", report);
            Assert.True(new FileInfo(Path.Combine(dir, "servo-timeout", png)).Length > 1000, png);
        }
    }

    [Fact]
    public void HilRun_RadiotherapyWithPydicomsPlan_ReportLogsEveryBeamOnIntervalWithItsPose()
    {
        // README: pydicom's rtplan.dcm (one 116 MU beam at gantry 0, isocentre far from ours) instead of the shipped plan.
        string dir = CliRunner.TempDir("hil-rt-pydicom");
        string plan = Path.Combine(CliRunner.PydicomTestFiles, "rtplan.dcm");
        (int code, string stdout, string stderr) = CliRunner.Run("hil", "run", Bundled("radiotherapy-delivery"), "--rtplan", plan, "--report", dir);
        Assert.True(code == 0, stderr + stdout);
        string report = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Contains($"Plan delivered: RTPLAN `rtplan.dcm` ({plan}) — 1 beam(s), 116.0 MU", report, StringComparison.Ordinal);

        // The cough 0.3 s into the beam: an interval ended by the withdrawn permit, and the resumed one completes the MU.
        var rows = report.Split('\n').Where(l => l.StartsWith("| 1 | ", StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count >= 2, $"{rows.Count} beam-on rows");
        Assert.Contains(rows, r => r.Contains("| permit withdrawn | (", StringComparison.Ordinal));
        Assert.Contains("| complete | (", rows[^1], StringComparison.Ordinal);
        Assert.All(rows, r => Assert.EndsWith("| Ready |", r, StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "radiotherapy-delivery", "beam-on.json")));
        Assert.Equal(rows.Count, json.RootElement.GetArrayLength());
        Assert.Equal(116.0, json.RootElement.EnumerateArray().Sum(b => b.GetProperty("mu").GetDouble()), 1);
        Assert.All(json.RootElement.EnumerateArray(), b => Assert.True(b.GetProperty("poseErrorMm").GetDouble() < 1));
    }

    [Fact]
    public void HilRun_ImpossibleAssertion_ExitsOneAndJUnitCountsTheFailure()
    {
        string dir = CliRunner.TempDir("hil-impossible");
        string yaml = Path.Combine(dir, "impossible.yaml");
        File.WriteAllText(yaml, $"""
            name: impossible
            description: Teleoperation with nothing wrong, claimed to end in EStop.
            duration: 0.5
            start: following
            robot: {Robot()}
            controller:
              heartbeatWatchdogMs: 400
              servoTimeoutMs: 1000
            devices:
              master:
                motion: {"{"} kind: circle, radiusM: 0.005, periodS: 1 {"}"}
            assertions:
              - id: joint-limits
                kind: jointLimits
              - id: ends-in-estop
                kind: finalState
                state: EStop
            """);
        (int code, string stdout, string stderr) = CliRunner.Run("hil", "run", yaml, "--report", Path.Combine(dir, "report"));
        Assert.True(code == 1, stderr + stdout);
        Assert.Contains("FAIL impossible: 1/2 assertions", stdout, StringComparison.Ordinal);
        Assert.Contains("failed: ends-in-estop", stdout, StringComparison.Ordinal);
        XElement suites = XDocument.Load(Path.Combine(dir, "report", "junit.xml")).Root!;
        Assert.Equal(2, (int)suites.Attribute("tests")!);
        Assert.Equal(1, (int)suites.Attribute("failures")!);
        XElement failure = suites.Descendants("failure").Single();
        Assert.Equal("ends-in-estop", (string)failure.Parent!.Attribute("name")!);
        Assert.Contains("| [impossible](#impossible) | **FAIL** |", File.ReadAllText(Path.Combine(dir, "report", "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void HilRun_BadFaultKind_NamesFileLineAndFieldAndRunsNothing()
    {
        string dir = CliRunner.TempDir("hil-bad");
        string yaml = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(yaml, $"""
            name: bad
            duration: 1
            robot: {Robot()}
            faults:
              - id: f
                kind: heartbeatStp
                at: 0.5
            assertions:
              - id: joint-limits
                kind: jointLimits
            """);
        (int code, string stdout, string stderr) = CliRunner.Run("hil", "run", Bundled("heartbeat-loss"), yaml, "--report", Path.Combine(dir, "report"));
        Assert.Equal(1, code);
        Assert.Contains("bad.yaml:6:", stderr, StringComparison.Ordinal);
        Assert.Contains("heartbeatStp", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("[1/2]", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "report")));
    }

    [Fact]
    public void HilRun_AgainstMosquitto_PassesThroughTheFaultProxy()
    {
        // A real Mosquitto with a password file and the ACL generated from the access policy; the accounts reach the
        // CLI in a file, never on the command line.
        IReadOnlyList<MeTAI.Simulation.RigUser> users = MeTAI.Hil.Runner.HilRig.DefaultUsers();
        using var mosquitto = MosquittoBroker.Start(users.Select(u => (u.Name, u.Password)),
            new MeTAI.Robotics.Transport.MqttAccessPolicy(new MeTAI.Robotics.Transport.MqttTopics("metai-arm6")).ToMosquittoAcl(users.Select(u => (u.Name, u.Role))));
        string dir = CliRunner.TempDir("hil-mosquitto");
        string accounts = Path.Combine(dir, "accounts.json");
        File.WriteAllText(accounts, System.Text.Json.JsonSerializer.Serialize(users.Select(u => new { name = u.Name, role = u.Role.ToString(), password = u.Password })));
        string broker = $"mqtt://127.0.0.1:{mosquitto.Port}";
        int code = -1;
        string stdout = "";
        for (int attempt = 1; attempt <= 3 && code != 0; attempt++)
        {
            (code, stdout, string stderr) = CliRunner.Run("hil", "run", Bundled("heartbeat-loss"), "--broker", broker, "--broker-users", accounts,
                "--report", Path.Combine(dir, $"report{attempt}"));
            Assert.True(code is 0 or 1, stderr);
            Assert.Contains(", 0 safety violation(s); report", stdout, StringComparison.Ordinal);
        }

        Assert.True(code == 0, stdout);
        Assert.Contains("PASS heartbeat-loss: 4/4 assertions", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void HilRun_ExternalBrokerWithoutAccounts_IsAClearError()
    {
        (int code, _, string stderr) = CliRunner.Run("hil", "run", Bundled("heartbeat-loss"), "--report", CliRunner.TempDir("hil-broker"), "--broker", "mqtt://127.0.0.1:1883");
        Assert.Equal(1, code);
        Assert.Contains("--broker-users", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void HilRun_RtplanWithoutARadiotherapyScenario_IsAClearError()
    {
        string plan = Path.Combine(CliRunner.RepositoryRoot(), "configs", "hil", "plans", "prostate-robot.dcm");
        (int code, _, string stderr) = CliRunner.Run("hil", "run", Bundled("heartbeat-loss"), "--report", CliRunner.TempDir("hil-rtplan"), "--rtplan", plan);
        Assert.Equal(1, code);
        Assert.Contains("none of the scenarios delivers a radiotherapy plan", stderr, StringComparison.Ordinal);
    }
}
