using System.Globalization;

namespace MeTAI.Dicom.Network;

/// <summary>A remote application entity: AE title, host and TCP port, written <c>AET@HOST:PORT</c>.</summary>
/// <param name="AeTitle">The peer's AE title (the called AE title of our requests).</param>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
public sealed record DicomPeer(string AeTitle, string Host, int Port)
{
    /// <summary>Parses <c>AET@HOST:PORT</c> (an IPv6 host in brackets: <c>AET@[::1]:104</c>).</summary>
    /// <exception cref="ArgumentException">When the text is not of that form, the AE title is invalid or the port is out of range.</exception>
    public static DicomPeer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.LastIndexOf('@');
        int colon = text.LastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == text.Length - 1)
        {
            throw new ArgumentException($"'{text}' is not AET@HOST:PORT.");
        }

        string ae = Network.AeTitle.Check(text[..at], "AE title in '" + text + "':");
        string host = text[(at + 1)..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"'{text}': port '{text[(colon + 1)..]}' is not a TCP port (1–65535).");
        }

        return new DicomPeer(ae, host, port);
    }

    /// <summary>The peer as <c>AET@HOST:PORT</c>.</summary>
    public override string ToString() => $"{AeTitle}@{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
