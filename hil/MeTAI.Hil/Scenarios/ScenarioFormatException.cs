namespace MeTAI.Hil.Scenarios;

/// <summary>A scenario file that cannot be used; the message names the file, line, column and field.</summary>
public sealed class ScenarioFormatException : FormatException
{
    /// <summary>Creates the error.</summary>
    public ScenarioFormatException(string file, long line, long column, string field, string message)
        : base($"{file}:{line}:{column}: {(field.Length > 0 ? $"'{field}': " : "")}{message}")
    {
        File = file;
        Line = line;
        Column = column;
        Field = field;
    }

    /// <summary>Creates an error without a location.</summary>
    public ScenarioFormatException()
        : this("scenario", 0, 0, "", "invalid scenario")
    {
    }

    /// <summary>Creates an error with a message only.</summary>
    public ScenarioFormatException(string message)
        : this("scenario", 0, 0, "", message)
    {
    }

    /// <summary>Creates an error with a message and its cause.</summary>
    public ScenarioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "scenario";
        Field = "";
    }

    /// <summary>The scenario file.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public long Line { get; }

    /// <summary>1-based column.</summary>
    public long Column { get; }

    /// <summary>The field's path, e.g. <c>faults[2].kind</c>.</summary>
    public string Field { get; }
}
