using System.CommandLine;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench &lt;subject&gt;</c>: performance measurements, one subcommand per subject (<see cref="BenchApp"/> passes
/// them to <see cref="Create"/>).
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
