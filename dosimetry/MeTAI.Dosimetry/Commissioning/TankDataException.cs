namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// A water-tank data file (mcc, W2CAD, CSV) that is malformed or describes something the commissioning does not model;
/// the message names the file and the 1-based line. A <see cref="FormatException"/>, so the CLI prints it as one line.
/// </summary>
public sealed class TankDataException : FormatException
{
    /// <summary>Creates the exception for <paramref name="file"/> at <paramref name="line"/> (0: the whole file).</summary>
    public TankDataException(string file, int line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>The 1-based line at fault, or 0 when the problem concerns the whole file.</summary>
    public int Line { get; }
}
