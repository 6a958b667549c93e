namespace MeTAI.Dosimetry.Materials;

/// <summary>A material or calibration file is missing, malformed or inconsistent; names the file and field.</summary>
public sealed class MaterialDataException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> and <paramref name="field"/>.</summary>
    public MaterialDataException(string file, string field, string problem)
        : base($"{file}: field '{field}': {problem}")
    {
        File = file;
        Field = field;
    }

    /// <summary>The file that failed to load.</summary>
    public string File { get; }

    /// <summary>The JSON field at fault.</summary>
    public string Field { get; }
}
