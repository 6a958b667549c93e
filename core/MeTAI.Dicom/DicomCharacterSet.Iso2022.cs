using System.Text;

namespace MeTAI.Dicom;

/// <summary>
/// ISO 2022 code extensions (PS3.5 §6.1.2.5, PS3.3 C.12.1.1.2), for reading: a value starts in the initial set (the
/// first term of (0008,0005)); an escape sequence switches to another set until the next escape sequence or, for
/// single-byte sets, until a delimiter (CR, LF, TAB, FF; '^' and '=' in person names), after which the initial set
/// applies again. Values are split on '\' and person names on '=' before decoding, as pydicom does.
/// </summary>
public sealed partial class DicomCharacterSet
{
    private const byte Esc = 0x1B;

    /// <summary>Defined terms with code extensions → code page of the set.</summary>
    private static readonly Dictionary<string, int> ExtensionTerms = new(StringComparer.Ordinal)
    {
        ["ISO 2022 IR 6"] = 28591,
        ["ISO 2022 IR 13"] = 932,
        ["ISO 2022 IR 87"] = JisCodePage,
        ["ISO 2022 IR 159"] = JisCodePage,
        ["ISO 2022 IR 100"] = 28591,
        ["ISO 2022 IR 101"] = 28592,
        ["ISO 2022 IR 109"] = 28593,
        ["ISO 2022 IR 110"] = 28594,
        ["ISO 2022 IR 126"] = 28597,
        ["ISO 2022 IR 127"] = 28596,
        ["ISO 2022 IR 138"] = 28598,
        ["ISO 2022 IR 144"] = 28595,
        ["ISO 2022 IR 148"] = 28599,
        ["ISO 2022 IR 166"] = 874,
        ["ISO 2022 IR 149"] = 51949,
        ["ISO 2022 IR 58"] = 936,
    };

    /// <summary>Escape sequences (PS3.3 Tables C.12-3 and C.12-4) → code page of the set they designate.</summary>
    private static readonly (byte[] Sequence, int CodePage)[] Escapes =
    [
        ("\u001b(B"u8.ToArray(), 28591), // ISO-IR 6 (ASCII) in G0
        ("\u001b(J"u8.ToArray(), 932), // ISO-IR 14, JIS X 0201 romaji in G0
        ("\u001b)I"u8.ToArray(), 932), // ISO-IR 13, JIS X 0201 katakana in G1
        ("\u001b$B"u8.ToArray(), JisCodePage), // ISO-IR 87, JIS X 0208 in G0
        ("\u001b$(D"u8.ToArray(), JisCodePage), // ISO-IR 159, JIS X 0212 in G0
        ("\u001b$)C"u8.ToArray(), 51949), // ISO-IR 149, KS X 1001 in G1
        ("\u001b$)A"u8.ToArray(), 936), // ISO-IR 58, GB 2312 in G1
        ("\u001b-A"u8.ToArray(), 28591),
        ("\u001b-B"u8.ToArray(), 28592),
        ("\u001b-C"u8.ToArray(), 28593),
        ("\u001b-D"u8.ToArray(), 28594),
        ("\u001b-F"u8.ToArray(), 28597),
        ("\u001b-G"u8.ToArray(), 28596),
        ("\u001b-H"u8.ToArray(), 28598),
        ("\u001b-L"u8.ToArray(), 28595),
        ("\u001b-M"u8.ToArray(), 28599),
        ("\u001b-T"u8.ToArray(), 874),
    ];

    /// <summary>ISO-2022-JP: decodes 7-bit JIS runs including their escape sequence.</summary>
    private const int JisCodePage = 50220;

    private bool _codeExtensions;

    private static DicomCharacterSet WithCodeExtensions(IReadOnlyList<string> terms)
    {
        foreach (string t in terms)
        {
            string term = t.Trim();
            if (term.Length > 0 && !ExtensionTerms.ContainsKey(term) && !CodePages.ContainsKey(term))
            {
                throw new DicomFormatException($"unsupported Specific Character Set '{term}'");
            }
        }

        string first = terms[0].Trim();
        Encoding initial = Encoding.Latin1;
        if (ExtensionTerms.TryGetValue(first, out int codePage) && codePage != JisCodePage)
        {
            initial = Encoding.GetEncoding(codePage);
        }
        else if (CodePages.TryGetValue(first, out int single))
        {
            initial = Encoding.GetEncoding(single);
        }

        return new DicomCharacterSet(string.Join('\\', terms), initial) { _codeExtensions = true };
    }

    private string DecodeWithCodeExtensions(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        if (bytes.IndexOf(Esc) < 0)
        {
            return Encoding.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length);
        bool person = vr == DicomVR.PN;
        int start = 0;
        while (true)
        {
            // Multiple values ('\') and, in person names, component groups ('=') are decoded one by one.
            int end = vr.SplitsOnBackslash ? NextOf(bytes, start, (byte)'\\', person ? (byte)'=' : (byte)'\\') : bytes.Length;
            DecodeRun(bytes[start..end], person, text);
            if (end >= bytes.Length)
            {
                return text.ToString();
            }

            text.Append((char)bytes[end]);
            start = end + 1;
        }
    }

    private static int NextOf(ReadOnlySpan<byte> bytes, int from, byte a, byte b)
    {
        int i = bytes[from..].IndexOfAny(a, b);
        return i < 0 ? bytes.Length : from + i;
    }

    /// <summary>Decodes one value (or name component group) that may hold escape sequences.</summary>
    private void DecodeRun(ReadOnlySpan<byte> run, bool person, StringBuilder text)
    {
        int firstEsc = run.IndexOf(Esc);
        if (firstEsc < 0)
        {
            text.Append(Encoding.GetString(run));
            return;
        }

        text.Append(Encoding.GetString(run[..firstEsc]));
        int pos = firstEsc;
        while (pos < run.Length)
        {
            int next = run[(pos + 1)..].IndexOf(Esc);
            int end = next < 0 ? run.Length : pos + 1 + next;
            ReadOnlySpan<byte> piece = run[pos..end];
            int codePage = -1, escLength = 0;
            foreach ((byte[] seq, int cp) in Escapes)
            {
                if (piece.StartsWith(seq))
                {
                    codePage = cp;
                    escLength = seq.Length;
                    break;
                }
            }

            if (codePage < 0)
            {
                // Unknown escape: keep reading in the initial set, escape bytes and all.
                text.Append(Encoding.GetString(piece));
            }
            else if (codePage == JisCodePage)
            {
                // Multi-byte 7-bit JIS: the ISO-2022-JP decoder understands the escape itself; a '^' inside may be
                // half of a two-byte character, so delimiters do not cut this run.
                text.Append(Encoding.GetEncoding(JisCodePage).GetString(piece));
            }
            else
            {
                ReadOnlySpan<byte> body = piece[escLength..];
                int delimiter = person ? body.IndexOf((byte)'^') : body.IndexOfAny("\r\n\t\f"u8);
                Encoding set = Encoding.GetEncoding(codePage);
                if (delimiter < 0)
                {
                    text.Append(set.GetString(body));
                }
                else
                {
                    text.Append(set.GetString(body[..delimiter]));
                    text.Append(Encoding.GetString(body[delimiter..]));
                }
            }

            pos = end;
        }
    }
}
