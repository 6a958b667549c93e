using System.Text;

namespace MeTAI.Cli.Commands.Demo;

/// <summary>
/// A text writer that copies everything to an inner writer (a log file) and hands each completed line to a callback —
/// how the demo turns a pipeline's log into progress without the pipeline knowing about progress bars.
/// </summary>
internal sealed class LineTap(TextWriter inner, Action<string> onLine) : TextWriter
{
    private readonly StringBuilder _line = new();

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override void Write(char value)
    {
        inner.Write(value);
        if (value == '\n')
        {
            string line = _line.ToString().TrimEnd('\r');
            _line.Clear();
            onLine(line);
        }
        else
        {
            _line.Append(value);
        }
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();
}
