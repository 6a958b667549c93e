using System.CommandLine;

namespace MeTAI.Cli.Commands;

/// <summary><c>metai bench …</c>: speed measurements whose results go into docs/benchmarks.md.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure speed (results belong in docs/benchmarks.md with machine, date and command).");
        bench.Subcommands.Add(BenchDicomCommand.Create());
        return bench;
    }
}
