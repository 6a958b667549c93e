using System.CommandLine;

namespace MeTAI.Cli.Commands;

/// <summary>
/// <c>metai bench &lt;subject&gt;</c>: performance measurements, one subcommand per subject (<c>softbody</c> here; others add
/// theirs by passing their command to <see cref="Create"/> in <see cref="CliApp"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create(params Command[] subcommands)
    {
        var command = new Command("bench", "Measure speed on this machine (results belong in docs/benchmarks.md with machine, date and command).");
        foreach (Command sub in subcommands)
        {
            command.Subcommands.Add(sub);
        }

        return command;
    }
}
