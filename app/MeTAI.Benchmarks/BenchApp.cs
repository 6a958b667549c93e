using System.CommandLine;
using MeTAI.Benchmarks.Commands;

namespace MeTAI.Benchmarks;

/// <summary>
/// The <c>metai bench</c> command tree (the <c>metai</c> wrapper runs this program for <c>bench</c>): one subcommand per
/// subject, each in <c>Commands/</c>, with the subject itself in a folder of its own.
/// </summary>
public static class BenchApp
{
    /// <summary>The root command, with <c>bench</c> and its subjects; named <c>metai</c>, as users type it (<c>./metai bench …</c>).</summary>
    public static Command BuildRoot()
    {
        var root = new Command("metai", "MeTAI.Intervention benchmarks (results belong in docs/benchmarks.md with machine, date and command).");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Subcommands.Add(BenchCommand.Create(BenchDicomCommand.Create(), BenchDoseCommand.Create(), BenchOptimizeCommand.Create(), BenchSoftBodyCommand.Create(),
            BenchControlCommand.Create(), BenchControlCommand.CreateDevices(), BenchServoBusCommand.Create(), BenchTeleopCommand.Create()));
        return root;
    }

    /// <summary>Parses and runs <c>bench …</c>; returns the exit code (0 success, 1 failure, 2 usage error).</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null) =>
        BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = stdout ?? Console.Out, Error = stderr ?? Console.Error });
}
