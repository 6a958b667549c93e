using System.CommandLine;
using System.Globalization;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;

namespace MeTAI.Cli.Commands.Hil;

/// <summary>
/// <c>metai hil run FILE... --report DIR [--junit FILE] [--broker mqtt://host:port --broker-users FILE] [--seed S]
/// [--rtplan FILE]</c>: runs each scenario file against the real controller over real transports (embedded broker by
/// default), prints progress, writes DIR/report.md (summary table, then each scenario with its plots), the JUnit XML and
/// each scenario's artefacts; exit 1 when any scenario fails.
/// </summary>
internal static class HilRunCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("scenarios") { Description = "Scenario files (configs/hil/*.yaml)", Arity = ArgumentArity.OneOrMore };
        var report = new Option<DirectoryInfo>("--report") { Description = "Report folder: report.md, junit.xml (unless --junit) and one artefact folder per scenario", Required = true };
        var junit = new Option<FileInfo?>("--junit") { Description = "JUnit XML file (default DIR/junit.xml)" };
        var broker = new Option<string>("--broker") { Description = "embedded (default: one per scenario) or mqtt://host:port of a broker that knows the rig's accounts", DefaultValueFactory = _ => "embedded" };
        var users = new Option<FileInfo?>("--broker-users") { Description = "With --broker mqtt://…: JSON [{\"name\",\"role\",\"password\"}] of the accounts controller, master1, operator, estop (+ linac, patient)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of every scenario's random draws (MQTT loss, encoder noise) instead of each file's own" };
        var rtplan = new Option<FileInfo?>("--rtplan") { Description = "RTPLAN for the radiotherapy scenarios to deliver (e.g. a `metai plan` rtplan.dcm) instead of the one the file names" };
        var command = new Command("run", "Run HIL scenario files against the real controller and write report.md, plots and JUnit XML.")
        {
            files, report, junit, broker, users, seed, rtplan,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                // Load every file first: a mistake in the last one is reported before minutes of running the others.
                var scenarios = parse.GetValue(files)!.Select(ScenarioFile.Load).ToList();
                string? rtPlanPath = parse.GetValue(rtplan)?.FullName;
                var external = HilBroker.Parse(parse.GetValue(broker), parse.GetValue(users)?.FullName, scenarios.Any(s => s.Radiotherapy is not null));
                string dir = parse.GetValue(report)!.FullName;
                var progressLock = new object();
                void Progress(string line)
                {
                    lock (progressLock)
                    {
                        stdout.WriteLine(line);
                        stdout.Flush();
                    }
                }

                string header = "Command: `metai " + string.Join(' ', parse.Tokens.Select(t => t.Value)) + "`" +
                    (external is { } e ? string.Create(CultureInfo.InvariantCulture, $" · broker mqtt://{e.Broker.Host}:{e.Broker.Port}") : " · embedded broker per scenario");
                ScenarioBatchResult r = HilScenarios.RunAsync(scenarios, new HilRunSettings
                {
                    ReportDirectory = dir,
                    JUnitPath = parse.GetValue(junit)?.FullName,
                    RtPlanPath = rtPlanPath,
                    ExternalBroker = external?.Broker,
                    Users = external?.Users,
                    Seed = parse.GetValue(seed),
                    Progress = Progress,
                    Header = header,
                }).GetAwaiter().GetResult();
                int passed = r.Outcomes.Count(o => o.Passed);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"hil: {r.Outcomes.Count} scenario(s), {passed} passed, {r.Outcomes.Count - passed} failed, {r.Outcomes.Sum(o => o.Violations)} safety violation(s); report {r.ReportPath}, JUnit {r.JUnitPath}"));
                return r.Passed ? 0 : 1;
            });
        });
        return command;
    }
}
