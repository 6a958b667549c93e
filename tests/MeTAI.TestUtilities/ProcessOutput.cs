namespace MeTAI.TestUtilities;

/// <summary>What an outside program printed and its exit code.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public readonly record struct ProcessOutput(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output followed by standard error.</summary>
    public string Output => Stdout + Stderr;

    /// <summary>(exit code, stdout + stderr).</summary>
    public void Deconstruct(out int exitCode, out string output)
    {
        exitCode = ExitCode;
        output = Output;
    }
}
