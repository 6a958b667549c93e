using System.Text;

namespace MeTAI.Dicom;

/// <summary>
/// Text encoding of a dataset per its Specific Character Set (0008,0005), PS3.5 §6.1. Applies to SH, LO, ST, LT,
/// PN, UC and UT values; other text VRs are always the default repertoire (ASCII). Single-byte sets, ISO_IR 192
/// (UTF-8), GB18030/GBK, and ISO 2022 code extensions (multi-valued terms with escape sequences, read only) are
/// supported; an absent or empty value means the default repertoire, which we read leniently as ISO 8859-1 (as
/// common readers do) and write as ASCII.
/// </summary>
public sealed partial class DicomCharacterSet
{
    private static readonly Dictionary<string, int> CodePages = new(StringComparer.Ordinal)
    {
        ["ISO_IR 6"] = 28591,
        ["ISO_IR 100"] = 28591,
        ["ISO_IR 101"] = 28592,
        ["ISO_IR 109"] = 28593,
        ["ISO_IR 110"] = 28594,
        ["ISO_IR 144"] = 28595,
        ["ISO_IR 127"] = 28596,
        ["ISO_IR 126"] = 28597,
        ["ISO_IR 138"] = 28598,
        ["ISO_IR 148"] = 28599,
        ["ISO_IR 203"] = 28605,
        ["ISO_IR 13"] = 932,
        ["ISO_IR 166"] = 874,
        ["ISO_IR 192"] = 65001,
        ["GB18030"] = 54936,
        ["GBK"] = 936,
    };

    static DicomCharacterSet()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private DicomCharacterSet(string term, Encoding encoding)
    {
        Term = term;
        Encoding = encoding;
    }

    /// <summary>The default repertoire (no Specific Character Set).</summary>
    public static DicomCharacterSet Default { get; } = new(string.Empty, Encoding.Latin1);

    /// <summary>ISO_IR 100 (ISO 8859-1, Latin alphabet No. 1).</summary>
    public static DicomCharacterSet Latin1 { get; } = new("ISO_IR 100", Encoding.Latin1);

    /// <summary>ISO_IR 192 (Unicode in UTF-8).</summary>
    public static DicomCharacterSet Utf8 { get; } = new("ISO_IR 192", new UTF8Encoding(false));

    /// <summary>The defined term as written in (0008,0005), e.g. <c>ISO_IR 192</c>; empty for the default.</summary>
    public string Term { get; }

    /// <summary>The .NET encoding used for charset-dependent VRs.</summary>
    public Encoding Encoding { get; }

    /// <summary>
    /// The character set for the values of (0008,0005). Several values, or a value starting "ISO 2022", select ISO 2022
    /// code extensions (PS3.5 §6.1.2.5): the first value is the initial set, escape sequences in values switch sets.
    /// </summary>
    /// <exception cref="DicomFormatException">For a defined term this codec does not know.</exception>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        string first = terms.Count == 0 ? string.Empty : terms[0].Trim();
        if (terms.Count > 1 || first.StartsWith("ISO 2022", StringComparison.Ordinal))
        {
            return WithCodeExtensions(terms);
        }

        if (first.Length == 0)
        {
            return Default;
        }

        if (first == Latin1.Term)
        {
            return Latin1;
        }

        if (first == Utf8.Term)
        {
            return Utf8;
        }

        if (CodePages.TryGetValue(first, out int codePage))
        {
            return new DicomCharacterSet(first, Encoding.GetEncoding(codePage));
        }

        throw new DicomFormatException($"unsupported Specific Character Set '{first}'");
    }

    /// <summary>Decodes text of a given VR.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        if (!vr.UsesCharacterSet)
        {
            return Encoding.Latin1.GetString(bytes);
        }

        return _codeExtensions ? DecodeWithCodeExtensions(bytes, vr) : Encoding.GetString(bytes);
    }

    /// <summary>Encodes text of a given VR; non-charset VRs must be ASCII.</summary>
    /// <exception cref="ArgumentException">For text this character set (or ASCII) cannot represent.</exception>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vr);
        Encoding enc = vr.UsesCharacterSet && Term.Length > 0 ? Encoding : Encoding.ASCII;
        if (!Ascii.IsValid(text) && (enc == Encoding.ASCII || enc.GetString(enc.GetBytes(text)) != text))
        {
            throw new ArgumentException(
                $"Text '{text}' cannot be encoded as {vr} in character set '{(Term.Length == 0 ? "default (ASCII)" : Term)}'; set Specific Character Set to ISO_IR 192.",
                nameof(text));
        }

        return enc.GetBytes(text);
    }
}
