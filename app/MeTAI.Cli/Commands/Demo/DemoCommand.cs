using System.CommandLine;
using System.Globalization;
using System.Runtime;
using MeTAI.Core.IO;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Plans;
using Spectre.Console;

namespace MeTAI.Cli.Commands.Demo;

/// <summary>
/// <c>metai demo [--out DIR]</c>: the whole story on embedded defaults — an IMRT plan on the prostate phantom (influence
/// matrix, optimisation, sequencing, Monte Carlo final dose, DICOM RT and PNGs), a needle rehearsal on the liver-needle
/// avatar, and the HIL nominal-teleoperation and radiotherapy-delivery scenarios with one injected fault each; a
/// summary table says what each part achieved and where its files are.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outOption = new Option<DirectoryInfo>("--out") { Description = "Output directory", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var quick = new Option<bool>("--quick") { Description = "Fewer Monte Carlo histories and rehearsal candidates (for tests; figures are noisier)" };
        var device = new Option<string>("--device") { Description = "Monte Carlo device: auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var command = new Command("demo", "Run the end-to-end demo on built-in data: plan, rehearsal, HIL scenarios.") { outOption, quick, device };
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return Task.FromResult(CommandErrors.Guard(stderr, () =>
                Run(parse.GetValue(outOption)!.FullName, parse.GetValue(quick), DeviceKindParser.Parse(parse.GetValue(device)), stdout, cancellationToken)));
        });
        return command;
    }

    private static int Run(string dir, bool quick, DeviceKind device, TextWriter stdout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dir);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = ReferenceEquals(stdout, Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = ReferenceEquals(stdout, Console.Out) ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!console.Profile.Capabilities.Interactive)
        {
            console.Profile.Width = 132;
        }

        console.MarkupLine($"[bold]MeTAI.Intervention demo[/] → {Markup.Escape(dir)}{(quick ? " (quick settings)" : string.Empty)}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var parts = new List<DemoPart>();
        PlanResult? plan = null;

        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                ProgressTask planTask = ctx.AddTask("Plan prostate", maxValue: 1);
                ProgressTask rehearsalTask = ctx.AddTask("Rehearse liver-needle", maxValue: 1, autoStart: false);
                ProgressTask teleopTask = ctx.AddTask("HIL nominal teleoperation", maxValue: 1, autoStart: false);
                ProgressTask rtTask = ctx.AddTask("HIL radiotherapy delivery", maxValue: 1, autoStart: false);

                (DemoPart planPart, plan) = DemoPlan.Run(Path.Combine(dir, "plan"), quick, device,
                    (fraction, stage) =>
                    {
                        planTask.Value = Math.Max(planTask.Value, fraction);
                        planTask.Description = $"Plan prostate: {Markup.Escape(Shorten(stage))}";
                    },
                    cancellationToken);
                planTask.Description = "Plan prostate";
                planTask.StopTask();
                parts.Add(planPart);

                rehearsalTask.StartTask();
                rehearsalTask.IsIndeterminate = true;
                (DemoPart rehearsalPart, _) = DemoRehearsal.Run(Path.Combine(dir, "rehearsal"), quick);
                rehearsalTask.IsIndeterminate = false;
                rehearsalTask.Value = 1;
                rehearsalTask.StopTask();
                parts.Add(rehearsalPart);

                // The HIL parts run a rig at 1 kHz in this process. The planner's Monte Carlo and influence arrays are
                // garbage by now: collect and compact them once, so that a collection during a scenario (the harness
                // allocates as it records) has a small heap to walk and pauses the rig's threads for as little as possible.
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                parts.Add(RunHil(teleopTask, "nominal-teleop", "HIL nominal teleoperation (serial CRC burst)", Path.Combine(dir, "hil", "nominal-teleop"), null, cancellationToken));

                // The radiotherapy scenario delivers the plan just made: the robot takes each beam's pose, the beam is on
                // only in Ready at that pose, and a patient-motion spike holds it.
                string rtPlan = Path.Combine(planPart.Directory, "rtplan.dcm");
                parts.Add(RunHil(rtTask, "radiotherapy-delivery", "HIL radiotherapy delivery of the plan (patient motion spike)", Path.Combine(dir, "hil", "radiotherapy-delivery"), rtPlan, cancellationToken));
            });

        PrintSummary(console, dir, parts, plan, clock.Elapsed.TotalSeconds);
        WriteSummaryJson(dir, parts, clock.Elapsed.TotalSeconds);
        bool filesOk = parts.All(p => p.MissingFiles().Count == 0);
        console.MarkupLine(filesOk ? "every listed file exists" : "[red]some listed files are missing[/]");

        // Plan goals and rehearsal feasibility are findings shown in the table; a failed HIL scenario (its assertions
        // are the controller's safety claims and the delivery's completeness) or a missing file fails the run itself.
        bool safe = parts.Where(p => p.SafetyCritical).All(p => p.Passed);
        return filesOk && safe ? 0 : 1;
    }

    private static DemoPart RunHil(ProgressTask task, string scenario, string title, string directory, string? rtPlan, CancellationToken cancellationToken)
    {
        task.StartTask();
        task.IsIndeterminate = true;
        DemoPart part = DemoHil.Run(scenario, title, directory, rtPlan, line => task.Description = $"HIL {scenario}: {Markup.Escape(Shorten(line))}", cancellationToken);
        task.IsIndeterminate = false;
        task.Description = $"HIL {scenario}";
        task.Value = 1;
        task.StopTask();
        return part;
    }

    private static string Shorten(string line) => line.Length <= 60 ? line.Trim() : line.Trim()[..57] + "…";

    private static void PrintSummary(IAnsiConsole console, string dir, IReadOnlyList<DemoPart> parts, PlanResult? plan, double seconds)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().Title("Summary").AddColumns("Part", "Result", "Figures", "Seconds", "Files in");
        foreach (DemoPart p in parts)
        {
            table.AddRow(
                Markup.Escape(p.Name),
                p.Passed ? "[green]pass[/]" : "[red]FAIL[/]",
                Markup.Escape(p.Figures),
                p.Seconds.ToString("0", inv),
                Markup.Escape(Path.GetRelativePath(dir, p.Directory) + "/"));
        }

        console.Write(table);
        if (plan is not null)
        {
            var goals = new Table().Title("Prostate plan goals (after sequencing and Monte Carlo final dose)").AddColumns("Structure", "Metric", "Goal", "Achieved", "Result");
            foreach (GoalResult g in plan.Goals)
            {
                goals.AddRow(Markup.Escape(g.Structure), Markup.Escape(g.Metric),
                    Markup.Escape(string.Create(inv, $"{g.Comparison} {g.Target:0.00} {g.Unit}")),
                    Markup.Escape(string.Create(inv, $"{g.Achieved:0.00} {g.Unit}")),
                    g.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
            }

            console.Write(goals);
        }

        var files = new Table().Title("Files").AddColumns("Part", "Path (under " + Markup.Escape(dir) + ")", "Exists");
        foreach (DemoPart p in parts)
        {
            IReadOnlyList<string> missing = p.MissingFiles();
            string relative = Path.GetRelativePath(dir, p.Directory);
            files.AddRow(Markup.Escape(p.Name), Markup.Escape(string.Join("  ", p.Files.Select(f => relative + "/" + f))),
                missing.Count == 0 ? "all" : "[red]missing " + Markup.Escape(string.Join(", ", missing)) + "[/]");
        }

        console.Write(files);
        console.MarkupLine(string.Create(inv, $"demo finished in {seconds:0} s; summary in {Markup.Escape(Path.Combine(dir, "summary.json"))}"));
    }

    private static void WriteSummaryJson(string dir, IReadOnlyList<DemoPart> parts, double seconds)
    {
        var doc = new
        {
            seconds = Math.Round(seconds, 1),
            parts = parts.Select(p => new
            {
                name = p.Name,
                passed = p.Passed,
                figures = p.Figures,
                seconds = Math.Round(p.Seconds, 1),
                directory = p.Directory,
                files = p.Files.Select(f => Path.Combine(p.Directory, f)).ToArray(),
            }).ToArray(),
        };
        string path = Path.Combine(dir, "summary.json");
        AtomicFile.WriteAllText(path, CliJson.Serialize(doc));
    }
}
