using System.CommandLine;

namespace MeTAI.Cli.Commands;

/// <summary><c>metai demo [--out DIR]</c>: the end-to-end story on embedded defaults.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outOption = new Option<DirectoryInfo>("--out") { Description = "Output directory", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var command = new Command("demo", "Run the end-to-end demo on built-in data.") { outOption };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine("demo: not wired yet");
            return 1;
        });
        return command;
    }
}
