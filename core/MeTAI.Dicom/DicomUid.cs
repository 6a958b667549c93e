using System.Numerics;
using System.Security.Cryptography;

namespace MeTAI.Dicom;

/// <summary>UID generation and validation (PS3.5 §9), and the SOP class UIDs the RT objects use.</summary>
public static class DicomUid
{
    /// <summary>CT Image Storage.</summary>
    public const string CTImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>RT Dose Storage.</summary>
    public const string RTDoseStorage = "1.2.840.10008.5.1.4.1.1.481.2";

    /// <summary>RT Structure Set Storage.</summary>
    public const string RTStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3";

    /// <summary>RT Plan Storage.</summary>
    public const string RTPlanStorage = "1.2.840.10008.5.1.4.1.1.481.5";

    /// <summary>Our implementation class UID (a 2.25 UUID-derived root, fixed for this software).</summary>
    public const string ImplementationClassUid = "2.25.253385153004476541305367591426383812957";

    /// <summary>Our implementation version name (≤ 16 characters).</summary>
    public const string ImplementationVersionName = "METAI_0_1";

    /// <summary>A new globally unique UID under the 2.25 root (PS3.5 §B.2): a random UUID as one decimal number.</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        // RFC 4122 version 4 and variant bits, so the number is a valid UUID.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A UID derived deterministically from a name (SHA-256 of the text, truncated to 128 bits, under 2.25): the same
    /// input always gives the same UID. Used to remap UIDs consistently during de-identification.
    /// </summary>
    public static string FromName(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        var value = new BigInteger(hash.AsSpan(0, 16), isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True when <paramref name="uid"/> is a valid UID: ≤ 64 characters, digits and dots, no empty component, no leading zero.</summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64)
        {
            return false;
        }

        foreach (string part in uid.Split('.'))
        {
            if (part.Length == 0 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            foreach (char c in part)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
            }
        }

        return true;
    }
}
