namespace MeTAI.Dicom.Network;

/// <summary>Application Entity titles (PS3.5 Table 6.2-1, VR AE): 1–16 characters of the default repertoire, no backslash or control characters, not only spaces.</summary>
public static class AeTitle
{
    /// <summary>True when <paramref name="aeTitle"/> is a usable AE title.</summary>
    public static bool IsValid(string? aeTitle)
    {
        if (string.IsNullOrWhiteSpace(aeTitle) || aeTitle.Length > 16)
        {
            return false;
        }

        foreach (char c in aeTitle)
        {
            if (c is < ' ' or > '~' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The title, trimmed, when valid.</summary>
    /// <exception cref="ArgumentException">When it is not a valid AE title; <paramref name="what"/> names it in the message.</exception>
    public static string Check(string? aeTitle, string what)
    {
        string trimmed = aeTitle?.Trim() ?? string.Empty;
        return IsValid(trimmed)
            ? trimmed
            : throw new ArgumentException($"{what} '{aeTitle}' is not a valid AE title (1–16 characters, no backslash or control characters).");
    }
}
